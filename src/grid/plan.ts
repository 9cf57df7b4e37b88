// Expanding a grid spec into jobs. Runs that begin alike share those stages:
// one pretrain per (noise count, seed), one domain stage per (noise count,
// seed, E2H); every label stage (baseline, fully supervised, each DAT setting)
// is its own job, then one evaluation per noise count over all its runs and
// seeds, and one report. Jobs are plain JSON (they travel through the queue)
// and name folders relative to the grid's output folder, so a worker with the
// shared folder mounted elsewhere runs them unchanged.
import { createHash } from 'node:crypto';
import { type ModelConfig, scaledModelConfig } from '../models/index.js';
import { type Stage, type TrainConfig, validateConfig } from '../train/config.js';
import type { DcMode, GridSpec, NoiseCount } from './spec.js';

export interface DatSetting {
  domainClassifier: DcMode;
  e2h: boolean;
  alphaSchedule: boolean;
}

/** One row of the thesis tables: baseline, fully supervised, or a DAT setting. */
export interface GridRow {
  /** Display name in tables and results. */
  name: string;
  stage: 'baseline' | 'supervised' | 'dat';
  setting?: DatSetting;
}

export interface TrainJob {
  kind: 'train';
  id: string;
  stage: Stage;
  noiseCount: NoiseCount;
  seed: number;
  /** The run folder trainStage writes <runDir>/<stage>/ into (relative to the grid folder). */
  runDir: string;
  config: TrainConfig;
  model: ModelConfig;
  maxSteps?: number;
  checkpointEverySteps?: number;
  validClips: number | null;
  /** Stage folders (relative) whose model.safetensors this stage starts from. */
  pretrained?: string;
  domainClassifier?: string;
  /** The table row a label stage is (absent for the shared pretrain and domain stages). */
  row?: string;
  deps: string[];
  /** Hash of this job and everything it starts from (see expandGrid). */
  fingerprint: string;
}

export interface EvalJob {
  kind: 'eval';
  id: string;
  noiseCount: NoiseCount;
  /** Table rows in order; per row, the label stage folder (relative) of each seed in `seeds` order. */
  rows: (GridRow & { stageDirs: string[] })[];
  seeds: number[];
  /** Relative output folder: <dir>/validation and <dir>/test. */
  dir: string;
  evaluation: GridSpec['evaluation'];
  deps: string[];
  fingerprint: string;
}

export interface ReportJob {
  kind: 'report';
  id: 'report';
  name: string;
  /** Evaluation folders (relative), one per noise count. */
  evals: { noiseCount: NoiseCount; dir: string; rows: GridRow[] }[];
  dir: string;
  deps: string[];
  fingerprint: string;
}

export type GridJob = TrainJob | EvalJob | ReportJob;

export interface GridPlan {
  spec: GridSpec;
  /** Dependencies before dependents. */
  jobs: GridJob[];
}

export function datSettings(spec: GridSpec): DatSetting[] {
  return spec.dat.domainClassifier.flatMap((domainClassifier) => spec.dat.e2h.flatMap((e2h) => spec.dat.alphaSchedule.map((alphaSchedule) => ({ domainClassifier, e2h, alphaSchedule }))));
}

/** "DAT (DC frozen, E2H, α scheduled)"; α = 1 is the thesis's name for no schedule. */
export function settingName(s: DatSetting): string {
  return `DAT (DC ${s.domainClassifier}, ${s.e2h ? 'E2H' : 'no E2H'}, ${s.alphaSchedule ? 'α scheduled' : 'α = 1'})`;
}

/** Folder name of a DAT setting's run: frozen-e2h-alpha, finetune-noe2h-noalpha. */
export function settingSlug(s: DatSetting): string {
  return `${s.domainClassifier}-${s.e2h ? 'e2h' : 'noe2h'}-${s.alphaSchedule ? 'alpha' : 'noalpha'}`;
}

export function gridRows(spec: GridSpec): GridRow[] {
  const rows: GridRow[] = [];
  if (spec.models.includes('baseline')) rows.push({ name: 'baseline', stage: 'baseline' });
  if (spec.models.includes('supervised')) rows.push({ name: 'fully supervised', stage: 'supervised' });
  if (spec.models.includes('dat')) for (const s of datSettings(spec)) rows.push({ name: settingName(s), stage: 'dat', setting: s });
  return rows;
}

export function gridModel(spec: GridSpec): ModelConfig {
  return scaledModelConfig(spec.model.inputExp, spec.model.widthDivisor);
}

const e2hDir = (e2h: boolean): string => (e2h ? 'e2h' : 'noe2h');

type Unprinted<J> = J extends unknown ? Omit<J, 'fingerprint'> : never;

function trainJob(spec: GridSpec, stage: Stage, n: NoiseCount, seed: number, runDir: string, id: string, extra: Partial<TrainConfig>, links: Pick<TrainJob, 'pretrained' | 'domainClassifier' | 'deps' | 'row'>): Unprinted<TrainJob> {
  const s = spec.stages[stage];
  const config = validateConfig({
    ...s.config, ...extra, stage, seed, outDir: runDir, dataRoot: spec.data,
    ...(stage === 'baseline' ? {} : { noisesPerMix: n }),
  });
  return {
    kind: 'train', id, stage, noiseCount: n, seed, runDir, config, model: gridModel(spec),
    ...(s.steps !== undefined ? { maxSteps: s.steps } : {}),
    ...(s.checkpoints !== undefined && s.steps !== undefined ? { checkpointEverySteps: Math.ceil(s.steps / s.checkpoints) } : {}),
    validClips: spec.evaluation.validClips,
    ...links,
  };
}

/** The label stage folder (relative) of a row for one (noise count, seed). */
export function rowStageDir(row: GridRow, n: NoiseCount, seed: number): string {
  const base = `noise${n}/seed${seed}`;
  return row.setting ? `${base}/${settingSlug(row.setting)}/dat` : `${base}/${row.stage}`;
}

export function expandGrid(spec: GridSpec): GridPlan {
  const jobs: Unprinted<GridJob>[] = [];
  const rows = gridRows(spec);
  const e2hs = [...new Set(datSettings(spec).map((s) => s.e2h))];
  for (const n of spec.noiseCounts) {
    const labelIds: string[] = [];
    for (const seed of spec.seeds) {
      const base = `noise${n}/seed${seed}`;
      const id = (what: string) => `n${n}.s${seed}.${what}`;
      jobs.push(trainJob(spec, 'pretrain', n, seed, base, id('pretrain'), {}, { deps: [] }));
      const pretrained = `${base}/pretrain`;
      for (const e2h of e2hs) {
        jobs.push(trainJob(spec, 'domain', n, seed, `${base}/${e2hDir(e2h)}`, id(`domain-${e2hDir(e2h)}`), { curriculum: e2h }, { pretrained, deps: [id('pretrain')] }));
      }
      for (const row of rows) {
        const runDir = rowStageDir(row, n, seed).replace(/\/[a-z]+$/, '');
        if (row.setting) {
          const s = row.setting;
          const domainId = id(`domain-${e2hDir(s.e2h)}`);
          jobs.push(trainJob(spec, 'dat', n, seed, runDir, id(settingSlug(s)),
            { curriculum: s.e2h, lambda: spec.dat.lambda, alphaSchedule: s.alphaSchedule, domainClassifier: s.domainClassifier },
            { pretrained, domainClassifier: `${base}/${e2hDir(s.e2h)}/domain`, deps: [domainId], row: row.name }));
          labelIds.push(id(settingSlug(s)));
        } else {
          jobs.push(trainJob(spec, row.stage, n, seed, runDir, id(row.stage), {}, { pretrained, deps: [id('pretrain')], row: row.name }));
          labelIds.push(id(row.stage));
        }
      }
    }
    jobs.push({
      kind: 'eval', id: `n${n}.eval`, noiseCount: n, seeds: spec.seeds, dir: `eval/noise${n}`, evaluation: spec.evaluation, deps: labelIds,
      rows: rows.map((r) => ({ ...r, stageDirs: spec.seeds.map((seed) => rowStageDir(r, n, seed)) })),
    });
  }
  jobs.push({ kind: 'report', id: 'report', name: spec.name, dir: 'report', deps: spec.noiseCounts.map((n) => `n${n}.eval`), evals: spec.noiseCounts.map((n) => ({ noiseCount: n, dir: `eval/noise${n}`, rows })) });
  // What decides a job's outputs: its definition and, through its dependencies' prints, everything it starts from.
  const prints = new Map<string, string>();
  const printed = jobs.map((j) => {
    const fingerprint = createHash('sha256').update(JSON.stringify(j)).update(j.deps.map((d) => prints.get(d)!).join(',')).digest('hex').slice(0, 16);
    prints.set(j.id, fingerprint);
    return { ...j, fingerprint } as GridJob;
  });
  return { spec, jobs: printed };
}

/** The folder a job writes (relative to the grid folder). */
export function jobDir(job: GridJob): string {
  return job.kind === 'train' ? `${job.runDir}/${job.stage}` : job.dir;
}
