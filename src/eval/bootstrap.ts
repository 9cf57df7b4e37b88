// Paired bootstrap over test clips for the difference of two models' macro
// ROC-AUC and PR-AUC (e.g. DAT − baseline), combined over training seeds.
//
// One replicate draws n clip indices with replacement. The same draw is used
// for both models and for every seed of each, so the clip-to-clip variation
// that both models share cancels in the difference (that is what "paired"
// buys). In a replicate each model's metric is averaged over its seeds and
// the difference of those averages is kept; the interval is the percentile
// interval of the kept differences. The seeds are held fixed: this interval
// says how much the difference could move with another test set of the same
// size, not with other training runs (see `seedInterval` in compare.ts).
//
// Speed: a replicate is a vector of clip multiplicities w. Sorting each tag's
// scores once per run, a replicate is one O(clips) pass per tag that counts
// clip c as w[c] copies. Copies of a clip share its score, so they fall into
// its tie group, and the pass returns exactly what metrics.ts's rocAuc /
// averagePrecision return on the resampled data (test/eval/bootstrap.test.ts
// checks this).

import { Rng, hashString, mixSeed } from '../data/rng.js';
import type { ClipScores } from './grid.js';
import { quantileSorted } from './stats.js';

export type MetricName = 'rocAuc' | 'prAuc';

export interface BootstrapOptions {
  /** Replicates (default 1000). */
  replicates?: number;
  /** Seed of the clip draws; the key is mixed in, so each condition (or pool) has its own stream. */
  seed?: number;
  /** Two-sided level of the percentile interval (default 0.95). */
  level?: number;
}

export interface BootstrapDifference {
  /** mean over seeds of A − mean over seeds of B, on the test set as it is. */
  difference: number | null;
  /** Percentile interval of the replicate differences; null when no replicate had the metric defined. */
  ci: [number, number] | null;
  /** Replicates in which both models' metric was defined (a draw can lose every positive of every tag). */
  replicates: number;
}

/** One run (model × seed) sorted for the weighted pass. */
interface SortedRun {
  /** Per tag, clip indices in decreasing score order: order[t * clips + k]. */
  order: Int32Array;
  /** 1 where order position k is the last clip of its tie group. */
  groupEnd: Uint8Array;
}

function sortRun(s: ClipScores): SortedRun {
  const clips = s.clipIds.length;
  const order = new Int32Array(clips * s.tags);
  const groupEnd = new Uint8Array(clips * s.tags);
  const idx = Array.from({ length: clips }, (_, i) => i);
  for (let t = 0; t < s.tags; t++) {
    const score = (c: number) => s.scores[c * s.tags + t];
    idx.sort((a, b) => score(b) - score(a));
    for (let k = 0; k < clips; k++) {
      order[t * clips + k] = idx[k];
      groupEnd[t * clips + k] = k === clips - 1 || score(idx[k + 1]) !== score(idx[k]) ? 1 : 0;
    }
  }
  return { order, groupEnd };
}

/**
 * Macro ROC-AUC and AP of one run with clip c counted w[c] times. Tags whose
 * weighted positives (or negatives, for ROC-AUC) are zero are left out of the
 * average, as multiLabelMetrics does.
 */
function weightedMacro(run: SortedRun, labels: Uint8Array, clips: number, tags: number, w: ArrayLike<number>, counts: ClassCounts): Record<MetricName, number | null> {
  let rocSum = 0;
  let rocTags = 0;
  let apSum = 0;
  let apTags = 0;
  for (let t = 0; t < tags; t++) {
    const p = counts.positives[t];
    if (p === 0) continue;
    const n = counts.total - p;
    let tp = 0;
    let fp = 0;
    let prevTp = 0;
    let prevFp = 0;
    let area = 0;
    let ap = 0;
    const base = t * clips;
    for (let k = 0; k < clips; k++) {
      const c = run.order[base + k];
      const wc = w[c];
      if (labels[c * tags + t] === 1) tp += wc;
      else fp += wc;
      // A group whose clips were all drawn zero times adds nothing: skip it.
      if (run.groupEnd[base + k] === 1 && (tp !== prevTp || fp !== prevFp)) {
        area += (fp - prevFp) * (tp + prevTp);
        ap += (tp - prevTp) * (tp / (tp + fp));
        prevTp = tp;
        prevFp = fp;
      }
    }
    apSum += ap / p;
    apTags++;
    if (n > 0) {
      // Trapezoids in count units: Σ Δfp·(tp + tp_prev)/2, normalised by p·n.
      rocSum += area / (2 * p * n);
      rocTags++;
    }
  }
  return { rocAuc: rocTags ? rocSum / rocTags : null, prAuc: apTags ? apSum / apTags : null };
}

/** Weighted positives per tag and the weighted clip count: shared by every run of a replicate. */
interface ClassCounts {
  positives: Float64Array;
  total: number;
}

function classCounts(labels: Uint8Array, clips: number, tags: number, w: ArrayLike<number>): ClassCounts {
  const positives = new Float64Array(tags);
  let total = 0;
  for (let c = 0; c < clips; c++) {
    total += w[c];
    if (w[c] === 0) continue;
    for (let t = 0; t < tags; t++) positives[t] += w[c] * labels[c * tags + t];
  }
  return { positives, total };
}

function checkSameClips(runs: readonly ClipScores[]): void {
  const first = runs[0];
  for (const r of runs) {
    const same =
      r.tags === first.tags &&
      r.clipIds.length === first.clipIds.length &&
      r.clipIds.every((id, i) => id === first.clipIds[i]) &&
      r.labels.every((v, i) => v === first.labels[i]);
    // Pairing is only meaningful when both models scored the same clips in the same order.
    if (!same) throw new Error('paired bootstrap: the runs were scored on different clips, tags or labels');
  }
}

/** Mean of a metric over runs; null if any run has it undefined (they share labels, so all or none do). */
function meanOver(values: (number | null)[]): number | null {
  if (values.some((v) => v === null)) return null;
  return (values as number[]).reduce((s, v) => s + v, 0) / values.length;
}

/**
 * Paired bootstrap of mean_runs(A) − mean_runs(B) for macro ROC-AUC and
 * PR-AUC. `a` and `b` hold one ClipScores per run, all on the same clips:
 * one per seed for a single condition, or one per (seed, condition) for a
 * difference averaged over several conditions (the same clips are drawn for
 * every condition, since every condition scores the same test clips).
 * Deterministic given `seed` and `key` (a condition id or a pooled name).
 */
export function pairedBootstrap(
  a: readonly ClipScores[],
  b: readonly ClipScores[],
  key: string,
  opts: BootstrapOptions = {},
): Record<MetricName, BootstrapDifference> {
  if (a.length === 0 || b.length === 0) throw new Error('paired bootstrap: each model needs at least one run');
  const replicates = opts.replicates ?? 1000;
  const level = opts.level ?? 0.95;
  if (!Number.isInteger(replicates) || replicates < 1) throw new Error(`bootstrap replicates must be a positive integer, got ${replicates}`);
  checkSameClips([...a, ...b]);
  const { tags, labels } = a[0];
  const clips = a[0].clipIds.length;
  const sortedA = a.map(sortRun);
  const sortedB = b.map(sortRun);
  const diffOf = (w: ArrayLike<number>): Record<MetricName, number | null> => {
    const counts = classCounts(labels, clips, tags, w);
    const ma = sortedA.map((r) => weightedMacro(r, labels, clips, tags, w, counts));
    const mb = sortedB.map((r) => weightedMacro(r, labels, clips, tags, w, counts));
    const out = {} as Record<MetricName, number | null>;
    for (const m of ['rocAuc', 'prAuc'] as const) {
      const va = meanOver(ma.map((x) => x[m]));
      const vb = meanOver(mb.map((x) => x[m]));
      out[m] = va === null || vb === null ? null : va - vb;
    }
    return out;
  };

  const observed = diffOf(new Float64Array(clips).fill(1));
  const draws: Record<MetricName, number[]> = { rocAuc: [], prAuc: [] };
  const rng = new Rng(mixSeed(opts.seed ?? 0, hashString(key)));
  const w = new Float64Array(clips);
  for (let r = 0; r < replicates; r++) {
    w.fill(0);
    for (let i = 0; i < clips; i++) w[Math.floor(rng.next() * clips)]++;
    const d = diffOf(w);
    for (const m of ['rocAuc', 'prAuc'] as const) if (d[m] !== null) draws[m].push(d[m]!);
  }
  const result = {} as Record<MetricName, BootstrapDifference>;
  for (const m of ['rocAuc', 'prAuc'] as const) {
    const sorted = Float64Array.from(draws[m]).sort();
    result[m] = {
      difference: observed[m],
      ci: sorted.length ? [quantileSorted(sorted, (1 - level) / 2), quantileSorted(sorted, (1 + level) / 2)] : null,
      replicates: sorted.length,
    };
  }
  return result;
}

/** Exposed for tests: macro metrics of one run under clip weights, through the fast pass. */
export function weightedMacroMetrics(s: ClipScores, weights: ArrayLike<number>): Record<MetricName, number | null> {
  const clips = s.clipIds.length;
  return weightedMacro(sortRun(s), s.labels, clips, s.tags, weights, classCounts(s.labels, clips, s.tags, weights));
}
