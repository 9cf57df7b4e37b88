// ROC-AUC and PR-AUC (average precision) with scikit-learn's definitions, per
// tag and macro-averaged. The thesis reports these two numbers, computed with
// sklearn's roc_auc_score / average_precision_score, so matching them exactly
// (ties included) is what makes our figures comparable with its tables.

export type NumericArray = ArrayLike<number>;

/** Why a tag was left out of a macro average. */
export type ExclusionReason = 'no positives' | 'no negatives';

export interface ExcludedTag {
  tag: string;
  metric: 'rocAuc' | 'prAuc';
  reason: ExclusionReason;
}

export interface TagMetrics {
  tag: string;
  positives: number;
  negatives: number;
  /** null where the metric is undefined for this tag (see `excluded`). */
  rocAuc: number | null;
  prAuc: number | null;
}

export interface MultiLabelMetrics {
  clips: number;
  tags: number;
  /** Macro averages over the tags where the metric is defined; null if none is. */
  rocAuc: number | null;
  prAuc: number | null;
  perTag: TagMetrics[];
  excluded: ExcludedTag[];
}

/**
 * One point of sklearn's _binary_clf_curve per distinct score, in decreasing
 * score order: cumulative true/false positives when every clip scoring at
 * least that value is called positive. Equal scores form a single point,
 * which is how ties are "grouped".
 */
interface ClfCurve {
  tps: number[];
  fps: number[];
}

function binaryClfCurve(scores: NumericArray, labels: NumericArray): ClfCurve {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i);
  // Sort by score, descending. Order within a tie group does not matter,
  // because only the totals at the end of each group are kept.
  order.sort((a, b) => scores[b] - scores[a]);
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (labels[i] === 1) tp++;
    else fp++;
    const last = k === n - 1;
    if (last || scores[order[k + 1]] !== scores[i]) {
      tps.push(tp);
      fps.push(fp);
    }
  }
  return { tps, fps };
}

function checkBinaryInputs(scores: NumericArray, labels: NumericArray): void {
  if (scores.length !== labels.length) {
    throw new Error(`scores has ${scores.length} entries but labels has ${labels.length}`);
  }
  for (let i = 0; i < scores.length; i++) {
    // NaN would silently break the sort comparator and every count after it.
    if (!Number.isFinite(scores[i])) throw new Error(`score ${i} is not finite (${scores[i]})`);
    if (labels[i] !== 0 && labels[i] !== 1) {
      throw new Error(`label ${i} is ${labels[i]}; labels must be 0 or 1`);
    }
  }
}

function countPositives(labels: NumericArray): number {
  let p = 0;
  for (let i = 0; i < labels.length; i++) p += labels[i];
  return p;
}

/**
 * Area under the ROC curve (sklearn roc_auc_score, binary case): the
 * trapezoid rule over the curve through (0,0) and one point per distinct
 * threshold. Returns null when there are no positives or no negatives,
 * where sklearn raises instead.
 */
export function rocAuc(scores: NumericArray, labels: NumericArray): number | null {
  checkBinaryInputs(scores, labels);
  const { tps, fps } = binaryClfCurve(scores, labels);
  const p = tps.length ? tps[tps.length - 1] : 0;
  const n = fps.length ? fps[fps.length - 1] : 0;
  if (p === 0 || n === 0) return null;
  let area = 0;
  let prevTpr = 0;
  let prevFpr = 0;
  for (let k = 0; k < tps.length; k++) {
    const tpr = tps[k] / p;
    const fpr = fps[k] / n;
    // A tie group that mixes classes moves diagonally: the trapezoid counts
    // each mixed positive/negative pair as 1/2, as Mann-Whitney does.
    area += ((fpr - prevFpr) * (tpr + prevTpr)) / 2;
    prevTpr = tpr;
    prevFpr = fpr;
  }
  return area;
}

/**
 * Average precision (sklearn average_precision_score, binary case):
 * AP = Σ_n (R_n − R_{n−1}) · P_n over distinct thresholds in decreasing
 * score order, with R_0 = 0. A step function, not the interpolated
 * trapezoid, so it is not the same as the area under the PR curve drawn with
 * straight lines. Returns null when there are no positives.
 */
export function averagePrecision(scores: NumericArray, labels: NumericArray): number | null {
  checkBinaryInputs(scores, labels);
  const { tps, fps } = binaryClfCurve(scores, labels);
  const p = tps.length ? tps[tps.length - 1] : 0;
  if (p === 0) return null;
  let ap = 0;
  let prevRecall = 0;
  for (let k = 0; k < tps.length; k++) {
    const recall = tps[k] / p;
    const precision = tps[k] / (tps[k] + fps[k]);
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
  }
  return ap;
}

function mean(values: number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Per-tag and macro-averaged ROC-AUC and PR-AUC for a [clips, tags]
 * row-major score matrix and a 0/1 label matrix of the same shape.
 *
 * sklearn's macro roc_auc_score raises when any tag lacks one class; we
 * instead drop such tags from that average and list them in `excluded`, so
 * a small evaluation subset (or a rare tag) still yields a number and the
 * report can say which tags it is over.
 */
export function multiLabelMetrics(
  scores: NumericArray,
  labels: NumericArray,
  clips: number,
  tagNames: readonly string[] | number,
): MultiLabelMetrics {
  const tags = typeof tagNames === 'number' ? tagNames : tagNames.length;
  const names = typeof tagNames === 'number' ? Array.from({ length: tags }, (_, t) => `tag${t}`) : tagNames;
  if (!Number.isInteger(clips) || clips < 0) throw new Error(`clips must be a non-negative integer, got ${clips}`);
  const expected = clips * tags;
  if (scores.length !== expected || labels.length !== expected) {
    throw new Error(
      `expected ${clips} clips × ${tags} tags = ${expected} entries, got scores ${scores.length}, labels ${labels.length}`,
    );
  }
  const perTag: TagMetrics[] = [];
  const excluded: ExcludedTag[] = [];
  const column = new Float64Array(clips);
  const columnLabels = new Float64Array(clips);
  for (let t = 0; t < tags; t++) {
    for (let c = 0; c < clips; c++) {
      column[c] = scores[c * tags + t];
      columnLabels[c] = labels[c * tags + t];
    }
    const tag = names[t];
    const positives = countPositives(columnLabels);
    const negatives = clips - positives;
    const roc = rocAuc(column, columnLabels);
    const ap = averagePrecision(column, columnLabels);
    if (roc === null) excluded.push({ tag, metric: 'rocAuc', reason: positives === 0 ? 'no positives' : 'no negatives' });
    if (ap === null) excluded.push({ tag, metric: 'prAuc', reason: 'no positives' });
    perTag.push({ tag, positives, negatives, rocAuc: roc, prAuc: ap });
  }
  return {
    clips,
    tags,
    rocAuc: mean(perTag.flatMap((m) => (m.rocAuc === null ? [] : [m.rocAuc]))),
    prAuc: mean(perTag.flatMap((m) => (m.prAuc === null ? [] : [m.prAuc]))),
    perTag,
    excluded,
  };
}
