// Exports, playback, the microphone, source rates and checkpoint messages. The
// JSON export is compared with what `robust-tagger tag --json` prints for the
// same file and checkpoint (runTag, the command's own function, run here).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test, vi } from 'vitest';
import { runTag } from '../../../src/cli/tag.js';
import { encodeMeta, encodeSafetensors } from '../../../src/nn/safetensors.js';
import { type Harness, TAGS, settled, shot } from '../harness.js';

const FIXTURES = resolve(import.meta.dirname, '../../data/fixtures');

interface TagDoc {
  model: string;
  files: { file: string; durationSeconds: number; windowSeconds: number; tagNames: string[]; tags: { tag: string; probability: number }[]; allTags: { tag: string; probability: number }[]; timeline: { startSeconds: number; endSeconds: number; probabilities: number[] }[] }[];
}

/** The shape of a JSON value: keys and array lengths, numbers and strings as their type. */
const shape = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(shape) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)])) : typeof v;

export function featureSuite(h: Harness): void {
  test('exported JSON equals `robust-tagger tag --json` within 1e-4; the CSV holds the same numbers', async () => {
    const { page } = h;
    await page.setInputFiles('#audio-file', h.wavPath);
    expect(await settled(page)).toBe('done');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    expect(download.suggestedFilename()).toBe('chords-22050-mono-f32.tags.json');
    const web = JSON.parse(readFileSync(await download.path(), 'utf8')) as TagDoc;

    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void printed.push(s));
    let code: number;
    try {
      code = await runTag(['--json', '--top-k', '10', '--backend', 'opengl', '--model', h.modelPath, h.wavPath]);
    } finally {
      log.mockRestore();
    }
    expect(code).toBe(0);
    const cli = JSON.parse(printed.join('\n')) as TagDoc;
    // Same schema; only the names differ (the CLI prints the paths it was given, the page has file names).
    expect(shape(web)).toEqual(shape(cli));
    expect(web.model).toMatch(/model\.safetensors$/);
    expect(web.files[0].file).toBe('chords-22050-mono-f32.wav');
    const [w, c] = [web.files[0], cli.files[0]];
    expect(w.tagNames).toEqual(c.tagNames);
    expect(w.tags.map((t) => t.tag)).toEqual(c.tags.map((t) => t.tag));
    expect(w.durationSeconds).toBe(c.durationSeconds);
    expect(w.windowSeconds).toBe(c.windowSeconds);
    let worst = 0;
    const cmp = (a: number, b: number) => (worst = Math.max(worst, Math.abs(a - b)));
    w.tags.forEach((t, i) => cmp(t.probability, c.tags[i].probability));
    w.allTags.forEach((t, i) => cmp(t.probability, c.allTags.find((x) => x.tag === t.tag)!.probability));
    w.timeline.forEach((win, i) => {
      expect(win.startSeconds).toBe(c.timeline[i].startSeconds);
      expect(win.endSeconds).toBe(c.timeline[i].endSeconds);
      win.probabilities.forEach((p, t) => cmp(p, c.timeline[i].probabilities[t]));
    });
    console.info(`[web] exported JSON vs robust-tagger tag --json: ${w.timeline.length} windows × ${w.tagNames.length} tags, largest difference ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const rows = readFileSync(await csvDownload.path(), 'utf8').trimEnd().split('\r\n').map((r) => r.split(','));
    expect(rows[0]).toEqual(['file', 'window', 'start_seconds', 'end_seconds', ...TAGS]);
    expect(rows.length).toBe(1 + 1 + w.timeline.length);
    expect(rows[1].slice(0, 2)).toEqual(['chords-22050-mono-f32.wav', 'file']);
    TAGS.forEach((tag, i) => expect(Number(rows[1][4 + i])).toBe(w.allTags.find((t) => t.tag === tag)!.probability));
    w.timeline.forEach((win, i) => expect(rows[2 + i].slice(4).map(Number)).toEqual(win.probabilities));
  });

  test('playback: clicking a heatmap column seeks the player there, and the playhead is drawn at it', async () => {
    const { page } = h;
    await page.waitForFunction(() => (document.getElementById('player') as HTMLAudioElement).readyState >= 1, undefined, { timeout: 10_000 });
    const target = 20;
    const box = (await page.locator('#heatmap').boundingBox())!;
    const n = await page.evaluate(() => window.__lastResult!.result.timeline.length);
    const cellW = box.width / n;
    await page.locator('#heatmap').click({ position: { x: (target + 0.5) * cellW, y: 30 } });
    await page.waitForFunction(() => (document.getElementById('player') as HTMLAudioElement).currentTime > 0, undefined, { timeout: 5_000 });
    const got = await page.evaluate(() => ({
      time: (document.getElementById('player') as HTMLAudioElement).currentTime,
      start: window.__lastResult!.result.timeline,
      playhead: document.getElementById('playhead')!.hidden ? null : parseFloat(document.getElementById('playhead')!.style.left),
      hover: document.getElementById('hover')!.textContent,
    }));
    expect(got.time).toBeCloseTo(got.start[target].startSeconds, 2);
    expect(got.playhead).not.toBeNull();
    expect(Math.abs(got.playhead! - target * cellW)).toBeLessThan(2);
    await shot(page, 'web-11-playhead.png');
  });

  test('the source rate comes from the container: a 16 kHz MP3 and FLAC say 16000 → 22050 Hz', async () => {
    const { page } = h;
    for (const f of ['sine440-16k-stereo.mp3', 'sine440-16k-stereo.flac', 'sine440-16k-stereo.ogg']) {
      await page.setInputFiles('#audio-file', join(FIXTURES, f));
      await page.waitForFunction((name) => window.__lastResult?.file === name || document.body.dataset.state === 'error', f, { timeout: 60_000 });
      expect(await page.evaluate(() => document.body.dataset.state), f).toBe('done');
      expect(await page.evaluate(() => window.__lastResult?.audio.sourceRate), f).toBe(16000);
      expect(await page.textContent('#results-meta'), f).toMatch(/16000 → 22050 Hz/);
    }
  });

  test('microphone: Chromium\'s fake capture device, recorded for 3 s and tagged', async () => {
    const { page } = h;
    await page.selectOption('#mic-seconds', '3');
    const t0 = Date.now();
    await page.click('#mic-record');
    await page.waitForFunction(() => /^Recording/.test(document.getElementById('progress-text')?.textContent ?? ''), undefined, { timeout: 10_000 });
    expect(await settled(page)).toBe('done');
    const r = (await page.evaluate(() => window.__lastResult))!;
    console.info(`[web] microphone: ${r.file}, ${r.audio.durationSeconds.toFixed(2)} s at ${r.audio.sourceRate ?? '?'} Hz, ${r.result.timeline.length} windows, ${Date.now() - t0} ms from the click`);
    expect(r.file).toMatch(/^microphone .*\.(webm|ogg|m4a)$/);
    expect(r.audio.durationSeconds).toBeGreaterThan(2.5);
    expect(r.audio.durationSeconds).toBeLessThan(4);
    expect(r.result.timeline.length).toBeGreaterThanOrEqual(8);
    // The player knows the recording's length (MediaRecorder's WebM does not say it), so it can seek.
    await page.waitForFunction(() => Number.isFinite((document.getElementById('player') as HTMLAudioElement).duration), undefined, { timeout: 5_000 });
    // The fake device plays a loud chord: the recording is not silence.
    expect(await page.evaluate(() => window.__lastSamples!.reduce((m, v) => Math.max(m, Math.abs(v)), 0))).toBeGreaterThan(0.05);
    await shot(page, 'web-12-microphone.png');
  });

  test('checkpoints: a training file, a non-safetensors file and a pretrain model get messages for people; the model stays', async () => {
    const { page } = h;
    const before = await page.textContent('#model-status');
    await page.setInputFiles('#model-file', h.trainStatePath);
    await expect.poll(() => page.textContent('#error')).toMatch(/checkpoint\.safetensors: This is a training checkpoint; choose model\.safetensors from the same folder\./);
    const text = (await page.textContent('#error')) ?? '';
    expect(text).not.toMatch(/optimizer|strict/);
    expect(await page.textContent('#model-status')).toBe(before);
    await shot(page, 'web-13-training-checkpoint.png');
    await page.setInputFiles('#model-file', h.wavPath);
    await expect.poll(() => page.textContent('#error')).toMatch(/chords-22050-mono-f32\.wav: Not a safetensors checkpoint\./);
    expect(await page.textContent('#error')).not.toMatch(/header length|runs past/);
    expect(await page.textContent('#model-status')).toBe(before);
    // A stage-1 model: features only, no tag classifier.
    const t = { shape: [2], data: new Float32Array(2) };
    const pretrain = encodeSafetensors({ 'sequential.0.0.weight': t }, encodeMeta({ modelConfig: {}, tags: TAGS, stage: 'pretrain' }));
    await page.setInputFiles('#model-file', { name: 'model.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from(pretrain) });
    await expect.poll(() => page.textContent('#error')).toMatch(/model\.safetensors is the pretrain stage's model, which learns features but cannot tag\. Choose model\.safetensors from the dat, baseline or supervised folder/);
    expect(await page.textContent('#model-status')).toBe(before);
  });

  test('a stale error does not come back: after a bad file, a new model re-tags the last good file and clears the error', async () => {
    const { page } = h;
    await page.setInputFiles('#audio-file', h.wavPath);
    expect(await settled(page)).toBe('done');
    await page.setInputFiles('#audio-file', { name: 'bad.wav', mimeType: 'audio/wav', buffer: Buffer.from('not audio at all '.repeat(50)) });
    await page.waitForSelector('body[data-state="error"]');
    await page.setInputFiles('#model-file', h.modelPath);
    expect(await settled(page)).toBe('done');
    expect(await page.isHidden('#error')).toBe(true);
    expect(await page.evaluate(() => window.__lastResult?.file)).toBe('chords-22050-mono-f32.wav');
    expect(await page.isVisible('#results')).toBe(true);
  });
}
