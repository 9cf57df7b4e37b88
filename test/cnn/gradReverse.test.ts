// Gradient reversal between two linear layers: forward is unchanged, and every
// gradient below the reversal is exactly −λ times the plain one (rtol 1e-6);
// the layer above it is untouched.
import { expect, it } from 'vitest';
import { describeAdapters } from '../helpers/adapters.js';
import { Tensor, backward, gradReverse, linear, relu, sum } from '../../src/autograd/index.js';
import { expectClose, randArray } from '../helpers/check.js';

await describeAdapters('gradReverse between two linear layers', ({ ctx }) => {
  it.each([0.05, 1])('grads below the reversal are −λ × the plain ones (λ = %f)', async (lambda) => {
    const run = async (reverse: boolean): Promise<{ y: Float32Array; gx: Float32Array; gw1: Float32Array; gw2: Float32Array }> => {
      const x = Tensor.fromData(ctx, randArray(4 * 6, 81), [4, 6]);
      const w1 = Tensor.fromData(ctx, randArray(5 * 6, 82), [5, 6]);
      const w2 = Tensor.fromData(ctx, randArray(3 * 5, 83), [3, 5]);
      for (const t of [x, w1, w2]) t.requiresGrad = true;
      const h = relu(linear(x, w1));
      const y = linear(reverse ? gradReverse(h, { value: lambda }) : h, w2);
      backward(sum(y));
      return { y: (await y.read()) as Float32Array, gx: (await x.grad!.read()) as Float32Array, gw1: (await w1.grad!.read()) as Float32Array, gw2: (await w2.grad!.read()) as Float32Array };
    };
    const plain = await run(false);
    const rev = await run(true);
    expectClose(rev.y, plain.y, { atol: 0 }, 'forward unchanged');
    expectClose(rev.gw2, plain.gw2, { atol: 0 }, 'layer above the reversal unchanged');
    expectClose(rev.gw1, Array.from(plain.gw1, (v) => -lambda * v), { atol: 1e-7, rtol: 1e-6 }, 'first layer weight grad reversed');
    expectClose(rev.gx, Array.from(plain.gx, (v) => -lambda * v), { atol: 1e-7, rtol: 1e-6 }, 'input grad reversed');
    expect(plain.gw1.some((v) => Math.abs(v) > 1e-3)).toBe(true);
  });
});
