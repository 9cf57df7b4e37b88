// conv1d through autograd (forward, then backward into input, weight and bias)
// against the float64 reference, shared by the conv1d suite and the 2-D grid
// suite. Tolerances (f32 accumulation over at most a few hundred products of
// O(1) values): forward atol 1e-4 + rtol 1e-4, grad-input atol 2e-4 + rtol
// 1e-3, grad-weight and grad-bias rtol 1e-3 with atol `sumAtol` (2e-4; shapes
// whose weight reductions reach ~1000 products or more pass 2e-3).
import { expect } from 'vitest';
import { Tensor, backward, conv1d } from '../../src/autograd/index.js';
import type { GpuContext } from '../../src/gpu/context.js';
import type { Conv1dGeometry } from '../../src/kernels/conv1dKernels.js';
import { expectClose, randArray } from '../helpers/check.js';
import { conv1dBackwardRef, conv1dRef } from '../reference/cnn.js';

export interface Conv1dCase extends Conv1dGeometry {
  bias: boolean;
}

export async function checkConv1d(ctx: GpuContext, c: Conv1dCase, opts: { seed: number; sumAtol?: number; what?: string }): Promise<void> {
  const what = (part: string): string => `conv1d ${part}${opts.what ? ` (${opts.what})` : ''}`;
  const sumTol = { atol: opts.sumAtol ?? 2e-4, rtol: 1e-3 };
  const xs = randArray(c.N * c.Cin * c.L, opts.seed);
  const ws = randArray(c.Cout * c.Cin * c.K, opts.seed + 1, -0.5, 0.5);
  const bs = c.bias ? randArray(c.Cout, opts.seed + 2) : null;
  const x = Tensor.fromData(ctx, xs, [c.N, c.Cin, c.L]);
  const w = Tensor.fromData(ctx, ws, [c.Cout, c.Cin, c.K]);
  const b = bs ? Tensor.fromData(ctx, bs, [c.Cout]) : null;
  for (const t of [x, w, b]) if (t) t.requiresGrad = true;
  const y = conv1d(x, w, b, { stride: c.stride, padding: c.padding });
  const ref = conv1dRef(xs, ws, bs, c.N, c.Cin, c.L, c.Cout, c.K, c.stride, c.padding);
  expect(y.shape, what('output shape')).toEqual([c.N, c.Cout, ref.Lout]);
  expectClose(await y.read(), ref.y, { atol: 1e-4, rtol: 1e-4 }, what('forward'));
  const gys = randArray(y.size, opts.seed + 3);
  backward(y, Tensor.fromData(ctx, gys, y.shape));
  const gref = conv1dBackwardRef(xs, ws, gys, c.N, c.Cin, c.L, c.Cout, c.K, c.stride, c.padding);
  expectClose(await x.grad!.read(), gref.gx, { atol: 2e-4, rtol: 1e-3 }, what('grad-input'));
  expectClose(await w.grad!.read(), gref.gw, sumTol, what('grad-weight'));
  if (b) expectClose(await b.grad!.read(), gref.gb, sumTol, what('grad-bias'));
  for (const t of [x, w, b, y]) t?.dispose();
}
