// Linear probes on frozen embeddings, in plain float64 TypeScript: an
// L2-regularised logistic regression (full-batch L-BFGS on standardised
// features), the domain probe (clean vs noisy: how much domain information
// the features still carry, 0.5 = none) and the tag probe (how much tag
// information a frozen encoder gives a linear classifier, macro ROC-AUC).
// No GPU and no randomness: the same rows give the same numbers.
import { rocAuc } from './metrics.js';

/** A row-major [rows, dim] matrix of features. */
export interface Features {
  data: ArrayLike<number>;
  rows: number;
  dim: number;
}

export interface LogisticOptions {
  /**
   * λ in  Σ wᵢ·logloss / Σ wᵢ + (λ/2)·‖w‖²  (bias not penalised). Equals
   * sklearn's LogisticRegression(C = 1 / (λ · Σ wᵢ)). Default 1e-2: the probes
   * often have fewer rows than a 512-wide embedding has dimensions, where an
   * unregularised fit memorises the training rows.
   */
  l2?: number;
  /** Per-row weights (e.g. class balancing); default 1 each. */
  weights?: ArrayLike<number>;
  maxIterations?: number;
  /** Stop when the largest gradient component falls below this. */
  tolerance?: number;
}

/** Per-column mean and standard deviation (population, as sklearn's StandardScaler). */
export interface Standardizer {
  mean: Float64Array;
  scale: Float64Array;
}

export interface LogisticModel {
  standardizer: Standardizer;
  /** Coefficients on the standardised features. */
  coef: Float64Array;
  intercept: number;
  iterations: number;
  converged: boolean;
  /** Objective and largest gradient component at the solution. */
  objective: number;
  gradientNorm: number;
}

export function fitStandardizer(x: Features): Standardizer {
  const { rows, dim, data } = x;
  const mean = new Float64Array(dim);
  const scale = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let j = 0; j < dim; j++) mean[j] += data[r * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= Math.max(1, rows);
  for (let r = 0; r < rows; r++) for (let j = 0; j < dim; j++) scale[j] += (data[r * dim + j] - mean[j]) ** 2;
  // A constant column (a dead ReLU unit) keeps scale 1, so it stays 0 after centring instead of dividing by 0.
  for (let j = 0; j < dim; j++) scale[j] = Math.sqrt(scale[j] / Math.max(1, rows)) || 1;
  return { mean, scale };
}

export function standardize(x: Features, s: Standardizer): Float64Array {
  const out = new Float64Array(x.rows * x.dim);
  for (let r = 0; r < x.rows; r++) for (let j = 0; j < x.dim; j++) out[r * x.dim + j] = (x.data[r * x.dim + j] - s.mean[j]) / s.scale[j];
  return out;
}

/** log(1 + e^t) without overflow. */
function softplus(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}

function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/**
 * The objective and its gradient at θ = [w (dim), b]. Exported for the test
 * that checks the gradient vanishes at the solution.
 */
export function logisticObjective(xs: Float64Array, rows: number, dim: number, y: ArrayLike<number>, weights: ArrayLike<number> | null, l2: number, theta: Float64Array, grad: Float64Array): number {
  grad.fill(0);
  let loss = 0;
  let total = 0;
  const b = theta[dim];
  for (let r = 0; r < rows; r++) {
    const w = weights ? weights[r] : 1;
    if (w === 0) continue;
    const o = r * dim;
    let t = b;
    for (let j = 0; j < dim; j++) t += xs[o + j] * theta[j];
    // logloss = softplus(t) − y·t; its derivative in t is σ(t) − y.
    loss += w * (softplus(t) - y[r] * t);
    const g = w * (sigmoid(t) - y[r]);
    for (let j = 0; j < dim; j++) grad[j] += g * xs[o + j];
    grad[dim] += g;
    total += w;
  }
  const inv = 1 / Math.max(total, 1e-300);
  let penalty = 0;
  for (let j = 0; j <= dim; j++) grad[j] *= inv;
  for (let j = 0; j < dim; j++) {
    penalty += theta[j] * theta[j];
    grad[j] += l2 * theta[j];
  }
  return loss * inv + 0.5 * l2 * penalty;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const maxAbs = (a: Float64Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** Fits on already standardised rows (the tag probe shares one standardisation across tags). */
export function fitLogisticStandardized(xs: Float64Array, rows: number, dim: number, y: ArrayLike<number>, opts: LogisticOptions = {}): Omit<LogisticModel, 'standardizer'> {
  const l2 = opts.l2 ?? 1e-2;
  const maxIt = opts.maxIterations ?? 500;
  const tol = opts.tolerance ?? 1e-7;
  const weights = opts.weights ?? null;
  if (y.length !== rows) throw new Error(`logistic regression: ${rows} rows but ${y.length} labels`);
  if (weights && weights.length !== rows) throw new Error(`logistic regression: ${rows} rows but ${weights.length} weights`);
  const n = dim + 1;
  const f = (th: Float64Array, g: Float64Array): number => logisticObjective(xs, rows, dim, y, weights, l2, th, g);
  // L-BFGS (Nocedal & Wright, Alg. 7.4) with a backtracking Armijo line search:
  // the objective is strongly convex (λ > 0), so this converges from θ = 0.
  const m = 10;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  let theta = new Float64Array(n);
  let grad = new Float64Array(n);
  let fx = f(theta, grad);
  let it = 0;
  let converged = maxAbs(grad) < tol;
  const dir = new Float64Array(n);
  const alpha = new Float64Array(m);
  while (!converged && it < maxIt) {
    it++;
    dir.set(grad);
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = dot(S[k], dir) / dot(Y[k], S[k]);
      for (let i = 0; i < n; i++) dir[i] -= alpha[k] * Y[k][i];
    }
    const gamma = S.length ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1 / Math.max(1, maxAbs(grad));
    for (let i = 0; i < n; i++) dir[i] *= gamma;
    for (let k = 0; k < S.length; k++) {
      const beta = dot(Y[k], dir) / dot(Y[k], S[k]);
      for (let i = 0; i < n; i++) dir[i] += S[k][i] * (alpha[k] - beta);
    }
    for (let i = 0; i < n; i++) dir[i] = -dir[i];
    let slope = dot(grad, dir);
    if (!(slope < 0)) {
      // Lost descent (rounding): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      for (let i = 0; i < n; i++) dir[i] = -grad[i];
      slope = -dot(grad, grad);
    }
    let step = 1;
    const next = new Float64Array(n);
    const nextGrad = new Float64Array(n);
    let fNext = Infinity;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < n; i++) next[i] = theta[i] + step * dir[i];
      fNext = f(next, nextGrad);
      if (fNext <= fx + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNext < fx) && !(fNext <= fx + 1e-4 * step * slope)) break; // no progress possible at float64 precision
    const s = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = next[i] - theta[i];
      yk[i] = nextGrad[i] - grad[i];
    }
    if (dot(s, yk) > 1e-12 * dot(yk, yk)) {
      S.push(s);
      Y.push(yk);
      if (S.length > m) {
        S.shift();
        Y.shift();
      }
    }
    const fPrev = fx;
    theta = next;
    grad = nextGrad;
    fx = fNext;
    converged = maxAbs(grad) < tol;
    if (!converged && Math.abs(fPrev - fx) <= 1e-15 * Math.max(1, Math.abs(fx))) break;
  }
  return { coef: theta.slice(0, dim), intercept: theta[dim], iterations: it, converged, objective: fx, gradientNorm: maxAbs(grad) };
}

/** Standardises the rows (statistics from these rows) and fits. */
export function fitLogistic(x: Features, y: ArrayLike<number>, opts: LogisticOptions = {}): LogisticModel {
  checkFeatures(x);
  const standardizer = fitStandardizer(x);
  return { standardizer, ...fitLogisticStandardized(standardize(x, standardizer), x.rows, x.dim, y, opts) };
}

/** Logits of rows under a fitted model (the train rows' standardisation is applied). */
export function logisticLogits(model: LogisticModel, x: Features): Float64Array {
  checkFeatures(x);
  if (x.dim !== model.coef.length) throw new Error(`the probe was fitted on ${model.coef.length} dimensions, got ${x.dim}`);
  const xs = standardize(x, model.standardizer);
  return linearScores(xs, x.rows, x.dim, model.coef, model.intercept);
}

function linearScores(xs: Float64Array, rows: number, dim: number, coef: Float64Array, intercept: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let t = intercept;
    for (let j = 0; j < dim; j++) t += xs[r * dim + j] * coef[j];
    out[r] = t;
  }
  return out;
}

function checkFeatures(x: Features): void {
  if (x.data.length !== x.rows * x.dim) throw new Error(`features: expected ${x.rows} × ${x.dim} = ${x.rows * x.dim} values, got ${x.data.length}`);
  for (let i = 0; i < x.data.length; i++) if (!Number.isFinite(x.data[i])) throw new Error(`features: value ${i} (row ${Math.floor(i / x.dim)}) is not finite (${x.data[i]})`);
}

// ---- domain probe ----

/** Embeddings with their domain: snr NaN = clean (label 0), a number = noisy at that SNR (label 1). */
export interface DomainRows extends Features {
  snr: ArrayLike<number>;
}

export interface DomainProbeResult {
  /** Balanced test accuracy over all rows: mean of the clean and the noisy rows' accuracies. */
  accuracy: number;
  /** Per SNR, balanced accuracy on the clean test rows vs the noisy rows at that SNR (0.5 = invariant). */
  perSnr: { snr: number; accuracy: number; noisyRows: number }[];
  trainAccuracy: number;
  trainRows: number;
  testRows: number;
  cleanTestRows: number;
  converged: boolean;
}

/**
 * Fits clean-vs-noisy on the train rows (classes weighted to equal total
 * weight, so 1 clean per 5 SNRs does not just teach "say noisy") and scores
 * the test rows. Accuracies are balanced (mean of per-class accuracies), so
 * a classifier that learned nothing scores 0.5 whatever the class ratio.
 */
export function domainProbe(train: DomainRows, test: DomainRows, opts: LogisticOptions = {}): DomainProbeResult {
  const yTrain = domainLabels(train);
  const nNoisy = yTrain.reduce((s, v) => s + v, 0);
  const nClean = train.rows - nNoisy;
  if (nNoisy === 0 || nClean === 0) throw new Error(`domain probe: the training rows need clean and noisy rows (got ${nClean} clean, ${nNoisy} noisy)`);
  const weights = Array.from(yTrain, (v) => (v ? train.rows / (2 * nNoisy) : train.rows / (2 * nClean)));
  const model = fitLogistic(train, yTrain, { ...opts, weights: opts.weights ?? weights });
  const trainPred = logisticLogits(model, train);
  const testPred = logisticLogits(model, test);
  const yTest = domainLabels(test);
  const correct = (pred: Float64Array, y: ArrayLike<number>, r: number): number => ((pred[r] > 0 ? 1 : 0) === y[r] ? 1 : 0);
  const rate = (pred: Float64Array, y: ArrayLike<number>, keep: (r: number) => boolean): { acc: number; n: number } => {
    let hit = 0;
    let n = 0;
    for (let r = 0; r < y.length; r++) if (keep(r)) { hit += correct(pred, y, r); n++; }
    return { acc: n ? hit / n : NaN, n };
  };
  const isClean = (rows: DomainRows) => (r: number): boolean => Number.isNaN(rows.snr[r]);
  const trainAccuracy = (rate(trainPred, yTrain, isClean(train)).acc + rate(trainPred, yTrain, (r) => !isClean(train)(r)).acc) / 2;
  const clean = rate(testPred, yTest, isClean(test));
  const noisy = rate(testPred, yTest, (r) => !isClean(test)(r));
  if (clean.n === 0 || noisy.n === 0) throw new Error(`domain probe: the test rows need clean and noisy rows (got ${clean.n} clean, ${noisy.n} noisy)`);
  const snrs = [...new Set(Array.from(test.snr).filter((s) => !Number.isNaN(s)))].sort((a, b) => b - a);
  const perSnr = snrs.map((snr) => {
    const at = rate(testPred, yTest, (r) => test.snr[r] === snr);
    return { snr, accuracy: (clean.acc + at.acc) / 2, noisyRows: at.n };
  });
  return { accuracy: (clean.acc + noisy.acc) / 2, perSnr, trainAccuracy, trainRows: train.rows, testRows: test.rows, cleanTestRows: clean.n, converged: model.converged };
}

function domainLabels(x: DomainRows): Float64Array {
  if (x.snr.length !== x.rows) throw new Error(`domain probe: ${x.rows} rows but ${x.snr.length} SNR entries`);
  return Float64Array.from(x.snr, (s) => (Number.isNaN(s) ? 0 : 1));
}

// ---- tag probe ----

/** Embeddings with multi-hot tag labels [rows, tags]. */
export interface TagRows extends Features {
  labels: ArrayLike<number>;
  tags: readonly string[];
}

export interface TagProbeResult {
  /** Macro ROC-AUC over the tags that could be fitted and scored; null if none. */
  rocAuc: number | null;
  perTag: { tag: string; rocAuc: number | null }[];
  /** Tags left out, with why (one class missing in the train or test rows). */
  excluded: { tag: string; reason: string }[];
}

/** One logistic regression per tag on the train rows, scored by ROC-AUC on the test rows. */
export function tagProbe(train: TagRows, test: TagRows, opts: LogisticOptions = {}): TagProbeResult {
  checkFeatures(train);
  checkFeatures(test);
  const T = train.tags.length;
  if (test.tags.join('\n') !== train.tags.join('\n')) throw new Error('tag probe: train and test rows list different tags');
  if (train.labels.length !== train.rows * T || test.labels.length !== test.rows * T) throw new Error(`tag probe: labels must be rows × ${T} tags`);
  if (test.dim !== train.dim) throw new Error(`tag probe: train has ${train.dim} dimensions, test ${test.dim}`);
  const s = fitStandardizer(train);
  const xs = standardize(train, s);
  const xt = standardize(test, s);
  const perTag: TagProbeResult['perTag'] = [];
  const excluded: TagProbeResult['excluded'] = [];
  for (let t = 0; t < T; t++) {
    const y = Float64Array.from({ length: train.rows }, (_, r) => train.labels[r * T + t]);
    const yt = Float64Array.from({ length: test.rows }, (_, r) => test.labels[r * T + t]);
    const pos = y.reduce((a, v) => a + v, 0);
    if (pos === 0 || pos === train.rows) {
      excluded.push({ tag: train.tags[t], reason: pos === 0 ? 'no positives in the train rows' : 'no negatives in the train rows' });
      perTag.push({ tag: train.tags[t], rocAuc: null });
      continue;
    }
    const m = fitLogisticStandardized(xs, train.rows, train.dim, y, opts);
    const auc = rocAuc(linearScores(xt, test.rows, test.dim, m.coef, m.intercept), yt);
    if (auc === null) excluded.push({ tag: train.tags[t], reason: 'one class missing in the test rows' });
    perTag.push({ tag: train.tags[t], rocAuc: auc });
  }
  const scored = perTag.flatMap((p) => (p.rocAuc === null ? [] : [p.rocAuc]));
  return { rocAuc: scored.length ? scored.reduce((a, v) => a + v, 0) / scored.length : null, perTag, excluded };
}

export interface TagProbeComparison {
  pretrained: TagProbeResult;
  random: TagProbeResult;
  /** pretrained − random macro ROC-AUC (null if either is undefined). What pretraining bought a linear classifier. */
  gain: number | null;
}

/** The same probe on a pretrained encoder's h and on a randomly initialised one's, over the same clips. */
export function compareTagProbes(pretrained: { train: TagRows; test: TagRows }, random: { train: TagRows; test: TagRows }, opts: LogisticOptions = {}): TagProbeComparison {
  const a = tagProbe(pretrained.train, pretrained.test, opts);
  const b = tagProbe(random.train, random.test, opts);
  return { pretrained: a, random: b, gain: a.rocAuc !== null && b.rocAuc !== null ? a.rocAuc - b.rocAuc : null };
}
