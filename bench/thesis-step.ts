// One full training step of the thesis SampleCNN (59,049-sample input, Table 3.1
// widths, batch 48 by default): forward, BCE, backward, Adam, synchronised.
// Reports ms, the conv layers' GFLOP/s and the pool's peak memory. Its first
// activation ([48, 128, 19683] floats, 484 MB) is above WebGPU's guaranteed
// 128 MiB binding, so this also runs the ops' split paths at full size.
import { Tensor } from '../src/autograd/index.js';
import type { DispatchRecord, GpuContext } from '../src/gpu/context.js';
import { conv1dOutputLength } from '../src/kernels/conv1d.js';
import { type ModelConfig, buildModels, defaultModelConfig, sampleCnnConvs } from '../src/models/index.js';
import { Adam, Random } from '../src/nn/index.js';
import { supervisedStep } from './samplecnn-step.js';
import { timeIt } from './timing.js';

export interface ThesisStepResult {
  batch: number;
  ms: number;
  reps: number;
  /** 3 × the forward conv FLOPs (forward, grad-input, grad-weight). */
  convFlop: number;
  peakBytes: number;
  dispatches: number;
  /** Every dispatch of the first step (src/kernels/readiness.ts). */
  log: DispatchRecord[];
}

/** Forward FLOPs of every conv layer for one input: 2·Cout·Cin·K·Lout. */
export function convForwardFlop(cfg: ModelConfig): number {
  return sampleCnnConvs(cfg.sampleCnn).reduce((flop, c) => flop + 2 * c.Cout * c.Cin * c.K * conv1dOutputLength(c.L, c.K, c.stride, c.padding), 0);
}

export async function benchThesisStep(ctx: GpuContext, batch: number, reps: number, warmup: number): Promise<ThesisStepResult> {
  const cfg = defaultModelConfig();
  const model = buildModels(ctx, cfg, 'supervised', new Random(1)).supervised!;
  model.train();
  const opt = new Adam(model.parameters(), { lr: 3e-4 });
  const L = cfg.sampleCnn.inputLength;
  const C = cfg.sampleCnn.numClasses;
  const x = Tensor.fromData(ctx, Float32Array.from({ length: batch * L }, (_, i) => Math.sin(i * 0.731) * 0.5), [batch, L]);
  const y = Tensor.fromData(ctx, Float32Array.from({ length: batch * C }, (_, i) => ((i * 7) % 5 === 0 ? 1 : 0)), [batch, C]);
  let dispatches = 0;
  let log: DispatchRecord[] | null = null;
  try {
    const t = await timeIt(async () => {
      const before = ctx.counters.dispatches;
      const recording = log === null;
      if (recording) ctx.dispatchLog = [];
      const loss = supervisedStep(model, opt, x, y);
      const v = await loss.item();
      loss.dispose();
      if (!Number.isFinite(v)) throw new Error(`thesis step: loss is ${v}`);
      dispatches = ctx.counters.dispatches - before;
      if (recording) {
        log = ctx.dispatchLog;
        ctx.dispatchLog = null;
      }
    }, { warmup, reps, maxMs: Infinity });
    return { batch, ms: t.ms, reps: t.reps, convFlop: 3 * batch * convForwardFlop(cfg), peakBytes: ctx.poolStats().peakBytes, dispatches, log: log ?? [] };
  } finally {
    x.dispose();
    y.dispose();
    model.dispose();
    for (const m of [...opt.m.values(), ...opt.v.values()]) m.dispose();
  }
}

export function formatThesisStep(r: ThesisStepResult): string {
  return `thesis SampleCNN step (b${r.batch} × 59049)`.padEnd(34)
    + ` ours ${r.ms.toFixed(1).padStart(9)} ms ${(r.convFlop / (r.ms * 1e6)).toFixed(2).padStart(7)} GFLOP/s (convs)`
    + ` | peak pool memory ${(r.peakBytes / 2 ** 30).toFixed(2)} GiB | ${r.dispatches} dispatches (median of ${r.reps})`;
}
