// Evaluating trained taggers on the grid (clean, and internal/external noise at
// SNR 10 … −10), several training seeds per model, then the statistics
// (mean ± t-interval over seeds, paired clip-bootstrap differences) and the
// report files. Resumes per (checkpoint, condition) cell from <out>/partial.jsonl.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GpuContext } from '../gpu/context.js';
import { loadTagger } from '../models/tagger.js';
import { CacheClipProvider, type CacheClipOptions } from './cacheClips.js';
import { type GridResult, type PredictFn, cellResult, listConditions, scoreCondition } from './grid.js';
import { PARTIAL_FILE, PartialResults, settingsKey } from './partial.js';
import { type DataProvenance, type Provenance, checkpointProvenance, dataProvenance, packageVersion } from './provenance.js';
import { type ReportExtras, summaryText } from './report.js';
import { reportFiles } from './report_files.js';
import { type Comparison, type ScoredCell, compareModels } from './summary.js';

/** What evaluation needs of a loaded model (a `Tagger` is one). */
export interface EvalModel {
  readonly tags: readonly string[];
  readonly windowLength: number;
  predict: PredictFn;
  dispose(): void;
}

export interface EvaluateOptions {
  /** The GPU the default model loader runs on; its adapter is recorded in the provenance. */
  ctx?: GpuContext;
  /** Display name → checkpoint path, or one checkpoint per training seed (all scored on the same clips and noise). */
  models: Record<string, string | readonly string[]>;
  clips: CacheClipOptions;
  outDir: string;
  title?: string;
  batchWindows?: number;
  /** Pairs [a, b]: report the paired difference a − b (e.g. [['DAT', 'baseline']]). */
  compare?: readonly (readonly [string, string])[];
  /** Clip-bootstrap replicates (default 1000) and seed (default 0). */
  bootstrap?: { replicates?: number; seed?: number };
  /** Level of every interval (default 0.95). */
  level?: number;
  /** Take finished cells from <outDir>/partial.jsonl (default true). */
  resume?: boolean;
  /** Loads a checkpoint; default: `loadTagger` on `ctx`. Tests inject a CPU model here. */
  openModel?: (path: string) => EvalModel;
  onProgress?: (p: EvalProgress) => void;
}

export interface EvalProgress {
  model: string;
  seed: number;
  seeds: number;
  condition: string;
  /** Cells (checkpoint × condition) finished, including those taken from the partial file. */
  cellsDone: number;
  cellsTotal: number;
  clipsDone: number;
  clipsTotal: number;
  /** True when this cell came from the partial file. */
  resumed: boolean;
  /** Seconds left, from the pace of the clips scored so far in this run; null before the first. */
  etaSeconds: number | null;
}

export interface EvaluateResult {
  /** One per (model, seed, condition). */
  results: GridResult[];
  comparisons: Comparison[];
  provenance: Provenance;
  /** The text the demo and the CLI print: grid tables (mean ± CI) and the paired differences. */
  summary: string;
  files: string[];
  /** Cells taken from the partial file instead of being scored. */
  resumedCells: number;
}

/** "3m05s", "42s". */
export function formatSeconds(s: number): string {
  const r = Math.max(0, Math.round(s));
  return r >= 60 ? `${Math.floor(r / 60)}m${String(r % 60).padStart(2, '0')}s` : `${r}s`;
}

/** One progress line: "DAT seed 2/3 internal/snr-5: 30/48 clips · cell 17/99 · ETA 2m10s". */
export function formatProgress(p: EvalProgress): string {
  const seed = p.seeds > 1 ? ` seed ${p.seed + 1}/${p.seeds}` : '';
  const eta = p.etaSeconds === null ? '' : ` · ETA ${formatSeconds(p.etaSeconds)}`;
  return `${p.model}${seed} ${p.condition}: ${p.resumed ? 'resumed' : `${p.clipsDone}/${p.clipsTotal} clips`} · cell ${p.cellsDone}/${p.cellsTotal}${eta}`;
}

export async function evaluateModels(o: EvaluateOptions): Promise<EvaluateResult> {
  const runs = Object.entries(o.models).flatMap(([model, paths]) => {
    const list = typeof paths === 'string' ? [paths] : [...paths];
    if (list.length === 0) throw new Error(`evaluate: model "${model}" has no checkpoint`);
    return list.map((path, seed) => ({ model, seed, seeds: list.length, path }));
  });
  // Checked before any scoring, so a misspelt name or count does not cost a whole evaluation.
  for (const pair of o.compare ?? []) for (const name of pair) if (!(name in o.models)) throw new Error(`compare: no model named "${name}" (models: ${Object.keys(o.models).join(', ')})`);
  const bootstrap = { replicates: o.bootstrap?.replicates ?? 1000, seed: o.bootstrap?.seed ?? 0 };
  if (!Number.isInteger(bootstrap.replicates) || bootstrap.replicates < 1) throw new Error(`bootstrap replicates must be a positive integer, got ${bootstrap.replicates}`);
  const openModel = o.openModel ?? ((path: string) => {
    if (!o.ctx) throw new Error('evaluate: a GPU context (ctx) is needed to load checkpoints');
    return loadTagger(o.ctx, readFileSync(path), path);
  });
  const checkpoints = runs.map((r) => checkpointProvenance(r.model, r.seed, r.path));
  const provider = new CacheClipProvider(o.clips);
  const results: GridResult[] = [];
  const cells: ScoredCell[] = [];
  let resumedCells = 0;
  let data: DataProvenance[];
  try {
    const noiseSets = Object.keys(o.clips.noise) as ('internal' | 'external')[];
    const conditions = listConditions().filter((c) => c.kind === 'clean' || noiseSets.includes(c.noise));
    data = dataProvenance(provider.sources());
    // What else decides a cell's scores besides the checkpoint: the data (by content) and the mixing.
    const settings = settingsKey({ data: data.map((d) => [d.role, d.indexSha256, d.split, d.files.length]), k: o.clips.k ?? 1, seed: o.clips.seed ?? 0 });
    const partial = new PartialResults(join(o.outDir, PARTIAL_FILE), settings, { load: o.resume !== false });
    const cellsTotal = runs.length * conditions.length;
    const toScore = runs.reduce((n, _r, i) => n + conditions.filter((c) => !partial.get(checkpoints[i].sha256, c.id)).length, 0);
    let cellsDone = 0;
    let clipsScored = 0;
    const t0 = performance.now();
    const eta = (): number | null => {
      if (clipsScored === 0) return null;
      const left = toScore * provider.clipCount - clipsScored;
      return (((performance.now() - t0) / 1000) * left) / clipsScored;
    };
    for (const [i, run] of runs.entries()) {
      const sha = checkpoints[i].sha256;
      let model: EvalModel | null = null;
      try {
        for (const condition of conditions) {
          let scores = partial.get(sha, condition.id);
          const resumed = scores !== undefined;
          const progress = (clipsDone: number) =>
            o.onProgress?.({ ...run, condition: condition.id, cellsDone, cellsTotal, clipsDone, clipsTotal: provider.clipCount, resumed, etaSeconds: eta() });
          if (!scores) {
            model ??= openChecked(openModel, run.path, provider.tagNames);
            const m = model;
            scores = await scoreCondition(condition, {
              predict: (w, n, l) => m.predict(w, n, l),
              provider,
              chunkLength: m.windowLength,
              maxChunksPerCall: o.batchWindows ?? 32,
              onProgress: (e) => {
                clipsScored++;
                progress(e.clipsDone);
              },
            });
            partial.put(sha, condition.id, run, scores);
          } else resumedCells++;
          cellsDone++;
          progress(scores.clipIds.length);
          results.push(cellResult(run.model, condition.id, scores, provider.tagNames, run.seed));
          cells.push({ model: run.model, seed: run.seed, condition: condition.id, scores });
        }
      } finally {
        model?.dispose();
      }
    }
  } finally {
    provider.close();
  }

  const level = o.level ?? 0.95;
  const comparisons = o.compare?.length ? compareModels(cells, results, { pairs: o.compare, ...bootstrap, level }) : [];
  const provenance: Provenance = {
    package: packageVersion(),
    createdAt: new Date().toISOString(),
    adapter: o.ctx ? { ...o.ctx.adapter } : null,
    settings: { clips: o.clips, level, bootstrap, compare: o.compare ?? [] },
    checkpoints,
    data,
  };
  const extras: ReportExtras = { level, comparisons, bootstrap, provenance };
  mkdirSync(o.outDir, { recursive: true });
  const files = Object.entries(reportFiles(results, o.title, extras)).map(([file, text]) => {
    const p = join(o.outDir, file);
    writeFileSync(p, text);
    return p;
  });
  return { results, comparisons, provenance, summary: summaryText(results, o.title, extras), files, resumedCells };
}

function openChecked(openModel: (path: string) => EvalModel, path: string, tagNames: readonly string[]): EvalModel {
  const model = openModel(path);
  if (model.tags.join('\n') !== tagNames.join('\n')) {
    model.dispose();
    throw new Error(`${path}: the model's tags (${model.tags.length}) differ from the evaluation data's (${tagNames.length}); evaluate on the data set it was trained on`);
  }
  return model;
}
