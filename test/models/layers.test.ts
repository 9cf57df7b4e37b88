// The nn layers the SampleCNN is built from: PyTorch names, shapes, default
// initialisation bounds and the forward they delegate to.
import { describe, expect, test } from 'vitest';
import { Tensor, backward, relu, sum, tidy } from '../../src/autograd/index.js';
import { BatchNorm1d } from '../../src/nn/batchnorm1d.js';
import { Conv1d } from '../../src/nn/conv1d.js';
import { MaxPool1d } from '../../src/nn/maxpool1d.js';
import { Flatten } from '../../src/nn/flatten.js';
import { ReLU, Random, Sequential } from '../../src/nn/index.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { expectClose } from '../helpers/check.js';

const { ctx } = await primaryAdapter();

describe('Conv1d', () => {
  test('PyTorch names, shapes and U(±1/√fan_in) init for weight and bias', async () => {
    const conv = new Conv1d(ctx, 8, 16, 3, new Random(1), { padding: 1 });
    expect(conv.namedParameters().map(([n, t]) => [n, t.shape])).toEqual([['weight', [16, 8, 3]], ['bias', [16]]]);
    const bound = 1 / Math.sqrt(8 * 3);
    // Spread over the whole range, not a narrower one: 384 weights reach 95% of the bound, 16 biases 50%.
    for (const [t, reach] of [[conv.weight, 0.95], [conv.bias!, 0.5]] as const) {
      const max = Math.max(...(await t.read()).map(Math.abs));
      expect(max).toBeLessThanOrEqual(bound);
      expect(max).toBeGreaterThan(reach * bound);
    }
    expect(new Conv1d(ctx, 2, 3, 1, new Random(1), { bias: false }).namedParameters().map(([n]) => n)).toEqual(['weight']);
    conv.dispose();
  });

  test('forward matches a direct sum; stride 3 without padding as in block 0', async () => {
    const conv = new Conv1d(ctx, 1, 2, 3, new Random(2), { stride: 3 });
    const xs = Float32Array.from({ length: 9 }, (_, i) => i - 4);
    const x = Tensor.fromData(ctx, xs, [1, 1, 9]);
    const y = conv.forward(x);
    expect(y.shape).toEqual([1, 2, 3]);
    const w = await conv.weight.read();
    const b = await conv.bias!.read();
    const want: number[] = [];
    for (let o = 0; o < 2; o++) for (let l = 0; l < 3; l++) want.push(b[o] + w[o * 3] * xs[3 * l] + w[o * 3 + 1] * xs[3 * l + 1] + w[o * 3 + 2] * xs[3 * l + 2]);
    expectClose(await y.read(), want, { ofMax: 1e-6 }, 'conv forward');
    for (const t of [x, y]) t.dispose();
    conv.dispose();
  });
});

describe('Flatten', () => {
  test('[N, C, 1] → [N, C] and the gradient flows back unchanged', async () => {
    const x = Tensor.fromData(ctx, [1, 2, 3, 4, 5, 6], [2, 3, 1]);
    x.requiresGrad = true;
    const y = new Flatten().forward(x);
    expect(y.shape).toEqual([2, 3]);
    tidy(() => backward(sum(y)));
    expect([...(await x.grad!.read())]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(() => new Flatten().forward(Tensor.zeros(ctx, [3]))).toThrow(/expected \[N, \.\.\.\]/);
    x.dispose();
    y.dispose();
  });
});

describe('BatchNorm1d', () => {
  test('PyTorch names and initial state: γ=1, β=0, running mean 0, var 1, counter 0', async () => {
    const bn = new BatchNorm1d(ctx, 3);
    expect(bn.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    const bufs = new Map(bn.namedBuffers());
    expect([...bufs.keys()]).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
    expect([...(await bn.weight.read())]).toEqual([1, 1, 1]);
    expect([...(await bn.bias.read())]).toEqual([0, 0, 0]);
    expect([...(await bufs.get('running_mean')!.read())]).toEqual([0, 0, 0]);
    expect([...(await bufs.get('running_var')!.read())]).toEqual([1, 1, 1]);
    expect(bufs.get('num_batches_tracked')!.shape).toEqual([]);
    expect(await bufs.get('num_batches_tracked')!.item()).toBe(0);
    bn.dispose();
  });

  test('training updates running stats (unbiased var, momentum 0.1) and counts batches; eval does neither', async () => {
    const bn = new BatchNorm1d(ctx, 1);
    const x = Tensor.fromData(ctx, [1, 2, 3, 6], [2, 1, 2]);
    tidy(() => bn.forward(x));
    tidy(() => bn.forward(x));
    bn.eval();
    const y = bn.forward(x);
    const bufs = new Map(bn.namedBuffers());
    // mean 3, unbiased var 14/3: two updates from (0, 1).
    expectClose(await bufs.get('running_mean')!.read(), [0.3 * 0.9 + 0.3], { ofMax: 1e-6 }, 'running_mean');
    const v1 = 0.9 + 0.1 * (14 / 3);
    expectClose(await bufs.get('running_var')!.read(), [0.9 * v1 + 0.1 * (14 / 3)], { ofMax: 1e-6 }, 'running_var');
    expect(await bufs.get('num_batches_tracked')!.item()).toBe(2);
    const rm = 0.57;
    const rv = 0.9 * v1 + 0.1 * (14 / 3);
    expectClose(await y.read(), [1, 2, 3, 6].map((v) => (v - rm) / Math.sqrt(rv + 1e-5)), { ofMax: 1e-5 }, 'eval output');
    expect(() => bn.forward(Tensor.zeros(ctx, [2, 4]))).toThrow(/BatchNorm1d\(1\): expected \[N, 1\]/);
    for (const t of [x, y]) t.dispose();
    bn.dispose();
  });
});

describe('BatchNorm1d fused with ReLU (and MaxPool1d)', () => {
  /**
   * BatchNorm1d(4)'s fused forms, forwardWithRelu and forwardWithReluPool(3),
   * against the same layers called one by one (no fusion): output, every
   * gradient, the running statistics, and how many dispatches fewer forward +
   * backward took fused. Sequential(BatchNorm1d, ReLU[, MaxPool1d]) is a plain
   * sequence and runs the layers one by one: the same dispatches as apart.
   */
  async function dispatchesSavedByFusion(L: number, withPool: boolean): Promise<number> {
    const [N, C] = [3, 4];
    const xs = Float32Array.from({ length: N * C * L }, (_, i) => Math.sin(i * 1.3) * 2 + 0.3);
    const run = async (how: 'fused' | 'apart' | 'sequential'): Promise<{ out: Float32Array[]; dispatches: number }> => {
      const bn = new BatchNorm1d(ctx, C);
      bn.weight.write(Float32Array.from([1.5, -0.5, 0.8, 1]));
      bn.bias.write(Float32Array.from([0.1, 0.2, -0.3, 0]));
      const pool = new MaxPool1d(3);
      const seq = withPool ? new Sequential(bn, new ReLU(), pool) : new Sequential(bn, new ReLU());
      const x = Tensor.fromData(ctx, xs, [N, C, L]);
      x.requiresGrad = true;
      const before = ctx.counters.dispatches;
      const y = tidy(() => {
        const apart = (): Tensor => relu(bn.forward(x));
        const fusedForm = (): Tensor => (withPool ? bn.forwardWithReluPool(x, 3) : bn.forwardWithRelu(x));
        const out = how === 'fused' ? fusedForm() : how === 'sequential' ? seq.forward(x) : withPool ? pool.forward(apart()) : apart();
        backward(out, Tensor.fromData(ctx, Float32Array.from({ length: out.size }, (_, i) => Math.cos(i * 0.7)), out.shape));
        return out;
      });
      const dispatches = ctx.counters.dispatches - before;
      const out: Float32Array[] = [];
      for (const t of [y, x.grad!, bn.weight.grad!, bn.bias.grad!, bn.runningMean, bn.runningVar]) out.push(Float32Array.from(await t.read()));
      y.dispose();
      x.grad!.dispose();
      x.dispose();
      seq.dispose();
      return { out, dispatches };
    };
    const fused = await run('fused');
    const apart = await run('apart');
    const sequential = await run('sequential');
    ['output', 'grad-input', 'grad-gamma', 'grad-beta', 'running mean', 'running var'].forEach((what, i) => expectClose(fused.out[i], apart.out[i], { ofMax: 1e-6 }, what));
    ['output', 'grad-input', 'grad-gamma', 'grad-beta', 'running mean', 'running var'].forEach((what, i) => expectClose(sequential.out[i], apart.out[i], { atol: 0 }, `Sequential ${what}`));
    expect(sequential.dispatches, 'Sequential runs its layers one by one, fusing nothing').toBe(apart.dispatches);
    expect(fused.out[0].some((v) => v === 0) && fused.out[0].some((v) => v > 0), 'the ReLU cut some values and passed others').toBe(true);
    return apart.dispatches - fused.dispatches;
  }

  test('forwardWithRelu: the same output, gradients and running stats as the two ops, 2 dispatches fewer', async () => {
    // No relu forward or backward pass of its own.
    expect(await dispatchesSavedByFusion(7, false)).toBe(2);
  });

  test('forwardWithReluPool(3) runs BatchNorm1d, ReLU, MaxPool1d(3) as one op: the same output, gradients and running stats as the three ops, 4 dispatches fewer', async () => {
    // L = 20: 6 windows of 3 and a tail of 2. No normalize, relu or pool pass of their own, either way.
    expect(await dispatchesSavedByFusion(20, true)).toBe(4);
  });
});

describe('MaxPool1d', () => {
  test('kernel 3 stride 3 keeps the maximum of each window, dropping a partial last window', async () => {
    const x = Tensor.fromData(ctx, [1, 5, 2, -1, -3, -2, 9, 0, 0, 7], [1, 1, 10]);
    const y = new MaxPool1d(3, 3).forward(x);
    expect(y.shape).toEqual([1, 1, 3]);
    expect([...(await y.read())]).toEqual([5, -1, 9]);
    expect(new MaxPool1d(3).stride).toBe(3);
    for (const t of [x, y]) t.dispose();
  });
});
