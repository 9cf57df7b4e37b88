// Shape ops: reshape (a view), permute/transpose, slice and concat (copies).
import { scatterKernel } from '../../kernels/copy.js';
import { type Shape, contiguousStrides, normAxis, pad4, sizeOf } from '../../kernels/shape.js';
import { record } from '../tape.js';
import { Tensor } from '../tensor.js';
import * as raw from './raw.js';
import { assertSameDevice } from './strided.js';

export function reshape(x: Tensor, shape: Shape): Tensor {
  assertSameDevice('reshape', x);
  // One -1 dimension is inferred, as in PyTorch.
  const known = shape.filter((d) => d !== -1);
  const resolved = shape.map((d) => (d === -1 ? x.size / Math.max(sizeOf(known), 1) : d));
  if (shape.filter((d) => d === -1).length > 1 || !Number.isInteger(sizeOf(resolved)) || sizeOf(resolved) !== x.size) {
    throw new Error(`reshape: cannot reshape [${x.shape.join(', ')}] (${x.size} elements) to [${shape.join(', ')}]`);
  }
  return record(x.view(resolved), 'reshape', [x], (g) => [g.view(x.shape)]);
}

/** Reorders axes: out.shape[k] = x.shape[perm[k]]. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  assertSameDevice('permute', x);
  if (perm.length !== x.rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
    throw new Error(`permute: [${perm.join(', ')}] is not a permutation of ${x.rank} axes`);
  }
  const outShape = perm.map((p) => x.shape[p]);
  const inStrides = contiguousStrides(x.shape);
  const strides = pad4(perm.map((p) => inStrides[p]), 'permute');
  // Padded leading dims have size 1, so their stride is never used.
  const out = raw.gather(x, strides, 0, outShape);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return record(out, 'permute', [x], (g) => [permute(g, inverse)]);
}

/** Swaps two axes (the last two by default). */
export function transpose(x: Tensor, a = -2, b = -1): Tensor {
  const perm = x.shape.map((_, i) => i);
  const ia = normAxis(a, x.rank, 'transpose');
  const ib = normAxis(b, x.rank, 'transpose');
  [perm[ia], perm[ib]] = [perm[ib], perm[ia]];
  return permute(x, perm);
}

/** x[..., start:end, ...] along `axis`. */
export function slice(x: Tensor, axis: number, start: number, end: number): Tensor {
  assertSameDevice('slice', x);
  const ax = normAxis(axis, x.rank, 'slice');
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= x.shape[ax] && start <= end)) {
    throw new Error(`slice: range [${start}, ${end}) is outside axis ${ax} of length ${x.shape[ax]}`);
  }
  const outShape = x.shape.map((d, i) => (i === ax ? end - start : d));
  const strides = contiguousStrides(x.shape);
  const out = raw.gather(x, pad4(strides, 'slice'), start * strides[ax], outShape);
  return record(out, 'slice', [x], (g) => {
    const gx = Tensor.zeros(x.ctx, x.shape);
    scatterKernel(x.ctx, g.binding('slice backward'), g.shape, gx.binding('slice backward'), pad4(strides, 'slice'), start * strides[ax]);
    return [gx];
  });
}

export function concat(xs: readonly Tensor[], axis: number): Tensor {
  if (xs.length === 0) throw new Error('concat: no tensors given');
  assertSameDevice('concat', ...xs);
  const ax = normAxis(axis, xs[0].rank, 'concat');
  for (const t of xs) {
    if (t.rank !== xs[0].rank || t.shape.some((d, i) => i !== ax && d !== xs[0].shape[i])) {
      throw new Error(`concat: shapes ${xs.map((u) => `[${u.shape.join(', ')}]`).join(', ')} differ outside axis ${ax}`);
    }
  }
  const outShape = xs[0].shape.map((d, i) => (i === ax ? xs.reduce((s, t) => s + t.shape[ax], 0) : d));
  const out = Tensor.empty(xs[0].ctx, outShape);
  const strides = contiguousStrides(outShape);
  const starts: number[] = [];
  let at = 0;
  for (const t of xs) {
    starts.push(at);
    scatterKernel(t.ctx, t.binding('concat'), t.shape, out.binding('concat'), pad4(strides, 'concat'), at * strides[ax]);
    at += t.shape[ax];
  }
  return record(out, 'concat', xs, (g) => xs.map((t, i) => (t.requiresGrad ? slice(g, ax, starts[i], starts[i] + t.shape[ax]) : null)));
}
