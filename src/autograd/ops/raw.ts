// Graph-free building blocks of the op files: each runs kernels into a new
// tensor and records nothing. Backward rules are made of these (the tape runs
// them under noGrad, so recording would only cost). Every op file that needs
// another's kernels imports them from here, so no two op files import each
// other (elementwise.ts used to import reduce.ts and back).
import { type BinaryOpName, type StridedInput, type UnaryOpName, binaryKernel, unaryKernel } from '../../kernels/elementwise.js';
import { sumAxisChunked } from '../../kernels/reduce.js';
import { type Shape, broadcastShapes, broadcastStrides4, sizeOf } from '../../kernels/shape.js';
import { Tensor } from '../tensor.js';
import { assertSameDevice, broadcastRead, contiguous } from './strided.js';

export function unary(op: UnaryOpName, x: Tensor, alpha = 1, beta = 0): Tensor {
  assertSameDevice(op, x);
  const out = Tensor.empty(x.ctx, x.shape);
  unaryKernel(x.ctx, op, contiguous(x), out.elements(), x.shape, alpha, beta);
  return out;
}

/** alpha · x (the unary affine op without a shift). */
export function scale(x: Tensor, alpha: number): Tensor {
  return unary('affine', x, alpha);
}

export function binary(op: BinaryOpName, a: Tensor, b: Tensor, alpha = 1): Tensor {
  assertSameDevice(op, a, b);
  const shape = broadcastShapes(a.shape, b.shape, op);
  const out = Tensor.empty(a.ctx, shape);
  binaryKernel(a.ctx, op, broadcastRead(a, shape, op), broadcastRead(b, shape, op), out.elements(), shape, alpha);
  return out;
}

/**
 * A new tensor of `shape` whose elements are read from x through rank-4
 * `strides` from element `offset`: the copy behind permute, slice and
 * broadcast. The elementwise shader has no gather entry point; its unary
 * affine pass with α = 1, β = 0 is one, and this is the one place that uses it so.
 */
export function gather(x: Tensor, strides: StridedInput['strides'], offset: number, shape: Shape): Tensor {
  const out = Tensor.empty(x.ctx, shape);
  unaryKernel(x.ctx, 'affine', { ...x.elements(), strides, offset }, out.elements(), shape, 1, 0);
  return out;
}

/** x, read as `viewShape` (same element count), broadcast to `shape`. */
export function broadcast(x: Tensor, shape: Shape, viewShape: Shape = x.shape): Tensor {
  return gather(x, broadcastStrides4(viewShape, shape, 'broadcast'), 0, shape);
}

/** out = scale · Σ over the middle axis of x read as [outer, n, inner]. */
export function sumAxis(x: Tensor, outer: number, n: number, inner: number, outShape: Shape, scaleBy = 1): Tensor {
  const out = Tensor.empty(x.ctx, outShape);
  if (n === 0) x.ctx.clear(out.buffer);
  else sumAxisChunked(x.ctx, x.elements(), out.elements(), outer, n, inner, scaleBy);
  return out;
}

/**
 * Sums g over the axes where `shape` (left-padded with 1s) is 1 but g is not:
 * the gradient of broadcasting. Runs of adjacent reduced axes are reduced in one pass.
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  const rank = g.rank;
  if (shape.length > rank) throw new Error(`sumToShape: [${shape.join(', ')}] has more dims than [${g.shape.join(', ')}]`);
  const target = [...new Array<number>(rank - shape.length).fill(1), ...shape];
  let cur = g.view(g.shape);
  let i = 0;
  while (i < rank) {
    if (target[i] === 1 && cur.shape[i] !== 1) {
      let j = i;
      while (j + 1 < rank && target[j + 1] === 1 && cur.shape[j + 1] !== 1) j++;
      const outer = sizeOf(cur.shape.slice(0, i));
      const n = sizeOf(cur.shape.slice(i, j + 1));
      const inner = sizeOf(cur.shape.slice(j + 1));
      const next = sumAxis(cur, outer, n, inner, cur.shape.map((d, k) => (k >= i && k <= j ? 1 : d)));
      cur.dispose();
      cur = next;
      i = j + 1;
    } else {
      if (target[i] !== cur.shape[i]) throw new Error(`sumToShape: cannot reduce [${g.shape.join(', ')}] to [${shape.join(', ')}]`);
      i++;
    }
  }
  const out = cur.view(shape);
  cur.dispose();
  return out;
}
