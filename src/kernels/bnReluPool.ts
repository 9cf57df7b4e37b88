// BatchNorm1d → ReLU → MaxPool1d(k, stride k) kernels (bnrelupool.wgsl): the
// pooled forward and the two backward passes. The statistics are batchnorm.ts's.
// Tensors larger than one storage binding are split into chunks of whole
// samples, the backward sums then going through one row of partials per chunk.
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/bnrelupool.wgsl';
import subgroupsSource from '../../shaders/bnrelupool-subgroups.wgsl';
import { type Chunk, type ElementBuffer, planFor, sliceOf, wholeBinding } from './batchChunks.js';
import { BATCHNORM_STATS, type ReductionForm, reductionTunable, runsSerial, statsTrial } from './batchnorm.js';
import { trialOperands } from './trialOperands.js';
import { grid1d, threadsGrid } from './grid.js';
import { sumAxisKernel } from './reduce.js';

export const BN_RELU_POOL = {
  name: 'bnrelupool',
  source,
  entries: {
    forward: ['x', 'saved', 'gamma', 'beta', 'out', 'argmax'],
    backward_reduce: ['x', 'saved', 'gout', 'saved_argmax', 'pooled', 'sums'],
    backward_reduce_serial: ['x', 'saved', 'gout', 'saved_argmax', 'pooled', 'sums'],
    backward_input: ['x', 'saved', 'gamma', 'gout', 'saved_argmax', 'pooled', 'sums_in', 'gx'],
  },
} as const;

/** The backward sums by subgroup reductions; compiled only on devices with the `subgroups` feature. */
export const BN_RELU_POOL_SUBGROUPS = {
  name: 'bnrelupool-subgroups',
  source: subgroupsSource,
  entries: { backward_reduce_subgroup: ['x', 'saved', 'gout', 'saved_argmax', 'pooled', 'sums'] },
  feature: 'subgroups',
} as const;

export interface BnReluPoolGeometry {
  N: number;
  C: number;
  L: number;
  /** Pooling window and stride; the windows tile each row from position 0. */
  kernel: number;
  eps: number;
  training: boolean;
}

const WG = 256;
const SERIAL_WG = 8;

export const pooledLength = (g: { L: number; kernel: number }): number => Math.floor(g.L / g.kernel);

function sampleChunks(ctx: GpuContext, g: BnReluPoolGeometry, op: string): Chunk[] {
  if (g.N === 0) return [{ start: 0, count: 0 }];
  const Lout = pooledLength(g);
  return planFor(ctx, { op, shape: [g.N, g.C, g.L], items: g.N, perItem: [g.C * g.L, g.C * Lout], hint: 'one sample [C, L] is larger than a storage binding; use shorter inputs' }).chunks;
}

/** Slices of one chunk: `full` for the length-L tensors, `pooled` for the length-Lout ones. */
function slicer(ctx: GpuContext, g: BnReluPoolGeometry, c: Chunk) {
  const align = ctx.limits.minStorageBufferOffsetAlignment;
  const perFull = g.C * g.L;
  const perPooled = g.C * pooledLength(g);
  return {
    full: (b: ElementBuffer) => sliceOf(b, c.start * perFull, c.count * perFull, align),
    pooled: (b: ElementBuffer) => sliceOf(b, c.start * perPooled, c.count * perPooled, align),
  };
}

function uniforms(g: BnReluPoolGeometry, c: Chunk, base: number, pbase: number, partRow = 0): Record<string, number> {
  return { N: c.count, C: g.C, L: g.L, Lout: pooledLength(g), kernel: g.kernel, eps: g.eps, training: g.training ? 1 : 0, n_total: g.N, base, pbase, part_row: partRow };
}

/** out, argmax [N, C, Lout] = max-pool of relu(batch-norm(x)) with the statistics in `saved`. */
export function bnReluPoolForwardKernel(ctx: GpuContext, g: BnReluPoolGeometry, x: ElementBuffer, saved: BufferBinding, gamma: BufferBinding, beta: BufferBinding, out: ElementBuffer, argmax: ElementBuffer): void {
  const shader = ctx.shader(BN_RELU_POOL.name, BN_RELU_POOL.source);
  for (const c of sampleChunks(ctx, g, 'batchNorm1d+relu+maxPool1d')) {
    const s = slicer(ctx, g, c);
    const xs = s.full(x);
    const os = s.pooled(out);
    ctx.dispatch(shader, 'forward', {
      bindings: { x: xs.binding, saved, gamma, beta, out: os.binding, argmax: s.pooled(argmax).binding },
      uniforms: uniforms(g, c, xs.base, os.base),
      workgroups: threadsGrid(ctx, c.count * g.C * pooledLength(g), WG),
    });
  }
  // The pooling and ReLU decisions, for the mask-pinned comparison (bench/pytorch-pinned.ts).
  ctx.capture('bnReluPool.argmax', argmax.buffer, argmax.size);
  ctx.capture('bnReluPool.pooled', out.buffer, out.size);
}

export interface PooledBackward {
  /** The gradient of the pooled output, [N, C, Lout]. */
  gout: ElementBuffer;
  /** The forward's argmax and output. */
  argmax: ElementBuffer;
  pooled: ElementBuffer;
}

interface PooledReduceArgs { x: ElementBuffer; saved: BufferBinding; b: PooledBackward; sums: BufferBinding }

export const BN_RELU_POOL_BACKWARD_REDUCE = reductionTunable<BnReluPoolGeometry, PooledReduceArgs>({
  op: 'bnReluPool.backwardReduce',
  iterations: (g) => g.N * (pooledLength(g) + 1),
  bucket: (g) => `C${g.C} k${g.kernel} values~${2 ** Math.ceil(Math.log2(Math.max(1, g.N * g.L)))}`,
  trial(ctx, g) {
    const bn = { N: g.N, C: g.C, L: g.L, momentum: 0.1, eps: g.eps, training: true };
    const s = statsTrial(ctx, bn);
    ctx.tuner.choose(BATCHNORM_STATS, bn).run(ctx, bn, s.args);
    const p = trialOperands(ctx, { gamma: g.C, beta: g.C, pooled: g.N * g.C * pooledLength(g), argmax: g.N * g.C * pooledLength(g), gout: g.N * g.C * pooledLength(g), sums: 2 * g.C });
    // The forward fills pooled and argmax as the backward expects them.
    bnReluPoolForwardKernel(ctx, g, s.args.x, s.args.stats, p.gamma.buffer, p.beta.buffer, p.pooled, p.argmax);
    return {
      args: { x: s.args.x, saved: s.args.stats, b: { gout: p.gout, argmax: p.argmax, pooled: p.pooled }, sums: p.sums.buffer },
      output: p.sums,
      dispose: () => (s.dispose(), p.dispose()),
    };
  },
  run: (ctx, g, a, form) => backwardReduceWith(ctx, g, a.x, a.saved, a.b, a.sums, form),
}, [{
  // Subgroup reductions (bnrelupool-subgroups.wgsl) where the device has them; any chunking.
  name: 'subgroup',
  applies: (ctx) => ctx.device.features.has('subgroups'),
  run: (ctx, g, a) => backwardReduceWith(ctx, g, a.x, a.saved, a.b, a.sums, 'subgroup'),
}]);

/** sums [2C] = (Σg, Σg·x̂) per channel, g the gradient at the BatchNorm output. */
export function bnReluPoolBackwardReduceKernel(ctx: GpuContext, g: BnReluPoolGeometry, x: ElementBuffer, saved: BufferBinding, b: PooledBackward, sums: BufferBinding): void {
  ctx.tuner.choose(BN_RELU_POOL_BACKWARD_REDUCE, g).run(ctx, g, { x, saved, b, sums });
}

function backwardReduceWith(ctx: GpuContext, g: BnReluPoolGeometry, x: ElementBuffer, saved: BufferBinding, b: PooledBackward, sums: BufferBinding, form: ReductionForm): void {
  const chunks = sampleChunks(ctx, g, 'batchNorm1d+relu+maxPool1d backward');
  const partials = chunks.length > 1 ? { buffer: ctx.storage.acquire(chunks.length * 2 * g.C * 4, false), size: chunks.length * 2 * g.C } : null;
  const target = partials ? wholeBinding(ctx, partials, 'batchNorm1d+relu+maxPool1d backward (partial sums)', [chunks.length, 2 * g.C]) : sums;
  chunks.forEach((c, i) => {
    const serial = runsSerial(form, c.count * (pooledLength(g) + 1));
    const [module, entry] = form === 'subgroup' ? [BN_RELU_POOL_SUBGROUPS, 'backward_reduce_subgroup'] : [BN_RELU_POOL, serial ? 'backward_reduce_serial' : 'backward_reduce'];
    const s = slicer(ctx, g, c);
    const xs = s.full(x);
    const gs = s.pooled(b.gout);
    ctx.dispatch(ctx.shader(module.name, module.source), entry, {
      bindings: { x: xs.binding, saved, gout: gs.binding, saved_argmax: s.pooled(b.argmax).binding, pooled: s.pooled(b.pooled).binding, sums: target },
      uniforms: uniforms(g, c, xs.base, gs.base, i),
      workgroups: serial ? threadsGrid(ctx, g.C, SERIAL_WG) : grid1d(ctx, g.C),
      profile: { flop: 4 * c.count * g.C * g.L, loops: serial ? c.count * (pooledLength(g) + 1) : Math.ceil((c.count * pooledLength(g)) / WG) },
    });
  });
  if (partials) {
    sumAxisKernel(ctx, target, sums, 1, chunks.length, 2 * g.C);
    ctx.storage.release(partials.buffer);
  }
}

export function bnReluPoolBackwardInputKernel(ctx: GpuContext, g: BnReluPoolGeometry, x: ElementBuffer, saved: BufferBinding, gamma: BufferBinding, b: PooledBackward, sums: BufferBinding, gx: ElementBuffer): void {
  const shader = ctx.shader(BN_RELU_POOL.name, BN_RELU_POOL.source);
  for (const c of sampleChunks(ctx, g, 'batchNorm1d+relu+maxPool1d backward')) {
    const s = slicer(ctx, g, c);
    const xs = s.full(x);
    const gs = s.pooled(b.gout);
    ctx.dispatch(shader, 'backward_input', {
      bindings: { x: xs.binding, saved, gamma, gout: gs.binding, saved_argmax: s.pooled(b.argmax).binding, pooled: s.pooled(b.pooled).binding, sums_in: sums, gx: s.full(gx).binding },
      uniforms: uniforms(g, c, xs.base, gs.base),
      workgroups: threadsGrid(ctx, c.count * g.C * pooledLength(g), WG),
    });
  }
}
