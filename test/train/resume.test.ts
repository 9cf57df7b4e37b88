// Acceptance: a training run stopped after a checkpoint and resumed ends with
// the same parameters as an uninterrupted run with the same seed; a loss that
// stops being finite ends the run with a clear message and no checkpoint is
// written after it (so the last good one stays).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Tensor, keep, mul, sum } from '../../src/autograd/index.js';
import type { Batch } from '../../src/data/batchLoader.js';
import { Adam, Module } from '../../src/nn/index.js';
import { type TensorToWrite, encodeSafetensors, isCounter } from '../../src/nn/safetensors.js';
import { TrainLog } from '../../src/train/log.js';
import { scaledModelConfig } from '../../src/models/index.js';
import { readSafetensors } from '../../src/nn/checkpoint.js';
import { defaultConfig, validateConfig } from '../../src/train/config.js';
import { TrainingDiverged, TrainingInterrupted, runStage } from '../../src/train/runner.js';
import { trainStage } from '../../src/train/stages.js';
import type { StepLoss } from '../../src/train/steps.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { tinyDemoCaches } from '../helpers/tinyData.js';

const { ctx } = await primaryAdapter();
const dataDir = await tinyDemoCaches();
const data = { musicCache: join(dataDir, 'music'), noiseCache: join(dataDir, 'noise-internal') };
const model = scaledModelConfig(5, 32);

function config(outDir: string, lr = 1e-3) {
  return validateConfig({ ...defaultConfig('pretrain'), batchSize: 4, epochs: 100, learningRate: lr, logEveryBatches: 1, checkpointEveryEpochs: 100, outDir, seed: 3 });
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'rt-resume-'));

/** The runner over a fake 10-batch loader that logs and checkpoints every step, training `p`; `saved` lists the checkpoint steps. */
function fakeRun(p: Tensor, modules: Module[], loss: (step: number) => StepLoss): { run: Promise<number>; saved: number[] } {
  const saved: number[] = [];
  const batch = { epoch: 0, snr: new Float32Array(0) } as unknown as Batch;
  const run = runStage({
    ctx, stage: 'test', seed: 0, epochs: 1, logEvery: 1, checkpointEvery: 1, startStep: 0,
    loader: { batchesPerEpoch: 10, next: async () => batch, seek: () => {} },
    modules, optimizer: new Adam([p], { lr: 1e-3 }), log: new TrainLog('test', null, 10, 0, 1, true),
    loss: (_b, step) => loss(step),
    save: async (step) => { saved.push(step); },
  });
  return { run, saved };
}

describe('resume', () => {
  test('stopped after step 2 and resumed to step 4 equals 4 uninterrupted steps', async () => {
    const a = tmp();
    const b = tmp();
    const common = { ctx, model, data, workers: 0, quiet: true, checkpointEverySteps: 2 };
    const full = await trainStage({ ...common, config: config(a), outDir: a, maxSteps: 4 });
    await trainStage({ ...common, config: config(b), outDir: b, maxSteps: 2 }); // the "killed" run: its last checkpoint is step 2
    const resumed = await trainStage({ ...common, config: config(b), outDir: b, maxSteps: 4 });
    expect(full.steps).toBe(4);
    expect(resumed.steps).toBe(4);
    const fa = readSafetensors(full.modelPath).tensors;
    const fb = readSafetensors(resumed.modelPath).tensors;
    expect([...fb.keys()].sort()).toEqual([...fa.keys()].sort());
    let worst = 0;
    let changed = 0;
    for (const [name, ta] of fa) {
      const tb = fb.get(name)!;
      for (let i = 0; i < ta.data.length; i++) worst = Math.max(worst, Math.abs(ta.data[i] - tb.data[i]) / Math.max(1, Math.abs(ta.data[i])));
      changed++;
    }
    expect(changed).toBeGreaterThan(10);
    // Float tolerance: identical kernels and inputs; only reduction order could differ.
    expect(worst).toBeLessThan(1e-5);
    // The log shows the resume.
    expect(readFileSync(join(b, 'pretrain', 'log.jsonl'), 'utf8')).toContain('resuming at step 2');
    // And names the kernel variants that ran (conv1d forward among them), for tracing a result to its kernels.
    const events = readFileSync(join(a, 'pretrain', 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kernels?: Record<string, string> });
    const kernels = events.find((e) => e.kernels)?.kernels ?? {};
    expect(Object.keys(kernels).some((k) => k.startsWith('conv1d.forward'))).toBe(true);
    // Run again: nothing left to do (callers such as the demo get a result, not an error), the model is kept.
    const before = readFileSync(resumed.modelPath);
    const again = await trainStage({ ...common, config: config(b), outDir: b, maxSteps: 4 });
    expect(again.alreadyDone).toMatch(/pretrain: already done: .* is at step 4 of 4; nothing was trained/);
    expect(again.steps).toBe(4);
    expect(readFileSync(again.modelPath).equals(before)).toBe(true);
  });

  test('a resume with a different configuration is refused', async () => {
    const dir = tmp();
    const common = { ctx, model, data, workers: 0, quiet: true, checkpointEverySteps: 1 };
    await trainStage({ ...common, config: config(dir), outDir: dir, maxSteps: 1 });
    await expect(trainStage({ ...common, config: config(dir, 5e-4), outDir: dir, maxSteps: 2 })).rejects.toThrow(/different configuration/);
  });

  test('a non-finite loss stops the run at the next logged step and writes no checkpoint after it', async () => {
    const p = keep(Tensor.fromData(ctx, [1, 2], [2]));
    p.requiresGrad = true;
    // From step 3 on the data holds a NaN; a plain sum propagates it.
    const { run, saved } = fakeRun(p, [], (step) => ({ loss: sum(mul(p, Tensor.fromData(ctx, step >= 2 ? [Number.NaN, 1] : [1, 1], [2]))), parts: {} }));
    await expect(run).rejects.toThrow(TrainingDiverged);
    await expect(run).rejects.toThrow(/became NaN at step 3.*last checkpoint written before this step is intact/);
    expect(saved).toEqual([1, 2]);
  });

  test('a NaN written into a checkpoint\'s conv weight is refused at resume, naming the tensor (issue 11, defect 3)', async () => {
    const dir = tmp();
    const common = { ctx, model, data, workers: 0, quiet: true, checkpointEverySteps: 1 };
    await trainStage({ ...common, config: config(dir), outDir: dir, maxSteps: 1 });
    const path = join(dir, 'pretrain', 'checkpoint.safetensors');
    const file = readSafetensors(path);
    const tensors: Record<string, TensorToWrite> = {};
    for (const [n, t] of file.tensors) tensors[n] = { shape: t.shape, data: Float32Array.from(t.data), dtype: isCounter(n) ? 'I64' : 'F32' };
    tensors['sequential.1.0.weight'].data[3] = Number.NaN;
    writeFileSync(path, encodeSafetensors(tensors, file.metadata));
    await expect(trainStage({ ...common, config: config(dir), outDir: dir, maxSteps: 2 })).rejects.toThrow(/tensor "sequential\.1\.0\.weight" holds NaN at element 3/);
  });

  test('a weight that turns NaN while the loss stays finite stops the run before anything is written', async () => {
    // The loss reads only p; q is a weight the loss never reaches, poisoned at step 3.
    const p = keep(Tensor.fromData(ctx, [1, 2], [2]));
    p.requiresGrad = true;
    const q = keep(Tensor.fromData(ctx, [5, 6], [2]));
    const holder = new (class extends Module {
      constructor() {
        super();
        this.registerParameter('p', p);
        this.registerBuffer('q', q);
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    })();
    const { run, saved } = fakeRun(p, [holder], (step) => {
      if (step === 2) q.write(new Float32Array([5, Number.NaN]));
      return { loss: sum(mul(p, p)), parts: {} };
    });
    await expect(run).rejects.toThrow(TrainingDiverged);
    await expect(run).rejects.toThrow(/weight ".*q" became NaN \(element 1\) at step 3; training stopped before writing it/);
    expect(saved).toEqual([1, 2]);
  });

  test('SIGINT (an aborted signal) finishes the step, writes a checkpoint at it and throws TrainingInterrupted', async () => {
    const p = keep(Tensor.fromData(ctx, [1, 2], [2]));
    p.requiresGrad = true;
    const optimizer = new Adam([p], { lr: 1e-3 });
    const saved: number[] = [];
    const stop = new AbortController();
    const batch = { epoch: 0, snr: new Float32Array(0) } as unknown as Batch;
    const run = runStage({
      ctx, stage: 'test', seed: 0, epochs: 1, logEvery: 100, checkpointEvery: 100, startStep: 0, signal: stop.signal,
      loader: { batchesPerEpoch: 10, next: async () => batch, seek: () => {} },
      modules: [], optimizer, log: new TrainLog('test', null, 10, 0, 1, true),
      loss: (_b, step) => {
        if (step === 4) stop.abort('SIGINT');
        return { loss: sum(mul(p, p)), parts: {} };
      },
      save: async (step) => { saved.push(step); },
    });
    await expect(run).rejects.toThrow(TrainingInterrupted);
    await expect(run).rejects.toMatchObject({ step: 5, reason: 'SIGINT' });
    expect(saved).toEqual([5]);
  });
});

