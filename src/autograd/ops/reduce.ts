// Sums and means over an axis.
import { normAxis, sizeOf } from '../../kernels/shape.js';
import { record } from '../tape.js';
import type { Tensor } from '../tensor.js';
import * as raw from './raw.js';
import { assertSameDevice } from './strided.js';

function reduceAxis(x: Tensor, axis: number | undefined, keepDims: boolean, mean: boolean, op: string): Tensor {
  assertSameDevice(op, x);
  let outer = 1;
  let n = x.size;
  let inner = 1;
  let outShape: number[] = keepDims ? x.shape.map(() => 1) : [];
  // x's shape with 1 on the reduced axes: the gradient is read as this and broadcast back.
  let kept: number[] = x.shape.map(() => 1);
  if (axis !== undefined) {
    const a = normAxis(axis, x.rank, op);
    outer = sizeOf(x.shape.slice(0, a));
    n = x.shape[a];
    inner = sizeOf(x.shape.slice(a + 1));
    outShape = x.shape.map((d, i) => (i === a ? 1 : d)).filter((_, i) => keepDims || i !== a);
    kept = x.shape.map((d, i) => (i === a ? 1 : d));
  }
  const scale = mean ? 1 / Math.max(n, 1) : 1;
  const out = raw.sumAxis(x, outer, n, inner, outShape, scale);
  return record(out, op, [x], (g) => {
    const full = raw.broadcast(g, x.shape, kept);
    if (!mean) return [full];
    const scaled = raw.scale(full, scale);
    full.dispose();
    return [scaled];
  });
}

export function sum(x: Tensor, axis?: number, keepDims = false): Tensor {
  return reduceAxis(x, axis, keepDims, false, 'sum');
}

export function mean(x: Tensor, axis?: number, keepDims = false): Tensor {
  return reduceAxis(x, axis, keepDims, true, 'mean');
}
