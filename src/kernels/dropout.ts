// Inverted dropout; the mask is a hash of (seed, index), so backward reuses the seed.
// Tensors larger than one storage binding are split into aligned chunks.
import type { GpuContext } from '../gpu/context.js';
import source from '../../shaders/dropout.wgsl';
import { type ElementBuffer, planFor, sliceOf } from './batchChunks.js';
import { threadsGrid } from './grid.js';

export const DROPOUT = { name: 'dropout', source, entries: { apply_mask: ['x', 'out'] } } as const;

export function dropoutKernel(ctx: GpuContext, x: ElementBuffer, out: ElementBuffer, n: number, p: number, seed: number): void {
  if (!(p >= 0 && p < 1)) throw new Error(`dropout: p must be in [0, 1), got ${p}`);
  if (n === 0) return;
  const align = ctx.limits.minStorageBufferOffsetAlignment;
  // One element per item: chunks are whole multiples of the alignment, so every slice is aligned.
  for (const c of planFor(ctx, { op: 'dropout', shape: [n], items: n, perItem: [1, 1] }).chunks) {
    ctx.dispatch(ctx.shader(DROPOUT.name, DROPOUT.source), 'apply_mask', {
      bindings: { x: sliceOf(x, c.start, c.count, align).binding, out: sliceOf(out, c.start, c.count, align).binding },
      uniforms: { n: c.count, first: c.start, seed: seed >>> 0, threshold: Math.min(Math.round(p * 2 ** 32), 0xffffffff), scale: 1 / (1 - p) },
      workgroups: threadsGrid(ctx, c.count, 256),
    });
  }
}
