// The loop every stage shares: batches in, one scoped GPU step each, losses
// read back only when logged, checkpoints written atomically every N steps and
// at the end, resume from the last checkpoint, and a stop with a clear message
// when the loss or a weight stops being finite (the last good checkpoint is
// kept), and a graceful stop on request (SIGINT/SIGTERM) that finishes the
// step and writes a checkpoint first.
import { backward, tidy, type Tensor } from '../autograd/index.js';
import type { Batch } from '../data/batchLoader.js';
import { mixSeed } from '../data/rng.js';
import type { GpuContext } from '../gpu/context.js';
import { Dropout, type Module, type Optimizer } from '../nn/index.js';
import { firstNonFinite } from './finiteCheck.js';
import type { TrainLog } from './log.js';
import { trainingProgress } from './schedules.js';
import type { StepLoss } from './steps.js';

export interface BatchSource {
  readonly batchesPerEpoch: number;
  next(): Promise<Batch>;
  seek(step: number): void;
}

export interface RunnerOptions {
  ctx: GpuContext;
  stage: string;
  seed: number;
  epochs: number;
  /** Stop after this many steps in total (a quick run); default epochs × batches per epoch. */
  maxSteps?: number;
  logEvery: number;
  checkpointEvery: number;
  loader: BatchSource;
  /** Modules whose Dropout layers are reseeded per step. */
  modules: Module[];
  optimizer: Optimizer;
  log: TrainLog;
  /** Builds the step's loss from a batch; runs inside the step's scope. */
  loss: (batch: Batch, step: number, progress: number) => StepLoss;
  /** Extra fields for the log line of a step (λ, SNR range, ...). */
  describe?: (batch: Batch, step: number, progress: number) => Record<string, number | number[]>;
  /** Writes a checkpoint at `step` (steps done); must be atomic. */
  save: (step: number) => Promise<void>;
  /** The step to start from (0, or the step of the checkpoint that was resumed). */
  startStep: number;
  /** When aborted, the run finishes its step, writes a checkpoint and throws TrainingInterrupted. */
  signal?: AbortSignal;
}

export class TrainingDiverged extends Error {}

/** The run stopped on request after `step` steps, with a checkpoint written at that step. */
export class TrainingInterrupted extends Error {
  constructor(readonly step: number, readonly reason: unknown) {
    super(`training interrupted after step ${step}`);
  }
}

function reseedDropout(modules: Module[], seed: number, step: number): void {
  let k = 0;
  for (const root of modules) for (const m of root.modules()) if (m instanceof Dropout) m.reseed(mixSeed(seed, step, k++));
}

async function finite(t: Tensor, what: string, step: number): Promise<number> {
  const v = await t.item();
  if (!Number.isFinite(v)) throw new TrainingDiverged(`${what} became ${v} at step ${step}; training stopped. The last checkpoint written before this step is intact; lower the learning rate or check the data, then resume.`);
  return v;
}

/**
 * One training step in one scope: `f` builds the loss, then the gradients are
 * zeroed, backpropagated and applied. What `f` returns survives the scope; the
 * step's activations and saved tensors are freed. The benchmarks time this step.
 */
export function optimizerStep<R extends { loss: Tensor }>(optimizer: Pick<Optimizer, 'zeroGrad' | 'step'>, f: () => R): R {
  return tidy(() => {
    const r = f();
    optimizer.zeroGrad();
    backward(r.loss);
    optimizer.step();
    return r;
  });
}

/** Runs the stage to its end; returns the number of steps done (the start step when it was already past the end). */
export async function runStage(o: RunnerOptions): Promise<number> {
  const total = Math.min(o.maxSteps ?? Infinity, o.epochs * o.loader.batchesPerEpoch);
  o.loader.seek(o.startStep);
  for (let step = o.startStep; step < total; step++) {
    const batch = await o.loader.next();
    const progress = trainingProgress(step, total);
    reseedDropout(o.modules, o.seed, step);
    const done = step + 1;
    const logNow = done % o.logEvery === 0 || done === total;
    const result = optimizerStep(o.optimizer, () => {
      const r = o.loss(batch, step, progress);
      // Log-only readouts are built on logged steps only, not on every step.
      const metrics = logNow ? r.metrics?.() ?? {} : {};
      return { loss: r.loss, parts: r.parts, metrics };
    });
    const stopNow = o.signal?.aborted === true;
    const saveNow = done % o.checkpointEvery === 0 || done === total || stopNow;
    if (logNow || saveNow) {
      const loss = await finite(result.loss, `the ${o.stage} loss`, done);
      const parts: Record<string, number> = {};
      for (const [k, t] of Object.entries(result.parts)) parts[`loss_${k}`] = await finite(t, `the ${o.stage} ${k} loss`, done);
      for (const [k, t] of Object.entries(result.metrics)) parts[k] = await t.item();
      // A finite loss can sit beside a NaN weight (a NaN in a layer the loss does not reach, or one
      // masked by max-pooling), so the weights are checked too before anything is logged or written.
      const bad = await firstNonFinite(o.modules);
      if (bad) throw new TrainingDiverged(`${bad} at step ${done}; training stopped before writing it. The last checkpoint written before this step is intact; lower the learning rate or check the data, then resume.`);
      if (logNow) o.log.record({ stage: o.stage, step: done, epoch: batch.epoch, loss, ...parts, ...(o.describe?.(batch, step, progress) ?? {}) });
    }
    result.loss.dispose();
    for (const t of [...Object.values(result.parts), ...Object.values(result.metrics)]) t.dispose();
    if (saveNow) await o.save(done);
    if (stopNow) throw new TrainingInterrupted(done, o.signal?.reason);
  }
  return Math.max(total, o.startStep);
}
