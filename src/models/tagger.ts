// A trained tagger loaded from a safetensors checkpoint's bytes: the feature
// extractor and label predictor in eval mode, and a batch predictor returning
// logits. Browser-safe (no file access): Node reads the file, the page fetches it.
import { Tensor, noGrad, tidy } from '../autograd/index.js';
import type { GpuContext } from '../gpu/context.js';
import { Random } from '../nn/random.js';
import { decodeMeta, decodeSafetensors, loadStateDict } from '../nn/safetensors.js';
import { type ModelConfig, headInputDim, resolveModelConfig } from './config.js';
import { FeatureExtractor } from './featureExtractor.js';
import { LabelPredictor } from './heads.js';

export interface Tagger {
  readonly config: ModelConfig;
  readonly tags: readonly string[];
  readonly sampleRate: number;
  readonly windowLength: number;
  /** `count` windows of `length` samples → logits [count × tags]. */
  predict(windows: Float32Array, count: number, length: number): Promise<Float32Array>;
  dispose(): void;
}

/** Validates and loads a checkpoint written by a label-predicting stage (dat, baseline, supervised). */
export function loadTagger(ctx: GpuContext, bytes: Uint8Array, source: string): Tagger {
  const file = decodeSafetensors(bytes, source);
  const meta = decodeMeta(file.metadata, source);
  if (meta.modelConfig === undefined) throw new Error(`${source}: no model_config in the checkpoint metadata; it was not written by robust-tagger training`);
  if (!meta.tags || !Array.isArray(meta.tags) || meta.tags.some((t) => typeof t !== 'string')) throw new Error(`${source}: the checkpoint has no tag list (metadata "tags")`);
  if (![...file.tensors.keys()].some((n) => n.startsWith('label_predictor.'))) {
    throw new Error(`${source}: no label predictor in this checkpoint (stage "${meta.stage ?? '?'}"); tag with the model of the dat, baseline or supervised stage`);
  }
  const config = resolveModelConfig(meta.modelConfig);
  if (config.numTags !== meta.tags.length) throw new Error(`${source}: the model predicts ${config.numTags} tags but lists ${meta.tags.length}`);
  const rng = new Random(0);
  const fe = new FeatureExtractor(ctx, config, rng).eval();
  const lp = new LabelPredictor(ctx, headInputDim(config), config.labelPredictorHidden, config.numTags, rng).eval();
  try {
    const encoderEntries = new Map([...file.tensors].filter(([n]) => !n.startsWith('label_predictor.') && !n.startsWith('domain_classifier.')));
    loadStateDict(fe, encoderEntries, { strict: true, source });
    loadStateDict(lp, file.tensors, { strict: false, prefix: 'label_predictor.', source });
  } catch (e) {
    fe.dispose();
    lp.dispose();
    throw e;
  }
  const L = config.sampleCnn.inputLength;
  const T = config.numTags;
  return {
    config,
    tags: meta.tags,
    sampleRate: meta.sampleRate ?? config.sampleRate,
    windowLength: L,
    predict: taggerPredict(ctx, fe, lp, L, meta.tags, source),
    dispose() {
      fe.dispose();
      lp.dispose();
    },
  };
}

/**
 * Logits of windows through an encoder and label predictor as they are (the
 * caller sets eval mode): the loaded tagger's predict, and validation during
 * training on the in-memory modules.
 */
export function taggerPredict(ctx: GpuContext, fe: FeatureExtractor, lp: LabelPredictor, L: number, tags: readonly string[], source: string): Tagger['predict'] {
  const T = tags.length;
  return async (windows, count, length) => {
    if (length !== L) throw new Error(`the model takes windows of ${L} samples, got ${length}`);
    if (windows.length !== count * L) throw new Error(`expected ${count} × ${L} samples, got ${windows.length}`);
    const logits = noGrad(() => tidy(() => lp.forward(fe.embed(Tensor.fromData(ctx, windows, [count, 1, L])))));
    const out = new Float32Array(await logits.read());
    logits.dispose();
    if (out.length !== count * T) throw new Error(`the model returned ${out.length} logits for ${count} windows`);
    // Loading refuses non-finite weights, so this means the audio or a kernel produced one: say so rather than print NaN scores.
    const bad = out.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${source}: the model produced ${out[bad]} for tag "${tags[bad % T]}"; the input audio or the model is broken`);
    return out;
  };
}
