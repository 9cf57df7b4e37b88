// bceWithLogits against the float64 reference: loss atol 1e-5 + rtol 1e-5,
// gradient atol 1e-6 + rtol 1e-4; finite differences rtol 2e-2 of Σ|g·v|.
import { expect, it } from 'vitest';
import { describeAdapters } from '../helpers/adapters.js';
import { Tensor, backward, bceWithLogits } from '../../src/autograd/index.js';
import { bceRef } from '../reference/cnn.js';
import { expectClose, fdCheck, randArray } from '../helpers/check.js';

const B = 5;
const T = 7;
const targetsOf = (seed: number): number[] => Array.from(randArray(B * T, seed, 0, 1), (v) => (v < 0.3 ? 1 : 0));

await describeAdapters('bceWithLogits', ({ ctx }) => {
  const cases = [
    ['no weight', null, 0, false],
    ['per-element weight', randArray(B * T, 51, 0, 2), 0, false],
    ['row mask (masked mean)', [1, 0, 1, 1, 0], T, false],
    ['per-element weight, PyTorch count mean', randArray(B * T, 52, 0, 2), 0, true],
  ] as const;
  it.each(cases)('loss and gradient match the reference: %s', async (_, w, rowWidth, byCount) => {
    const xs = randArray(B * T, 53, -6, 6);
    const ys = targetsOf(54);
    const x = Tensor.fromData(ctx, xs, [B, T]);
    x.requiresGrad = true;
    const y = Tensor.fromData(ctx, ys, [B, T]);
    const wt = w ? Tensor.fromData(ctx, w, rowWidth ? [B] : [B, T]) : null;
    const loss = bceWithLogits(x, y, wt, { normalize: byCount ? 'count' : 'weight' });
    expect(loss.shape).toEqual([]);
    const ref = bceRef(xs, ys, w, rowWidth, byCount);
    expectClose([await loss.item()], [ref.loss], { atol: 1e-5, rtol: 1e-5 }, 'bce loss');
    backward(loss);
    expectClose(await x.grad!.read(), ref.grad, { atol: 1e-6, rtol: 1e-4 }, 'bce grad');
  });

  it('a row mask gives the mean over labelled rows only', async () => {
    const xs = randArray(B * T, 55, -3, 3);
    const ys = targetsOf(56);
    const masked = await bceWithLogits(Tensor.fromData(ctx, xs, [B, T]), Tensor.fromData(ctx, ys, [B, T]), Tensor.fromData(ctx, [1, 1, 0, 0, 0], [B, 1])).item();
    const labelled = await bceWithLogits(Tensor.fromData(ctx, xs.slice(0, 2 * T), [2, T]), Tensor.fromData(ctx, ys.slice(0, 2 * T), [2, T])).item();
    expect(masked).toBeCloseTo(labelled, 6);
  });

  it('stays finite for huge logits and an all-zero mask', async () => {
    const x = Tensor.fromData(ctx, [1e4, -1e4, 80, -80], [1, 4]);
    x.requiresGrad = true;
    const loss = bceWithLogits(x, Tensor.fromData(ctx, [0, 1, 1, 0], [1, 4]));
    const v = await loss.item();
    expect(v).toBeCloseTo((1e4 + 1e4 + 0 + 0) / 4, 0);
    backward(loss);
    expectClose(await x.grad!.read(), [0.25, -0.25, 0, 0], { atol: 1e-7 }, 'bce grad at huge logits');
    const z = Tensor.fromData(ctx, [1, 2], [2, 1]);
    z.requiresGrad = true;
    const l0 = bceWithLogits(z, Tensor.fromData(ctx, [1, 0], [2, 1]), Tensor.fromData(ctx, [0, 0], [2]));
    expect(await l0.item()).toBe(0);
    backward(l0);
    expect(Array.from(await z.grad!.read())).toEqual([0, 0]);
  });

  it('finite differences agree with backward (with a row mask)', async () => {
    const y = Tensor.fromData(ctx, targetsOf(57), [B, T]);
    const m = Tensor.fromData(ctx, [1, 1, 0, 1, 0], [B]);
    await fdCheck(ctx, [{ data: randArray(B * T, 58, -3, 3), shape: [B, T], check: true }], ([x]) => bceWithLogits(x, y, m), { what: 'bceWithLogits' });
  });
});
