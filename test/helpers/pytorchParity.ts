// One SampleCNN training step in robust-tagger and in PyTorch eager from the
// same weights and batch, exchanged as safetensors files: what both sides
// computed, for the parity test (tolerances asserted) and the parity benchmark
// (thesis size on whatever adapter is present, errors printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor, backward, bceWithLogits, noGrad } from '../../src/autograd/index.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { readSafetensors, saveTensors } from '../../src/nn/checkpoint.js';
import { Adam, Random } from '../../src/nn/index.js';
import { moduleTensors } from '../../src/nn/safetensors.js';
import { SampleCNN, type SampleCnnConfig } from '../../src/models/index.js';
import { pytorchStepScript, runPython } from './pytorch.js';

/** A conv bias feeding BatchNorm: zero gradient in exact arithmetic (BN subtracts the batch mean), rounding noise on both sides. */
const isBiasBeforeBn = (name: string): boolean => /^sequential\.\d+\.0\.bias$/.test(name);

export interface StepPair {
  /** Ours: logits and loss of the training forward, eval-mode logits after it, per-parameter gradients, values before and after Adam, buffers after the step. */
  ours: {
    logits: Float32Array;
    loss: Float32Array;
    evalLogits: Float32Array;
    grads: Map<string, Float32Array>;
    before: Map<string, Float32Array>;
    after: Map<string, Float32Array>;
    buffers: Map<string, Float32Array>;
  };
  /** PyTorch's tensor of that name (`logits`, `loss`, `eval_logits`, `grad.<param>`, `state.<name>`); `f64.<name>` for its float64 step when asked for. */
  torch(name: string): Float32Array;
}

/** dropout must be 0 (the two sides draw different masks); lr is Adam's; float64: PyTorch also runs the step in float64. */
export async function stepBesidePytorch(ctx: GpuContext, python: string, cfg: SampleCnnConfig, batch: number, lr: number, opts: { seed?: number; float64?: boolean } = {}): Promise<StepPair> {
  if (cfg.dropout !== 0) throw new Error('stepBesidePytorch: the config must have dropout 0');
  // The nn layer's seeded generator, not test/helpers/check.ts's: this module also runs in the bench bundle, without vitest.
  const rng = new Random(opts.seed ?? 42);
  const rand = (): number => rng.next();
  const L = cfg.inputLength;
  const xData = Float32Array.from({ length: batch * L }, () => rand() * 2 - 1);
  const yData = Float32Array.from({ length: batch * cfg.numClasses }, () => (rand() < 0.3 ? 1 : 0));
  const model = new SampleCNN(ctx, cfg, new Random(7));
  const dir = mkdtempSync(join(tmpdir(), 'rt-torch-'));
  try {
    const inPath = join(dir, 'in.safetensors');
    const outPath = join(dir, 'out.safetensors');
    saveTensors(inPath, {
      ...(await moduleTensors(model)),
      'input.x': { shape: [batch, L], data: xData, dtype: 'F32' },
      'input.y': { shape: [batch, cfg.numClasses], data: yData, dtype: 'F32' },
    }, { model_config: JSON.stringify({ sampleCnn: cfg }), lr: String(lr) });
    runPython(python, pytorchStepScript(), ['parity', inPath, outPath, ...(opts.float64 ? ['--float64'] : [])], 1_800_000);
    const want = readSafetensors(outPath).tensors;

    const x = Tensor.fromData(ctx, xData, [batch, L]);
    const y = Tensor.fromData(ctx, yData, [batch, cfg.numClasses]);
    model.train();
    const logits = model.forward(x);
    const loss = bceWithLogits(logits, y);
    backward(loss);
    const read = async (t: Tensor): Promise<Float32Array> => Float32Array.from(await t.read());
    const grads = new Map<string, Float32Array>();
    const before = new Map<string, Float32Array>();
    for (const [name, p] of model.namedParameters()) {
      before.set(name, await read(p));
      grads.set(name, await read(p.grad!));
    }
    model.eval();
    const evalOut = noGrad(() => model.forward(x));
    model.train();
    const opt = new Adam(model.parameters(), { lr });
    opt.step();
    const after = new Map<string, Float32Array>();
    for (const [name, p] of model.namedParameters()) after.set(name, await read(p));
    const buffers = new Map<string, Float32Array>();
    for (const [name, t] of model.namedBuffers()) buffers.set(name, await read(t));
    const ours = { logits: await read(logits), loss: await read(loss), evalLogits: await read(evalOut), grads, before, after, buffers };
    for (const t of [x, y, logits, loss, evalOut]) t.dispose();
    opt.dispose();
    return {
      ours,
      torch(name: string): Float32Array {
        const e = want.get(name);
        if (!e) throw new Error(`PyTorch output has no tensor "${name}"`);
        return e.data;
      },
    };
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Largest magnitude (a loop: thesis-size weights are too many for Math.max's arguments). */
function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Largest |a − b| over the largest |b| (the scale the tests' tolerances are stated against). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  const s = Math.max(maxAbs(expected), 1e-30);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst / s;
}

/**
 * A parameter gradient's error against PyTorch's. A conv bias before BatchNorm
 * is judged by its size against the scale of its conv's weight gradient (both
 * sides should be rounding noise there).
 */
export function gradError(pair: StepPair, name: string, ours: Float32Array = pair.ours.grads.get(name)!, against = ''): number {
  const theirs = pair.torch(`${against}grad.${name}`);
  if (!isBiasBeforeBn(name)) return relativeError(ours, theirs);
  return Math.max(maxAbs(ours), maxAbs(theirs)) / maxAbs(pair.torch(`${against}grad.${name.replace(/bias$/, 'weight')}`));
}

/**
 * Adam's first step moves each parameter by lr·g/(|g| + eps) ≈ ±lr. Where the
 * gradient is rounding noise (|g| below 1e-3 of its tensor's largest, and all of
 * a conv bias before BatchNorm) its sign is arbitrary on both sides, so only the
 * step size is checked there. Returns the largest step over lr, and the error
 * of the updated values elsewhere against PyTorch's.
 */
export function adamError(pair: StepPair, name: string, lr: number, after: Float32Array = pair.ours.after.get(name)!, g: Float32Array = pair.ours.grads.get(name)!, against = ''): { stepOverLr: number; updated: number } {
  const start = pair.ours.before.get(name)!;
  const torchAfter = pair.torch(`${against}state.${name}`);
  const gScale = maxAbs(pair.torch(`${against}grad.${name}`));
  let step = 0;
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < after.length; i++) {
    step = Math.max(step, Math.abs(after[i] - start[i]));
    if (!isBiasBeforeBn(name) && Math.abs(g[i]) >= 1e-3 * gScale) {
      ours.push(after[i]);
      theirs.push(torchAfter[i]);
    }
  }
  return { stepOverLr: step / lr, updated: ours.length ? relativeError(ours, theirs) : 0 };
}
