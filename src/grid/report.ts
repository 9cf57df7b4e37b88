// The grid's report: the per-noise-count evaluations (each written by
// evaluateModels, with its own results.json, results.md and charts) gathered
// into the thesis-shaped tables, one results.json, and the charts per noise
// set. Nothing here depends on when or where it ran, so an in-process grid and
// a queued one write the same bytes.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GridResult } from '../eval/grid.js';
import { methodText } from '../eval/report_stats.js';
import { summarizeCells } from '../eval/summary.js';
import type { ReportJob } from './plan.js';
import { type NoiseCountResults, bestRow, gridTablesText, validationScore } from './tables.js';

const LEVEL = 0.95;

function readResults(path: string): GridResult[] {
  if (!existsSync(path)) throw new Error(`${path} not found; its evaluation job has not finished`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { results: GridResult[] }).results;
}

export function loadGridResults(job: ReportJob, out: string): NoiseCountResults[] {
  return job.evals.map((e) => ({
    noiseCount: e.noiseCount,
    rows: e.rows,
    validation: readResults(join(out, e.dir, 'validation', 'results.json')),
    test: readResults(join(out, e.dir, 'test', 'results.json')),
  }));
}

/** Writes <out>/<job.dir>/{tables.md, results.json, test-noise<n>-<set>.svg}; returns the paths. */
export function writeReport(job: ReportJob, out: string): string[] {
  const all = loadGridResults(job, out);
  const dir = join(out, job.dir);
  mkdirSync(dir, { recursive: true });
  const seeds = Math.max(...all.flatMap((r) => summarizeCells(r.validation, LEVEL).map((c) => c.seeds)));
  const files: string[] = [];
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    files.push(join(dir, name));
  };
  const charts: string[] = [];
  for (const e of job.evals) {
    for (const set of ['internal', 'external']) {
      const name = `test-noise${e.noiseCount}-${set}.svg`;
      copyFileSync(join(out, e.dir, 'test', `chart-${set}.svg`), join(dir, name));
      files.push(join(dir, name));
      charts.push(name);
    }
  }
  write('tables.md', gridTablesText(job.name, all, seeds, LEVEL));
  const json = {
    version: 1,
    name: job.name,
    level: LEVEL,
    method: methodText(LEVEL).cells,
    noiseCounts: all.map((r) => {
      const validation = summarizeCells(r.validation, LEVEL);
      return {
        noiseCount: r.noiseCount,
        best: bestRow(r, LEVEL),
        rows: r.rows.map((row) => ({ ...row, validationScore: validationScore(validation, row.name) })),
        // Per-tag figures and the paired differences stay in each evaluation's own results.json.
        validation: validation.map(({ perTag: _, ...c }) => c),
        test: summarizeCells(r.test, LEVEL).map(({ perTag: _, ...c }) => c),
        evaluations: { validation: `${job.evals.find((e) => e.noiseCount === r.noiseCount)!.dir}/validation/results.json`, test: `${job.evals.find((e) => e.noiseCount === r.noiseCount)!.dir}/test/results.json` },
      };
    }),
    charts,
  };
  write('results.json', `${JSON.stringify(json, null, 2)}\n`);
  return files;
}
