// Running one training stage end to end: data, models (initialised from the
// earlier stages' outputs), optimizer, resume, the loop, and the stage's model
// file. The stages and what each trains follow thesis §3-4 (Table 4.1):
//   pretrain   FE (SampleCNN + projector), NT-Xent on two augmented views, half
//              the tracks mixed with noise;
//   domain     DC on the frozen FE's embedding, clean = 0 / noisy = 1;
//   dat        FE + LP on labelled clean rows, DC through gradient reversal on all rows;
//   baseline   FE + LP on clean data only;
//   supervised FE + LP on clean and noisy rows, labels on both.
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BatchLoader, type BatchLoaderOptions } from '../data/batchLoader.js';
import { TRAINING_SNR_RANGE } from '../data/mix.js';
import type { GpuContext } from '../gpu/context.js';
import { type ModelConfig, type ModelSet, buildModels, checkpointModules, disposeModels } from '../models/index.js';
import { loadModules, readSafetensors, saveModules } from '../nn/checkpoint.js';
import { taggerPredict } from '../models/tagger.js';
import { BestCheckpoint, validationScore } from './validation.js';
import { Adam, Dropout, type Module, Random } from '../nn/index.js';
import type { TrainConfig } from './config.js';
import { TrainLog } from './log.js';
import { runStage } from './runner.js';
import { datStageCurriculum, domainStageCurriculum, reversalScale, snrRangeAt } from './schedules.js';
import { type Net, datLoss, domainLoss, pretrainLoss, rowMask, supervisedLoss, uploadView } from './steps.js';
import { loadTrainState, resumeStatus, saveTrainState } from './trainState.js';
import { Tensor } from '../autograd/index.js';

export interface DataPaths {
  /** Prepared music cache (train split used for training). */
  musicCache: string;
  /** Prepared cache of the training noise set (its train split is mixed in). */
  noiseCache: string;
}

export interface StageRunOptions {
  ctx: GpuContext;
  config: TrainConfig;
  model: ModelConfig;
  data: DataPaths;
  /** Run folder; the stage writes <outDir>/<stage>/{checkpoint,model}.safetensors and log.jsonl. */
  outDir: string;
  /** Model files of earlier stages (default: <outDir>/<stage>/model.safetensors). */
  pretrained?: string;
  domainClassifier?: string;
  /** Stop after this many steps in total (quick runs and tests). */
  maxSteps?: number;
  /** Steps between checkpoints (default: config.checkpointEveryEpochs epochs). */
  checkpointEverySteps?: number;
  workers?: number;
  quiet?: boolean;
  /**
   * Model selection for the label stages (dat, baseline, supervised): at every
   * checkpoint, score the validation split (clean and the training noise at
   * SNR 10 … −10) and keep the best weights as best.safetensors. Default on;
   * `maxClips` bounds the validation clips (quick runs).
   */
  validation?: { maxClips?: number } | false;
  /** Aborting it stops the run after the current step, with a checkpoint (SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

export interface StageResult {
  /** The weights at the last step. */
  modelPath: string;
  /** The label stages' weights with the best validation score (what eval and tag use). */
  bestPath?: string;
  bestValidationRocAuc?: number;
  steps: number;
  tags: string[];
  /** Set when the checkpoint was already at the steps asked for: nothing was trained; says so. */
  alreadyDone?: string;
}

export function stageDir(outDir: string, stage: string): string {
  return join(outDir, stage);
}

export function modelPath(outDir: string, stage: string): string {
  return join(stageDir(outDir, stage), 'model.safetensors');
}

export function bestModelPath(outDir: string, stage: string): string {
  return join(stageDir(outDir, stage), 'best.safetensors');
}

function requireFile(path: string, what: string): string {
  if (!existsSync(path)) throw new Error(`${what} not found at ${path}; run that stage first (or pass its model file)`);
  return path;
}

/** The batches a stage trains on (exported for the tests of the thesis's data split). */
export function loaderOptions(o: StageRunOptions, c: TrainConfig): BatchLoaderOptions {
  const base: BatchLoaderOptions = {
    cacheDir: o.data.musicCache,
    split: 'train',
    batchSize: c.batchSize,
    sampleLength: o.model.sampleCnn.inputLength,
    seed: c.seed,
    workers: o.workers,
  };
  // The clean source half only, the clips DAT labels (thesis §4.1.3, Fig. 4.6, Table 4.1).
  if (c.stage === 'baseline') return { ...base, clips: 'source' };
  const k = c.noisesPerMix;
  const noise = { cacheDirs: [o.data.noiseCache], split: 'train' as const, k, domains: 'assigned' as const };
  if (c.stage === 'pretrain') return { ...base, views: 2, augment: true, noise: { ...noise, snrRange: TRAINING_SNR_RANGE } };
  const curriculum = c.curriculum ? (c.stage === 'domain' ? domainStageCurriculum(c.curriculumPeriodEpochs) : datStageCurriculum(c.curriculumPeriodEpochs)) : null;
  const snrRangeForEpoch = curriculum ? (epoch: number) => snrRangeAt(curriculum, epoch) : undefined;
  return { ...base, noise: { ...noise, snrRange: TRAINING_SNR_RANGE, snrRangeForEpoch } };
}

/** Trains one stage; resumes from its checkpoint when one exists. */
export async function trainStage(o: StageRunOptions): Promise<StageResult> {
  // What the run really uses, so checkpoints record it (not the config's defaults).
  const c: TrainConfig = { ...o.config, chunkLength: o.model.sampleCnn.inputLength, outDir: o.outDir };
  const dir = stageDir(o.outDir, c.stage);
  mkdirSync(dir, { recursive: true });
  const loader = new BatchLoader(loaderOptions(o, c));
  const model: ModelConfig = { ...o.model, numTags: loader.tags.length };
  const rng = new Random(c.seed);
  const kind = c.stage === 'pretrain' ? 'pretrain' : c.stage === 'domain' ? 'domain' : 'finetune';
  const set: ModelSet = buildModels(o.ctx, model, kind, rng);
  const fe = set.featureExtractor!;
  const dc = set.domainClassifier!;
  const lp = set.labelPredictor;
  const dropout = new Dropout('dropout' in c ? c.dropout : 0, rng);
  try {
    if (c.stage !== 'pretrain') loadModules(requireFile(o.pretrained ?? modelPath(o.outDir, 'pretrain'), 'the stage-1 (pretrain) model'), { '': fe }, { strict: false });
    if (c.stage === 'dat') {
      loadModules(requireFile(o.domainClassifier ?? modelPath(o.outDir, 'domain'), 'the stage-2 (domain) model'), { 'domain_classifier.': dc }, { strict: false });
      if (c.domainClassifier === 'frozen') dc.requiresGrad(false).eval();
    }
    // What this stage trains, and what its files hold.
    const saved: Record<string, Module> = c.stage === 'pretrain' ? { '': fe } : c.stage === 'domain' ? { 'domain_classifier.': dc } : c.stage === 'dat' ? checkpointModules(set) : { '': fe, 'label_predictor.': lp! };
    const trainable = Object.values(saved).flatMap((m) => m.parameters()).filter((p) => p.requiresGrad);
    const optimizer = new Adam(trainable, { lr: c.learningRate, weightDecay: c.weightDecay });
    const statePath = join(dir, 'checkpoint.safetensors');
    const meta = { stage: c.stage, config: c, tags: loader.tags, sampleRate: model.sampleRate, modelConfig: model };
    const startStep = loadTrainState(statePath, saved, optimizer, { stage: c.stage, config: c, modelConfig: model });
    const total = Math.min(o.maxSteps ?? Infinity, c.epochs * loader.batchesPerEpoch);
    const log = new TrainLog(c.stage, join(dir, 'log.jsonl'), total, startStep, c.batchSize, o.quiet);
    const resume = resumeStatus(c.stage, statePath, startStep, total);
    if (resume.message && !resume.done) log.note(resume.message);
    const best = labelStage(c.stage) && o.validation !== false ? bestCheckpoint(bestModelPath(o.outDir, c.stage)) : null;
    const validationData = { musicCache: o.data.musicCache, noiseCache: o.data.noiseCache, seed: c.seed, maxClips: o.validation ? o.validation.maxClips : undefined };
    const lambda = { value: 0 };
    const B = c.batchSize;
    const L = model.sampleCnn.inputLength;
    const steps = await runStage({
      ctx: o.ctx, stage: c.stage, seed: c.seed, epochs: c.epochs, maxSteps: o.maxSteps,
      logEvery: c.logEveryBatches,
      checkpointEvery: o.checkpointEverySteps ?? c.checkpointEveryEpochs * loader.batchesPerEpoch,
      loader, modules: [fe, dc, ...(lp ? [lp] : []), dropout], optimizer, log, startStep, signal: o.signal,
      loss: (batch, _step, progress) => {
        const x = uploadView(o.ctx, batch.views[0], B, L);
        switch (c.stage) {
          case 'pretrain':
            return pretrainLoss((v) => fe.encode(v), (h) => fe.project(h), x, uploadView(o.ctx, batch.views[1], B, L), c.temperature);
          case 'domain':
            return domainLoss((v) => fe.embed(v), (h) => dc.forward(h), x, domainTargets(o.ctx, batch.domain));
          case 'dat': {
            lambda.value = reversalScale({ lambda: c.lambda, alphaSchedule: c.alphaSchedule }, progress);
            const labels = Tensor.fromData(o.ctx, batch.labels, [B, batch.numTags]);
            const clean = rowMask(o.ctx, B, (r) => batch.domain[r] === 0);
            return datLoss(embedder(fe, dropout), (h) => lp!.forward(h), (h) => dc.forward(h), x, labels, clean, domainTargets(o.ctx, batch.domain), lambda);
          }
          default: {
            const labels = Tensor.fromData(o.ctx, batch.labels, [B, batch.numTags]);
            // Baseline batches hold clean rows only; fully supervised ones label noisy rows too.
            const all = rowMask(o.ctx, B, () => true);
            return supervisedLoss(embedder(fe, dropout), (h) => lp!.forward(h), x, labels, all);
          }
        }
      },
      describe: (batch, _s, progress) => ({
        ...(c.stage === 'dat' ? { lambda: reversalScale({ lambda: c.lambda, alphaSchedule: c.alphaSchedule }, progress) } : {}),
        ...(batch.snr.some((v) => !Number.isNaN(v)) ? { snrRange: snrSpan(batch.snr) } : {}),
      }),
      save: async (step) => {
        // Not on a stop requested by a signal: the user is waiting for the checkpoint, not for a validation pass.
        if (best && !o.signal?.aborted) {
          const trained = [fe, lp!, dropout];
          for (const m of trained) m.eval();
          let score;
          try {
            score = await validationScore(taggerPredict(o.ctx, fe, lp!, L, loader.tags, `${c.stage} validation`), L, validationData);
          } finally {
            for (const m of trained) m.train();
          }
          const improved = await best.offer(score, (extra) => saveModules(best.path, saved, { modelConfig: model, tags: loader.tags, sampleRate: model.sampleRate, stage: c.stage, step, extra }));
          appendFileSync(join(dir, 'validation.jsonl'), `${JSON.stringify({ step, rocAuc: score.rocAuc, cells: score.cells, best: improved })}\n`);
        }
        await saveTrainState(statePath, saved, optimizer, { ...meta, step });
      },
    });
    // Which kernel variants ran (tuned per adapter), so a result can be traced to the kernels that made it.
    log.event({ kernels: o.ctx.tuner.chosenVariants(), adapter: o.ctx.adapter.description || o.ctx.adapter.device });
    const out = modelPath(o.outDir, c.stage);
    // A finished stage keeps its model; it is written again only if a run died between its last checkpoint and the model.
    if (!resume.done || !existsSync(out)) await saveModules(out, saved, { modelConfig: model, tags: loader.tags, sampleRate: model.sampleRate, stage: c.stage, step: steps });
    optimizer.dispose();
    return {
      modelPath: out, steps, tags: loader.tags,
      ...(best && existsSync(best.path) ? { bestPath: best.path, bestValidationRocAuc: best.score } : {}),
      ...(resume.done ? { alreadyDone: resume.message! } : {}),
    };
  } finally {
    await loader.close();
    disposeModels(set);
  }
}

function labelStage(stage: TrainConfig['stage']): boolean {
  return stage === 'dat' || stage === 'baseline' || stage === 'supervised';
}

/** The best checkpoint so far of a (possibly resumed) stage, with the score stored in it. */
function bestCheckpoint(path: string): BestCheckpoint {
  const previous = existsSync(path) ? Number(readSafetensors(path).metadata.validation_roc_auc) : undefined;
  return new BestCheckpoint(path, Number.isFinite(previous) ? previous : undefined);
}

function domainTargets(ctx: GpuContext, domain: Uint8Array): Tensor {
  return Tensor.fromData(ctx, Float32Array.from(domain), [domain.length, 1]);
}

/** The embedding the heads read, with the supervised dropout applied in training. */
function embedder(fe: NonNullable<ModelSet['featureExtractor']>, dropout: Dropout): Net {
  return (x) => dropout.forward(fe.embed(x));
}

function snrSpan(snr: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of snr) if (!Number.isNaN(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return [lo, hi];
}
