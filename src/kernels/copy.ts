// Strided writes (concat, slice backward) and fills. The scatter binds whole
// tensors (its callers, concat and slice backward, see only small ones in
// training); fills split like the elementwise ops.
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/copy.wgsl';
import { type ElementBuffer, planFor, sliceOf } from './batchChunks.js';
import { threadsGrid } from './grid.js';
import { type Shape, pad4, sizeOf } from './shape.js';

export const COPY = { name: 'copy', source, entries: { scatter: ['src', 'dst'], fill: ['filled'] } } as const;

const WG = 256;

/** dst[dstOffset + coords·dstStrides] = src[coords] for every coordinate of srcShape. */
export function scatterKernel(ctx: GpuContext, src: BufferBinding, srcShape: Shape, dst: BufferBinding, dstStrides: readonly [number, number, number, number], dstOffset: number): void {
  const n = sizeOf(srcShape);
  if (n === 0) return;
  ctx.dispatch(ctx.shader(COPY.name, COPY.source), 'scatter', {
    bindings: { src, dst },
    uniforms: { n, dst_offset: dstOffset, src_shape: pad4(srcShape, 'scatter'), dst_strides: dstStrides },
    workgroups: threadsGrid(ctx, n, WG),
  });
}

/** Fills a whole tensor; one larger than a storage binding is filled in aligned chunks. */
export function fillKernel(ctx: GpuContext, target: ElementBuffer, n: number, value: number): void {
  if (n === 0) return;
  const align = ctx.limits.minStorageBufferOffsetAlignment;
  for (const c of planFor(ctx, { op: 'fill', shape: [n], items: n, perItem: [1] }).chunks) {
    ctx.dispatch(ctx.shader(COPY.name, COPY.source), 'fill', {
      bindings: { filled: sliceOf(target, c.start, c.count, align).binding },
      uniforms: { n: c.count, value },
      workgroups: threadsGrid(ctx, c.count, WG),
    });
  }
}
