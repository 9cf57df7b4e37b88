// Inverted dropout; the mask is a hash of (seed, index), so backward reuses the seed.
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/dropout.wgsl';
import { threadsGrid } from './grid.js';

export const DROPOUT = { name: 'dropout', source, entries: { apply_mask: ['x', 'out'] } } as const;

export function dropoutKernel(ctx: GpuContext, x: BufferBinding, out: BufferBinding, n: number, p: number, seed: number): void {
  if (!(p >= 0 && p < 1)) throw new Error(`dropout: p must be in [0, 1), got ${p}`);
  if (n === 0) return;
  ctx.dispatch(ctx.shader(DROPOUT.name, DROPOUT.source), 'apply_mask', {
    bindings: { x, out },
    uniforms: { n, seed: seed >>> 0, threshold: Math.min(Math.round(p * 2 ** 32), 0xffffffff), scale: 1 / (1 - p) },
    workgroups: threadsGrid(ctx, n, 256),
  });
}
