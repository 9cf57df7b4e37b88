import { describe, expect, it } from 'vitest';
import { quantileSorted, studentTCdf, studentTQuantile, tInterval } from '../../src/eval/stats.js';

describe('Student t', () => {
  it('quantiles match published tables (two-sided 95%: t_{0.975})', () => {
    // Values from any t table (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
    const table: [number, number][] = [[1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [9, 2.262], [30, 2.042], [1000, 1.962]];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
    expect(studentTQuantile(0.995, 2)).toBeCloseTo(9.925, 3);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.776, 3);
  });

  it('the CDF is symmetric and equals the closed form for df = 1 (Cauchy)', () => {
    for (const t of [-3, -0.5, 0, 0.7, 5]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(studentTCdf(t, 7) + studentTCdf(-t, 7)).toBeCloseTo(1, 12);
    }
  });
});

describe('tInterval', () => {
  it('matches a hand computation', () => {
    // values 0.70, 0.72, 0.74: mean 0.72, s = 0.02, s/√3 = 0.011547, t_{0.975,2} = 4.302653
    // half-width = 0.049683.
    const e = tInterval([0.7, 0.72, 0.74]);
    expect(e.mean).toBeCloseTo(0.72, 12);
    expect(e.n).toBe(3);
    expect(e.ci![0]).toBeCloseTo(0.72 - 0.049683, 5);
    expect(e.ci![1]).toBeCloseTo(0.72 + 0.049683, 5);
  });

  it('gives no interval for one seed, and skips undefined values', () => {
    expect(tInterval([0.8])).toEqual({ mean: 0.8, ci: null, n: 1, values: [0.8] });
    const e = tInterval([0.6, null, 0.8]);
    expect(e.n).toBe(2);
    expect(e.mean).toBeCloseTo(0.7, 12);
    // s = 0.141421, s/√2 = 0.1, t_{0.975,1} = 12.7062 → ±1.27062
    expect(e.ci![1] - 0.7).toBeCloseTo(1.27062, 4);
    expect(tInterval([null]).mean).toBeNull();
  });

  it('a 90% interval is narrower than a 95% one', () => {
    const a = tInterval([1, 2, 4, 7], 0.9).ci!;
    const b = tInterval([1, 2, 4, 7], 0.95).ci!;
    expect(a[1] - a[0]).toBeLessThan(b[1] - b[0]);
  });
});

describe('quantileSorted', () => {
  it('interpolates linearly like numpy.quantile', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([0, 10], 0.025)).toBeCloseTo(0.25, 12);
  });
});
