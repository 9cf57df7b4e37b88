// From per-seed grid cells to what the report shows: each (model, condition)
// as mean ± t-interval over seeds, per tag too, and paired model differences
// (e.g. DAT − baseline) per condition and pooled over a noise set's SNRs,
// with a clip-bootstrap interval and, beside it, a t-interval over seeds.

import { type BootstrapDifference, type BootstrapOptions, type MetricName, bootstrapRuns, differenceInterval } from './bootstrap.js';
import type { ClipScores, GridResult } from './grid.js';
import { type Estimate, tInterval } from './stats.js';

export const METRICS: readonly MetricName[] = ['rocAuc', 'prAuc'];

/**
 * Averages over different numbers of runs round differently, so identical
 * models can differ by ~1e-16; an interval must clear 0 by more than this to
 * count as significant.
 */
const ROUNDING = 1e-12;

export interface TagSummary {
  tag: string;
  positives: number;
  rocAuc: Estimate;
  prAuc: Estimate;
}

/** One (model, condition) cell over its seeds. */
export interface CellSummary {
  model: string;
  condition: string;
  seeds: number;
  clips: number;
  rocAuc: Estimate;
  prAuc: Estimate;
  perTag: TagSummary[];
}

/** Seed index of a result; a result without one is the model's only run. */
export function seedOf(r: GridResult): number {
  return r.seed ?? 0;
}

/** Cells in first-appearance order of model, then condition; seeds in index order. */
export function summarizeCells(results: readonly GridResult[], level = 0.95): CellSummary[] {
  const groups = new Map<string, GridResult[]>();
  for (const r of results) {
    const key = `${r.model}\u0000${r.condition}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((runs) => {
    runs.sort((x, y) => seedOf(x) - seedOf(y));
    const first = runs[0];
    return {
      model: first.model,
      condition: first.condition,
      seeds: runs.length,
      clips: first.clips,
      rocAuc: tInterval(runs.map((r) => r.rocAuc), level),
      prAuc: tInterval(runs.map((r) => r.prAuc), level),
      perTag: first.perTag.map((t, i) => ({
        tag: t.tag,
        positives: t.positives,
        rocAuc: tInterval(runs.map((r) => r.perTag[i]?.rocAuc ?? null), level),
        prAuc: tInterval(runs.map((r) => r.perTag[i]?.prAuc ?? null), level),
      })),
    };
  });
}

export interface Difference extends BootstrapDifference {
  /** The clip-bootstrap interval excludes 0; null when there is no interval. */
  significant: boolean | null;
  /**
   * t-interval over seeds of the per-seed differences (seed i of A minus
   * seed i of B), when both models have the same two or more seeds: how much
   * the difference moves between training runs, which the clip bootstrap
   * holds fixed.
   */
  seedInterval: Estimate | null;
}

export interface Comparison {
  /** The difference is a − b. */
  a: string;
  b: string;
  /** A condition id, or `<noise>/mean` (mean over that noise set's SNRs) or `noisy/mean` (over every noisy condition). */
  condition: string;
  rocAuc: Difference;
  prAuc: Difference;
}

/** Scores of one run on one condition, with the model and seed it came from. */
export interface ScoredCell {
  model: string;
  seed: number;
  condition: string;
  scores: ClipScores;
}

export interface CompareOptions extends BootstrapOptions {
  /** Pairs [a, b]: report a − b. */
  pairs: readonly (readonly [string, string])[];
}

/** The pools a comparison is also reported over: each noise set's SNRs, and every noisy condition. */
function pools(conditions: readonly string[]): [string, string[]][] {
  const noisy = conditions.filter((c) => c !== 'clean');
  const out: [string, string[]][] = [];
  for (const set of ['internal', 'external']) {
    const mine = noisy.filter((c) => c.startsWith(`${set}/`));
    if (mine.length > 1) out.push([`${set}/mean`, mine]);
  }
  if (out.length > 1) out.push(['noisy/mean', noisy]);
  return out;
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/**
 * Paired differences for each pair, on every condition both models were
 * scored on, then pooled. A pooled difference is the mean over its
 * conditions (and seeds) of a − b. One set of clip draws serves every pair,
 * condition and pool (all score the same clips), so each run is bootstrapped once.
 */
export function compareModels(cells: readonly ScoredCell[], results: readonly GridResult[], o: CompareOptions): Comparison[] {
  const level = o.level ?? 0.95;
  for (const [a, b] of o.pairs) for (const name of [a, b]) if (!cells.some((c) => c.model === name)) throw new Error(`compare: no model named "${name}" was evaluated`);
  const compared = new Set(o.pairs.flat());
  const used = cells.filter((c) => compared.has(c.model));
  if (used.length === 0) return [];
  const draws = bootstrapRuns(used.map((c) => c.scores), o);
  const out: Comparison[] = [];
  for (const [a, b] of o.pairs) {
    const runsOf = (model: string, conditions: readonly string[]) =>
      used.flatMap((c, i) => (c.model === model && conditions.includes(c.condition) ? [i] : []));
    const conditions = [...new Set(used.filter((c) => c.model === a).map((c) => c.condition))].filter((c) => used.some((x) => x.model === b && x.condition === c));
    for (const [key, members] of [...conditions.map((c): [string, string[]] => [c, [c]]), ...pools(conditions)]) {
      const boot = differenceInterval(draws, runsOf(a, members), runsOf(b, members), level);
      const comparison = { a, b, condition: key } as Comparison;
      for (const m of METRICS) {
        const ci = boot[m].ci;
        comparison[m] = { ...boot[m], significant: ci ? ci[0] > ROUNDING || ci[1] < -ROUNDING : null, seedInterval: seedInterval(results, a, b, members, m, level) };
      }
      out.push(comparison);
    }
  }
  return out;
}

/** Per seed: the metric of a minus that of b, averaged over `conditions`; a t-interval over seeds. */
function seedInterval(results: readonly GridResult[], a: string, b: string, conditions: readonly string[], m: MetricName, level: number): Estimate | null {
  const perSeed = (model: string) => {
    const bySeed = new Map<number, number[]>();
    for (const r of results) {
      if (r.model !== model || !conditions.includes(r.condition) || r[m] === null) continue;
      bySeed.set(r.seed ?? 0, [...(bySeed.get(r.seed ?? 0) ?? []), r[m]!]);
    }
    return bySeed;
  };
  const sa = perSeed(a);
  const sb = perSeed(b);
  const seeds = [...sa.keys()].sort((x, y) => x - y);
  const sameSeeds = seeds.length === sb.size && seeds.every((s) => sb.has(s) && sa.get(s)!.length === conditions.length && sb.get(s)!.length === conditions.length);
  if (!sameSeeds || seeds.length < 2) return null;
  return tInterval(seeds.map((s) => mean(sa.get(s)!) - mean(sb.get(s)!)), level);
}
