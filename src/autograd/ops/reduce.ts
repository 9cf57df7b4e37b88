// Sums and means over an axis, and summing a gradient back to a broadcast shape.
import { sumAxisChunked } from '../../kernels/reduce.js';
import { type Shape, normAxis, sizeOf } from '../../kernels/shape.js';
import { record } from '../tape.js';
import { Tensor } from '../tensor.js';
import { broadcastTo, raw } from './elementwise.js';
import { assertSameDevice } from './strided.js';

function sumRaw(x: Tensor, outer: number, n: number, inner: number, outShape: Shape, scale: number): Tensor {
  const out = Tensor.empty(x.ctx, outShape);
  if (n === 0) x.ctx.clear(out.buffer);
  else sumAxisChunked(x.ctx, x.elements(), out.elements(), outer, n, inner, scale);
  return out;
}

function reduceAxis(x: Tensor, axis: number | undefined, keepDims: boolean, mean: boolean, op: string): Tensor {
  assertSameDevice(op, x);
  let outer = 1;
  let n = x.size;
  let inner = 1;
  let outShape: number[] = keepDims ? x.shape.map(() => 1) : [];
  if (axis !== undefined) {
    const a = normAxis(axis, x.rank, op);
    outer = sizeOf(x.shape.slice(0, a));
    n = x.shape[a];
    inner = sizeOf(x.shape.slice(a + 1));
    outShape = x.shape.map((d, i) => (i === a ? 1 : d)).filter((_, i) => keepDims || i !== a);
  }
  const out = sumRaw(x, outer, n, inner, outShape, mean ? 1 / Math.max(n, 1) : 1);
  return record(out, op, [x], (g) => {
    // Broadcast the gradient back over the reduced axis (viewed with kept dims).
    const kept = x.shape.map((d, i) => (axis === undefined || i === normAxis(axis, x.rank, op) ? 1 : d));
    const full = broadcastView(g, kept, x.shape);
    if (!mean) return [full];
    const scaled = raw.unary('affine', full, 1 / Math.max(n, 1));
    full.dispose();
    return [scaled];
  });
}

function broadcastView(g: Tensor, viewShape: Shape, shape: Shape): Tensor {
  const v = g.view(viewShape);
  const full = broadcastTo(v, shape);
  v.dispose();
  return full;
}

export function sum(x: Tensor, axis?: number, keepDims = false): Tensor {
  return reduceAxis(x, axis, keepDims, false, 'sum');
}

export function mean(x: Tensor, axis?: number, keepDims = false): Tensor {
  return reduceAxis(x, axis, keepDims, true, 'mean');
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
      const nextShape = cur.shape.map((d, k) => (k >= i && k <= j ? 1 : d));
      const next = sumRaw(cur, outer, n, inner, nextShape, 1);
      cur.dispose();
      cur = next;
      i = j + 1;
    } else {
      if (target[i] !== cur.shape[i]) throw new Error(`sumToShape: cannot reduce [${g.shape.join(', ')}] to [${shape.join(', ')}]`);
      i++;
    }
  }
  const out = record(cur.view(shape), 'sumToShape', [g], (gg) => [broadcastView(gg, target, g.shape)]);
  cur.dispose();
  return out;
}
