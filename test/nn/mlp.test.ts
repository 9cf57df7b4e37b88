// Acceptance for the runtime: a 2-layer MLP learns a synthetic classification
// task on llvmpipe, and 1,000 training steps leave the buffer pool flat.
import { describe, expect, test } from 'vitest';
import * as ag from '../../src/autograd/index.js';
import { Tensor } from '../../src/autograd/index.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { Adam, Linear, Random, ReLU, Sequential } from '../../src/nn/index.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { seeded } from '../helpers/check.js';

const { ctx } = await primaryAdapter();

/** Label = whether a point lies inside a disk: not linearly separable, easy for one hidden layer. */
function dataset(n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const rand = seeded(seed);
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = rand() * 4 - 2;
    const b = rand() * 4 - 2;
    x[2 * i] = a;
    x[2 * i + 1] = b;
    const r = Math.hypot(a, b);
    y[i] = r < 1.2 ? 1 : 0;
  }
  return { x, y };
}

/** Binary cross-entropy on probabilities, composed from runtime ops. */
function bce(p: Tensor, y: Tensor): Tensor {
  const one = ag.addScalar(ag.neg(y), 1);
  const l = ag.add(ag.mul(y, ag.log(p)), ag.mul(one, ag.log(ag.addScalar(ag.neg(p), 1))));
  return ag.neg(ag.mean(l));
}

function makeModel(c: GpuContext, seed: number): Sequential {
  const rng = new Random(seed);
  return new Sequential(new Linear(c, 2, 64, rng), new ReLU(), new Linear(c, 64, 1, rng));
}

describe('2-layer MLP on llvmpipe', () => {
  test('learns a non-linear task to > 95% test accuracy', async () => {
    const train = dataset(512, 1);
    const testSet = dataset(1000, 2);
    const model = makeModel(ctx, 7);
    const opt = new Adam(model.parameters(), { lr: 0.02 });
    const batch = 128;
    const xAll = Tensor.fromData(ctx, train.x, [512, 2]);
    const yAll = Tensor.fromData(ctx, train.y, [512, 1]);
    let lastLoss = Infinity;
    for (let step = 0; step < 600; step++) {
      const start = (step * batch) % 512;
      const loss = ag.tidy(() => {
        const xb = ag.slice(xAll, 0, start, start + batch);
        const yb = ag.slice(yAll, 0, start, start + batch);
        const l = bce(ag.sigmoid(model.forward(xb)), yb);
        opt.zeroGrad();
        ag.backward(l);
        opt.step();
        return l;
      });
      if (step % 200 === 199) lastLoss = await loss.item();
      loss.dispose();
    }
    expect(lastLoss).toBeLessThan(0.15);
    const xt = Tensor.fromData(ctx, testSet.x, [1000, 2]);
    const logits = ag.noGrad(() => model.forward(xt));
    const out = await logits.read();
    let correct = 0;
    for (let i = 0; i < 1000; i++) if ((out[i] > 0 ? 1 : 0) === testSet.y[i]) correct++;
    console.info(`MLP test accuracy ${(correct / 10).toFixed(1)}% (final train BCE ${lastLoss.toFixed(4)})`);
    expect(correct / 1000).toBeGreaterThan(0.95);
  });

  test('1,000 training steps leave the buffer pool flat (no leak)', async () => {
    const model = makeModel(ctx, 3);
    const opt = new Adam(model.parameters(), { lr: 1e-3 });
    const data = dataset(64, 5);
    const x = Tensor.fromData(ctx, data.x, [64, 2]);
    const y = Tensor.fromData(ctx, data.y, [64, 1]);
    const step = (): void => {
      const l = ag.tidy(() => {
        const loss = bce(ag.sigmoid(model.forward(x)), y);
        opt.zeroGrad();
        ag.backward(loss);
        opt.step();
        return loss;
      });
      l.dispose();
    };
    for (let i = 0; i < 10; i++) step();
    await ctx.sync();
    const warm = ctx.poolStats();
    for (let i = 0; i < 1000; i++) step();
    await ctx.sync();
    const after = ctx.poolStats();
    console.info(`pool after warm-up: ${warm.buffers} buffers / ${warm.bytes} B; after 1,000 steps: ${after.buffers} / ${after.bytes} B, in use ${after.inUse}`);
    expect(after.buffers).toBe(warm.buffers);
    expect(after.bytes).toBe(warm.bytes);
    expect(after.inUse).toBe(warm.inUse);
  });
});
