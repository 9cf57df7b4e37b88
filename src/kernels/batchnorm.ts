// BatchNorm1d kernels (batchnorm.wgsl): per-channel statistics with the running
// update in place, normalisation, and the two backward passes.
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/batchnorm.wgsl';
import { grid1d, threadsGrid } from './grid.js';

export const BATCHNORM = {
  name: 'batchnorm',
  source,
  entries: {
    stats: ['x', 'batch_stats', 'running_mean', 'running_var'],
    normalize: ['x', 'gamma', 'beta', 'y', 'saved'],
    backward_reduce: ['x', 'gy', 'saved', 'sums'],
    backward_input: ['x', 'gamma', 'gy', 'saved', 'sums_in', 'gx'],
  },
} as const;

export interface BatchNormGeometry {
  N: number;
  C: number;
  L: number;
  momentum: number;
  eps: number;
  training: boolean;
}

const WG = 256;

function uniforms(g: BatchNormGeometry): Record<string, number> {
  return { N: g.N, C: g.C, L: g.L, momentum: g.momentum, eps: g.eps, training: g.training ? 1 : 0 };
}

/** Batch mean and biased variance into stats [2C]; running stats updated in place. */
export function batchNormStatsKernel(ctx: GpuContext, g: BatchNormGeometry, x: BufferBinding, stats: BufferBinding, runningMean: BufferBinding, runningVar: BufferBinding): void {
  ctx.dispatch(ctx.shader(BATCHNORM.name, BATCHNORM.source), 'stats', {
    bindings: { x, batch_stats: stats, running_mean: runningMean, running_var: runningVar },
    uniforms: uniforms(g),
    workgroups: grid1d(ctx, g.C),
  });
}

export function batchNormNormalizeKernel(ctx: GpuContext, g: BatchNormGeometry, x: BufferBinding, saved: BufferBinding, gamma: BufferBinding, beta: BufferBinding, y: BufferBinding): void {
  ctx.dispatch(ctx.shader(BATCHNORM.name, BATCHNORM.source), 'normalize', {
    bindings: { x, saved, gamma, beta, y },
    uniforms: uniforms(g),
    workgroups: threadsGrid(ctx, g.N * g.C * g.L, WG),
  });
}

/** sums [2C] = (Σg, Σg·x̂) per channel. */
export function batchNormBackwardReduceKernel(ctx: GpuContext, g: BatchNormGeometry, x: BufferBinding, gy: BufferBinding, saved: BufferBinding, sums: BufferBinding): void {
  ctx.dispatch(ctx.shader(BATCHNORM.name, BATCHNORM.source), 'backward_reduce', {
    bindings: { x, gy, saved, sums },
    uniforms: uniforms(g),
    workgroups: grid1d(ctx, g.C),
  });
}

export function batchNormBackwardInputKernel(ctx: GpuContext, g: BatchNormGeometry, x: BufferBinding, gamma: BufferBinding, gy: BufferBinding, saved: BufferBinding, sums: BufferBinding, gx: BufferBinding): void {
  ctx.dispatch(ctx.shader(BATCHNORM.name, BATCHNORM.source), 'backward_input', {
    bindings: { x, gamma, gy, saved, sums_in: sums, gx },
    uniforms: uniforms(g),
    workgroups: threadsGrid(ctx, g.N * g.C * g.L, WG),
  });
}
