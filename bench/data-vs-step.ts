// Does data keep up? Stage-1 batches (48 clips × 2 augmented views × 59,049
// samples, noise mixed in) per second from the worker pipeline, beside the time
// of one stage-1 training step (NT-Xent on the same batch shape) on this adapter.
import { Tensor, backward, ntXent, tidy } from '../src/autograd/index.js';
import type { GpuContext } from '../src/gpu/context.js';
import { type ModelConfig, buildModels, disposeModels } from '../src/models/index.js';
import { Adam, Random } from '../src/nn/index.js';
import { benchDataBatch } from '../src/data/batchThroughput.js';
import { timeIt } from './timing.js';

export async function benchDataVsStep(ctx: GpuContext, model: ModelConfig, reps: number): Promise<string> {
  const B = 48;
  const data = await benchDataBatch({ batchSize: B, batches: 4, log: () => {} });
  const set = buildModels(ctx, model, 'pretrain', new Random(1));
  const fe = set.featureExtractor!;
  const opt = new Adam(fe.parameters(), { lr: 3e-4 });
  const L = model.sampleCnn.inputLength;
  const v1 = Tensor.fromData(ctx, new Float32Array(B * L).map((_, i) => Math.sin(i * 0.01)), [B, 1, L]);
  const v2 = Tensor.fromData(ctx, new Float32Array(B * L).map((_, i) => Math.cos(i * 0.013)), [B, 1, L]);
  const step = await timeIt(async () => {
    const loss = tidy(() => {
      const l = ntXent(fe.forward(v1), fe.forward(v2), 0.5);
      opt.zeroGrad();
      backward(l);
      opt.step();
      return l;
    });
    await loss.read();
    loss.dispose();
  }, { reps: Math.min(reps, 3), warmup: 1 });
  v1.dispose();
  v2.dispose();
  opt.dispose();
  disposeModels(set);
  const stepClips = B / (step.ms / 1000);
  const c = model.sampleCnn;
  return [
    `data: stage-1 batch (${B} clips × 2 augmented views × ${data.sampleLength} samples, noise k ∈ {1,2,4}, ${data.workers} worker(s)): ${data.clipsPerSecond.toFixed(1)} clips/s (${data.msPerBatch.toFixed(0)} ms/batch)`,
    `step: stage-1 training step, same batch, SampleCNN 3^${Math.round(Math.log(c.inputLength) / Math.log(3))} widths ${c.firstChannels}…${c.blockChannels[c.blockChannels.length - 1]}: ${step.ms.toFixed(0)} ms (${stepClips.toFixed(1)} clips/s)`,
    `data ${data.clipsPerSecond >= stepClips ? 'keeps up' : 'is the bottleneck'}: ${(data.clipsPerSecond / stepClips).toFixed(2)}× the step's rate`,
  ].join('\n');
}
