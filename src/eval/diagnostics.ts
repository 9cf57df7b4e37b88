// Diagnostics of the training stages on held-out data (issue 16): frozen
// embeddings of clips under conditions (clean, noisy at an SNR), and what is
// measured on them: the pretrain stage's paired-view retrieval and held-out
// NT-Xent beside chance, the domain classifier's accuracy and loss per SNR,
// and the linear probes of probes.ts. Clips and noise come from the
// evaluation's CacheClipProvider (same mixing, same per-clip noise seeds), so
// a diagnostic sees the audio the evaluation grid sees.
import { Tensor, noGrad, tidy } from '../autograd/index.js';
import { BatchLoader, type Batch } from '../data/batchLoader.js';
import { TRAINING_SNR_RANGE } from '../data/mix.js';
import type { Split } from '../data/types.js';
import type { GpuContext } from '../gpu/context.js';
import { DomainClassifier, FeatureExtractor, type ModelConfig, headInputDim, resolveModelConfig } from '../models/index.js';
import { readSafetensors } from '../nn/checkpoint.js';
import { Random } from '../nn/random.js';
import { decodeMeta, loadStateDict } from '../nn/safetensors.js';
import { CacheClipProvider } from './cacheClips.js';
import { chunkOffsets } from './clip.js';
import { type ClipProvider, type Condition, type NoiseSet, CLEAN, GRID_SNRS_DB, noisyCondition } from './grid.js';
import { LN2, ntXentChance } from './logSeries.js';
import { ntXentFloat64, pairedRetrievalTop1 } from './retrieval.js';
import { type DomainProbeResult, type DomainRows, type LogisticOptions, type TagProbeComparison, type TagRows, compareTagProbes, domainProbe } from './probes.js';

export { ntXentFloat64, pairedRetrievalTop1 } from './retrieval.js';

/** An encoder (and optionally its domain classifier) to extract from; `dispose` frees what the loader made. */
export interface EncoderModels {
  config: ModelConfig;
  fe: FeatureExtractor;
  dc?: DomainClassifier;
  dispose(): void;
}

/**
 * Loads the feature extractor from any checkpoint that holds one (pretrain,
 * dat, baseline, supervised model files) and the domain classifier from
 * `domainClassifierPath` (a domain-stage file), or from the same file when it
 * holds one (dat). The model config is the encoder file's metadata.
 */
export function loadEncoderModels(ctx: GpuContext, encoderPath: string, domainClassifierPath?: string): EncoderModels {
  const file = readSafetensors(encoderPath);
  const meta = decodeMeta(file.metadata, encoderPath);
  if (meta.modelConfig === undefined) throw new Error(`${encoderPath}: no model_config in the checkpoint metadata; it was not written by robust-tagger training`);
  const config = resolveModelConfig(meta.modelConfig);
  const rng = new Random(0);
  const fe = new FeatureExtractor(ctx, config, rng);
  let dc: DomainClassifier | undefined;
  try {
    const encoder = new Map([...file.tensors].filter(([n]) => !n.startsWith('label_predictor.') && !n.startsWith('domain_classifier.')));
    loadStateDict(fe, encoder, { strict: true, source: encoderPath });
    const dcFile = domainClassifierPath ? readSafetensors(domainClassifierPath) : file;
    const dcSource = domainClassifierPath ?? encoderPath;
    if ([...dcFile.tensors.keys()].some((n) => n.startsWith('domain_classifier.'))) {
      dc = new DomainClassifier(ctx, headInputDim(config), config.domainClassifierHidden, rng);
      const entries = new Map([...dcFile.tensors].filter(([n]) => n.startsWith('domain_classifier.')));
      loadStateDict(dc, entries, { strict: true, prefix: 'domain_classifier.', source: dcSource });
    } else if (domainClassifierPath) {
      throw new Error(`${domainClassifierPath}: no domain classifier in this checkpoint; pass the domain stage's model file`);
    }
  } catch (e) {
    fe.dispose();
    dc?.dispose();
    throw e;
  }
  return { config, fe, dc, dispose: () => { fe.dispose(); dc?.dispose(); } };
}

/** Models already in memory (a stage's ModelSet, say); the caller keeps ownership, so dispose does nothing. */
export function inMemoryModels(config: ModelConfig, fe: FeatureExtractor, dc?: DomainClassifier): EncoderModels {
  return { config, fe, dc, dispose: () => {} };
}

/** A randomly initialised encoder of the same shape: the tag probe's baseline. */
export function randomEncoderModels(ctx: GpuContext, config: ModelConfig, seed = 0): EncoderModels {
  const fe = new FeatureExtractor(ctx, config, new Random(seed));
  return { config, fe, dispose: () => fe.dispose() };
}

/** One row per (clip, condition): the embedding, its domain (snr NaN = clean), labels and, with a classifier, its logit. */
export interface EmbeddingRows extends DomainRows, TagRows {
  data: Float32Array;
  snr: Float64Array;
  labels: Float32Array;
  /** Condition id of each row (`clean`, `internal/snr-5`). */
  conditions: string[];
  clipIds: string[];
  /** The domain classifier's logit per row (noisy > 0), when the models have one. */
  domainLogits?: Float32Array;
}

export interface ExtractOptions {
  conditions: readonly Condition[];
  /** Windows per GPU call; default 16. */
  batchSize?: number;
  /** 'encoder': h, the encoder output (default); 'embed': what the heads read (h, or z with headInput 'projector'). */
  representation?: 'encoder' | 'embed';
}

/**
 * Embeds one window per clip (the middle whole chunk, so clip starts and
 * fade-ins do not dominate) for every condition, in eval mode with no
 * gradient; the models' train/eval mode is restored afterwards.
 */
export async function extractEmbeddings(ctx: GpuContext, models: EncoderModels, provider: ClipProvider, o: ExtractOptions): Promise<EmbeddingRows> {
  const { fe, dc } = models;
  const L = models.config.sampleCnn.inputLength;
  const B = Math.max(1, o.batchSize ?? 16);
  const useEmbed = o.representation === 'embed';
  const wasTraining = [fe.training, dc?.training];
  fe.eval();
  dc?.eval();
  const T = provider.tagNames.length;
  const hs: Float32Array[] = [];
  const logits: Float32Array[] = [];
  const snr: number[] = [];
  const conditions: string[] = [];
  const clipIds: string[] = [];
  const labels: number[] = [];
  let dim = 0;
  const windows = new Float32Array(B * L);
  let pending = 0;
  const flush = async (): Promise<void> => {
    if (pending === 0) return;
    const n = pending;
    pending = 0;
    const [h, d] = noGrad(() => tidy(() => {
      const x = Tensor.fromData(ctx, windows.subarray(0, n * L), [n, 1, L]);
      const h = fe.encode(x);
      // What the heads read (FeatureExtractor.embed), computed from the same h rather than a second encoder pass.
      const needEmbed = useEmbed || dc !== undefined;
      const embedded = needEmbed && models.config.headInput === 'projector' ? fe.project(h) : h;
      return [useEmbed ? embedded : h, dc ? dc.forward(embedded) : null] as const;
    }));
    const hv = new Float32Array(await h.read());
    dim = hv.length / n;
    hs.push(hv);
    h.dispose();
    if (d) {
      logits.push(new Float32Array(await d.read()));
      d.dispose();
    }
  };
  try {
    for (const condition of o.conditions) {
      for await (const clip of provider.clips(condition)) {
        const offsets = chunkOffsets(clip.audio.length, L);
        const start = offsets[Math.floor(offsets.length / 2)];
        const w = windows.subarray(pending * L, (pending + 1) * L);
        w.fill(0);
        w.set(clip.audio.subarray(start, Math.min(start + L, clip.audio.length)));
        snr.push(condition.kind === 'noisy' ? condition.snrDb : Number.NaN);
        conditions.push(condition.id);
        clipIds.push(clip.id);
        for (let t = 0; t < T; t++) labels.push(clip.labels[t]);
        if (++pending === B) await flush();
      }
    }
    await flush();
  } finally {
    fe.train(wasTraining[0]);
    if (dc) dc.train(wasTraining[1]!);
  }
  const rows = snr.length;
  const data = new Float32Array(rows * dim);
  let at = 0;
  for (const h of hs) { data.set(h, at); at += h.length; }
  const out: EmbeddingRows = { data, rows, dim, snr: Float64Array.from(snr), labels: Float32Array.from(labels), tags: provider.tagNames, conditions, clipIds };
  if (dc) {
    out.domainLogits = new Float32Array(rows);
    let k = 0;
    for (const l of logits) { out.domainLogits.set(l, k); k += l.length; }
  }
  return out;
}

/** Clean plus one noise set at each SNR: the conditions of a domain diagnostic. */
export function domainConditions(snrs: readonly number[], noise: NoiseSet = 'internal'): Condition[] {
  return [CLEAN, ...snrs.map((s) => noisyCondition(noise, s))];
}

/**
 * Clips of one split of a prepared music cache, mixed with the same split of
 * the training noise set (train rows never meet test noise files), under the
 * noise-set name 'internal'.
 */
export function probeClipProvider(o: { musicCache: string; noiseCache: string; split: Split; maxClips?: number; seed?: number; k?: number }): CacheClipProvider {
  return new CacheClipProvider({ musicCache: o.musicCache, split: o.split, noise: { internal: { cacheDir: o.noiseCache, split: o.split } }, maxClips: o.maxClips, seed: o.seed, k: o.k });
}

// ---- (a) pretrain: paired-view retrieval and NT-Xent on a held-out batch ----

export interface PretrainDiagnostics {
  batchSize: number;
  /** Paired-view top-1 retrieval on z, and its chance level 1/B. */
  top1: number;
  chanceTop1: number;
  /** NT-Xent of the held-out batch (eval mode), and chance ln(2B − 1). */
  ntXent: number;
  chanceNtXent: number;
}

/**
 * A held-out two-view batch built by the training data path (crop, noise on
 * the assigned half, CLMR augmentations), from a split training never reads.
 */
export async function heldOutPretrainBatch(o: { musicCache: string; noiseCache: string; split?: Split; batchSize: number; sampleLength: number; seed?: number; k?: number | number[] }): Promise<Batch> {
  const split = o.split ?? 'valid';
  const loader = new BatchLoader({
    cacheDir: o.musicCache, split, batchSize: o.batchSize, views: 2, augment: true, sampleLength: o.sampleLength, seed: o.seed ?? 0, workers: 0,
    noise: { cacheDirs: [o.noiseCache], split, k: o.k, snrRange: TRAINING_SNR_RANGE, domains: 'assigned' },
  });
  try {
    return await loader.next();
  } finally {
    await loader.close();
  }
}

/** Projections of both views in eval mode (running BatchNorm statistics, as at inference), then retrieval and NT-Xent. */
export async function pretrainDiagnostics(ctx: GpuContext, fe: FeatureExtractor, batch: Batch, temperature: number): Promise<PretrainDiagnostics> {
  if (batch.views.length < 2) throw new Error('pretrain diagnostics need a two-view batch');
  const B = batch.batchSize;
  const L = batch.sampleLength;
  const was = fe.training;
  fe.eval();
  try {
    const z: Float32Array[] = [];
    for (const v of batch.views.slice(0, 2)) {
      const t = noGrad(() => tidy(() => fe.forward(Tensor.fromData(ctx, v, [B, 1, L]))));
      z.push(new Float32Array(await t.read()));
      t.dispose();
    }
    const dim = z[0].length / B;
    return { batchSize: B, top1: pairedRetrievalTop1(z[0], z[1], B, dim), chanceTop1: 1 / B, ntXent: ntXentFloat64(z[0], z[1], B, dim, temperature), chanceNtXent: ntXentChance(B) };
  } finally {
    fe.train(was);
  }
}

// ---- (b) domain: the classifier's accuracy and loss per SNR ----

export interface DomainCell {
  rows: number;
  /** Fraction of rows on the right side of logit 0 (clean < 0, noisy > 0). */
  accuracy: number;
  /** Mean BCE on logits; chance (logit 0) is ln 2. */
  loss: number;
}

export interface DomainClassifierReport {
  clean: DomainCell;
  perSnr: ({ snr: number } & DomainCell)[];
  /** Mean of the clean accuracy and the accuracy on all noisy rows (0.5 = chance whatever the mix). */
  balancedAccuracy: number;
  chanceLoss: number;
}

/** The domain classifier scored on extracted rows that carry its logits. */
export function domainClassifierReport(e: Pick<EmbeddingRows, 'rows' | 'snr' | 'domainLogits'>): DomainClassifierReport {
  if (!e.domainLogits) throw new Error('these rows have no domain classifier logits; extract with a domain classifier loaded');
  const logits = e.domainLogits;
  const cell = (keep: (r: number) => boolean): DomainCell => {
    let rows = 0;
    let hit = 0;
    let loss = 0;
    for (let r = 0; r < e.rows; r++) {
      if (!keep(r)) continue;
      const y = Number.isNaN(e.snr[r]) ? 0 : 1;
      const t = logits[r];
      rows++;
      hit += (t > 0 ? 1 : 0) === y ? 1 : 0;
      loss += (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t))) - y * t;
    }
    return { rows, accuracy: rows ? hit / rows : Number.NaN, loss: rows ? loss / rows : Number.NaN };
  };
  const clean = cell((r) => Number.isNaN(e.snr[r]));
  const snrs = [...new Set(Array.from(e.snr).filter((s) => !Number.isNaN(s)))].sort((a, b) => b - a);
  const noisy = cell((r) => !Number.isNaN(e.snr[r]));
  return { clean, perSnr: snrs.map((snr) => ({ snr, ...cell((r) => e.snr[r] === snr) })), balancedAccuracy: (clean.accuracy + noisy.accuracy) / 2, chanceLoss: LN2 };
}

// ---- (c) the probes, end to end from the caches ----

export interface ProbeDataOptions {
  musicCache: string;
  /** The training noise set's cache; rows of each split are mixed with that split's noise files. */
  noiseCache: string;
  /** Default the evaluation grid's 10 … −10 dB. */
  snrs?: readonly number[];
  trainSplit?: Split;
  testSplit?: Split;
  /** Clips per split (the first N; default all). Rows = clips × (1 + SNRs) for the domain probe. */
  maxTrainClips?: number;
  maxTestClips?: number;
  seed?: number;
  /** Noise clips summed per mixture (default 1, as the evaluation). */
  k?: number;
  batchSize?: number;
  logistic?: LogisticOptions;
}

async function splitEmbeddings(ctx: GpuContext, models: EncoderModels, o: ProbeDataOptions, conditions: Condition[]): Promise<[EmbeddingRows, EmbeddingRows]> {
  const one = async (split: Split, maxClips: number | undefined): Promise<EmbeddingRows> => {
    const provider = probeClipProvider({ musicCache: o.musicCache, noiseCache: o.noiseCache, split, maxClips, seed: o.seed, k: o.k });
    try {
      return await extractEmbeddings(ctx, models, provider, { conditions, batchSize: o.batchSize });
    } finally {
      provider.close();
    }
  };
  return [await one(o.trainSplit ?? 'train', o.maxTrainClips), await one(o.testSplit ?? 'test', o.maxTestClips)];
}

/**
 * The domain probe of an encoder: a fresh logistic regression on frozen h of
 * the train split (clean vs noisy at every SNR), scored on the test split.
 * When the models carry a domain classifier, its report on the same test rows
 * comes along (the domain stage's held-out accuracy and loss per SNR).
 */
export async function runDomainProbe(ctx: GpuContext, models: EncoderModels, o: ProbeDataOptions): Promise<{ probe: DomainProbeResult; domainClassifier?: DomainClassifierReport }> {
  const [train, test] = await splitEmbeddings(ctx, models, o, domainConditions(o.snrs ?? GRID_SNRS_DB));
  return { probe: domainProbe(train, test, o.logistic), ...(test.domainLogits ? { domainClassifier: domainClassifierReport(test) } : {}) };
}

/** The tag probe on clean clips: the pretrained encoder's h against a randomly initialised encoder's (seed `randomSeed`). */
export async function runTagProbe(ctx: GpuContext, pretrained: EncoderModels, o: ProbeDataOptions & { randomSeed?: number }): Promise<TagProbeComparison> {
  const [a, b] = await splitEmbeddings(ctx, pretrained, o, [CLEAN]);
  const random = randomEncoderModels(ctx, pretrained.config, o.randomSeed ?? 0);
  try {
    const [c, d] = await splitEmbeddings(ctx, random, o, [CLEAN]);
    return compareTagProbes({ train: a, test: b }, { train: c, test: d }, o.logistic);
  } finally {
    random.dispose();
  }
}
