// MaxPool1d forward (with argmax) and its gather-form backward (maxpool.wgsl).
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/maxpool.wgsl';
import { threadsGrid } from './grid.js';

export const MAXPOOL = { name: 'maxpool', source, entries: { forward: ['x', 'out', 'argmax'], backward: ['gy', 'saved_argmax', 'gx'] } } as const;

const WG = 256;

export function maxPoolForwardKernel(ctx: GpuContext, x: BufferBinding, out: BufferBinding, argmax: BufferBinding, rows: number, L: number, Lout: number, kernel: number, stride: number): void {
  const n = rows * Lout;
  if (n === 0) return;
  ctx.dispatch(ctx.shader(MAXPOOL.name, MAXPOOL.source), 'forward', {
    bindings: { x, out, argmax },
    uniforms: { rows, L, Lout, kernel, stride },
    workgroups: threadsGrid(ctx, n, WG),
  });
}

export function maxPoolBackwardKernel(ctx: GpuContext, gy: BufferBinding, argmax: BufferBinding, gx: BufferBinding, rows: number, L: number, Lout: number, kernel: number, stride: number): void {
  const n = rows * L;
  if (n === 0) return;
  ctx.dispatch(ctx.shader(MAXPOOL.name, MAXPOOL.source), 'backward', {
    bindings: { gy, saved_argmax: argmax, gx },
    uniforms: { rows, L, Lout, kernel, stride },
    workgroups: threadsGrid(ctx, n, WG),
  });
}
