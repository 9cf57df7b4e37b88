// maxPool1d against the float64 reference (forward values are copies, so exact;
// gradients are sums of ≤ ⌈k/s⌉ f32 values: atol 1e-6), argmax checked exactly,
// and finite differences (h 1e-2 on inputs spaced ≥ 0.05 apart, so no window's
// maximum changes: the loss is linear there and FD is exact up to f32 rounding).
import { expect, it } from 'vitest';
import { describeAdapters } from '../helpers/adapters.js';
import { Tensor, backward, maxPool1d } from '../../src/autograd/index.js';
import { maxPoolBackwardRef, maxPoolRef } from '../reference/cnn.js';
import { expectClose, fdCheck, randArray, rng } from '../helpers/check.js';

/** Distinct values spaced 0.05 apart, shuffled. */
function distinct(n: number, seed: number): number[] {
  const r = rng(seed);
  const v = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.05);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r(0, 1) * (i + 1));
    [v[i], v[j]] = [v[j], v[i]];
  }
  return v;
}

const CASES = [
  { N: 2, C: 3, L: 27, kernel: 3, stride: 3 },
  { N: 1, C: 5, L: 29, kernel: 3, stride: 3 }, // floor mode drops the tail
  { N: 2, C: 2, L: 16, kernel: 4, stride: 1 }, // overlapping windows
  { N: 3, C: 1, L: 11, kernel: 3, stride: 2 },
  { N: 1, C: 1, L: 3, kernel: 3, stride: 3 }, // Lout = 1
  { N: 3, C: 2, L: 601, kernel: 2, stride: 2 }, // windows tiling the row (stride = kernel), a one-position tail, rows over a workgroup
];

await describeAdapters('maxPool1d', ({ ctx }) => {
  it.each(CASES.map((c) => [`N${c.N} C${c.C} L${c.L} k${c.kernel} s${c.stride}`, c] as const))('forward, argmax and backward match the reference: %s', async (_, c) => {
    // Rounded to f32 first, so the reference sees exactly the values the GPU does.
    const xs = Float32Array.from(distinct(c.N * c.C * c.L, 5));
    const x = Tensor.fromData(ctx, xs, [c.N, c.C, c.L]);
    x.requiresGrad = true;
    const y = maxPool1d(x, { kernel: c.kernel, stride: c.stride });
    const ref = maxPoolRef(xs, c.N * c.C, c.L, c.kernel, c.stride);
    expect(y.shape).toEqual([c.N, c.C, ref.Lout]);
    expectClose(await y.read(), ref.y, { atol: 1e-7 }, 'maxPool1d forward');
    const gys = randArray(y.size, 6);
    backward(y, Tensor.fromData(ctx, gys, y.shape));
    expectClose(await x.grad!.read(), maxPoolBackwardRef(gys, ref.argmax, c.N * c.C, c.L, ref.Lout), { atol: 1e-6 }, 'maxPool1d backward');
  });

  it('ties pick the first maximum, as PyTorch does', async () => {
    const x = Tensor.fromData(ctx, [1, 1, 0, 2, 2, 2], [1, 1, 6]);
    x.requiresGrad = true;
    const y = maxPool1d(x, { kernel: 3 });
    backward(y, Tensor.fromData(ctx, [1, 1], [1, 1, 2]));
    expect(Array.from(await x.grad!.read())).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it.each([[3, 3], [3, 1]] as const)('finite differences agree with backward (kernel %i, stride %i)', async (kernel, stride) => {
    await fdCheck(ctx, [{ data: distinct(2 * 2 * 13, 9), shape: [2, 2, 13], check: true }], ([x]) => maxPool1d(x, { kernel, stride }), { what: 'maxPool1d', rtol: 1e-3 });
  });
});
