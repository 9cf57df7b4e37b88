// What the browser tests share: a tiny checkpoint made here (and the training
// state file beside it), test audio, the page built and served, and one
// Chromium with WebGPU on SwiftShader and a fake microphone that plays a WAV.
// One browser for every web test: starting Chromium is the slow part.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type Locator, type Page, chromium } from 'playwright-core';
import { encodeWav } from '../../src/data/wav.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { getDevice } from '../../src/gpu/device.js';
import { saveModules, saveTensors } from '../../src/nn/checkpoint.js';
import { Random } from '../../src/nn/random.js';
import { buildModels, checkpointModules, disposeModels, scaledModelConfig } from '../../src/models/index.js';

export const CHROMIUM = process.env.ROBUST_TAGGER_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

export const SAMPLE_RATE = 22050;
// Software GPUs are slow (the 30 s figure in the report came from ROBUST_TAGGER_WEB_CLIP_SECONDS=30).
export const CLIP_SECONDS = Number(process.env.ROBUST_TAGGER_WEB_CLIP_SECONDS ?? 10);
export const TAGS = ['rock', 'pop', 'guitar', 'piano', 'drums', 'vocal', 'quiet', 'loud', 'fast', 'slow'];
// A small SampleCNN: input 3^8 samples (0.30 s at 22050 Hz), channels ÷ 16.
export const MODEL_CONFIG = { ...scaledModelConfig(8, 16), numTags: TAGS.length };
export const WINDOW = 3 ** 8;
const WEIGHT_GAIN = 1.5;
export const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');

export interface Harness {
  dir: string;
  /** The 10 s float32 mono WAV at the model's rate: no resampling on either side. */
  wavPath: string;
  modelPath: string;
  /** A training state file as src/train/trainState.ts writes it (weights + optimizer moments). */
  trainStatePath: string;
  url: string;
  browser: Browser;
  page: Page;
  ctx: GpuContext;
  close(): Promise<void>;
}

/**
 * A 22,050 Hz mono 32-bit float WAV: a chord whose pitch and loudness change over time, plus a little noise.
 * Float, because Chrome converts 16-bit PCM asymmetrically (positive samples / 32767, negative / 32768)
 * where Node divides by 32768: a 3e-5 relative difference that would make exact decoding parity untestable.
 */
export function makeWav(seconds: number, rate = SAMPLE_RATE): Uint8Array {
  const n = Math.round(rate * seconds);
  const x = new Float32Array(n);
  const rng = new Random(7);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const f = 110 * 2 ** (Math.floor(t / 2.5) % 4);
    const env = 0.25 + 0.2 * Math.sin((2 * Math.PI * t) / 7);
    x[i] = env * (Math.sin(2 * Math.PI * f * t) + 0.5 * Math.sin(2 * Math.PI * 1.5 * f * t)) + 0.02 * (rng.nextU32() / 2 ** 32 - 0.5);
  }
  return encodeWav({ channels: [x], sampleRate: rate }, 'float32');
}

interface BuildWebModule {
  buildWeb(opts: { outDir: string; model: string | null; quiet?: boolean }): Promise<{ sizes: { bundle: number; bundleGzip: number } }>;
}
interface ServeWebModule {
  serveStatic(dir: string, opts?: { port?: number }): Promise<{ server: Server; url: string }>;
}

export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'robust-tagger-web-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  // The checkpoint: random weights from a seeded Random, saved as a dat-stage model would be.
  const ctx = await getDevice({ backend: 'opengl' });
  const set = buildModels(ctx, MODEL_CONFIG, 'finetune', new Random(1234));
  // Untrained, the outputs sit near 0.5 everywhere (BatchNorm's running statistics do not match the
  // tiny activations); scaling every weight spreads the logits so the tags and windows differ and
  // the parity check compares distinct values.
  const modules = checkpointModules(set);
  for (const m of Object.values(modules)) {
    for (const [name, t] of m.namedParameters()) if (name.endsWith('weight')) t.write(Array.from(await t.read(), (v) => v * WEIGHT_GAIN));
  }
  const modelPath = join(dir, 'model.safetensors');
  await saveModules(modelPath, modules, { modelConfig: MODEL_CONFIG, tags: TAGS, sampleRate: SAMPLE_RATE, stage: 'dat', step: 1200 });
  // The training state beside it: its real layout (format tag, optimizer.* tensors), two tensors are enough.
  const trainStatePath = join(dir, 'checkpoint.safetensors');
  const w = { shape: [2], data: new Float32Array(2) };
  saveTensors(trainStatePath, { 'sequential.0.0.weight': w, 'optimizer.exp_avg.sequential.0.0.weight': w }, {
    format: 'robust-tagger-train-state', stage: 'dat', step: '1200', tags: JSON.stringify(TAGS), sample_rate: String(SAMPLE_RATE), model_config: JSON.stringify(MODEL_CONFIG),
  });
  disposeModels(set);
  const wavPath = join(dir, 'chords-22050-mono-f32.wav');
  writeFileSync(wavPath, makeWav(CLIP_SECONDS));
  // What the fake microphone plays: Chromium loops this file.
  const micWav = join(dir, 'mic.wav');
  writeFileSync(micWav, encodeWav({ channels: [micSignal()], sampleRate: 48000 }, 'pcm16'));

  const root = resolve(import.meta.dirname, '../..');
  const { buildWeb } = (await import(pathToFileURL(join(root, 'scripts/build-web.mjs')).href)) as BuildWebModule;
  const { serveStatic } = (await import(pathToFileURL(join(root, 'scripts/serve-web.mjs')).href)) as ServeWebModule;
  const built = await buildWeb({ outDir: join(dir, 'site'), model: modelPath, quiet: true });
  console.info(`[web] page bundle ${built.sizes.bundle} bytes, ${built.sizes.bundleGzip} gzipped`);
  const { server, url } = await serveStatic(join(dir, 'site'), { port: 0 });
  // WebGPU on SwiftShader's Vulkan in headless Chromium; --no-sandbox because CI runs as root.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--no-sandbox', '--headless=new',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${micWav}`,
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  page.on('pageerror', (e) => console.warn(`[web] page error: ${e.message}`));
  return {
    dir, wavPath, modelPath, trainStatePath, url, browser, page, ctx,
    async close() {
      await browser.close();
      await new Promise<void>((ok) => server.close(() => ok()));
      ctx.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Four seconds of a loud two-note chord at 48 kHz: something for the fake microphone to hear. */
function micSignal(): Float32Array {
  const rate = 48000;
  return new Float32Array(rate * 4).map((_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / rate) + 0.2 * Math.sin((2 * Math.PI * 330 * i) / rate));
}

/** Waits until the page has finished its current job, either way. */
export async function settled(page: Page, timeout = 90_000): Promise<string> {
  await page.waitForSelector('body[data-state="done"], body[data-state="error"], body[data-state="ready"]', { timeout });
  return page.evaluate(() => document.body.dataset.state ?? '');
}

/**
 * A screenshot into test-artifacts/. Headless Chromium now and then answers "Unable to capture
 * screenshot" for a page that has not produced a frame yet; one retry after a frame's wait covers it.
 */
export async function shot(target: Page | Locator, name: string, fullPage = true): Promise<void> {
  const path = join(ARTIFACTS, name);
  const take = () => ('goto' in target ? target.screenshot({ path, fullPage }) : target.screenshot({ path }));
  try {
    await take();
  } catch {
    await new Promise((ok) => setTimeout(ok, 500));
    await take();
  }
}
