// The in-browser tagging page: WebGPU device → checkpoint (the default model
// shipped with the build, or the user's own .safetensors) → the browser decodes
// the audio → the same loadTagger + tagAudio path as `robust-tagger tag` →
// top-k tags and a tag × time heatmap. Everything stays in this tab.
import { type TaggingResult, tagAudio } from '../src/eval/tagging.js';
import type { GpuContext } from '../src/gpu/context.js';
import { getDevice } from '../src/gpu/device.js';
import { type Tagger, loadTagger } from '../src/models/tagger.js';
import { AudioDecodeError, type DecodedAudio, decodeToMono } from './audio.js';
import { cellAt, colourFor, drawHeatmap, formatTime } from './heatmap.js';

/** What the build writes beside the page (scripts/build-web.mjs). */
interface Manifest {
  defaultModel: string | null;
  modelSource?: string;
}

/** The last run, on `window` for tests and for the curious (devtools). */
export interface PageResult {
  file: string;
  model: string;
  adapter: string;
  audio: Omit<DecodedAudio, 'samples'> & { samples: number };
  result: TaggingResult;
  timings: { decodeMs: number; tagMs: number };
}

declare global {
  interface Window {
    __lastResult?: PageResult;
    __lastError?: string;
    /** The decoded mono samples of the last file, for the parity test. */
    __lastSamples?: Float32Array;
  }
}

const TOP_K = 10;
const HEATMAP_ROWS = 20;

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el as T;
};

const ui = {
  gpuStatus: $('gpu-status'),
  modelStatus: $('model-status'),
  modelFile: $<HTMLInputElement>('model-file'),
  audioFile: $<HTMLInputElement>('audio-file'),
  drop: $('drop'),
  progress: $('progress'),
  progressBar: $<HTMLProgressElement>('progress-bar'),
  progressText: $('progress-text'),
  error: $('error'),
  webgpuHelp: $('webgpu-help'),
  results: $('results'),
  resultsTitle: $('results-title'),
  resultsMeta: $('results-meta'),
  topTags: $<HTMLOListElement>('top-tags'),
  heatmap: $<HTMLCanvasElement>('heatmap'),
  heatmapNote: $('heatmap-note'),
  hover: $('hover'),
};

let gpu: GpuContext | null = null;
let tagger: Tagger | null = null;
let modelName = '';
let lastAudio: { name: string; bytes: ArrayBuffer } | null = null;
let busy = false;

function setState(state: 'starting' | 'ready' | 'working' | 'done' | 'error' | 'no-webgpu'): void {
  document.body.dataset.state = state;
  ui.audioFile.disabled = !tagger || busy;
  ui.modelFile.disabled = !gpu || busy;
  ui.drop.classList.toggle('disabled', ui.audioFile.disabled);
}

function showError(message: string | null): void {
  ui.error.hidden = message === null;
  ui.error.textContent = message ?? '';
  if (message !== null) window.__lastError = message;
}

function showProgress(text: string | null, fraction?: number): void {
  ui.progress.hidden = text === null;
  ui.progressText.textContent = text ?? '';
  if (fraction === undefined) ui.progressBar.removeAttribute('value');
  else ui.progressBar.value = fraction;
}

async function start(): Promise<void> {
  setState('starting');
  if (!('gpu' in navigator) || !navigator.gpu) {
    ui.gpuStatus.textContent = 'not available';
    ui.modelStatus.textContent = '—';
    ui.webgpuHelp.hidden = false;
    setState('no-webgpu');
    return;
  }
  try {
    gpu = await getDevice();
  } catch (e) {
    ui.gpuStatus.textContent = 'no usable adapter';
    ui.webgpuHelp.hidden = false;
    showError(`WebGPU is present, but no GPU adapter could be used: ${(e as Error).message}`);
    setState('no-webgpu');
    return;
  }
  const a = gpu.adapter;
  ui.gpuStatus.textContent = `${[a.vendor, a.architecture, a.description].filter(Boolean).join(' · ') || 'WebGPU adapter'} (${a.featureLevel})`;
  setState('ready');
  let manifest: Manifest = { defaultModel: null };
  try {
    const res = await fetch('manifest.json', { cache: 'no-store' });
    if (res.ok) manifest = (await res.json()) as Manifest;
  } catch {
    // Opened without the build's manifest: no default model, the user picks one.
  }
  if (!manifest.defaultModel) {
    ui.modelStatus.textContent = 'no default model in this build: choose a .safetensors checkpoint';
    setState('ready');
    return;
  }
  try {
    ui.modelStatus.textContent = 'loading the default model…';
    const res = await fetch(manifest.defaultModel);
    if (!res.ok) throw new Error(`HTTP ${res.status} for ${manifest.defaultModel}`);
    useModel(new Uint8Array(await res.arrayBuffer()), `default model (${manifest.modelSource ?? manifest.defaultModel})`);
  } catch (e) {
    ui.modelStatus.textContent = 'the default model could not be loaded: choose a .safetensors checkpoint';
    showError((e as Error).message);
  }
  setState(tagger ? 'ready' : 'error');
}

/** loadTagger validates exactly as the Node reader does; a bad file leaves the previous model in place. */
function useModel(bytes: Uint8Array, name: string): void {
  if (!gpu) throw new Error('no GPU device');
  const next = loadTagger(gpu, bytes, name);
  tagger?.dispose();
  tagger = next;
  modelName = name;
  const secs = (next.windowLength / next.sampleRate).toFixed(2);
  ui.modelStatus.textContent = `${name} — ${next.tags.length} tags, windows of ${next.windowLength} samples (${secs} s at ${next.sampleRate} Hz)`;
}

async function tagFile(name: string, bytes: ArrayBuffer): Promise<void> {
  if (!tagger || !gpu || busy) return;
  busy = true;
  lastAudio = { name, bytes };
  showError(null);
  setState('working');
  try {
    showProgress(`decoding ${name}…`);
    const t0 = performance.now();
    const audio = await decodeToMono(bytes, tagger.sampleRate, name);
    const t1 = performance.now();
    const model = tagger;
    // About 16 full-size windows' worth of samples per GPU call at most, and at least ~20 progress steps.
    const windows = Math.max(1, Math.floor(audio.samples.length / model.windowLength));
    const cap = Math.max(1, Math.round((16 * 59049) / model.windowLength));
    const batchWindows = Math.min(cap, Math.max(4, Math.ceil(windows / 20)));
    showProgress('tagging…', 0);
    const result = await tagAudio(audio.samples, (w, n, l) => model.predict(w, n, l), {
      tagNames: model.tags,
      sampleRate: model.sampleRate,
      windowLength: model.windowLength,
      batchWindows,
      onProgress: (done, total) => showProgress(`tagging: window ${done} of ${total}`, done / total),
    });
    const t2 = performance.now();
    const { samples, ...rest } = audio;
    window.__lastSamples = samples;
    window.__lastResult = {
      file: name,
      model: modelName,
      adapter: ui.gpuStatus.textContent ?? '',
      audio: { ...rest, samples: samples.length },
      result,
      timings: { decodeMs: t1 - t0, tagMs: t2 - t1 },
    };
    showResults(window.__lastResult);
    showProgress(null);
    busy = false;
    setState('done');
  } catch (e) {
    showProgress(null);
    busy = false;
    ui.results.hidden = true;
    showError(e instanceof AudioDecodeError ? e.message : `Tagging ${name} failed: ${(e as Error).message}`);
    setState('error');
  }
}

function showResults(r: PageResult): void {
  const { result } = r;
  ui.results.hidden = false;
  ui.resultsTitle.textContent = r.file;
  const rate = r.audio.sourceRate !== r.audio.sampleRate ? `${r.audio.sourceRate} → ${r.audio.sampleRate} Hz` : `${r.audio.sampleRate} Hz`;
  ui.resultsMeta.textContent =
    `${formatTime(result.durationSeconds)} · ${r.audio.channels === 1 ? 'mono' : `${r.audio.channels} channels → mono`} · ${rate} · ` +
    `${result.timeline.length} windows of ${result.windowSeconds.toFixed(2)} s · decoded in ${(r.timings.decodeMs / 1000).toFixed(2)} s, tagged in ${(r.timings.tagMs / 1000).toFixed(2)} s`;
  ui.topTags.replaceChildren(
    ...result.tags.slice(0, TOP_K).map((t) => {
      const li = document.createElement('li');
      li.dataset.tag = t.tag;
      const label = document.createElement('span');
      label.className = 'tag';
      label.textContent = t.tag;
      const bar = document.createElement('span');
      bar.className = 'bar';
      const fill = document.createElement('span');
      fill.style.width = `${(t.probability * 100).toFixed(1)}%`;
      fill.style.background = colourFor(t.probability);
      bar.append(fill);
      const value = document.createElement('span');
      value.className = 'value';
      value.textContent = t.probability.toFixed(3);
      li.append(label, bar, value);
      return li;
    }),
  );
  const rows = Math.min(HEATMAP_ROWS, result.tagNames.length);
  ui.heatmapNote.textContent = rows < result.tagNames.length ? `The ${rows} most probable of ${result.tagNames.length} tags, one column per window.` : 'One column per window.';
  drawHeatmap(ui.heatmap, result, { maxRows: rows });
}

ui.heatmap.addEventListener('mousemove', (ev) => {
  const r = window.__lastResult?.result;
  const cell = r && cellAt(ui.heatmap, r, ev.offsetX, ev.offsetY);
  if (!r || !cell) {
    ui.hover.textContent = '\u00a0';
    return;
  }
  const w = r.timeline[cell.window];
  ui.hover.textContent = `${cell.tag} at ${formatTime(w.startSeconds)}–${formatTime(w.endSeconds)}: ${cell.probability.toFixed(3)}`;
});

window.addEventListener('resize', () => {
  const r = window.__lastResult?.result;
  if (r && !ui.results.hidden) drawHeatmap(ui.heatmap, r, { maxRows: Math.min(HEATMAP_ROWS, r.tagNames.length) });
});

ui.audioFile.addEventListener('change', async () => {
  const f = ui.audioFile.files?.[0];
  ui.audioFile.value = '';
  if (f) await tagFile(f.name, await f.arrayBuffer());
});

ui.modelFile.addEventListener('change', async () => {
  const f = ui.modelFile.files?.[0];
  ui.modelFile.value = '';
  if (!f || busy) return;
  showError(null);
  try {
    useModel(new Uint8Array(await f.arrayBuffer()), f.name);
  } catch (e) {
    showError(`The checkpoint was not loaded: ${(e as Error).message}`);
    setState(tagger ? 'ready' : 'error');
    return;
  }
  setState('ready');
  // Re-tag the file on screen with the new model.
  if (lastAudio) await tagFile(lastAudio.name, lastAudio.bytes);
});

for (const ev of ['dragenter', 'dragover'] as const) {
  ui.drop.addEventListener(ev, (e) => {
    e.preventDefault();
    if (!ui.audioFile.disabled) ui.drop.classList.add('over');
  });
}
ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('over'));
ui.drop.addEventListener('drop', async (e) => {
  e.preventDefault();
  ui.drop.classList.remove('over');
  const f = e.dataTransfer?.files[0];
  if (f && !ui.audioFile.disabled) await tagFile(f.name, await f.arrayBuffer());
});

start().catch((e) => {
  showError(`The page failed to start: ${(e as Error).message}`);
  setState('error');
});
