// Sum (times a scale) over the middle axis of [outer, n, inner].
// sumAxisKernel binds what it is given; sumAxisChunked takes whole tensors and
// splits them to fit one storage binding: along `outer` when one outer slice
// fits, else along `n` into per-chunk partial sums that a second pass adds.
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/reduce.wgsl';
import subgroupsSource from '../../shaders/reduce-subgroups.wgsl';
import type { Tunable } from '../gpu/tuner.js';
import { type ElementBuffer, planFor, sliceOf } from './batchChunks.js';
import { MAX_LOOP_ITERATIONS, grid1d, threadsGrid } from './grid.js';
import { trialOperands } from './trialOperands.js';

export const REDUCE = { name: 'reduce', source, entries: { sum_long: ['x', 'out'], sum_short: ['x', 'out'] } } as const;

/** The workgroup-per-output sum by subgroup reductions; compiled only on devices with the `subgroups` feature. */
export const REDUCE_SUBGROUPS = { name: 'reduce-subgroups', source: subgroupsSource, entries: { sum_long_subgroup: ['x', 'out'] }, feature: 'subgroups' } as const;

export interface SumAxisGeometry {
  outer: number;
  n: number;
  inner: number;
}

interface SumAxisArgs { x: BufferBinding; out: BufferBinding; scale: number; xBase: number; outBase: number }

function sumLong(ctx: GpuContext, g: SumAxisGeometry, a: SumAxisArgs, module: typeof REDUCE | typeof REDUCE_SUBGROUPS, entry: string): void {
  ctx.dispatch(ctx.shader(module.name, module.source), entry, {
    bindings: { x: a.x, out: a.out },
    uniforms: { outer: g.outer, n: g.n, inner: g.inner, scale: a.scale, x_base: a.xBase, out_base: a.outBase },
    workgroups: grid1d(ctx, g.outer * g.inner),
    profile: { flop: g.outer * g.n * g.inner, loops: Math.ceil(g.n / WG) },
  });
}

/** The workgroup-per-output sum (long axes): a workgroup tree, or subgroup operations where the device has them. */
export const REDUCE_SUM_LONG: Tunable<SumAxisGeometry, SumAxisArgs> = {
  op: 'reduce.sumLong',
  candidates: [
    { name: 'tree', applies: () => true, run: (ctx, g, a) => sumLong(ctx, g, a, REDUCE, 'sum_long') },
    { name: 'subgroup', applies: (ctx) => ctx.device.features.has('subgroups'), run: (ctx, g, a) => sumLong(ctx, g, a, REDUCE_SUBGROUPS, 'sum_long_subgroup') },
  ],
  bucket: (g) => `outputs~${2 ** Math.ceil(Math.log2(Math.max(1, g.outer * g.inner)))} n~${2 ** Math.ceil(Math.log2(Math.max(1, g.n)))}`,
  // Sums of up to ~10^6 values in a different order.
  tolerance: 1e-4,
  trial(ctx, g) {
    const b = trialOperands(ctx, { x: g.outer * g.n * g.inner, out: g.outer * g.inner });
    return { args: { x: b.x.buffer, out: b.out.buffer, scale: 1, xBase: 0, outBase: 0 }, output: b.out, dispose: b.dispose };
  },
};

const WG = 256;
/** Below this axis length a thread per output beats a workgroup per output. */
const LONG_AXIS = 128;

/** `xBase`/`outBase`: elements to skip at the start of each binding. */
export function sumAxisKernel(ctx: GpuContext, x: BufferBinding, out: BufferBinding, outer: number, n: number, inner: number, scale = 1, xBase = 0, outBase = 0): void {
  const outputs = outer * inner;
  if (outputs === 0) return;
  // Few outputs with long axes need a workgroup each; many outputs already fill the
  // GPU, unless the axis is longer than one invocation's loop may run.
  if (n > MAX_LOOP_ITERATIONS || (n >= LONG_AXIS && outputs < 4096)) {
    const g = { outer, n, inner };
    ctx.tuner.choose(REDUCE_SUM_LONG, g).run(ctx, g, { x, out, scale, xBase, outBase });
  } else {
    ctx.dispatch(ctx.shader(REDUCE.name, REDUCE.source), 'sum_short', {
      bindings: { x, out },
      uniforms: { outer, n, inner, scale, x_base: xBase, out_base: outBase },
      workgroups: threadsGrid(ctx, outputs, WG),
    });
  }
}

/** out [outer, inner] = scale · Σ over n of x [outer, n, inner], for tensors of any size. */
export function sumAxisChunked(ctx: GpuContext, x: ElementBuffer, out: ElementBuffer, outer: number, n: number, inner: number, scale = 1): void {
  if (outer * inner === 0) return;
  const align = ctx.limits.minStorageBufferOffsetAlignment;
  const shape = [outer, n, inner];
  if (n * inner * 4 > ctx.maxBindingBytes) {
    for (let o = 0; o < outer; o++) sumRowSplit(ctx, x, o, out, o, n, inner, scale);
    return;
  }
  const plan = planFor(ctx, { op: 'sum', shape, items: outer, perItem: [n * inner, inner] });
  for (const c of plan.chunks) {
    const xs = sliceOf(x, c.start * n * inner, c.count * n * inner, align);
    const os = sliceOf(out, c.start * inner, c.count * inner, align);
    sumAxisKernel(ctx, xs.binding, os.binding, c.count, n, inner, scale, xs.base, os.base);
  }
}

/**
 * Row `xRow` of x ([·, n, inner]) longer than a binding, summed into row `outRow`
 * of out: partial sums over chunks of n, then their sum (itself split the same
 * way while the partials exceed a binding).
 */
function sumRowSplit(ctx: GpuContext, x: ElementBuffer, xRow: number, out: ElementBuffer, outRow: number, n: number, inner: number, scale: number): void {
  const align = ctx.limits.minStorageBufferOffsetAlignment;
  const plan = planFor(ctx, { op: 'sum', shape: [1, n, inner], items: n, perItem: [inner], hint: 'reduce over a smaller inner extent' });
  const k = plan.chunks.length;
  // Each round must shrink the row, or the partial sums would never fit.
  if (k >= n) throw new Error(`sum: a row of [${n}, ${inner}] cannot be reduced in chunks of two or more under ${ctx.maxBindingBytes} bytes per binding; reduce over a smaller inner extent`);
  const partial: ElementBuffer = { buffer: ctx.storage.acquire(k * inner * 4, false), size: k * inner };
  plan.chunks.forEach((c, i) => {
    const xs = sliceOf(x, (xRow * n + c.start) * inner, c.count * inner, align);
    const ps = sliceOf(partial, i * inner, inner, align);
    sumAxisKernel(ctx, xs.binding, ps.binding, 1, c.count, inner, 1, xs.base, ps.base);
  });
  if (k * inner * 4 > ctx.maxBindingBytes) sumRowSplit(ctx, partial, 0, out, outRow, k, inner, scale);
  else {
    const os = sliceOf(out, outRow * inner, inner, align);
    sumAxisKernel(ctx, sliceOf(partial, 0, k * inner, align).binding, os.binding, 1, k, inner, scale, 0, os.base);
  }
  ctx.storage.release(partial.buffer);
}
