// MaxPool1d forward (with argmax) and its gather-form backward (maxpool.wgsl).
// Windows never cross rows, so tensors larger than one storage binding are split
// into chunks of whole rows (batch × channel), each its own dispatch.
import type { GpuContext } from '../gpu/context.js';
import source from '../../shaders/maxpool.wgsl';
import { type ElementBuffer, planFor, sliceOf } from './batchChunks.js';
import { threadsGrid } from './grid.js';

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

export function maxPoolBackwardKernel(ctx: GpuContext, gy: ElementBuffer, argmax: ElementBuffer, gx: ElementBuffer, rows: number, L: number, Lout: number, kernel: number, stride: number): void {
  const g = { rows, L, Lout, kernel, stride };
  if (rows * L === 0) return;
  const align = ctx.limits.minStorageBufferOffsetAlignment;
  for (const c of rowChunks(ctx, g, 'maxPool1d backward')) {
    const gs = sliceOf(gy, c.start * Lout, c.count * Lout, align);
    const xs = sliceOf(gx, c.start * L, c.count * L, align);
    // Windows that tile the row (stride = kernel, at least one window): a thread per window.
    const tiles = stride === kernel && Lout > 0;
    ctx.dispatch(ctx.shader(MAXPOOL.name, MAXPOOL.source), tiles ? 'backward_tiles' : 'backward', {
      bindings: { gy: gs.binding, saved_argmax: sliceOf(argmax, c.start * Lout, c.count * Lout, align).binding, gx: xs.binding },
      uniforms: { rows: c.count, L, Lout, kernel, stride, in_base: xs.base, out_base: gs.base },
      workgroups: threadsGrid(ctx, c.count * (tiles ? Lout : L), WG),
    });
  }
}
