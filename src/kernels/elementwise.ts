// Elementwise kernels: unary ops (also gather: copy/transpose/slice/broadcast)
// and broadcasting binary ops. Shapes and strides travel in the uniform.
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/elementwise.wgsl';
import { threadsGrid } from './grid.js';
import { type Shape, pad4, sizeOf } from './shape.js';

export const ELEMENTWISE = { name: 'elementwise', source, entries: { unary: ['a', 'out'], binary: ['a', 'b', 'out'] } } as const;

export const UnaryOp = { affine: 0, relu: 1, sigmoid: 2, exp: 3, log: 4 } as const;
export type UnaryOpName = keyof typeof UnaryOp;
export const BinaryOp = { add: 0, sub: 1, mul: 2, div: 3, reluGrad: 4, sigmoidGrad: 5, logGrad: 6 } as const;
export type BinaryOpName = keyof typeof BinaryOp;

/** An input read through rank-4 strides from an element offset. */
export interface StridedInput {
  buffer: BufferBinding;
  strides: readonly [number, number, number, number];
  offset: number;
}

const WG = 256;

export function unaryKernel(ctx: GpuContext, op: UnaryOpName, a: StridedInput, out: BufferBinding, outShape: Shape, alpha = 1, beta = 0): void {
  const n = sizeOf(outShape);
  if (n === 0) return;
  ctx.dispatch(ctx.shader(ELEMENTWISE.name, ELEMENTWISE.source), 'unary', {
    bindings: { a: a.buffer, out },
    uniforms: {
      n, op: UnaryOp[op], alpha, beta,
      out_shape: pad4(outShape, op), a_strides: a.strides, b_strides: [0, 0, 0, 0], a_offset: a.offset, b_offset: 0,
    },
    workgroups: threadsGrid(ctx, n, WG),
  });
}

export function binaryKernel(ctx: GpuContext, op: BinaryOpName, a: StridedInput, b: StridedInput, out: BufferBinding, outShape: Shape, alpha = 1): void {
  const n = sizeOf(outShape);
  if (n === 0) return;
  ctx.dispatch(ctx.shader(ELEMENTWISE.name, ELEMENTWISE.source), 'binary', {
    bindings: { a: a.buffer, b: b.buffer, out },
    uniforms: {
      n, op: BinaryOp[op], alpha, beta: 0,
      out_shape: pad4(outShape, op), a_strides: a.strides, b_strides: b.strides, a_offset: a.offset, b_offset: b.offset,
    },
    workgroups: threadsGrid(ctx, n, WG),
  });
}
