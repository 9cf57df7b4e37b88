// ntXent against the float64 reference: loss atol 1e-5 + rtol 1e-5, gradients
// atol 1e-5 + rtol 1e-3 (f32 cosine similarities); finite differences rtol 2e-2
// of Σ|g·v| with h 1e-2.
import { expect, it } from 'vitest';
import { describeAdapters } from '../helpers/adapters.js';
import { Tensor, backward, ntXent } from '../../src/autograd/index.js';
import { ntXentRef } from '../reference/cnn.js';
import { expectClose, fdCheck, randArray } from '../helpers/check.js';

await describeAdapters('ntXent', ({ ctx }) => {
  it.each([
    [1, 3, 0.5],
    [4, 8, 0.5],
    [5, 7, 0.1],
    [3, 64, 1.0],
  ] as const)('loss and gradients match the reference: N %i, D %i, tau %f', async (N, D, tau) => {
    const a = randArray(N * D, 61);
    const b = Float64Array.from(a, (v, i) => v + 0.3 * Math.sin(i)); // positives resemble their anchors
    const zi = Tensor.fromData(ctx, a, [N, D]);
    const zj = Tensor.fromData(ctx, b, [N, D]);
    zi.requiresGrad = true;
    zj.requiresGrad = true;
    const loss = ntXent(zi, zj, tau);
    expect(loss.shape).toEqual([]);
    const ref = ntXentRef(a, b, N, D, tau);
    expectClose([await loss.item()], [ref.loss], { atol: 1e-5, rtol: 1e-5 }, 'ntXent loss');
    backward(loss);
    expectClose(await zi.grad!.read(), ref.gzi, { atol: 1e-5, rtol: 1e-3 }, 'ntXent grad zi');
    expectClose(await zj.grad!.read(), ref.gzj, { atol: 1e-5, rtol: 1e-3 }, 'ntXent grad zj');
  });

  it('stays finite with a zero row (norm clamped) and large 1/τ', async () => {
    const zi = Tensor.fromData(ctx, [0, 0, 0, 1, 2, 3], [2, 3]);
    const zj = Tensor.fromData(ctx, [1, 0, 0, 1, 2, 3.1], [2, 3]);
    zi.requiresGrad = true;
    const loss = ntXent(zi, zj, 0.01);
    const ref = ntXentRef([0, 0, 0, 1, 2, 3], [1, 0, 0, 1, 2, 3.1], 2, 3, 0.01);
    expectClose([await loss.item()], [ref.loss], { atol: 1e-3, rtol: 1e-4 }, 'ntXent loss (zero row, τ 0.01)');
    backward(loss);
    for (const v of await zi.grad!.read()) expect(Number.isFinite(v)).toBe(true);
  });

  it('finite differences agree with backward', async () => {
    await fdCheck(ctx, [
      { data: randArray(3 * 5, 71), shape: [3, 5], check: true },
      { data: randArray(3 * 5, 72), shape: [3, 5], check: true },
    ], ([a, b]) => ntXent(a, b, 0.5), { what: 'ntXent' });
  });
});
