// Independent reference implementations used only by the tests. They follow
// the textbook definitions, deliberately not the sorted-sweep used in
// src/eval/metrics.ts, so a bug in the sweep cannot hide in both.

/** ROC-AUC as the Mann-Whitney statistic: P(score_pos > score_neg), ties count 1/2. */
export function rocAucPairwise(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      if (scores[i] > scores[j]) wins += 1;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return pairs === 0 ? null : wins / pairs;
}

/**
 * AP by enumerating every distinct threshold (largest first) and counting,
 * from scratch, the clips with score >= threshold: AP = Σ (R_n − R_{n−1}) P_n.
 */
export function averagePrecisionEnumerated(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] === 1 ? 1 : 0;
  if (positives === 0) return null;
  const thresholds = [...new Set(Array.from(scores))].sort((a, b) => b - a);
  let ap = 0;
  let prevRecall = 0;
  for (const t of thresholds) {
    let tp = 0;
    let predicted = 0;
    for (let i = 0; i < n; i++) {
      if (scores[i] >= t) {
        predicted++;
        if (labels[i] === 1) tp++;
      }
    }
    const recall = tp / positives;
    ap += (recall - prevRecall) * (tp / predicted);
    prevRecall = recall;
  }
  return ap;
}
