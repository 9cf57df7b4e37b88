// The configuration that sizes every model, and the layer-by-layer plan of the
// SampleCNN (shapes, strides, parameter counts) computed from it alone, so the
// `summary` command and config validation need no GPU.

/** SampleCNN: a strided conv front end, pooling blocks that divide the length by 3, a last conv on length 1. */
export interface SampleCnnConfig {
  inputLength: number;
  /** Output channels of block 0 (the strided conv). */
  firstChannels: number;
  /** Output channels of each Conv-BN-ReLU-MaxPool(3,3) block, in order (9 in the thesis). */
  blockChannels: number[];
  /** Kernel of the last conv: 1 in thesis Table 3.1, 3 (padding 1) in CLMR's code. */
  lastKernel: 1 | 3;
  /** Width of the fc layer of a supervised SampleCNN (50 MTAT tags). */
  numClasses: number;
  /** Dropout before fc in supervised training. */
  dropout: number;
}

export type HeadInput = 'encoder' | 'projector';

export interface ModelConfig {
  sampleCnn: SampleCnnConfig;
  /** CLMR projector: Linear(d→hidden, no bias) → ReLU → Linear(hidden→out, no bias). */
  projectorHidden: number;
  projectorOut: number;
  /** Hidden width of the domain classifier; the thesis does not publish it. */
  domainClassifierHidden: number;
  /** Hidden width of the label predictor; the thesis does not publish it. */
  labelPredictorHidden: number;
  numTags: number;
  /** Which embedding the domain classifier and label predictor read (see docs/models.md). */
  headInput: HeadInput;
  sampleRate: number;
}

/** Thesis Table 3.1 channel plan of blocks 1-9. */
export const THESIS_BLOCK_CHANNELS = [128, 128, 256, 256, 256, 256, 256, 256, 512];

export function thesisSampleCnn(): SampleCnnConfig {
  return { inputLength: 59049, firstChannels: 128, blockChannels: [...THESIS_BLOCK_CHANNELS], lastKernel: 1, numClasses: 50, dropout: 0.5 };
}

/** CLMR's PyTorch SampleCNN: identical except a kernel-3, padding-1 last conv. */
export function clmrSampleCnn(): SampleCnnConfig {
  return { ...thesisSampleCnn(), lastKernel: 3 };
}

/**
 * A scaled SampleCNN for tests and demos: input 3^n samples (n ≥ 2, so n − 1
 * pooling blocks), channel plan sampled from the thesis plan (keeping its first
 * and last widths), every width divided by `divisor` (at least 1 channel).
 */
export function scaledSampleCnn(n: number, divisor = 1, base: SampleCnnConfig = thesisSampleCnn()): SampleCnnConfig {
  if (!Number.isInteger(n) || n < 2) throw new Error(`scaledSampleCnn: n must be an integer ≥ 2 (input 3^n), got ${n}`);
  if (!(divisor >= 1)) throw new Error(`scaledSampleCnn: divisor must be ≥ 1, got ${divisor}`);
  const blocks = n - 1;
  const plan = base.blockChannels;
  const picked = blocks === 1 ? [plan[plan.length - 1]] : Array.from({ length: blocks }, (_, i) => plan[Math.round((i * (plan.length - 1)) / (blocks - 1))]);
  const div = (c: number): number => Math.max(1, Math.round(c / divisor));
  return { ...base, inputLength: 3 ** n, firstChannels: div(base.firstChannels), blockChannels: picked.map(div) };
}

export function defaultModelConfig(): ModelConfig {
  return {
    sampleCnn: thesisSampleCnn(),
    projectorHidden: 512,
    projectorOut: 64,
    domainClassifierHidden: 256,
    labelPredictorHidden: 512,
    numTags: 50,
    headInput: 'encoder',
    sampleRate: 22050,
  };
}

/** Scales a whole model config (encoder and heads) for tests and demos. */
export function scaledModelConfig(n: number, divisor = 1, base: ModelConfig = defaultModelConfig()): ModelConfig {
  const div = (c: number): number => Math.max(1, Math.round(c / divisor));
  return {
    ...base,
    sampleCnn: scaledSampleCnn(n, divisor, base.sampleCnn),
    projectorHidden: div(base.projectorHidden),
    projectorOut: div(base.projectorOut),
    domainClassifierHidden: div(base.domainClassifierHidden),
    labelPredictorHidden: div(base.labelPredictorHidden),
  };
}

/** The shape of one conv layer, per example (Cin × L in, Cout out); with a batch size N it is a kernel's Conv1dGeometry. */
export interface ConvShape {
  Cin: number;
  Cout: number;
  K: number;
  stride: number;
  padding: number;
  /** Input length. */
  L: number;
}

/** One row of the architecture table. */
export interface LayerPlan {
  /** PyTorch name prefix of the module holding the parameters, e.g. `sequential.3.0`. */
  name: string;
  kind: string;
  stride: number;
  /** Output shape per example: [channels, length] or [features]. */
  output: number[];
  params: number;
  /** On conv rows: the layer's shape, for benchmarks and kernel checks at the model's real sizes. */
  conv?: ConvShape;
}

const conv = (cin: number, cout: number, k: number): number => cout * cin * k + cout;
const bn = (c: number): number => 2 * c;
const outLen = (l: number, k: number, s: number, p: number): number => Math.floor((l + 2 * p - k) / s) + 1;

/** The encoder output width (the embedding the heads and projector read). */
export function encoderDim(c: SampleCnnConfig): number {
  return c.blockChannels.length ? c.blockChannels[c.blockChannels.length - 1] : c.firstChannels;
}

export function headInputDim(cfg: ModelConfig): number {
  return cfg.headInput === 'projector' ? cfg.projectorOut : encoderDim(cfg.sampleCnn);
}

/** Layers of the SampleCNN in Table 3.1 style; throws if the config does not end at length 1. */
export function sampleCnnPlan(c: SampleCnnConfig, opts: { withFc?: boolean } = {}): LayerPlan[] {
  validateSampleCnn(c);
  const rows: LayerPlan[] = [];
  let ch = c.firstChannels;
  let len = outLen(c.inputLength, 3, 3, 0);
  rows.push({ name: 'sequential.0.0', kind: `Conv1d(1→${ch}, k3)`, stride: 3, output: [ch, len], params: conv(1, ch, 3), conv: { Cin: 1, Cout: ch, K: 3, stride: 3, padding: 0, L: c.inputLength } });
  rows.push({ name: 'sequential.0.1', kind: 'BatchNorm1d + ReLU', stride: 1, output: [ch, len], params: bn(ch) });
  c.blockChannels.forEach((out, i) => {
    rows.push({ name: `sequential.${i + 1}.0`, kind: `Conv1d(${ch}→${out}, k3, p1)`, stride: 1, output: [out, len], params: conv(ch, out, 3), conv: { Cin: ch, Cout: out, K: 3, stride: 1, padding: 1, L: len } });
    rows.push({ name: `sequential.${i + 1}.1`, kind: 'BatchNorm1d + ReLU', stride: 1, output: [out, len], params: bn(out) });
    len = outLen(len, 3, 3, 0);
    rows.push({ name: `sequential.${i + 1}.3`, kind: 'MaxPool1d(3)', stride: 3, output: [out, len], params: 0 });
    ch = out;
  });
  const last = c.blockChannels.length + 1;
  const pad = c.lastKernel === 3 ? 1 : 0;
  rows.push({ name: `sequential.${last}.0`, kind: `Conv1d(${ch}→${ch}, k${c.lastKernel}${pad ? ', p1' : ''})`, stride: 1, output: [ch, outLen(len, c.lastKernel, 1, pad)], params: conv(ch, ch, c.lastKernel), conv: { Cin: ch, Cout: ch, K: c.lastKernel, stride: 1, padding: pad, L: len } });
  rows.push({ name: `sequential.${last}.1`, kind: 'BatchNorm1d + ReLU', stride: 1, output: [ch, 1], params: bn(ch) });
  rows.push({ name: 'flatten', kind: 'Flatten', stride: 1, output: [ch], params: 0 });
  if (opts.withFc ?? true) {
    if (c.dropout > 0) rows.push({ name: 'dropout', kind: `Dropout(${c.dropout})`, stride: 1, output: [ch], params: 0 });
    rows.push({ name: 'fc', kind: `Linear(${ch}→${c.numClasses})`, stride: 1, output: [c.numClasses], params: ch * c.numClasses + c.numClasses });
  }
  return rows;
}

/** The conv layers of the SampleCNN, in order, from its plan. */
export function sampleCnnConvs(c: SampleCnnConfig): ConvShape[] {
  return sampleCnnPlan(c, { withFc: false }).flatMap((r) => (r.conv ? [r.conv] : []));
}

export function validateSampleCnn(c: SampleCnnConfig): void {
  const bad = (msg: string): never => {
    throw new Error(`SampleCNN config: ${msg}`);
  };
  const posInt = (v: number): boolean => Number.isInteger(v) && v >= 1;
  if (!posInt(c.inputLength)) bad(`inputLength must be a positive integer, got ${c.inputLength}`);
  if (!posInt(c.firstChannels)) bad(`firstChannels must be a positive integer, got ${c.firstChannels}`);
  if (!Array.isArray(c.blockChannels) || !c.blockChannels.every(posInt)) bad(`blockChannels must be positive integers, got ${JSON.stringify(c.blockChannels)}`);
  if (c.lastKernel !== 1 && c.lastKernel !== 3) bad(`lastKernel must be 1 or 3, got ${c.lastKernel}`);
  if (!posInt(c.numClasses)) bad(`numClasses must be a positive integer, got ${c.numClasses}`);
  if (!(c.dropout >= 0 && c.dropout < 1)) bad(`dropout must be in [0, 1), got ${c.dropout}`);
  // Block 0 divides by 3 and each pooling block by 3: the length must reach exactly 1, as in the thesis (59049 = 3^10 → 1 after 1 + 9 divisions).
  const want = 3 ** (c.blockChannels.length + 1);
  if (c.inputLength !== want) bad(`with ${c.blockChannels.length} pooling blocks the input must be 3^${c.blockChannels.length + 1} = ${want} samples, got ${c.inputLength}`);
}

export function validateModelConfig(cfg: ModelConfig): void {
  validateSampleCnn(cfg.sampleCnn);
  for (const k of ['projectorHidden', 'projectorOut', 'domainClassifierHidden', 'labelPredictorHidden', 'numTags', 'sampleRate'] as const) {
    if (!(Number.isInteger(cfg[k]) && cfg[k] >= 1)) throw new Error(`model config: ${k} must be a positive integer, got ${cfg[k]}`);
  }
  if (cfg.headInput !== 'encoder' && cfg.headInput !== 'projector') throw new Error(`model config: headInput must be "encoder" or "projector", got ${JSON.stringify(cfg.headInput)}`);
}

/** Merges a partial JSON config over the defaults (nested sampleCnn too) and validates it. */
export function resolveModelConfig(partial: unknown, base: ModelConfig = defaultModelConfig()): ModelConfig {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) throw new Error('model config: expected a JSON object');
  const p = partial as Partial<ModelConfig> & { sampleCnn?: Partial<SampleCnnConfig> };
  const cfg: ModelConfig = { ...base, ...p, sampleCnn: { ...base.sampleCnn, ...(p.sampleCnn ?? {}) } };
  validateModelConfig(cfg);
  return cfg;
}

export function planParams(rows: readonly LayerPlan[]): number {
  return rows.reduce((s, r) => s + r.params, 0);
}

/** Parameter counts of the other models, from the config alone. */
export function headParams(cfg: ModelConfig): { projector: number; domainClassifier: number; labelPredictor: number } {
  const d = encoderDim(cfg.sampleCnn);
  const h = headInputDim(cfg);
  return {
    projector: d * cfg.projectorHidden + cfg.projectorHidden * cfg.projectorOut,
    domainClassifier: h * cfg.domainClassifierHidden + cfg.domainClassifierHidden + 2 * cfg.domainClassifierHidden + cfg.domainClassifierHidden + 1,
    labelPredictor: h * cfg.labelPredictorHidden + cfg.labelPredictorHidden + cfg.labelPredictorHidden * cfg.numTags + cfg.numTags,
  };
}
