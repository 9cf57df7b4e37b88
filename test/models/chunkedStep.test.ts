// A small SampleCNN training step (forward, BCE, backward, SGD) with the storage
// binding limit lowered to 4 KB, so the front-end activations ([8, 4, 81]
// floats, 10 KB) go through every op's split path, gives the loss, gradients,
// BatchNorm running statistics and updated parameters of the same step at the
// device's limit (atol 1e-5, rtol 1e-4: f32 sums over the batch reassociate).
// SGD rather than Adam: a conv bias followed by BatchNorm has a gradient that is
// 0 up to rounding, and Adam's first step turns the sign of that rounding into
// ±lr, so it would compare noise; SGD's update is continuous in the gradient.
import { describe, expect, test } from 'vitest';
import { Tensor, backward, bceWithLogits, tidy } from '../../src/autograd/index.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { buildModels, disposeModels, scaledModelConfig } from '../../src/models/index.js';
import { Random, SGD } from '../../src/nn/index.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { expectClose, randArray } from '../helpers/check.js';

const { ctx } = await primaryAdapter();
const BATCH = 8;
const LIMIT = 4096;

interface StepResult {
  loss: number;
  named: Map<string, Float32Array>;
  dispatches: number;
}

async function step(c: GpuContext, limit: number | null): Promise<StepResult> {
  const cfg = scaledModelConfig(5, 32);
  const set = buildModels(c, cfg, 'supervised', new Random(3));
  const model = set.supervised!;
  model.train();
  const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const L = cfg.sampleCnn.inputLength;
  const x = Tensor.fromData(c, randArray(BATCH * L, 31), [BATCH, L]);
  const y = Tensor.fromData(c, Array.from({ length: BATCH * cfg.sampleCnn.numClasses }, (_, i) => ((i * 7) % 5 === 0 ? 1 : 0)), [BATCH, cfg.sampleCnn.numClasses]);
  const saved = c.maxBindingBytes;
  const named = new Map<string, Float32Array>();
  const before = c.counters.dispatches;
  try {
    if (limit !== null) c.maxBindingBytes = limit;
    const loss = tidy(() => {
      const l = bceWithLogits(model.forward(x), y);
      opt.zeroGrad();
      backward(l);
      return l;
    });
    for (const [n, p] of model.namedParameters()) named.set(`grad ${n}`, (await p.grad!.read()) as Float32Array);
    opt.step();
    for (const [n, t] of model.stateEntries()) named.set(n, (await t.read()) as Float32Array);
    const value = await loss.item();
    loss.dispose();
    return { loss: value, named, dispatches: c.counters.dispatches - before };
  } finally {
    c.maxBindingBytes = saved;
    x.dispose();
    y.dispose();
    for (const b of opt.buffers.values()) b.dispose();
    disposeModels(set);
  }
}

describe('SampleCNN training step with tensors larger than one binding', () => {
  test(`binding limit ${LIMIT} bytes: same loss, gradients, running stats and updated parameters`, async () => {
    const whole = await step(ctx, null);
    const split = await step(ctx, LIMIT);
    console.log(`[chunked step] dispatches: ${whole.dispatches} at the device limit, ${split.dispatches} at ${LIMIT} bytes`);
    expect(split.dispatches, 'the lowered limit splits ops into more dispatches').toBeGreaterThan(whole.dispatches + 10);
    expect(Number.isFinite(whole.loss)).toBe(true);
    expect(Math.abs(split.loss - whole.loss)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(whole.loss)));
    expect([...split.named.keys()]).toEqual([...whole.named.keys()]);
    expect(whole.named.has('grad sequential.0.0.weight') && whole.named.has('sequential.1.1.running_var')).toBe(true);
    for (const [name, want] of whole.named) expectClose(split.named.get(name)!, want, { atol: 1e-5, rtol: 1e-4 }, name);
  });
});
