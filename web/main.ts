// The in-browser tagging page: WebGPU device → checkpoint (the default model
// shipped with the build, or the user's own .safetensors) → the browser decodes
// the audio (a picked or dropped file, or a microphone recording) → the same
// loadTagger + tagAudio path as `robust-tagger tag` → top-k tags, a tag × time
// heatmap with playback, and exports. Everything stays in this tab.
import { tagAudio } from '../src/eval/tagging.js';
import type { GpuContext } from '../src/gpu/context.js';
import { getDevice } from '../src/gpu/device.js';
import type { Tagger } from '../src/models/tagger.js';
import { AudioDecodeError, decodeToMono } from './audio.js';
import { type ModelCard, openCheckpoint } from './checkpoint.js';
import { Cancelled, Job, MAX_AUDIO_BYTES, UserError, checkSize, formatBytes, readFile } from './job.js';
import { recordMicrophone, recordingName } from './mic.js';
import { showModelCard } from './modelCard.js';
import { type PageResult, exportDocument, hideResults, showResults } from './results.js';
import { $ } from './dom.js';

/** What the build writes beside the page (scripts/build-web.mjs). */
interface Manifest {
  defaultModel: string | null;
  modelSource?: string;
}

declare global {
  interface Window {
    __lastResult?: PageResult;
    __lastError?: string;
    /** The decoded mono samples of the last file: kept only when the page is opened with ?keep-samples (the parity test). */
    __lastSamples?: Float32Array;
    /** The JSON export of the result on screen, as the Download JSON button writes it. */
    __exportJson?: typeof exportDocument;
  }
}


const ui = {
  setup: $('setup'),
  gpuStatus: $('gpu-status'),
  modelStatus: $('model-status'),
  modelFile: $<HTMLInputElement>('model-file'),
  audioFile: $<HTMLInputElement>('audio-file'),
  drop: $('drop'),
  sizeLimit: $('size-limit'),
  micRecord: $<HTMLButtonElement>('mic-record'),
  micSeconds: $<HTMLSelectElement>('mic-seconds'),
  progress: $('progress'),
  progressBar: $('progress-bar'),
  progressText: $('progress-text'),
  cancel: $<HTMLButtonElement>('cancel'),
  error: $('error'),
  webgpuHelp: $('webgpu-help'),
  webgpuReason: $('webgpu-reason'),
  results: $('results'),
};

const keepSamples = new URLSearchParams(location.search).has('keep-samples');

let gpu: GpuContext | null = null;
let tagger: Tagger | null = null;
let card: ModelCard | null = null;
/** The job running now, if any: at most one at a time. */
let current: Job | null = null;
/** The last audio that was tagged successfully, re-tagged when the model changes (never a file that failed). */
let lastGood: { blob: Blob; name: string } | null = null;

type State = 'starting' | 'ready' | 'working' | 'done' | 'error' | 'no-webgpu';

function setState(state: State): void {
  document.body.dataset.state = state;
  const canTag = !!tagger;
  ui.audioFile.disabled = !canTag;
  ui.micRecord.disabled = !canTag || state === 'working';
  ui.micSeconds.disabled = ui.micRecord.disabled;
  ui.modelFile.disabled = !gpu;
  ui.drop.classList.toggle('disabled', !canTag);
  ui.results.setAttribute('aria-busy', String(state === 'working'));
  if (state !== 'working') showProgress(null);
}

function showError(message: string | null): void {
  ui.error.hidden = message === null;
  ui.error.textContent = message ?? '';
  if (message !== null) window.__lastError = message;
  else delete window.__lastError;
}

/**
 * fraction undefined: a step whose length is unknown (decoding). null text hides the bar but
 * leaves the status line: its last word ("Tagged …", "Cancelled.") stays until the next job speaks.
 */
function showProgress(text: string | null, fraction?: number): void {
  ui.progress.hidden = text === null;
  if (text !== null && shouldSay(text, fraction)) ui.progressText.textContent = text;
  const fill = ui.progressBar.firstElementChild as HTMLElement;
  if (fraction === undefined) {
    ui.progressBar.removeAttribute('aria-valuenow');
    ui.progressBar.removeAttribute('aria-valuetext');
    fill.style.width = '';
  } else {
    const pct = Math.round(fraction * 100);
    ui.progressBar.setAttribute('aria-valuenow', String(pct));
    ui.progressBar.setAttribute('aria-valuetext', text ?? `${pct}%`);
    fill.style.width = `${pct}%`;
  }
}

/**
 * The status line is a live region: a screen reader reads each change. A new step is said at once;
 * counts within a step (chunks read, windows tagged) at most once a second, and always the last one.
 * The bar itself follows every update.
 */
let lastSaid = { step: '', at: 0 };
function shouldSay(text: string, fraction?: number): boolean {
  const step = text.split(':')[0];
  const now = performance.now();
  if (step === lastSaid.step && now - lastSaid.at < 1000 && fraction !== undefined && fraction < 1) return false;
  lastSaid = { step, at: now };
  return true;
}

function sayStatus(text: string): void {
  ui.progressText.textContent = text;
}

async function start(): Promise<void> {
  setState('starting');
  ui.sizeLimit.textContent = formatBytes(MAX_AUDIO_BYTES);
  if (!('gpu' in navigator) || !navigator.gpu) return noWebGpu('This browser does not offer WebGPU, which the tagger uses to run its network on your graphics hardware.');
  try {
    gpu = await getDevice();
  } catch {
    return noWebGpu('This browser has WebGPU turned on, but it could not use your graphics hardware for it.');
  }
  const a = gpu.adapter;
  ui.gpuStatus.textContent = `${[a.vendor, a.architecture, a.description].filter(Boolean).join(' · ') || 'WebGPU adapter'} (${a.featureLevel})`;
  setState('ready');
  let manifest: Manifest = { defaultModel: null };
  try {
    const res = await fetch('manifest.json', { cache: 'no-cache' });
    if (res.ok) manifest = (await res.json()) as Manifest;
  } catch {
    // Opened without the build's manifest: no default model, the user picks one.
  }
  if (!manifest.defaultModel) {
    ui.modelStatus.textContent = 'no default model in this build: choose a model.safetensors';
    setState('ready');
    return;
  }
  try {
    ui.modelStatus.textContent = 'loading the default model…';
    const res = await fetch(manifest.defaultModel);
    if (!res.ok) throw new UserError(`The default model could not be downloaded (HTTP ${res.status}).`);
    useModel(new Uint8Array(await res.arrayBuffer()), manifest.modelSource ?? manifest.defaultModel, 'the default model of this page');
  } catch (e) {
    ui.modelStatus.textContent = 'the default model could not be loaded: choose a model.safetensors';
    showError((e as Error).message);
  }
  setState(tagger ? 'ready' : 'error');
}

function noWebGpu(reason: string): void {
  ui.webgpuReason.textContent = reason;
  ui.webgpuHelp.hidden = false;
  // The pickers cannot do anything without a GPU: the screen shows only what to do about it.
  ui.setup.hidden = true;
  setState('no-webgpu');
}

/** A bad file throws and leaves the previous model in place. */
function useModel(bytes: Uint8Array, file: string, origin: string): void {
  if (!gpu) throw new Error('no GPU device');
  const next = openCheckpoint(gpu, bytes, file, origin);
  tagger?.dispose();
  tagger = next.tagger;
  card = next.card;
  const what = [card.stage && `${card.stage} stage`, card.step !== null && `step ${card.step}`].filter(Boolean).join(', ');
  ui.modelStatus.textContent = `${file}${what ? ` (${what})` : ''} · ${card.tags.length} tags`;
  showModelCard(card);
}

/**
 * Cancels the job in progress (if any), waits until it has unwound, then runs `work` as the only job.
 * On an error the results on screen are hidden (they would pass for the failed file's) unless the
 * failure was not about audio (`keepResults`: a checkpoint that could not be read).
 */
async function runJob(work: (job: Job) => Promise<void>, keepResults = false): Promise<void> {
  const previous = current;
  previous?.cancel();
  const job = new Job();
  current = job;
  job.done = (async () => {
    await previous?.done;
    if (job.isCancelled) return;
    // A new action supersedes the last one's error; its own error, if any, replaces it.
    showError(null);
    setState('working');
    try {
      await work(job);
    } catch (e) {
      if (e instanceof Cancelled) return;
      // The error says what happened; a progress message left over from the failed step would not.
      sayStatus('');
      showError(e instanceof UserError || e instanceof AudioDecodeError ? e.message : `Tagging failed: ${(e as Error).message}`);
      if (!keepResults) hideResults();
      if (current === job) setState('error');
      return;
    } finally {
      if (current === job) current = null;
    }
  })();
  await job.done;
  if (job.isCancelled && current === null) setState(ui.results.hidden ? 'ready' : 'done');
}

/** Read → decode → tag → show, checking for a cancel between every step. */
async function tagAudioBlob(job: Job, blob: Blob, name: string): Promise<void> {
  if (!tagger || !gpu) return;
  const model = tagger;
  const t0 = performance.now();
  showProgress(`Reading ${name}…`, 0);
  const bytes = await readFile(blob, name, job, (f) => showProgress(`Reading ${name}: ${Math.round(f * 100)}%`, f));
  job.check();
  const t1 = performance.now();
  showProgress(`Decoding ${name}…`);
  const audio = await job.race(decodeToMono(bytes, model.sampleRate, name));
  job.check();
  const t2 = performance.now();
  // About 16 full-size windows' worth of samples per GPU call at most, and at least ~20 progress steps.
  const windows = Math.max(1, Math.floor(audio.samples.length / model.windowLength));
  const cap = Math.max(1, Math.round((16 * 59049) / model.windowLength));
  const batchWindows = Math.min(cap, Math.max(4, Math.ceil(windows / 20)));
  showProgress('Tagging…', 0);
  const result = await tagAudio(audio.samples, (w, n, l) => model.predict(w, n, l), {
    tagNames: model.tags,
    sampleRate: model.sampleRate,
    windowLength: model.windowLength,
    batchWindows,
    onProgress: (done, total) => {
      // Throwing here is how a cancel stops tagAudio between batches.
      job.check();
      showProgress(`Tagging: window ${done} of ${total}`, done / total);
    },
  });
  job.check();
  const t3 = performance.now();
  const { samples, ...rest } = audio;
  if (keepSamples) window.__lastSamples = samples;
  window.__lastResult = {
    file: name,
    model: card?.file ?? '',
    adapter: ui.gpuStatus.textContent ?? '',
    audio: { ...rest, samples: samples.length },
    result,
    timings: { readMs: t1 - t0, decodeMs: t2 - t1, tagMs: t3 - t2 },
  };
  lastGood = { blob, name };
  showError(null);
  showResults(window.__lastResult, blob);
  sayStatus(`Tagged ${name}.`);
  setState('done');
}

function tagPicked(f: File): void {
  // Refused before anything else happens, so an oversized pick does not cancel the job in progress.
  try {
    checkSize(f, f.name);
  } catch (e) {
    showError((e as Error).message);
    return;
  }
  void runJob((job) => tagAudioBlob(job, f, f.name));
}

ui.audioFile.addEventListener('change', () => {
  const f = ui.audioFile.files?.[0];
  ui.audioFile.value = '';
  if (f) tagPicked(f);
});

ui.cancel.addEventListener('click', () => {
  if (!current) return;
  current.cancel();
  sayStatus('Cancelled.');
  setState(ui.results.hidden ? 'ready' : 'done');
});

ui.micRecord.addEventListener('click', () => {
  const seconds = Number(ui.micSeconds.value);
  void runJob(async (job) => {
    showProgress(`Recording: 0 of ${seconds} s…`, 0);
    const blob = await recordMicrophone(seconds, job, (t) => showProgress(`Recording: ${t.toFixed(1)} of ${seconds} s…`, t / seconds));
    await tagAudioBlob(job, blob, recordingName(blob));
  });
});

ui.modelFile.addEventListener('change', () => {
  const f = ui.modelFile.files?.[0];
  ui.modelFile.value = '';
  if (!f) return;
  void runJob(async (job) => {
    showProgress(`Reading ${f.name}…`, 0);
    const bytes = await readFile(f, f.name, job, (x) => showProgress(`Reading ${f.name}: ${Math.round(x * 100)}%`, x));
    try {
      useModel(bytes, f.name, 'your file');
    } catch (e) {
      // The previous model stays; say so, and keep its results on screen.
      sayStatus('');
      showError(`The checkpoint was not loaded, and the previous model is still in use. ${(e as Error).message}`);
      setState(tagger ? (ui.results.hidden ? 'ready' : 'done') : 'error');
      // Handled here: ends the job quietly instead of through runJob's generic error path.
      throw new Cancelled();
    }
    sayStatus(`Loaded ${f.name}.`);
    if (lastGood) await tagAudioBlob(job, lastGood.blob, lastGood.name);
    else setState('ready');
  }, true);
});

// Drops anywhere on the page are caught: outside the zone a dropped file would otherwise replace the page.
for (const ev of ['dragenter', 'dragover'] as const) {
  window.addEventListener(ev, (e) => {
    e.preventDefault();
    const inZone = e.target instanceof Node && ui.drop.contains(e.target);
    if (e.dataTransfer) e.dataTransfer.dropEffect = inZone && tagger ? 'copy' : 'none';
    ui.drop.classList.toggle('over', inZone && !!tagger);
  });
}
window.addEventListener('dragleave', (e) => {
  if (!(e.relatedTarget instanceof Node && ui.drop.contains(e.relatedTarget))) ui.drop.classList.remove('over');
});
window.addEventListener('drop', (e) => {
  e.preventDefault();
  ui.drop.classList.remove('over');
  const f = e.dataTransfer?.files[0];
  if (f && tagger && e.target instanceof Node && ui.drop.contains(e.target)) tagPicked(f);
});

window.__exportJson = exportDocument;

start().catch((e) => {
  showError(`The page failed to start: ${(e as Error).message}`);
  setState('error');
});
