// NT-Xent kernels (ntxent.wgsl); the two R×R·D products use matmul.ts.
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/ntxent.wgsl';
import { grid1d, threadsGrid } from './grid.js';
import { matmulKernel } from './matmul.js';

export const NTXENT = {
  name: 'ntxent',
  source,
  entries: {
    normalize_rows: ['z', 'zn', 'norms'],
    row_loss_softmax: ['sim', 'row_loss', 'prob'],
    grad_sim: ['saved_prob', 'grad_out', 'grad_sim_out'],
    grad_normalize: ['unit', 'saved_norms', 'dzn', 'dz'],
  },
} as const;

export interface NtXentGeometry {
  R: number;
  D: number;
  tau: number;
}

const WG = 256;

function uniforms(g: NtXentGeometry): Record<string, number> {
  return { R: g.R, D: g.D, half: g.R / 2, inv_tau: 1 / g.tau };
}

export function ntXentNormalizeKernel(ctx: GpuContext, g: NtXentGeometry, z: BufferBinding, zn: BufferBinding, norms: BufferBinding): void {
  ctx.dispatch(ctx.shader(NTXENT.name, NTXENT.source), 'normalize_rows', { bindings: { z, zn, norms }, uniforms: uniforms(g), workgroups: threadsGrid(ctx, g.R, WG) });
}

/** out [R, R] = a [R, D] · b [R, D]ᵀ, or with transposeB false, a [R, R] · b [R, D]. */
export function ntXentProduct(ctx: GpuContext, a: BufferBinding, aCols: number, b: BufferBinding, out: BufferBinding, R: number, D: number, gram: boolean): void {
  if (gram) matmulKernel(ctx, { buffer: a, strides: [0, D, 1], offset: 0 }, { buffer: b, strides: [0, 1, D], offset: 0 }, out, 1, R, R, D, null);
  else matmulKernel(ctx, { buffer: a, strides: [0, aCols, 1], offset: 0 }, { buffer: b, strides: [0, D, 1], offset: 0 }, out, 1, R, D, R, null);
}

export function ntXentRowLossKernel(ctx: GpuContext, g: NtXentGeometry, sim: BufferBinding, rowLoss: BufferBinding, prob: BufferBinding): void {
  ctx.dispatch(ctx.shader(NTXENT.name, NTXENT.source), 'row_loss_softmax', { bindings: { sim, row_loss: rowLoss, prob }, uniforms: uniforms(g), workgroups: grid1d(ctx, g.R) });
}

export function ntXentGradSimKernel(ctx: GpuContext, g: NtXentGeometry, prob: BufferBinding, gradOut: BufferBinding, out: BufferBinding): void {
  ctx.dispatch(ctx.shader(NTXENT.name, NTXENT.source), 'grad_sim', { bindings: { saved_prob: prob, grad_out: gradOut, grad_sim_out: out }, uniforms: uniforms(g), workgroups: threadsGrid(ctx, g.R * g.R, WG) });
}

export function ntXentGradNormalizeKernel(ctx: GpuContext, g: NtXentGeometry, unit: BufferBinding, norms: BufferBinding, dzn: BufferBinding, dz: BufferBinding): void {
  ctx.dispatch(ctx.shader(NTXENT.name, NTXENT.source), 'grad_normalize', { bindings: { unit, saved_norms: norms, dzn, dz }, uniforms: uniforms(g), workgroups: threadsGrid(ctx, g.R, WG) });
}
