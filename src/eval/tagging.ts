// Tagging one recording: the inference path shared by `robust-tagger tag` and
// the browser page. The audio (already mono at the model's sample rate) is cut
// into the evaluation protocol's non-overlapping windows, run through the model
// in batches, and summarised as file-level probabilities (mean of window
// sigmoids) plus a per-window timeline.
import { chunkOffsets, clipProbabilities, extractChunks, sigmoid } from './clip.js';
import type { PredictFn } from './grid.js';

export interface TagScore {
  tag: string;
  probability: number;
}

export interface TimelineWindow {
  startSeconds: number;
  endSeconds: number;
  /** One probability per tag, in tag order. */
  probabilities: number[];
}

export interface TaggingResult {
  durationSeconds: number;
  windowSeconds: number;
  /** The model's tags, in the order of each window's `probabilities`. */
  tagNames: string[];
  /** All tags, most probable first. */
  tags: TagScore[];
  timeline: TimelineWindow[];
}

export interface TaggingOptions {
  tagNames: readonly string[];
  sampleRate: number;
  windowLength: number;
  /** Windows per model call (bounds GPU memory). */
  batchWindows?: number;
  onProgress?: (windowsDone: number, windowsTotal: number) => void;
}

export async function tagAudio(audio: Float32Array, predict: PredictFn, opts: TaggingOptions): Promise<TaggingResult> {
  if (audio.length === 0) throw new Error('the audio is empty: nothing to tag');
  const T = opts.tagNames.length;
  const L = opts.windowLength;
  const { data, count } = extractChunks(audio, L);
  const offsets = chunkOffsets(audio.length, L);
  const batch = Math.max(1, opts.batchWindows ?? 16);
  const logits = new Float32Array(count * T);
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const out = await predict(data.subarray(start * L, (start + n) * L), n, L);
    if (out.length !== n * T) throw new Error(`the model returned ${out.length} values for ${n} windows × ${T} tags`);
    logits.set(out, start * T);
    opts.onProgress?.(start + n, count);
  }
  const file = clipProbabilities(logits, count, T);
  const tags = opts.tagNames.map((tag, i) => ({ tag, probability: file[i] })).sort((a, b) => b.probability - a.probability);
  const timeline = offsets.map((o, w) => ({
    startSeconds: o / opts.sampleRate,
    endSeconds: Math.min(o + L, audio.length) / opts.sampleRate,
    probabilities: Array.from(logits.subarray(w * T, (w + 1) * T), sigmoid),
  }));
  return { durationSeconds: audio.length / opts.sampleRate, windowSeconds: L / opts.sampleRate, tagNames: [...opts.tagNames], tags, timeline };
}

/** One tagged file, as the `--json` document and the CSV export list it. */
export interface TaggedFile {
  file: string;
  result: TaggingResult;
}

/**
 * The `robust-tagger tag --json` document. The command line and the browser
 * page's export both write it through here, so the two cannot drift apart.
 */
export function taggingDocument(model: string, files: readonly TaggedFile[], topK: number) {
  return { model, files: files.map(({ file, result }) => ({ file, ...result, tags: result.tags.slice(0, topK), allTags: result.tags })) };
}

/**
 * The same numbers as a spreadsheet: one row per window (window = its index)
 * and, first for each file, the file-level mean (window = "file"); one column
 * per tag in the model's order. Fields are quoted when they need it (RFC 4180).
 */
export function taggingCsv(files: readonly TaggedFile[]): string {
  const q = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const tagNames = files[0]?.result.tagNames ?? [];
  const lines = [['file', 'window', 'start_seconds', 'end_seconds', ...tagNames].map(q).join(',')];
  for (const { file, result } of files) {
    const mean = new Map(result.tags.map((t) => [t.tag, t.probability]));
    lines.push([q(file), 'file', '0', String(result.durationSeconds), ...result.tagNames.map((t) => String(mean.get(t)))].join(','));
    result.timeline.forEach((w, i) => lines.push([q(file), String(i), String(w.startSeconds), String(w.endSeconds), ...w.probabilities.map(String)].join(',')));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A plain-text report: the top-k tags and a per-window timeline of the top tags. */
export function formatTagging(file: string, r: TaggingResult, topK: number): string {
  const top = r.tags.slice(0, topK);
  const lines = [`${file}  (${r.durationSeconds.toFixed(1)} s, ${r.timeline.length} windows of ${r.windowSeconds.toFixed(2)} s)`, 'top tags:'];
  for (const t of top) lines.push(`  ${t.tag.padEnd(16)} ${t.probability.toFixed(3)}  ${'█'.repeat(Math.round(t.probability * 30))}`);
  lines.push('timeline (window start → its most probable tags):');
  for (const w of r.timeline) {
    const best = w.probabilities
      .map((p, i) => ({ p, i }))
      .sort((a, b) => b.p - a.p)
      .slice(0, 3)
      .map(({ p, i }) => `${r.tagNames[i]} ${p.toFixed(2)}`);
    lines.push(`  ${formatTime(w.startSeconds)}  ${best.join(', ')}`);
  }
  return lines.join('\n');
}

function formatTime(s: number): string {
  const m = Math.floor(s / 60);
  return `${m}:${(s - 60 * m).toFixed(1).padStart(4, '0')}`;
}
