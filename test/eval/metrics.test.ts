import { describe, expect, it } from 'vitest';
import { averagePrecision, multiLabelMetrics, rocAuc } from '../../src/eval/metrics.js';
import { seeded as seededRandom } from '../helpers/check.js';
import { averagePrecisionEnumerated, rocAucPairwise } from './bruteforce.js';

describe('rocAuc / averagePrecision, hand-derived sklearn values', () => {
  it('y=[0,0,1,1], s=[0.1,0.4,0.35,0.8] (sklearn docs example)', () => {
    // Descending: 0.8(+) 0.4(−) 0.35(+) 0.1(−). Curve points (fpr,tpr):
    // (0,.5) (.5,.5) (.5,1) (1,1); trapezoids: .5·.5 + .5·1 = 0.75.
    // AP: recall .5 at precision 1, recall 1 at precision 2/3 → .5 + .5·2/3 = 0.8333…
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(5 / 6, 12);
  });

  it('tie group mixing classes: y=[0,1,0,1], s=[0.5,0.5,0.5,0.9]', () => {
    // Points: 0.9 → (tp1,fp0); group 0.5 → (tp2,fp2). ROC: (0,.5) then a
    // diagonal to (1,1): area (1)(.5+1)/2 = 0.75. Mann-Whitney: the 0.9
    // positive beats both negatives (2), the 0.5 positive ties both (2·½) → 3/4.
    // AP: 0.5·1 + 0.5·(2/4) = 0.75.
    expect(rocAuc([0.5, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBeCloseTo(0.75, 12);
    expect(averagePrecision([0.5, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBeCloseTo(0.75, 12);
  });

  it('all scores tied: ROC 0.5, AP = prevalence', () => {
    // One point (tp2, fp3): ROC is the diagonal → 0.5; AP = 1·(2/5).
    expect(rocAuc([0.3, 0.3, 0.3, 0.3, 0.3], [1, 0, 1, 0, 0])).toBeCloseTo(0.5, 12);
    expect(averagePrecision([0.3, 0.3, 0.3, 0.3, 0.3], [1, 0, 1, 0, 0])).toBeCloseTo(0.4, 12);
  });

  it('tie at the top, y=[1,1,0,0,1], s=[0.7,0.7,0.7,0.2,0.1]', () => {
    // Points: group 0.7 → (tp2,fp1); 0.2 → (2,2); 0.1 → (3,2). P=3, N=2.
    // ROC: (0,0)→(.5,2/3): 1/6; →(1,2/3): 1/3; →(1,1): 0. Total 0.5.
    // AP: (2/3)(2/3) + 0 + (1/3)(3/5) = 4/9 + 1/5 = 29/45.
    expect(rocAuc([0.7, 0.7, 0.7, 0.2, 0.1], [1, 1, 0, 0, 1])).toBeCloseTo(0.5, 12);
    expect(averagePrecision([0.7, 0.7, 0.7, 0.2, 0.1], [1, 1, 0, 0, 1])).toBeCloseTo(29 / 45, 12);
  });

  it('AP is the step sum, not the interpolated area', () => {
    // y=[1,0,1], s=[.9,.8,.7]: AP = .5·1 + .5·(2/3) = 5/6. A trapezoid over
    // the PR curve would give .5·1 + .5·(1+2/3)/2 = 0.9167 instead.
    expect(averagePrecision([0.9, 0.8, 0.7], [1, 0, 1])).toBeCloseTo(5 / 6, 12);
  });

  it('perfect and inverted rankings', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(averagePrecision([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    // Inverted: positives found at ranks 3 and 4 → .5·(1/3) + .5·(2/4).
    expect(averagePrecision([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBeCloseTo(1 / 6 + 1 / 4, 12);
  });

  it('undefined cases return null: no positives, or (ROC only) no negatives', () => {
    expect(rocAuc([0.1, 0.2], [0, 0])).toBeNull();
    expect(averagePrecision([0.1, 0.2], [0, 0])).toBeNull();
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNull();
    expect(averagePrecision([0.1, 0.2], [1, 1])).toBe(1);
  });

  it('rejects bad inputs', () => {
    expect(() => rocAuc([0.1, NaN], [0, 1])).toThrow(/not finite/);
    expect(() => rocAuc([0.1, 0.2], [0, 2])).toThrow(/must be 0 or 1/);
    expect(() => averagePrecision([0.1], [0, 1])).toThrow(/1 entries but labels has 2/);
  });
});

describe('agreement with brute-force definitions on random tied data', () => {
  it('matches pairwise ROC-AUC and enumerated AP over 500 seeded cases', () => {
    const rand = seededRandom(20231122);
    let checked = 0;
    for (let trial = 0; trial < 500; trial++) {
      const n = 1 + Math.floor(rand() * 80);
      // Few score levels → many ties; vary the prevalence too.
      const levels = 1 + Math.floor(rand() * 8);
      const prevalence = rand();
      const scores = new Float32Array(n);
      const labels = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        scores[i] = Math.floor(rand() * levels) / levels;
        labels[i] = rand() < prevalence ? 1 : 0;
      }
      const expectRoc = rocAucPairwise(scores, labels);
      const expectAp = averagePrecisionEnumerated(scores, labels);
      const roc = rocAuc(scores, labels);
      const ap = averagePrecision(scores, labels);
      if (expectRoc === null) expect(roc).toBeNull();
      else expect(roc).toBeCloseTo(expectRoc, 10);
      if (expectAp === null) expect(ap).toBeNull();
      else expect(ap).toBeCloseTo(expectAp, 10);
      if (expectRoc !== null) checked++;
    }
    // Guard against a generator that only produces degenerate cases.
    expect(checked).toBeGreaterThan(300);
  });

  it('matches on continuous scores without ties too', () => {
    const rand = seededRandom(7);
    for (let trial = 0; trial < 100; trial++) {
      const n = 2 + Math.floor(rand() * 200);
      const scores = Array.from({ length: n }, () => rand());
      const labels = Array.from({ length: n }, () => (rand() < 0.3 ? 1 : 0));
      const r = rocAucPairwise(scores, labels);
      if (r !== null) expect(rocAuc(scores, labels)).toBeCloseTo(r, 10);
      const a = averagePrecisionEnumerated(scores, labels);
      if (a !== null) expect(averagePrecision(scores, labels)).toBeCloseTo(a, 10);
    }
  });
});

describe('multiLabelMetrics', () => {
  it('computes per-tag values column-wise from row-major input and macro-averages', () => {
    // 4 clips × 2 tags; tag a is the first hand case, tag b is inverted.
    const scores = new Float32Array([0.1, 0.9, 0.4, 0.8, 0.35, 0.2, 0.8, 0.1]);
    const labels = new Uint8Array([0, 0, 0, 0, 1, 1, 1, 1]);
    const m = multiLabelMetrics(scores, labels, 4, ['a', 'b']);
    expect(m.perTag[0].rocAuc).toBeCloseTo(0.75, 6);
    expect(m.perTag[1].rocAuc).toBe(0);
    expect(m.rocAuc).toBeCloseTo(0.375, 6);
    expect(m.prAuc).toBeCloseTo((5 / 6 + (1 / 6 + 1 / 4)) / 2, 6);
    expect(m.excluded).toEqual([]);
    expect(m.perTag[0]).toMatchObject({ tag: 'a', positives: 2, negatives: 2 });
  });

  it('excludes tags without positives or negatives and says why', () => {
    // Tag "none" has no positives, "all" has no negatives, "ok" has both.
    const scores = [0.2, 0.5, 0.9, 0.4, 0.6, 0.1, 0.7, 0.3, 0.8];
    const labels = [0, 1, 1, 0, 1, 0, 0, 1, 1];
    const m = multiLabelMetrics(scores, labels, 3, ['none', 'all', 'ok']);
    expect(m.excluded).toEqual([
      { tag: 'none', metric: 'rocAuc', reason: 'no positives' },
      { tag: 'none', metric: 'prAuc', reason: 'no positives' },
      { tag: 'all', metric: 'rocAuc', reason: 'no negatives' },
    ]);
    // ok: scores [.9,.1,.8], labels [1,0,1] → ROC 1, AP 1. all: AP 1.
    expect(m.rocAuc).toBe(1);
    expect(m.prAuc).toBe(1);
    expect(m.perTag[0].rocAuc).toBeNull();
  });

  it('returns null macros when every tag is excluded, and checks the shape', () => {
    const m = multiLabelMetrics([0.1, 0.2], [0, 0], 2, 1);
    expect(m.rocAuc).toBeNull();
    expect(m.prAuc).toBeNull();
    expect(m.perTag[0].tag).toBe('tag0');
    expect(() => multiLabelMetrics([0.1, 0.2, 0.3], [0, 0, 1], 2, 2)).toThrow(/2 clips × 2 tags = 4/);
  });
});
