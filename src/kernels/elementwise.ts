// Elementwise kernels: unary ops (also gather: copy/transpose/slice/broadcast)
// and broadcasting binary ops. Shapes and strides travel in the uniform.
// Outputs larger than one storage binding are split into chunks here, so
// callers never see the binding limit.
import type { GpuContext } from '../gpu/context.js';
import source from '../../shaders/elementwise.wgsl';
import type { Chunk, ElementBuffer } from './batchChunks.js';
import { threadsGrid } from './grid.js';
import { type Shape, contiguousStrides, pad4, sizeOf } from './shape.js';

export const ELEMENTWISE = { name: 'elementwise', source, entries: { unary: ['a', 'out'], binary: ['a', 'b', 'out'] } } as const;

export const UnaryOp = { affine: 0, relu: 1, sigmoid: 2, exp: 3, log: 4 } as const;
export type UnaryOpName = keyof typeof UnaryOp;
export const BinaryOp = { add: 0, sub: 1, mul: 2, div: 3, reluGrad: 4, sigmoidGrad: 5, logGrad: 6 } as const;
export type BinaryOpName = keyof typeof BinaryOp;


/** An input read through rank-4 strides from an element offset. */
export interface StridedInput extends ElementBuffer {
  strides: readonly [number, number, number, number];
  offset: number;
}

const WG = 256;

/** Chunks of the output that fit one binding, aligned to the storage offset alignment. */
function chunksOf(ctx: GpuContext, n: number): Chunk[] {
  const align = ctx.limits.minStorageBufferOffsetAlignment / 4;
  const limit = Math.floor(ctx.maxBindingBytes / 4 / align) * align;
  const out: Chunk[] = [];
  for (let start = 0; start < n; start += limit) out.push({ start, count: Math.min(limit, n - start) });
  return out;
}

function range(buf: ElementBuffer, start: number, count: number): GPUBufferBinding {
  return { buffer: buf.buffer, offset: start * 4, size: Math.max(count, 1) * 4 };
}

/**
 * How an input is bound for one output chunk: whole when it fits one binding;
 * otherwise it must be read element-for-element (contiguous, same size as the
 * output), and the same slice as the output is bound.
 */
function bindInput(ctx: GpuContext, x: StridedInput, outShape: Shape, chunk: Chunk, op: string): { binding: GPUBufferBinding; bind: number } {
  if (x.size * 4 <= ctx.maxBindingBytes) return { binding: range(x, 0, x.size), bind: 0 };
  const shape4 = pad4(outShape, op);
  const expected = contiguousStrides(shape4);
  const contiguous = x.offset === 0 && x.size === sizeOf(outShape) && shape4.every((d, i) => d === 1 || x.strides[i] === expected[i]);
  if (!contiguous) throw new Error(`${op}: an input of ${x.size * 4} bytes exceeds one storage binding (${ctx.maxBindingBytes} bytes) and is not read element-for-element; make it contiguous and the same shape as the output`);
  return { binding: range(x, chunk.start, chunk.count), bind: chunk.start };
}

export function unaryKernel(ctx: GpuContext, op: UnaryOpName, a: StridedInput, out: ElementBuffer, outShape: Shape, alpha = 1, beta = 0): void {
  const n = sizeOf(outShape);
  for (const chunk of chunksOf(ctx, n)) {
    const ia = bindInput(ctx, a, outShape, chunk, op);
    ctx.dispatch(ctx.shader(ELEMENTWISE.name, ELEMENTWISE.source), 'unary', {
      bindings: { a: ia.binding, out: range(out, chunk.start, chunk.count) },
      uniforms: {
        n: chunk.count, op: UnaryOp[op], alpha, beta,
        out_shape: pad4(outShape, op), a_strides: a.strides, b_strides: [0, 0, 0, 0], a_offset: a.offset, b_offset: 0,
        out_base: chunk.start, a_bind: ia.bind, b_bind: 0,
      },
      workgroups: threadsGrid(ctx, chunk.count, WG),
    });
  }
}

export function binaryKernel(ctx: GpuContext, op: BinaryOpName, a: StridedInput, b: StridedInput, out: ElementBuffer, outShape: Shape, alpha = 1): void {
  const n = sizeOf(outShape);
  for (const chunk of chunksOf(ctx, n)) {
    const ia = bindInput(ctx, a, outShape, chunk, op);
    const ib = bindInput(ctx, b, outShape, chunk, op);
    ctx.dispatch(ctx.shader(ELEMENTWISE.name, ELEMENTWISE.source), 'binary', {
      bindings: { a: ia.binding, b: ib.binding, out: range(out, chunk.start, chunk.count) },
      uniforms: {
        n: chunk.count, op: BinaryOp[op], alpha, beta: 0,
        out_shape: pad4(outShape, op), a_strides: a.strides, b_strides: b.strides, a_offset: a.offset, b_offset: b.offset,
        out_base: chunk.start, a_bind: ia.bind, b_bind: ib.bind,
      },
      workgroups: threadsGrid(ctx, chunk.count, WG),
    });
  }
}
