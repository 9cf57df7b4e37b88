// Running one grid job: the one function both executors call (in-process,
// one job after another, and a queue worker). A finished job leaves a marker
// with its fingerprint beside its outputs and is skipped when met again; a
// job interrupted part-way resumes through trainStage's checkpoint resume and
// evaluateModels' per-cell partial file.
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type EvalProgress, evaluateModels, formatProgress } from '../eval/evaluate.js';
import type { GpuContext } from '../gpu/context.js';
import { writeFileAtomic } from '../util/writeFileAtomic.js';
import { bestModelPath, modelPath, trainStage } from '../train/stages.js';
import { type EvalJob, type GridJob, type ReportJob, type TrainJob, jobDir } from './plan.js';
import { writeReport } from './report.js';

export const DONE_FILE = 'grid-job.json';

export interface JobProgress {
  job: string;
  /** Training: the last logged step (of maxSteps when the stage has one); evaluation: a line of text. */
  step?: number;
  of?: number;
  text: string;
}

export interface JobEnv {
  /** The GPU, created on first use (the report job needs none). */
  gpu: () => Promise<GpuContext>;
  /** The grid folder every job's folders are relative to. */
  out: string;
  /** Prepared caches root: music/, noise-internal/, noise-external/. */
  data: string;
  workers?: number;
  quiet?: boolean;
  /** Aborting it stops training after the current step, with a checkpoint. */
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  /** How often training progress is read from the stage's log (default 5 s). */
  progressEveryMs?: number;
  /** Takes the exclusive lock of a job's folder (the CLI's folder lock); released when the job ends. */
  lock: (dir: string, job: GridJob) => { release(): void };
}

export interface JobOutcome {
  id: string;
  status: 'done' | 'skipped';
  seconds: number;
  detail: string;
}

interface DoneMarker {
  id: string;
  fingerprint: string;
  detail: string;
}

function readMarker(path: string): DoneMarker | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DoneMarker;
  } catch {
    return null; // a marker cut short by a crash: the job runs again (and resumes)
  }
}

export async function runJob(job: GridJob, env: JobEnv): Promise<JobOutcome> {
  const t0 = performance.now();
  const dir = join(env.out, jobDir(job));
  const markerPath = join(dir, DONE_FILE);
  const outcome = (status: JobOutcome['status'], detail: string): JobOutcome => ({ id: job.id, status, seconds: (performance.now() - t0) / 1000, detail });
  const lock = env.lock(dir, job);
  try {
    const marker = readMarker(markerPath);
    if (marker && marker.fingerprint === job.fingerprint) return outcome('skipped', marker.detail);
    if (marker) {
      throw new Error(`${dir}: made by job ${marker.id} of another grid spec (fingerprint ${marker.fingerprint}, this spec's is ${job.fingerprint}). Use another --out folder, or delete ${dir} to redo it.`);
    }
    const detail = job.kind === 'train' ? await train(job, env) : job.kind === 'eval' ? await evaluate(job, env) : report(job, env);
    writeFileAtomic(markerPath, new TextEncoder().encode(`${JSON.stringify({ id: job.id, fingerprint: job.fingerprint, detail } satisfies DoneMarker)}\n`));
    return outcome('done', detail);
  } finally {
    lock.release();
  }
}

async function train(job: TrainJob, env: JobEnv): Promise<string> {
  const at = (stageDir: string | undefined) => (stageDir === undefined ? undefined : join(env.out, stageDir, 'model.safetensors'));
  const poll = env.onProgress ? watchLog(join(env.out, jobDir(job), 'log.jsonl'), job, env) : null;
  try {
    const r = await trainStage({
      ctx: await env.gpu(), config: job.config, model: job.model,
      data: { musicCache: join(env.data, 'music'), noiseCache: join(env.data, 'noise-internal') },
      outDir: join(env.out, job.runDir), pretrained: at(job.pretrained), domainClassifier: at(job.domainClassifier),
      maxSteps: job.maxSteps, checkpointEverySteps: job.checkpointEverySteps, workers: env.workers, quiet: env.quiet,
      validation: { maxClips: job.validClips ?? undefined }, signal: env.signal,
    });
    return `${r.steps} steps${r.bestValidationRocAuc !== undefined ? `, best validation ROC-AUC ${r.bestValidationRocAuc.toFixed(3)}` : ''}`;
  } finally {
    poll?.stop();
  }
}

/** Reports the last logged step of a training stage every few seconds (trainStage writes it to log.jsonl). */
function watchLog(path: string, job: TrainJob, env: JobEnv): { stop(): void } {
  const timer = setInterval(() => {
    const step = lastLoggedStep(path);
    if (step !== null) env.onProgress!({ job: job.id, step, of: job.maxSteps, text: `${job.id}: step ${step}${job.maxSteps ? ` of ${job.maxSteps}` : ''}` });
  }, env.progressEveryMs ?? 5000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

export function lastLoggedStep(path: string): number | null {
  if (!existsSync(path)) return null;
  const size = statSync(path).size;
  const length = Math.min(size, 8192);
  const buf = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const lines = buf.toString('utf8').split('\n').reverse();
  for (const line of lines) {
    try {
      const step = (JSON.parse(line) as { step?: unknown }).step;
      if (typeof step === 'number') return step;
    } catch {
      // the first line of the window may be cut; a line may be half-written
    }
  }
  return null;
}

/** The weights a label stage hands to evaluation: the best on validation, else the last. */
function selected(stageDir: string): string {
  const [outDir, stage] = [dirname(stageDir), basename(stageDir)];
  for (const p of [bestModelPath(outDir, stage), modelPath(outDir, stage)]) if (existsSync(p)) return p;
  throw new Error(`${stageDir}: no model.safetensors; its training job has not finished`);
}

async function evaluate(job: EvalJob, env: JobEnv): Promise<string> {
  const models = Object.fromEntries(job.rows.map((r) => [r.name, r.stageDirs.map((d) => selected(join(env.out, d)))]));
  const music = join(env.data, 'music');
  const internal = join(env.data, 'noise-internal');
  const ctx = await env.gpu();
  const onProgress = env.onProgress && ((p: EvalProgress) => env.onProgress!({ job: job.id, text: `${job.id}: ${formatProgress(p)}` }));
  const common = { ctx, models, onProgress, bootstrap: { replicates: job.evaluation.bootstrap } };
  // Mixtures use the noise count the runs trained with (as the thesis's Figs. 4.7-4.8 do per noise group).
  const validation = await evaluateModels({
    ...common, outDir: join(env.out, job.dir, 'validation'), title: `Validation, ${job.noiseCount} noise clip${job.noiseCount === 1 ? '' : 's'} per mix`,
    clips: { musicCache: music, split: 'valid', noise: { internal: { cacheDir: internal, split: 'valid' } }, k: job.noiseCount, seed: 0, maxClips: job.evaluation.validClips ?? undefined },
  });
  const baseline = job.rows.find((r) => r.stage === 'baseline');
  const test = await evaluateModels({
    ...common, outDir: join(env.out, job.dir, 'test'), title: `Test, ${job.noiseCount} noise clip${job.noiseCount === 1 ? '' : 's'} per mix`,
    compare: baseline ? job.rows.filter((r) => r !== baseline).map((r) => [r.name, baseline.name] as const) : [],
    clips: {
      musicCache: music, split: 'test', k: job.noiseCount, seed: 0, maxClips: job.evaluation.testClips ?? undefined,
      noise: { internal: { cacheDir: internal, split: 'test' }, external: { cacheDir: join(env.data, 'noise-external') } },
    },
  });
  return `${validation.results.length + test.results.length} cells (${validation.resumedCells + test.resumedCells} resumed)`;
}

function report(job: ReportJob, env: JobEnv): string {
  const files = writeReport(job, env.out);
  return `wrote ${files.length} files`;
}
