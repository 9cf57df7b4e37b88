// MaxPool1d forward (with argmax) and its gather-form backward (maxpool.wgsl).
// Windows never cross rows, so tensors larger than one storage binding are split
// into chunks of whole rows (batch × channel), each its own dispatch.
import type { GpuContext } from '../gpu/context.js';
import source from '../../shaders/maxpool.wgsl';
import { type ElementBuffer, planFor, sliceOf } from './batchChunks.js';
import { threadsGrid } from './grid.js';
import type { Tunable } from '../gpu/tuner.js';
import { trialOperands } from './trialOperands.js';

export const MAXPOOL = { name: 'maxpool', source, entries: { forward: ['x', 'out', 'argmax'], backward: ['gy', 'saved_argmax', 'gx'], backward_tiles: ['gy', 'saved_argmax', 'gx'] } } as const;

const WG = 256;

interface PoolGeometry {
  rows: number;
  L: number;
  Lout: number;
  kernel: number;
  stride: number;
}

function rowChunks(ctx: GpuContext, g: PoolGeometry, op: string) {
  return planFor(ctx, { op, shape: [g.rows, g.L], items: g.rows, perItem: [g.L, g.Lout], hint: 'a single row is longer than one storage binding; use shorter inputs' }).chunks;
}

export function maxPoolForwardKernel(ctx: GpuContext, x: ElementBuffer, out: ElementBuffer, argmax: ElementBuffer, rows: number, L: number, Lout: number, kernel: number, stride: number): void {
  const g = { rows, L, Lout, kernel, stride };
  if (rows * Lout === 0) return;
  const align = ctx.limits.minStorageBufferOffsetAlignment;
  for (const c of rowChunks(ctx, g, 'maxPool1d')) {
    const xs = sliceOf(x, c.start * L, c.count * L, align);
    const os = sliceOf(out, c.start * Lout, c.count * Lout, align);
    ctx.dispatch(ctx.shader(MAXPOOL.name, MAXPOOL.source), 'forward', {
      bindings: { x: xs.binding, out: os.binding, argmax: sliceOf(argmax, c.start * Lout, c.count * Lout, align).binding },
      uniforms: { rows: c.count, L, Lout, kernel, stride, in_base: xs.base, out_base: os.base },
      workgroups: threadsGrid(ctx, c.count * Lout, WG),
    });
  }
}

interface PoolBackwardArgs { gy: ElementBuffer; argmax: ElementBuffer; gx: ElementBuffer }

export const MAXPOOL_BACKWARD: Tunable<PoolGeometry, PoolBackwardArgs> = {
  op: 'maxpool.backward',
  candidates: [
    // Windows that tile the row (stride = kernel, at least one window): a thread per window scatters its gradient.
    { name: 'tiles', applies: (_, g) => g.stride === g.kernel && g.Lout > 0, run: (ctx, g, a) => backwardWith(ctx, a.gy, a.argmax, a.gx, g, true) },
    // Any windows: a thread per input position gathers from the windows that cover it.
    { name: 'gather', applies: () => true, run: (ctx, g, a) => backwardWith(ctx, a.gy, a.argmax, a.gx, g, false) },
  ],
  bucket: (g) => `k${g.kernel} s${g.stride} L${g.L} rows~${2 ** Math.ceil(Math.log2(Math.max(1, g.rows)))}`,
  // Both route each gradient to the same argmax position: exact.
  tolerance: 0,
  trial(ctx, g) {
    const o = trialOperands(ctx, { x: g.rows * g.L, out: g.rows * g.Lout, argmax: g.rows * g.Lout, gy: g.rows * g.Lout, gx: g.rows * g.L });
    maxPoolForwardKernel(ctx, o.x, o.out, o.argmax, g.rows, g.L, g.Lout, g.kernel, g.stride);
    return { args: { gy: o.gy, argmax: o.argmax, gx: o.gx }, output: o.gx, dispose: o.dispose };
  },
};

export function maxPoolBackwardKernel(ctx: GpuContext, gy: ElementBuffer, argmax: ElementBuffer, gx: ElementBuffer, rows: number, L: number, Lout: number, kernel: number, stride: number): void {
  const g = { rows, L, Lout, kernel, stride };
  if (rows * L === 0) return;
  ctx.tuner.choose(MAXPOOL_BACKWARD, g).run(ctx, g, { gy, argmax, gx });
}

function backwardWith(ctx: GpuContext, gy: ElementBuffer, argmax: ElementBuffer, gx: ElementBuffer, g: PoolGeometry, tiles: boolean): void {
  const { rows, L, Lout, kernel, stride } = g;
  const align = ctx.limits.minStorageBufferOffsetAlignment;
  for (const c of rowChunks(ctx, g, 'maxPool1d backward')) {
    const gs = sliceOf(gy, c.start * Lout, c.count * Lout, align);
    const xs = sliceOf(gx, c.start * L, c.count * L, align);
    ctx.dispatch(ctx.shader(MAXPOOL.name, MAXPOOL.source), tiles ? 'backward_tiles' : 'backward', {
      bindings: { gy: gs.binding, saved_argmax: sliceOf(argmax, c.start * Lout, c.count * Lout, align).binding, gx: xs.binding },
      uniforms: { rows: c.count, L, Lout, kernel, stride, in_base: xs.base, out_base: gs.base },
      workgroups: threadsGrid(ctx, c.count * (tiles ? Lout : L), WG),
    });
  }
}
