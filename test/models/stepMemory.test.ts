// A SampleCNN training step (every fused BatchNorm op, the split-free paths,
// Adam) returns every buffer it takes: after warm-up, the pool's buffers in use
// and its size stay the same over 30 more steps, in training and in eval. The
// step is the training runner's (optimizerStep), which the (b) benchmark times.
import { expect, test } from 'vitest';
import { Tensor, bceWithLogits, noGrad, tidy } from '../../src/autograd/index.js';
import { Adam, Random } from '../../src/nn/index.js';
import { SampleCNN, scaledSampleCnn } from '../../src/models/index.js';
import { optimizerStep } from '../../src/train/runner.js';
import { primaryAdapter } from '../helpers/adapters.js';

test('SampleCNN steps keep the buffer pool flat (training and eval)', async () => {
  const { ctx } = await primaryAdapter();
  const cfg = { ...scaledSampleCnn(6, 16), numClasses: 5, dropout: 0.5 };
  const model = new SampleCNN(ctx, cfg, new Random(3));
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const x = Tensor.fromData(ctx, Float32Array.from({ length: 4 * cfg.inputLength }, (_, i) => Math.sin(i * 0.37)), [4, cfg.inputLength]);
  const y = Tensor.fromData(ctx, Float32Array.from({ length: 4 * 5 }, (_, i) => (i % 3 === 0 ? 1 : 0)), [4, 5]);
  const trainStep = async (): Promise<void> => {
    model.train();
    const { loss } = optimizerStep(opt, () => ({ loss: bceWithLogits(model.forward(x), y) }));
    await loss.read();
    loss.dispose();
    model.eval();
    const logits = noGrad(() => tidy(() => model.forward(x)));
    await logits.read();
    logits.dispose();
  };
  for (let i = 0; i < 3; i++) await trainStep();
  await ctx.sync();
  const warm = ctx.poolStats();
  for (let i = 0; i < 30; i++) await trainStep();
  await ctx.sync();
  const after = ctx.poolStats();
  console.info(`[step memory] after warm-up ${warm.inUse} in use / ${warm.buffers} buffers / ${warm.bytes} B; after 30 more steps ${after.inUse} / ${after.buffers} / ${after.bytes} B`);
  expect(after.inUse).toBe(warm.inUse);
  expect(after.buffers).toBe(warm.buffers);
  expect(after.bytes).toBe(warm.bytes);
  for (const t of [x, y]) t.dispose();
  opt.dispose();
  model.dispose();
});
