// Strided writes (concat, slice backward) and fills.
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/copy.wgsl';
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

export function fillKernel(ctx: GpuContext, target: BufferBinding, n: number, value: number): void {
  if (n === 0) return;
  ctx.dispatch(ctx.shader(COPY.name, COPY.source), 'fill', {
    bindings: { filled: target },
    uniforms: { n, value },
    workgroups: threadsGrid(ctx, n, WG),
  });
}
