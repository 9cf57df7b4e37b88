// The in-browser tagging page in real Chromium (WebGPU on SwiftShader), driven
// by playwright-core: the page built with a tiny checkpoint made here, a WAV fed
// through the file picker, the tags on screen, and parity of the browser's
// per-window probabilities with Node's (Dawn/OpenGL) for the same file and
// checkpoint; then the suites for access, phones, big files, exports, the
// microphone and checkpoints (./suites/*.ts), all on one browser. Skips, saying
// why, only when Chromium is absent (CI installs it). Screenshots of each state
// go to test-artifacts/. The tests run in order on one page (the first loads
// it), so a later test picked alone with -t waits for a page that never loads.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AudioDecoder } from '../../src/data/decode.js';
import { encodeWav } from '../../src/data/wav.js';
import { type TaggingResult, tagAudio } from '../../src/eval/tagging.js';
import { loadTagger } from '../../src/models/index.js';
import { CHROMIUM, CLIP_SECONDS, HAVE_CHROMIUM, type Harness, SAMPLE_RATE, TAGS, WINDOW, shot, startHarness } from './harness.js';
import { accessSuite } from './suites/access.js';
import { featureSuite } from './suites/features.js';
import { jobSuite } from './suites/jobs.js';

if (!HAVE_CHROMIUM) console.warn(`[web] skipping the browser tests: ${CHROMIUM} not found (apt-get install chromium, or set ROBUST_TAGGER_CHROMIUM)`);
const describeBrowser = HAVE_CHROMIUM ? describe : describe.skip;

describeBrowser('web page in Chromium (WebGPU on SwiftShader)', () => {
  const h = {} as Harness;

  beforeAll(async () => {
    Object.assign(h, await startHarness());
  });

  afterAll(async () => {
    await h.close?.();
  });

  test('loads the default model, tags a WAV, shows top tags and a heatmap; screenshot', async () => {
    const { page } = h;
    await page.goto(`${h.url}?keep-samples`);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
    await expect.poll(() => page.textContent('#model-status')).toMatch(/model\.safetensors \(dat stage, step 1200\) · 10 tags/);
    await shot(page, 'web-1-start.png');
    // A favicon of its own (inline, so there is no request to 404).
    expect(await page.getAttribute('link[rel="icon"]', 'href')).toMatch(/^data:image\/svg\+xml,/);
    // Every progress message the page shows, recorded in the page as it changes: tagging can
    // finish faster than a poll for a transient message would notice it.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __progressSeen: string[] }).__progressSeen = seen;
      const el = document.getElementById('progress-text')!;
      new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
    });
    await page.setInputFiles('#audio-file', h.wavPath);
    await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { timeout: 90_000 });
    const progress = await page.evaluate(() => (window as unknown as { __progressSeen: string[] }).__progressSeen);
    const windowsTotal = Math.floor((SAMPLE_RATE * CLIP_SECONDS) / WINDOW);
    expect(progress.some((t) => t.startsWith('Reading '))).toBe(true);
    expect(progress.some((t) => t.startsWith('Decoding '))).toBe(true);
    expect(progress.filter((t) => /^Tagging: window \d+ of \d+$/.test(t)).length, `progress shown: ${JSON.stringify(progress)}`).toBeGreaterThan(1);
    expect(progress).toContain(`Tagging: window ${windowsTotal} of ${windowsTotal}`);
    expect(await page.isHidden('#progress')).toBe(true);
    expect(await page.evaluate(() => window.__lastError ?? null)).toBeNull();
    const shown = await page.$$eval('#top-tags li', (lis) => lis.map((li) => ({ tag: li.dataset.tag, value: Number(li.querySelector('.value')?.textContent) })));
    const r = (await page.evaluate(() => window.__lastResult)) as { result: TaggingResult; timings: { decodeMs: number; tagMs: number }; adapter: string };
    expect(shown.length).toBe(TAGS.length);
    expect(shown.map((s) => s.tag)).toEqual(r.result.tags.map((t) => t.tag));
    for (const [i, s] of shown.entries()) expect(s.value).toBeCloseTo(r.result.tags[i].probability, 3);
    expect(new Set(shown.map((s) => s.tag))).toEqual(new Set(TAGS));
    expect(r.result.timeline.length).toBe(windowsTotal);
    // The heatmap has something to show: probabilities differ across windows and tags.
    const all = r.result.timeline.flatMap((w) => w.probabilities);
    console.info(`[web] window probabilities span ${Math.min(...all).toFixed(3)} … ${Math.max(...all).toFixed(3)}`);
    expect(Math.max(...all) - Math.min(...all)).toBeGreaterThan(0.3);
    const canvas = await page.$eval('#heatmap', (c) => ({ w: (c as HTMLCanvasElement).width, h: (c as HTMLCanvasElement).height }));
    expect(canvas.w).toBeGreaterThan(300);
    expect(canvas.h).toBeGreaterThan(100);
    // The model card says which model this is, from its metadata.
    const cardText = await page.textContent('#model-card');
    expect(cardText).toMatch(/dat: domain-adversarial/);
    expect(cardText).toMatch(/1,200 steps/);
    expect(cardText).toMatch(/6,561 samples \(0\.30 s\)/);
    expect(cardText).toMatch(/22,050 Hz/);
    expect(await page.$$eval('#model-tags li', (lis) => lis.map((li) => li.textContent))).toEqual(TAGS);
    console.info(`[web] ${CLIP_SECONDS} s clip, ${r.result.timeline.length} windows, scaledModelConfig(8, 16) with ${TAGS.length} tags on ${r.adapter}: decoded in ${r.timings.decodeMs.toFixed(0)} ms, tagged in ${r.timings.tagMs.toFixed(0)} ms`);
    await shot(page, 'web-2-results.png');
  });

  // The WAV is already 22,050 Hz mono (float32), so neither side resamples (the
  // browser's resampler differs from Node's libsamplerate): decoding must agree
  // exactly and the probabilities to within 1e-4 (two GPUs' float32 rounding).
  test('parity: per-window probabilities equal Node (Dawn/OpenGL) within 1e-4 for the same file and checkpoint', async () => {
    const browserSide = (await h.page.evaluate(() => ({
      result: window.__lastResult?.result,
      samples: Array.from(window.__lastSamples ?? []),
    }))) as { result: TaggingResult; samples: number[] };
    const tagger = loadTagger(h.ctx, readFileSync(h.modelPath), h.modelPath);
    const decoded = await new AudioDecoder(tagger.sampleRate, 'best').decodeFile(h.wavPath);
    expect(decoded.sourceRate).toBe(SAMPLE_RATE);
    // Decoding: the browser's decoder and Node's WAV reader give the same samples, bit for bit.
    expect(browserSide.samples.length).toBe(decoded.samples.length);
    const firstDiff = browserSide.samples.findIndex((v, i) => v !== decoded.samples[i]);
    expect(firstDiff, `first differing sample at ${firstDiff}`).toBe(-1);
    const node = await tagAudio(decoded.samples, (w, n, l) => tagger.predict(w, n, l), { tagNames: tagger.tags, sampleRate: tagger.sampleRate, windowLength: tagger.windowLength, batchWindows: 16 });
    tagger.dispose();
    const b = browserSide.result;
    expect(b.tagNames).toEqual(node.tagNames);
    expect(b.timeline.length).toBe(node.timeline.length);
    let worst = 0;
    node.timeline.forEach((w, i) => {
      expect(b.timeline[i].startSeconds).toBe(w.startSeconds);
      w.probabilities.forEach((p, t) => (worst = Math.max(worst, Math.abs(p - b.timeline[i].probabilities[t]))));
    });
    console.info(`[web] browser vs Node: largest per-window probability difference ${worst.toExponential(2)} over ${node.timeline.length} windows × ${TAGS.length} tags`);
    expect(worst).toBeLessThan(1e-4);
    expect(b.tags.map((t) => t.tag)).toEqual(node.tags.map((t) => t.tag));
  });

  // A file as users have them: 44.1 kHz stereo. The browser resamples (its own
  // resampler, not libsamplerate) and mixes to mono; the samples track Node's closely.
  test('a 44.1 kHz stereo WAV is mixed to mono and resampled to 22,050 Hz', async () => {
    const { page } = h;
    const seconds = 2;
    const n = 44100 * seconds;
    const left = new Float32Array(n).map((_, i) => 0.4 * Math.sin((2 * Math.PI * 220 * i) / 44100));
    const right = new Float32Array(n).map((_, i) => 0.3 * Math.sin((2 * Math.PI * 330 * i) / 44100));
    const stereoPath = join(h.dir, 'stereo-44100.wav');
    writeFileSync(stereoPath, encodeWav({ channels: [left, right], sampleRate: 44100 }, 'float32'));
    await page.setInputFiles('#audio-file', stereoPath);
    await page.waitForFunction(() => window.__lastResult?.file === 'stereo-44100.wav' || document.body.dataset.state === 'error', undefined, { timeout: 60_000 });
    const got = (await page.evaluate(() => ({ audio: window.__lastResult?.audio, samples: Array.from(window.__lastSamples ?? []), meta: document.getElementById('results-meta')?.textContent }))) as {
      audio: { sampleRate: number; sourceRate: number; channels: number };
      samples: number[];
      meta: string;
    };
    expect(got.audio).toMatchObject({ sampleRate: SAMPLE_RATE, sourceRate: 44100, channels: 2 });
    expect(got.meta).toMatch(/2 channels → mono · 44100 → 22050 Hz/);
    const node = (await new AudioDecoder(SAMPLE_RATE, 'best').decodeFile(stereoPath)).samples;
    expect(Math.abs(got.samples.length - node.length)).toBeLessThanOrEqual(2);
    // Away from the edges (where the two resamplers' filters start up differently) the signals agree.
    let err = 0;
    let energy = 0;
    for (let i = 200; i < Math.min(got.samples.length, node.length) - 200; i++) {
      err += (got.samples[i] - node[i]) ** 2;
      energy += node[i] ** 2;
    }
    console.info(`[web] browser vs libsamplerate resampling, 44.1 kHz stereo → 22.05 kHz mono: relative error ${Math.sqrt(err / energy).toExponential(2)}`);
    expect(Math.sqrt(err / energy)).toBeLessThan(0.01);
  });

  jobSuite(h);
  test('a file the browser cannot decode is reported, and the page stays usable', async () => {
    const { page } = h;
    const bad = join(h.dir, 'not-audio.wav');
    writeFileSync(bad, 'this is not audio, just text pretending to be a WAV file\n'.repeat(20));
    await page.setInputFiles('#audio-file', bad);
    await page.waitForSelector('body[data-state="error"]', { timeout: 30_000 });
    expect(await page.textContent('#error')).toMatch(/not-audio\.wav: this browser cannot decode the file as audio/);
    expect(await page.isHidden('#results')).toBe(true);
    expect(await page.isEnabled('#audio-file')).toBe(true);
    await shot(page, 'web-3-decode-error.png');
  });

  accessSuite(h);
  featureSuite(h);

  test('without WebGPU: one consistent screen for browser users, no pickers', async () => {
    const p2 = await h.browser.newPage();
    await p2.addInitScript(() => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true }));
    await p2.goto(h.url);
    await p2.waitForSelector('body[data-state="no-webgpu"]', { timeout: 30_000 });
    const help = (await p2.textContent('#webgpu-help')) ?? '';
    expect(help).toMatch(/This page needs WebGPU/);
    expect(help).toMatch(/does not offer WebGPU/);
    // Not "WebGPU is present" after "no WebGPU"; no command-line flags.
    expect(help).not.toMatch(/WebGPU is present|turned on but/);
    expect(help).not.toMatch(/--enable|command line/);
    expect(await p2.isHidden('#setup')).toBe(true);
    expect(await p2.isHidden('#error')).toBe(true);
    await shot(p2, 'web-9-no-webgpu.png');
    await p2.close();
    // WebGPU present but no adapter: the same screen, with the other reason and no contradiction.
    const p3 = await h.browser.newPage();
    await p3.addInitScript(() => Object.defineProperty(GPU.prototype, 'requestAdapter', { value: async () => null, configurable: true }));
    await p3.goto(h.url);
    await p3.waitForSelector('body[data-state="no-webgpu"]', { timeout: 30_000 });
    const help3 = (await p3.textContent('#webgpu-help')) ?? '';
    expect(help3).toMatch(/This page needs WebGPU/);
    expect(help3).toMatch(/has WebGPU turned on, but it could not use your graphics hardware/);
    expect(help3).not.toMatch(/does not offer WebGPU/);
    expect(await p3.isHidden('#setup')).toBe(true);
    await p3.close();
  });
});
