// The grid spec: one JSON file that says which runs the thesis's results
// grid holds (noise counts × baseline, fully supervised and DAT settings ×
// seeds), how each stage trains, the model size and the data. It is untrusted
// input: every problem is reported at once, each naming its field and what it
// accepts. Stage settings go through the training config's own validator, so
// a field means here exactly what it means to `train <stage>`.
import { type Stage, ConfigError, STAGES, type TrainConfig, defaultConfig, stageFields, validateConfig } from '../train/config.js';

export const NOISE_COUNTS = [1, 2, 4] as const;
export type NoiseCount = (typeof NOISE_COUNTS)[number];
export const GRID_MODELS = ['baseline', 'supervised', 'dat'] as const;
export type GridModel = (typeof GRID_MODELS)[number];
export type DcMode = 'frozen' | 'finetune';

/** Per stage: any field of that stage's training config, plus how long to train and how often to checkpoint. */
export interface StageSpec {
  /** Stop after this many steps (else the config's epochs decide). */
  steps?: number;
  /** Checkpoints (and, for label stages, validations) over the run; needs `steps`. */
  checkpoints?: number;
  /** Training config fields for this stage (batchSize, learningRate, epochs, ...). */
  config: Partial<TrainConfig>;
}

export interface GridSpec {
  name: string;
  /** Prepared caches root (music/, noise-internal/, noise-external/), or "demo": generate and prepare the synthetic demo data. */
  data: string;
  model: { inputExp: number; widthDivisor: number };
  seeds: number[];
  noiseCounts: NoiseCount[];
  models: GridModel[];
  dat: { lambda: number; domainClassifier: DcMode[]; e2h: boolean[]; alphaSchedule: boolean[] };
  stages: Record<Stage, StageSpec>;
  evaluation: {
    /** Validation / test clips evaluated per condition (null: the whole split). */
    validClips: number | null;
    testClips: number | null;
    /** Clip-bootstrap replicates of the paired differences. */
    bootstrap: number;
  };
}

export class GridSpecError extends Error {
  constructor(readonly source: string, readonly issues: string[]) {
    super(`${source}: invalid grid spec:\n  - ${issues.join('\n  - ')}`);
    this.name = 'GridSpecError';
  }
}

/** Fields the grid itself sets on every stage: giving them under `stages` would be ignored, so it is refused. */
const GRID_OWNED: Record<string, string> = {
  seed: '"seeds"',
  noisesPerMix: '"noiseCounts"',
  curriculum: '"dat.e2h" (the domain and DAT stages\' easy-to-hard curriculum)',
  lambda: '"dat.lambda"',
  alphaSchedule: '"dat.alphaSchedule"',
  domainClassifier: '"dat.domainClassifier"',
  outDir: 'the --out folder',
  dataRoot: '"data"',
  initCheckpoint: 'the grid (each stage starts from the one before it)',
  chunkLength: '"model.inputExp" (the input window)',
  sampleRate: 'the model (22,050 Hz)',
};

const TOP_KEYS = ['version', 'name', 'data', 'model', 'seeds', 'noiseCounts', 'models', 'dat', 'stages', 'evaluation'];

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => `${JSON.stringify(v) ?? String(v)}`;
const isInt = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

function unknownKeys(obj: Raw, allowed: readonly string[], where: string, issues: string[]): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) issues.push(`${where}${k}: unknown field; allowed: ${allowed.join(', ')}`);
}

/** A non-empty list of distinct values, each accepted by `ok`. */
function distinctList<T>(v: unknown, field: string, what: string, ok: (x: unknown) => boolean, issues: string[]): T[] | undefined {
  if (!Array.isArray(v) || v.length === 0) {
    issues.push(`${field}: expected a non-empty list of ${what}, got ${show(v)}`);
    return undefined;
  }
  const bad = v.filter((x) => !ok(x));
  if (bad.length) issues.push(`${field}: expected ${what}, got ${bad.map(show).join(', ')}`);
  const dup = v.find((x, i) => v.indexOf(x) !== i);
  if (dup !== undefined) issues.push(`${field}: ${show(dup)} is listed twice`);
  return bad.length || dup !== undefined ? undefined : (v as T[]);
}

function stageSpec(stage: Stage, v: unknown, issues: string[]): StageSpec {
  const where = `stages.${stage}`;
  if (v === undefined) return { config: {} };
  if (!isObject(v)) {
    issues.push(`${where}: expected an object of training settings, got ${show(v)}`);
    return { config: {} };
  }
  const { steps, checkpoints, ...config } = v;
  const out: StageSpec = { config: {} };
  if (steps !== undefined) {
    if (isInt(steps, 1)) out.steps = steps;
    else issues.push(`${where}.steps: expected an integer >= 1, got ${show(steps)}`);
  }
  if (checkpoints !== undefined) {
    if (!isInt(checkpoints, 1)) issues.push(`${where}.checkpoints: expected an integer >= 1, got ${show(checkpoints)}`);
    else if (steps === undefined) issues.push(`${where}.checkpoints: needs ${where}.steps (checkpoints are spread over the steps)`);
    else out.checkpoints = checkpoints;
  }
  for (const k of Object.keys(config)) {
    if (k in GRID_OWNED) {
      issues.push(`${where}.${k}: set by ${GRID_OWNED[k]}, not per stage`);
      delete config[k];
    }
  }
  try {
    validateConfig({ ...config, stage });
    out.config = config as Partial<TrainConfig>;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    // The training validator names the field; say where it sits in the spec.
    const allowed = stageFields(stage).map(([k]) => k).filter((k) => !(k in GRID_OWNED));
    for (const issue of e.issues) {
      const unknown = /^unknown key "([^"]+)" for stage "[a-z]+"(.*?); allowed keys: /.exec(issue);
      issues.push(`${where}: ${unknown ? `unknown field "${unknown[1]}"${unknown[2]}; allowed: steps, checkpoints, ${allowed.join(', ')}` : issue}`);
    }
  }
  return out;
}

/** Checks a parsed spec file and fills its defaults; throws GridSpecError listing every problem. */
export function parseGridSpec(input: unknown, source: string): GridSpec {
  const issues: string[] = [];
  if (!isObject(input)) throw new GridSpecError(source, [`expected a JSON object, got ${show(input)}`]);
  unknownKeys(input, TOP_KEYS, '', issues);
  if (input.version !== 1) issues.push(`version: expected 1, got ${show(input.version)}`);
  const name = input.name ?? 'grid';
  if (typeof name !== 'string' || name.length === 0) issues.push(`name: expected a non-empty string, got ${show(name)}`);
  if (typeof input.data !== 'string' || input.data.length === 0) issues.push(`data: expected the prepared caches' root folder (with music/, noise-internal/, noise-external/) or "demo", got ${show(input.data)}`);

  const model = { inputExp: 10, widthDivisor: 1 };
  if (input.model !== undefined) {
    if (!isObject(input.model)) issues.push(`model: expected { "inputExp": n, "widthDivisor": d }, got ${show(input.model)}`);
    else {
      unknownKeys(input.model, ['inputExp', 'widthDivisor'], 'model.', issues);
      const { inputExp = 10, widthDivisor = 1 } = input.model;
      if (!isInt(inputExp, 3, 12)) issues.push(`model.inputExp: expected an integer from 3 to 12 (input 3^n samples; the thesis uses 10), got ${show(inputExp)}`);
      if (!isInt(widthDivisor, 1, 512)) issues.push(`model.widthDivisor: expected an integer from 1 to 512, got ${show(widthDivisor)}`);
      Object.assign(model, { inputExp, widthDivisor });
    }
  }
  const seeds = distinctList<number>(input.seeds, 'seeds', 'integers >= 0', (x) => isInt(x, 0, 2 ** 32 - 1), issues) ?? [];
  const noiseCounts = distinctList<NoiseCount>(input.noiseCounts, 'noiseCounts', 'noise clips per mix, each 1, 2 or 4', (x) => NOISE_COUNTS.includes(x as NoiseCount), issues) ?? [];
  const models = distinctList<GridModel>(input.models, 'models', `names from ${GRID_MODELS.map(show).join(', ')}`, (x) => GRID_MODELS.includes(x as GridModel), issues) ?? [];

  const dat: GridSpec['dat'] = { lambda: defaultConfig('dat').lambda, domainClassifier: [], e2h: [], alphaSchedule: [] };
  // From the raw list, so a typo elsewhere in it does not hide the DAT settings' own problems.
  const wantsDat = Array.isArray(input.models) && input.models.includes('dat');
  if (wantsDat) {
    if (!isObject(input.dat)) issues.push(`dat: "models" has "dat", so expected { "lambda", "domainClassifier", "e2h", "alphaSchedule" }, got ${show(input.dat)}`);
    else {
      unknownKeys(input.dat, ['lambda', 'domainClassifier', 'e2h', 'alphaSchedule'], 'dat.', issues);
      const lambda = input.dat.lambda ?? dat.lambda;
      if (typeof lambda !== 'number' || !(lambda >= 0 && lambda <= 10)) issues.push(`dat.lambda: expected a number from 0 to 10, got ${show(lambda)}`);
      else dat.lambda = lambda;
      dat.domainClassifier = distinctList<DcMode>(input.dat.domainClassifier, 'dat.domainClassifier', '"frozen" or "finetune"', (x) => x === 'frozen' || x === 'finetune', issues) ?? [];
      dat.e2h = distinctList<boolean>(input.dat.e2h, 'dat.e2h', 'true or false (easy-to-hard SNR curriculum)', (x) => typeof x === 'boolean', issues) ?? [];
      dat.alphaSchedule = distinctList<boolean>(input.dat.alphaSchedule, 'dat.alphaSchedule', 'true or false (DANN α schedule; false is the thesis\'s α = 1)', (x) => typeof x === 'boolean', issues) ?? [];
    }
  } else if (input.dat !== undefined) issues.push('dat: given, but "models" has no "dat"');

  const stagesRaw = input.stages ?? {};
  if (!isObject(stagesRaw)) issues.push(`stages: expected an object keyed by stage (${STAGES.join(', ')}), got ${show(stagesRaw)}`);
  else unknownKeys(stagesRaw, STAGES, 'stages.', issues);
  const stages = Object.fromEntries(STAGES.map((s) => [s, stageSpec(s, isObject(stagesRaw) ? stagesRaw[s] : undefined, issues)])) as Record<Stage, StageSpec>;

  const evaluation: GridSpec['evaluation'] = { validClips: null, testClips: null, bootstrap: 1000 };
  if (input.evaluation !== undefined) {
    if (!isObject(input.evaluation)) issues.push(`evaluation: expected an object, got ${show(input.evaluation)}`);
    else {
      unknownKeys(input.evaluation, ['validClips', 'testClips', 'bootstrap'], 'evaluation.', issues);
      for (const k of ['validClips', 'testClips'] as const) {
        const v = input.evaluation[k];
        if (v === undefined || v === null) continue;
        if (isInt(v, 1)) evaluation[k] = v;
        else issues.push(`evaluation.${k}: expected an integer >= 1 or null (the whole split), got ${show(v)}`);
      }
      const b = input.evaluation.bootstrap;
      if (b !== undefined) {
        if (isInt(b, 1, 100_000)) evaluation.bootstrap = b;
        else issues.push(`evaluation.bootstrap: expected an integer from 1 to 100000 (clip-bootstrap replicates), got ${show(b)}`);
      }
    }
  }
  if (issues.length) throw new GridSpecError(source, issues);
  return { name: name as string, data: input.data as string, model, seeds, noiseCounts, models, dat, stages, evaluation };
}
