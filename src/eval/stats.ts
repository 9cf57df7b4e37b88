// Confidence intervals over training seeds: a Student t-interval on the
// per-seed values of a metric. Seeds are few (3-5), so the normal 1.96 would
// understate the spread badly (t at 2 degrees of freedom is 4.30); the
// t quantile is computed, not tabulated, so any seed count and level work.

/** A metric over seeds: the mean and, with two or more seeds, a t-interval. */
export interface Estimate {
  mean: number | null;
  /** [low, high]; null with fewer than two defined values (no spread to estimate). */
  ci: [number, number] | null;
  /** Seeds with a defined value. */
  n: number;
  /** The per-seed values the estimate is made from, in seed order (null: undefined for that seed). */
  values: (number | null)[];
}

// Lanczos approximation (g = 7, n = 9): |relative error| < 1e-15 for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = LANCZOS[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast only on this side; use the symmetry otherwise.
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t (p in (0, 1)), by bisection on the CDF. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`quantile level must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new Error(`degrees of freedom must be positive, got ${df}`);
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Mean of the defined values with a two-sided t-interval at `level`:
 * mean ± t_{(1+level)/2, n−1} · s/√n, s the sample standard deviation
 * (n − 1 denominator). With one value there is no interval.
 */
export function tInterval(values: readonly (number | null)[], level = 0.95): Estimate {
  if (!(level > 0 && level < 1)) throw new Error(`confidence level must be in (0, 1), got ${level}`);
  const defined = values.filter((v): v is number => v !== null);
  const n = defined.length;
  if (n === 0) return { mean: null, ci: null, n, values: [...values] };
  const mean = defined.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { mean, ci: null, n, values: [...values] };
  const variance = defined.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  const half = studentTQuantile((1 + level) / 2, n - 1) * Math.sqrt(variance / n);
  return { mean, ci: [mean - half, mean + half], n, values: [...values] };
}

/** How many times one measurement is another, from paired runs: see pairedRatio. */
export interface RatioEstimate {
  /** Geometric mean of b_i / a_i. */
  ratio: number;
  /** [low, high] at the level asked; null with one pair. */
  ci: [number, number] | null;
  n: number;
}

/**
 * b ÷ a from paired positive measurements (a_i and b_i taken one after the
 * other): the geometric mean of the ratios b_i / a_i, with the t-interval of
 * the mean log-ratio mapped back. Pairing cancels what a pair shares (the
 * machine's load at that moment), which medians of each side alone keep: on a
 * shared CPU adapter runs of one step spread by ±20%.
 */
export function pairedRatio(a: readonly number[], b: readonly number[], level = 0.95): RatioEstimate {
  if (a.length !== b.length || a.length === 0) throw new Error(`paired ratio: needs as many b as a values, at least one (got ${a.length} and ${b.length})`);
  const logs = a.map((x, i) => {
    if (!(x > 0 && b[i] > 0)) throw new Error(`paired ratio: values must be positive and finite, got a ${x}, b ${b[i]} at pair ${i}`);
    return Math.log(b[i] / x);
  });
  const e = tInterval(logs, level);
  return { ratio: Math.exp(e.mean!), ci: e.ci && [Math.exp(e.ci[0]), Math.exp(e.ci[1])], n: e.n };
}

/** The q-quantile (q in [0, 1]) of sorted values, linear between order statistics (NumPy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new Error('quantile of no values');
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
}
