import { describe, expect, it } from 'vitest';
import { pairedRatio, quantileSorted, studentTCdf, studentTQuantile, tInterval } from '../../src/eval/stats.js';

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

describe('pairedRatio', () => {
  it('is the geometric mean of b/a with the t-interval of the mean log-ratio mapped back', () => {
    // Ratios 1.1, 1, 0.9; values from Python: exp(mean ± t(0.975, 2) · sd/√3) of their logs.
    const r = pairedRatio([100, 200, 400], [110, 200, 360]);
    expect(r.n).toBe(3);
    expect(r.ratio).toBeCloseTo(0.9966554934125964, 12);
    expect(r.ci![0]).toBeCloseTo(0.7766999932526969, 9);
    expect(r.ci![1]).toBeCloseTo(1.2789007096416076, 9);
  });

  it('cancels what a pair shares: a constant ratio under changing load has no spread', () => {
    const r = pairedRatio([10, 30, 20, 50], [12, 36, 24, 60]);
    expect(r.ratio).toBeCloseTo(1.2, 12);
    expect(r.ci![0]).toBeCloseTo(1.2, 12);
    expect(r.ci![1]).toBeCloseTo(1.2, 12);
    expect(pairedRatio([3], [6])).toEqual({ ratio: 2, ci: null, n: 1 });
  });

  it('refuses unpaired, empty or non-positive values', () => {
    expect(() => pairedRatio([1, 2], [1])).toThrow(/as many b as a/);
    expect(() => pairedRatio([], [])).toThrow(/at least one/);
    expect(() => pairedRatio([1, 0], [1, 1])).toThrow(/positive and finite, got a 0, b 1 at pair 1/);
    expect(() => pairedRatio([1, 1], [1, NaN])).toThrow(/positive and finite/);
  });
});
