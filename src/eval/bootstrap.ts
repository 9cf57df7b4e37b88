// Paired bootstrap over test clips for differences of models' macro ROC-AUC
// and PR-AUC (e.g. DAT − baseline), combined over training seeds.
//
// One replicate draws n clip indices with replacement, and that one draw is
// used for every run given (every model, seed and condition: all of them
// score the same test clips). So the clip-to-clip variation the models share
// cancels in a difference (that is what "paired" buys), and a difference
// pooled over several conditions sees one consistent test set. In a replicate
// each side's metric is averaged over its runs (its seeds, or seeds ×
// conditions) and the difference of the averages is kept; the interval is the
// percentile interval of the kept differences. The seeds are held fixed: the
// interval says how much the difference could move on another test set of
// the same size, not with other training runs (summary.ts adds a t-interval
// over seeds for that).
//
// Speed: a replicate is a vector of clip multiplicities w. With each tag's
// clips sorted by score once per run, a replicate is one O(clips) pass per
// tag that counts clip c as w[c] copies. Copies of a clip share its score, so
// they fall into its tie group, and the pass returns exactly what metrics.ts's
// rocAuc / averagePrecision return on the resampled data (bootstrap.test.ts
// checks this).

import { Rng } from '../data/rng.js';
import type { ClipScores } from './grid.js';
import { quantileSorted } from './stats.js';

export type MetricName = 'rocAuc' | 'prAuc';
const METRIC_NAMES: readonly MetricName[] = ['rocAuc', 'prAuc'];

export interface BootstrapOptions {
  /** Replicates (default 1000). */
  replicates?: number;
  /** Seed of the clip draws (default 0). */
  seed?: number;
  /** Two-sided level of the percentile interval (default 0.95). */
  level?: number;
}

export interface BootstrapDifference {
  /** mean over A's runs − mean over B's runs, on the test set as it is. */
  difference: number | null;
  /** Percentile interval of the replicate differences; null when no replicate had the metric defined. */
  ci: [number, number] | null;
  /** Replicates in which both sides' metric was defined (a draw can lose every positive of every tag). */
  replicates: number;
}

/** Per-run macro metrics on the test set and in every replicate (NaN where undefined). */
export interface BootstrapDraws {
  runs: number;
  replicates: number;
  observed: Record<MetricName, Float64Array>;
  /** draws[m][r * runs + i]: metric m of run i in replicate r. */
  draws: Record<MetricName, Float64Array>;
}

/** One run sorted for the weighted pass: per tag, clip indices and their labels in decreasing score order. */
interface SortedRun {
  order: Int32Array;
  label: Uint8Array;
  /** 1 where sorted position k is the last clip of its tie group. */
  groupEnd: Uint8Array;
}

function sortRun(s: ClipScores): SortedRun {
  const clips = s.clipIds.length;
  const order = new Int32Array(clips * s.tags);
  const label = new Uint8Array(clips * s.tags);
  const groupEnd = new Uint8Array(clips * s.tags);
  const idx = Array.from({ length: clips }, (_, i) => i);
  for (let t = 0; t < s.tags; t++) {
    const score = (c: number) => s.scores[c * s.tags + t];
    idx.sort((a, b) => score(b) - score(a));
    for (let k = 0; k < clips; k++) {
      order[t * clips + k] = idx[k];
      label[t * clips + k] = s.labels[idx[k] * s.tags + t];
      groupEnd[t * clips + k] = k === clips - 1 || score(idx[k + 1]) !== score(idx[k]) ? 1 : 0;
    }
  }
  return { order, label, groupEnd };
}

/** Weighted positives per tag and the weighted clip count: the same for every run of a replicate. */
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

/**
 * Macro ROC-AUC and AP of one run with clip c counted w[c] times (NaN when no
 * tag has the metric defined). Tags whose weighted positives (or negatives,
 * for ROC-AUC) are zero are left out of the average, as multiLabelMetrics does.
 */
function weightedMacro(run: SortedRun, clips: number, tags: number, w: ArrayLike<number>, counts: ClassCounts, out: Record<MetricName, number>): void {
  let rocSum = 0;
  let rocTags = 0;
  let apSum = 0;
  let apTags = 0;
  const { order, label, groupEnd } = run;
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
    const end = (t + 1) * clips;
    for (let k = t * clips; k < end; k++) {
      const wc = w[order[k]];
      if (label[k] === 1) tp += wc;
      else fp += wc;
      // A group whose clips were all drawn zero times adds nothing: skip it.
      if (groupEnd[k] === 1 && (tp !== prevTp || fp !== prevFp)) {
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
  out.rocAuc = rocTags ? rocSum / rocTags : NaN;
  out.prAuc = apTags ? apSum / apTags : NaN;
}

function checkSameClips(runs: readonly ClipScores[]): void {
  const first = runs[0];
  for (const r of runs) {
    const same =
      r.tags === first.tags &&
      r.clipIds.length === first.clipIds.length &&
      r.clipIds.every((id, i) => id === first.clipIds[i]) &&
      r.labels.every((v, i) => v === first.labels[i]);
    // Pairing is only meaningful when every run scored the same clips in the same order.
    if (!same) throw new Error('paired bootstrap: the runs were scored on different clips, tags or labels');
  }
}

/**
 * Every run's macro metrics on the test set and under `replicates` shared
 * clip draws. Deterministic given `seed`; differences are read off with
 * `differenceInterval`.
 */
export function bootstrapRuns(runs: readonly ClipScores[], opts: BootstrapOptions = {}): BootstrapDraws {
  if (runs.length === 0) throw new Error('bootstrap: no runs');
  const replicates = opts.replicates ?? 1000;
  if (!Number.isInteger(replicates) || replicates < 1) throw new Error(`bootstrap replicates must be a positive integer, got ${replicates}`);
  checkSameClips(runs);
  const { tags, labels } = runs[0];
  const clips = runs[0].clipIds.length;
  const sorted = runs.map(sortRun);
  const m = { rocAuc: 0, prAuc: 0 };
  const evaluate = (w: ArrayLike<number>, into: Record<MetricName, Float64Array>, at: number) => {
    const counts = classCounts(labels, clips, tags, w);
    sorted.forEach((run, i) => {
      weightedMacro(run, clips, tags, w, counts, m);
      into.rocAuc[at + i] = m.rocAuc;
      into.prAuc[at + i] = m.prAuc;
    });
  };
  const observed = { rocAuc: new Float64Array(runs.length), prAuc: new Float64Array(runs.length) };
  evaluate(new Float64Array(clips).fill(1), observed, 0);
  const draws = { rocAuc: new Float64Array(replicates * runs.length), prAuc: new Float64Array(replicates * runs.length) };
  const rng = new Rng(opts.seed ?? 0);
  const w = new Float64Array(clips);
  for (let r = 0; r < replicates; r++) {
    w.fill(0);
    for (let i = 0; i < clips; i++) w[Math.floor(rng.next() * clips)]++;
    evaluate(w, draws, r * runs.length);
  }
  return { runs: runs.length, replicates, observed, draws };
}

/** Mean of the given entries of `values` (offset by `at`); NaN if any is undefined. */
function meanAt(values: Float64Array, at: number, indices: readonly number[]): number {
  let s = 0;
  for (const i of indices) s += values[at + i];
  return s / indices.length;
}

/** mean over runs `a` − mean over runs `b` (indices into the runs given to bootstrapRuns), with its percentile interval. */
export function differenceInterval(d: BootstrapDraws, a: readonly number[], b: readonly number[], level = 0.95): Record<MetricName, BootstrapDifference> {
  if (a.length === 0 || b.length === 0) throw new Error('bootstrap difference: each side needs at least one run');
  const result = {} as Record<MetricName, BootstrapDifference>;
  for (const m of METRIC_NAMES) {
    const observed = meanAt(d.observed[m], 0, a) - meanAt(d.observed[m], 0, b);
    const kept: number[] = [];
    for (let r = 0; r < d.replicates; r++) {
      const v = meanAt(d.draws[m], r * d.runs, a) - meanAt(d.draws[m], r * d.runs, b);
      if (!Number.isNaN(v)) kept.push(v);
    }
    const sorted = Float64Array.from(kept).sort();
    result[m] = {
      difference: Number.isNaN(observed) ? null : observed,
      ci: sorted.length ? [quantileSorted(sorted, (1 - level) / 2), quantileSorted(sorted, (1 + level) / 2)] : null,
      replicates: sorted.length,
    };
  }
  return result;
}

/** mean_runs(A) − mean_runs(B) for macro ROC-AUC and PR-AUC, with a paired clip-bootstrap interval. */
export function pairedBootstrap(a: readonly ClipScores[], b: readonly ClipScores[], opts: BootstrapOptions = {}): Record<MetricName, BootstrapDifference> {
  const d = bootstrapRuns([...a, ...b], opts);
  return differenceInterval(d, a.map((_, i) => i), b.map((_, i) => a.length + i), opts.level);
}

/** Exposed for tests: macro metrics of one run under clip weights, through the fast pass (null where undefined). */
export function weightedMacroMetrics(s: ClipScores, weights: ArrayLike<number>): Record<MetricName, number | null> {
  const clips = s.clipIds.length;
  const out = { rocAuc: 0, prAuc: 0 };
  weightedMacro(sortRun(s), clips, s.tags, weights, classCounts(s.labels, clips, s.tags, weights), out);
  return { rocAuc: Number.isNaN(out.rocAuc) ? null : out.rocAuc, prAuc: Number.isNaN(out.prAuc) ? null : out.prAuc };
}
