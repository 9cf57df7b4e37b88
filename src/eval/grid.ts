// The evaluation grid of the thesis (Figs. 4.7-4.8): the clean test set, and
// the test set mixed with noise at SNR 10, 5, 0, −5, −10 dB from two noise
// sets. The model and the audio come from outside (GPU runtime, data
// pipeline) through the two small interfaces below, so this file stays plain
// TypeScript and testable without a GPU.

import { SAMPLECNN_CHUNK, clipProbabilities, extractChunks } from './clip.js';
import type { ExcludedTag, TagMetrics } from './metrics.js';
import { multiLabelMetrics } from './metrics.js';

/** `internal`: the training noise source's test split; `external`: a noise set never seen in training. */
export type NoiseSet = 'internal' | 'external';
export const NOISE_SETS: readonly NoiseSet[] = ['internal', 'external'];

/** Test SNRs in dB, from least to most noisy (the column order of the thesis tables). */
export const GRID_SNRS_DB: readonly number[] = [10, 5, 0, -5, -10];

export type Condition = { kind: 'clean'; id: 'clean' } | { kind: 'noisy'; id: string; noise: NoiseSet; snrDb: number };

export const CLEAN: Condition = { kind: 'clean', id: 'clean' };

/** Stable id for a condition, used as the key in JSON results: `clean`, `internal/snr-5`. */
export function conditionId(noise: NoiseSet, snrDb: number): string {
  return `${noise}/snr${snrDb}`;
}

export function noisyCondition(noise: NoiseSet, snrDb: number): Condition {
  return { kind: 'noisy', id: conditionId(noise, snrDb), noise, snrDb };
}

/** All 11 conditions: clean first, then each noise set's SNRs from 10 down to −10. */
export function listConditions(
  noiseSets: readonly NoiseSet[] = NOISE_SETS,
  snrs: readonly number[] = GRID_SNRS_DB,
): Condition[] {
  return [CLEAN, ...noiseSets.flatMap((noise) => snrs.map((snr) => noisyCondition(noise, snr)))];
}

/** Parse an id made by `conditionId` (or `clean`) back into a condition. */
export function parseConditionId(id: string): Condition {
  if (id === 'clean') return CLEAN;
  const m = /^(internal|external)\/snr(-?\d+(?:\.\d+)?)$/.exec(id);
  if (!m) throw new Error(`unknown condition id "${id}"; expected "clean" or e.g. "internal/snr-5"`);
  return noisyCondition(m[1] as NoiseSet, Number(m[2]));
}

/** One cell of the grid: one model (one training seed of it) on one condition. */
export interface GridResult {
  model: string;
  /** Which of the model's checkpoints (0-based, in the order given); absent for a single-checkpoint grid. */
  seed?: number;
  condition: string;
  rocAuc: number | null;
  prAuc: number | null;
  perTag: TagMetrics[];
  excluded: ExcludedTag[];
  clips: number;
}

/** A test clip, already mixed for the condition it was asked for. */
export interface EvalClip {
  id: string;
  /** Mono waveform at the model's sample rate. */
  audio: Float32Array;
  /** One 0/1 entry per tag, in `tagNames` order. */
  labels: ArrayLike<number>;
}

/**
 * Supplies the test clips of a condition. The data pipeline owns decoding,
 * the noise pick and the SNR mixing, and should use a fixed seed per
 * (clip, condition) so every model sees the same noisy audio.
 */
export interface ClipProvider {
  readonly tagNames: readonly string[];
  clips(condition: Condition): AsyncIterable<EvalClip> | Iterable<EvalClip>;
}

/**
 * The model: `chunks` holds `count` chunks of `chunkLength` samples, row-major;
 * it resolves to `count × tags` logits (pre-sigmoid; the grid applies the
 * sigmoid and the chunk mean).
 */
export type PredictFn = (chunks: Float32Array, count: number, chunkLength: number) => Promise<Float32Array>;

export interface GridOptions {
  model: string;
  predict: PredictFn;
  provider: ClipProvider;
  conditions?: readonly Condition[];
  chunkLength?: number;
  /** Most chunks handed to `predict` at once; clips are never split across calls. */
  maxChunksPerCall?: number;
  onProgress?: (event: { condition: string; clipsDone: number }) => void;
}

/**
 * Every clip's probabilities on one condition, kept (not only the metrics)
 * because the paired bootstrap resamples clips and recomputes the metrics.
 */
export interface ClipScores {
  clipIds: string[];
  tags: number;
  /** [clips, tags] row-major clip probabilities. */
  scores: Float32Array;
  /** [clips, tags] row-major 0/1 labels. */
  labels: Uint8Array;
}

export type ScoreOptions = Omit<GridOptions, 'model' | 'conditions'>;

/** Clip probabilities for every clip of one condition. */
export async function scoreCondition(condition: Condition, options: ScoreOptions): Promise<ClipScores> {
  const opts = { ...options, chunkLength: options.chunkLength ?? SAMPLECNN_CHUNK, maxChunksPerCall: options.maxChunksPerCall ?? 64 };
  const tags = opts.provider.tagNames.length;
  const scoreRows: Float32Array[] = [];
  const labelRows: Uint8Array[] = [];
  const clipIds: string[] = [];
  let pending: { data: Float32Array; count: number }[] = [];
  let pendingChunks = 0;

  // Batching several clips per call keeps a GPU busy; a clip's chunks stay
  // together so its mean is taken over one contiguous block of logits.
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const batch = new Float32Array(pendingChunks * opts.chunkLength);
    let at = 0;
    for (const p of pending) {
      batch.set(p.data, at);
      at += p.data.length;
    }
    const logits = await opts.predict(batch, pendingChunks, opts.chunkLength);
    if (logits.length !== pendingChunks * tags) {
      throw new Error(`predict returned ${logits.length} values for ${pendingChunks} chunks × ${tags} tags`);
    }
    let row = 0;
    for (const p of pending) {
      scoreRows.push(clipProbabilities(logits.subarray(row * tags, (row + p.count) * tags), p.count, tags));
      row += p.count;
    }
    pending = [];
    pendingChunks = 0;
  };

  for await (const clip of opts.provider.clips(condition)) {
    if (clip.labels.length !== tags) {
      throw new Error(`clip ${clip.id} has ${clip.labels.length} labels, expected ${tags}`);
    }
    const chunks = extractChunks(clip.audio, opts.chunkLength);
    if (pendingChunks > 0 && pendingChunks + chunks.count > opts.maxChunksPerCall) await flush();
    pending.push(chunks);
    pendingChunks += chunks.count;
    labelRows.push(Uint8Array.from(clip.labels));
    clipIds.push(clip.id);
    opts.onProgress?.({ condition: condition.id, clipsDone: labelRows.length });
  }
  await flush();

  const clips = labelRows.length;
  const scores = new Float32Array(clips * tags);
  const labels = new Uint8Array(clips * tags);
  for (let c = 0; c < clips; c++) {
    scores.set(scoreRows[c], c * tags);
    labels.set(labelRows[c], c * tags);
  }
  return { clipIds, tags, scores, labels };
}

/** The metrics of one cell from its clip scores. */
export function cellResult(model: string, condition: string, s: ClipScores, tagNames: readonly string[], seed?: number): GridResult {
  const clips = s.clipIds.length;
  const m = multiLabelMetrics(s.scores, s.labels, clips, tagNames);
  return { model, ...(seed === undefined ? {} : { seed }), condition, rocAuc: m.rocAuc, prAuc: m.prAuc, perTag: m.perTag, excluded: m.excluded, clips };
}

/** Evaluate one model on every condition of the grid (sequentially, to bound memory). */
export async function runGrid(options: GridOptions): Promise<GridResult[]> {
  const results: GridResult[] = [];
  for (const condition of options.conditions ?? listConditions()) {
    const s = await scoreCondition(condition, options);
    results.push(cellResult(options.model, condition.id, s, options.provider.tagNames));
  }
  return results;
}
