// BatchNorm1d kernels (batchnorm.wgsl): per-channel statistics with the running
// update in place, normalisation, and the two backward passes.
// Activations larger than one storage binding are split into chunks of whole
// samples; the per-channel reductions then go through per-chunk partial sums
// (see batchnorm.wgsl), so the statistics are those of the whole batch.
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/batchnorm.wgsl';
import { type Chunk, type ElementBuffer, planFor, sliceOf, wholeBinding } from './batchChunks.js';
import { MAX_LOOP_ITERATIONS, grid1d, threadsGrid } from './grid.js';
import { sumAxisKernel } from './reduce.js';
import type { Candidate, Trial, Tunable } from '../gpu/tuner.js';
import subgroupsSource from '../../shaders/batchnorm-subgroups.wgsl';
import { trialOperands } from './trialOperands.js';

export const BATCHNORM = {
  name: 'batchnorm',
  source,
  entries: {
    stats: ['x', 'batch_stats', 'running_mean', 'running_var'],
    normalize: ['x', 'gamma', 'beta', 'y', 'saved'],
    backward_reduce: ['x', 'gy', 'saved', 'sums', 'y_out'],
    backward_input: ['x', 'gamma', 'gy', 'saved', 'sums_in', 'gx', 'y_out'],
    stats_partial: ['x', 'batch_stats', 'partials'],
    stats_finalize: ['partials', 'batch_stats', 'running_mean', 'running_var'],
    stats_serial: ['x', 'batch_stats', 'running_mean', 'running_var'],
    backward_reduce_serial: ['x', 'gy', 'saved', 'sums', 'y_out'],
    normalize_rows: ['x', 'gamma', 'beta', 'y', 'saved'],
    backward_input_rows: ['x', 'gamma', 'gy', 'saved', 'sums_in', 'gx', 'y_out'],
  },
} as const;

/** Batch statistics by subgroup reductions; compiled only on devices with the `subgroups` feature. */
export const BATCHNORM_SUBGROUPS = {
  name: 'batchnorm-subgroups',
  source: subgroupsSource,
  entries: { stats_subgroup: ['x', 'batch_stats', 'running_mean', 'running_var'], backward_reduce_subgroup: ['x', 'gy', 'saved', 'sums', 'y_out'] },
  feature: 'subgroups',
} as const;

export interface BatchNormGeometry {
  N: number;
  C: number;
  L: number;
  momentum: number;
  eps: number;
  training: boolean;
  /** A ReLU fused after the normalisation (forward and backward). */
  relu?: boolean;
}

const WG = 256;
/** Elements per workgroup of the row-tiled entries (ROW_TILE in the shader), and the row length from which they are used. */
const ROW_TILE = 256;
const ROW_MIN_L = 64;
/** Invocations per workgroup of the *_serial entries (one channel each). */
const SERIAL_WG = 8;

/**
 * The two forms of the per-channel reductions (statistics, backward sums): a
 * 256-wide workgroup tree per channel, or one serial invocation per channel
 * (stats_serial, backward_reduce_serial), which costs fewer passes and barriers
 * where invocations are cheap but parallelism is scarce (CPU adapters). The
 * serial form applies only while one invocation's loops (`iterations`: all its
 * passes over a channel's values) stay within MAX_LOOP_ITERATIONS; a chunk
 * that exceeds it runs the tree whatever was chosen.
 */
export type ReductionForm = 'tree' | 'serial' | 'subgroup';

interface ReductionOp<G, A> {
  op: string;
  /** Loop iterations of one serial invocation over the whole batch. */
  iterations(g: G): number;
  bucket(g: G): string;
  trial(ctx: GpuContext, g: G): Trial<A>;
  run(ctx: GpuContext, g: G, args: A, form: ReductionForm): void;
}

export function reductionTunable<G, A>(r: ReductionOp<G, A>, extra: Candidate<G, A>[] = []): Tunable<G, A> {
  return {
    op: r.op,
    candidates: [
      { name: 'tree', applies: () => true, run: (ctx, g, a) => r.run(ctx, g, a, 'tree') },
      { name: 'serial', applies: (_, g) => r.iterations(g) <= MAX_LOOP_ITERATIONS, run: (ctx, g, a) => r.run(ctx, g, a, 'serial') },
      ...extra,
    ],
    bucket: r.bucket,
    // Sums over up to ~10^6 values per channel in a different order.
    tolerance: 1e-4,
    trial: r.trial,
  };
}

/** Whether a chunk whose serial invocation loops `iterations` times runs the serial form. */
export const runsSerial = (form: ReductionForm, iterations: number): boolean => form === 'serial' && iterations <= MAX_LOOP_ITERATIONS;

const bnBucket = (g: BatchNormGeometry): string => `C${g.C} values~${2 ** Math.ceil(Math.log2(Math.max(1, g.N * Math.max(g.L, 1))))}${g.relu ? ' relu' : ''}`;

interface StatsArgs { x: ElementBuffer; stats: BufferBinding; runningMean: BufferBinding; runningVar: BufferBinding }

/** Random activations with their batch statistics (for the backward trials). */
export function statsTrial(ctx: GpuContext, g: BatchNormGeometry): Trial<StatsArgs> {
  const b = trialOperands(ctx, { x: g.N * g.C * Math.max(g.L, 1), stats: 2 * g.C, rm: g.C, rv: g.C }, { rv: [0.5, 1.5] });
  return { args: { x: b.x, stats: b.stats.buffer, runningMean: b.rm.buffer, runningVar: b.rv.buffer }, output: b.stats, dispose: b.dispose };
}

export const BATCHNORM_STATS = reductionTunable<BatchNormGeometry, StatsArgs>({
  op: 'batchnorm.stats',
  // stats_serial walks the channel twice (mean, then centred squares), each an outer loop over n.
  iterations: (g) => 2 * g.N * (Math.max(g.L, 1) + 1),
  bucket: bnBucket,
  trial: statsTrial,
  run: (ctx, g, a, form) => statsWith(ctx, g, a.x, a.stats, a.runningMean, a.runningVar, form),
}, [{
  // Subgroup reductions (batchnorm-subgroups.wgsl) where the device has them, for a batch in one binding.
  name: 'subgroup',
  applies: (ctx, g) => ctx.device.features.has('subgroups') && g.N * g.C * Math.max(g.L, 1) * 4 <= ctx.maxBindingBytes,
  run: (ctx, g, a) => statsWith(ctx, g, a.x, a.stats, a.runningMean, a.runningVar, 'subgroup'),
}]);

interface BackwardReduceArgs { x: ElementBuffer; gy: ElementBuffer; saved: BufferBinding; sums: BufferBinding; y?: ElementBuffer }

export const BATCHNORM_BACKWARD_REDUCE = reductionTunable<BatchNormGeometry, BackwardReduceArgs>({
  op: 'batchnorm.backwardReduce',
  iterations: (g) => g.N * (Math.max(g.L, 1) + 1),
  bucket: bnBucket,
  trial(ctx, g) {
    const s = statsTrial(ctx, g);
    statsWith(ctx, { ...g, training: true }, s.args.x, s.args.stats, s.args.runningMean, s.args.runningVar, 'tree');
    const b = trialOperands(ctx, { gy: g.N * g.C * Math.max(g.L, 1), sums: 2 * g.C });
    return {
      // With the fused ReLU the mask source is any same-shape tensor; x serves.
      args: { x: s.args.x, gy: b.gy, saved: s.args.stats, sums: b.sums.buffer, y: s.args.x },
      output: b.sums,
      dispose: () => (s.dispose(), b.dispose()),
    };
  },
  run: (ctx, g, a, form) => backwardReduceWith(ctx, g, a.x, a.gy, a.saved, a.sums, a.y, form),
}, [{
  // Subgroup reductions (batchnorm-subgroups.wgsl) where the device has them; any chunking.
  name: 'subgroup',
  applies: (ctx) => ctx.device.features.has('subgroups'),
  run: (ctx, g, a) => backwardReduceWith(ctx, g, a.x, a.gy, a.saved, a.sums, a.y, 'subgroup'),
}]);

export const BATCHNORM_TUNABLES = [BATCHNORM_STATS, BATCHNORM_BACKWARD_REDUCE] as const;

interface ChunkFields {
  chunk: Chunk;
  base: number;
  partRow?: number;
  chunks?: number;
  phase?: number;
}

function uniforms(g: BatchNormGeometry, f: ChunkFields): Record<string, number> {
  return {
    N: f.chunk.count, C: g.C, L: g.L, momentum: g.momentum, eps: g.eps, training: g.training ? 1 : 0,
    n_total: g.N, base: f.base, part_row: f.partRow ?? 0, chunks: f.chunks ?? 1, phase: f.phase ?? 0, relu: g.relu ? 1 : 0,
  };
}

/** Chunks of whole samples; x, y, gy and gx all hold C·L elements per sample, so one slice offset serves all. */
function sampleChunks(ctx: GpuContext, g: BatchNormGeometry, op: string): Chunk[] {
  // An empty batch still runs one dispatch, so the backward sums are written (zeros).
  if (g.N === 0) return [{ start: 0, count: 0 }];
  return planFor(ctx, { op, shape: [g.N, g.C, g.L], items: g.N, perItem: [g.C * g.L], hint: 'one sample [C, L] is larger than a storage binding; use shorter inputs' }).chunks;
}

function sliceSample(ctx: GpuContext, g: BatchNormGeometry, buf: ElementBuffer, c: Chunk) {
  return sliceOf(buf, c.start * g.C * g.L, c.count * g.C * g.L, ctx.limits.minStorageBufferOffsetAlignment);
}

function scratch(ctx: GpuContext, floats: number): ElementBuffer {
  return { buffer: ctx.storage.acquire(floats * 4, false), size: floats };
}

/** Batch mean and biased variance into stats [2C]; running stats updated in place. */
export function batchNormStatsKernel(ctx: GpuContext, g: BatchNormGeometry, x: ElementBuffer, stats: BufferBinding, runningMean: BufferBinding, runningVar: BufferBinding): void {
  ctx.tuner.choose(BATCHNORM_STATS, g).run(ctx, g, { x, stats, runningMean, runningVar });
}

function statsWith(ctx: GpuContext, g: BatchNormGeometry, x: ElementBuffer, stats: BufferBinding, runningMean: BufferBinding, runningVar: BufferBinding, form: ReductionForm): void {
  const chunks = sampleChunks(ctx, g, 'batchNorm1d statistics');
  if (chunks.length === 1) {
    const xs = sliceSample(ctx, g, x, chunks[0]);
    // stats_serial walks the channel twice (mean, then centred squares), each an outer loop over n.
    const serial = runsSerial(form, 2 * chunks[0].count * (g.L + 1));
    const [module, entry] = form === 'subgroup' ? [BATCHNORM_SUBGROUPS, 'stats_subgroup'] : [BATCHNORM, serial ? 'stats_serial' : 'stats'];
    ctx.dispatch(ctx.shader(module.name, module.source), entry, {
      bindings: { x: xs.binding, batch_stats: stats, running_mean: runningMean, running_var: runningVar },
      uniforms: uniforms(g, { chunk: chunks[0], base: xs.base }),
      workgroups: serial ? threadsGrid(ctx, g.C, SERIAL_WG) : grid1d(ctx, g.C),
      profile: { flop: 3 * chunks[0].count * g.C * g.L, loops: serial ? 2 * chunks[0].count * (g.L + 1) : 2 * Math.ceil((chunks[0].count * g.L) / WG) },
    });
    return;
  }
  const partials = scratch(ctx, chunks.length * g.C);
  const pb = wholeBinding(ctx, partials, 'batchNorm1d (partial sums)', [chunks.length, g.C]);
  // Round 0 gives the mean, round 1 the centred sum of squares around it: the
  // same two-pass formula as `stats`, free of E[x²] − E[x]² cancellation.
  for (const phase of [0, 1]) {
    chunks.forEach((c, i) => {
      const xs = sliceSample(ctx, g, x, c);
      ctx.dispatch(ctx.shader(BATCHNORM.name, BATCHNORM.source), 'stats_partial', {
        bindings: { x: xs.binding, batch_stats: stats, partials: pb },
        uniforms: uniforms(g, { chunk: c, base: xs.base, partRow: i, phase }),
        workgroups: grid1d(ctx, g.C),
      });
    });
    ctx.dispatch(ctx.shader(BATCHNORM.name, BATCHNORM.source), 'stats_finalize', {
      bindings: { partials: pb, batch_stats: stats, running_mean: runningMean, running_var: runningVar },
      uniforms: uniforms(g, { chunk: { start: 0, count: g.N }, base: 0, chunks: chunks.length, phase }),
      workgroups: threadsGrid(ctx, g.C, WG),
    });
  }
  ctx.storage.release(partials.buffer);
}

/** The elementwise passes: row tiles for long rows, one invocation per element otherwise. */
function elementwisePass(ctx: GpuContext, g: BatchNormGeometry, c: Chunk, flatEntry: 'normalize' | 'backward_input'): { entry: string; workgroups: [number, number] } {
  if (g.L >= ROW_MIN_L) return { entry: `${flatEntry}_rows`, workgroups: grid1d(ctx, c.count * g.C * Math.ceil(g.L / ROW_TILE)) };
  return { entry: flatEntry, workgroups: threadsGrid(ctx, c.count * g.C * g.L, WG) };
}

export function batchNormNormalizeKernel(ctx: GpuContext, g: BatchNormGeometry, x: ElementBuffer, saved: BufferBinding, gamma: BufferBinding, beta: BufferBinding, y: ElementBuffer): void {
  for (const c of sampleChunks(ctx, g, 'batchNorm1d')) {
    const xs = sliceSample(ctx, g, x, c);
    const pass = elementwisePass(ctx, g, c, 'normalize');
    ctx.dispatch(ctx.shader(BATCHNORM.name, BATCHNORM.source), pass.entry, {
      bindings: { x: xs.binding, saved, gamma, beta, y: sliceSample(ctx, g, y, c).binding },
      uniforms: uniforms(g, { chunk: c, base: xs.base }),
      workgroups: pass.workgroups,
    });
  }
  // The fused ReLU's decisions (y > 0), for the mask-pinned comparison (bench/pytorch-pinned.ts).
  if (g.relu) ctx.capture('bnRelu.y', y.buffer, y.size);
}

/**
 * The fused ReLU's mask source: the forward output y when g.relu, else gy
 * itself (bound but never read), so every backward entry has the same bindings.
 */
function maskSource(g: BatchNormGeometry, gy: ElementBuffer, y: ElementBuffer | undefined): ElementBuffer {
  if (!g.relu) return gy;
  if (!y) throw new Error('batchNorm1d backward: the fused ReLU needs the forward output');
  return y;
}

/** sums [2C] = (Σg, Σg·x̂) per channel; over chunks, one row of partials each, then their sum. g is gy masked by the fused ReLU when g.relu (y: the forward output). */
export function batchNormBackwardReduceKernel(ctx: GpuContext, g: BatchNormGeometry, x: ElementBuffer, gy: ElementBuffer, saved: BufferBinding, sums: BufferBinding, y?: ElementBuffer): void {
  ctx.tuner.choose(BATCHNORM_BACKWARD_REDUCE, g).run(ctx, g, { x, gy, saved, sums, y });
}

function backwardReduceWith(ctx: GpuContext, g: BatchNormGeometry, x: ElementBuffer, gy: ElementBuffer, saved: BufferBinding, sums: BufferBinding, y: ElementBuffer | undefined, form: ReductionForm): void {
  const mask = maskSource(g, gy, y);
  const chunks = sampleChunks(ctx, g, 'batchNorm1d backward');
  const partials = chunks.length > 1 ? scratch(ctx, chunks.length * 2 * g.C) : null;
  const target = partials ? wholeBinding(ctx, partials, 'batchNorm1d backward (partial sums)', [chunks.length, 2 * g.C]) : sums;
  chunks.forEach((c, i) => {
    const xs = sliceSample(ctx, g, x, c);
    const serial = runsSerial(form, c.count * (g.L + 1));
    const [module, entry] = form === 'subgroup' ? [BATCHNORM_SUBGROUPS, 'backward_reduce_subgroup'] : [BATCHNORM, serial ? 'backward_reduce_serial' : 'backward_reduce'];
    ctx.dispatch(ctx.shader(module.name, module.source), entry, {
      bindings: { x: xs.binding, gy: sliceSample(ctx, g, gy, c).binding, saved, sums: target, y_out: sliceSample(ctx, g, mask, c).binding },
      uniforms: uniforms(g, { chunk: c, base: xs.base, partRow: i }),
      workgroups: serial ? threadsGrid(ctx, g.C, SERIAL_WG) : grid1d(ctx, g.C),
      profile: { flop: 4 * c.count * g.C * g.L, loops: serial ? c.count * (g.L + 1) : Math.ceil((c.count * g.L) / WG) },
    });
  });
  if (partials) {
    sumAxisKernel(ctx, target, sums, 1, chunks.length, 2 * g.C);
    ctx.storage.release(partials.buffer);
  }
}

export function batchNormBackwardInputKernel(ctx: GpuContext, g: BatchNormGeometry, x: ElementBuffer, gamma: BufferBinding, gy: ElementBuffer, saved: BufferBinding, sums: BufferBinding, gx: ElementBuffer, y?: ElementBuffer): void {
  const mask = maskSource(g, gy, y);
  for (const c of sampleChunks(ctx, g, 'batchNorm1d backward')) {
    const xs = sliceSample(ctx, g, x, c);
    const pass = elementwisePass(ctx, g, c, 'backward_input');
    ctx.dispatch(ctx.shader(BATCHNORM.name, BATCHNORM.source), pass.entry, {
      bindings: { x: xs.binding, gamma, gy: sliceSample(ctx, g, gy, c).binding, saved, sums_in: sums, gx: sliceSample(ctx, g, gx, c).binding, y_out: sliceSample(ctx, g, mask, c).binding },
      uniforms: uniforms(g, { chunk: c, base: xs.base }),
      workgroups: pass.workgroups,
    });
  }
}
