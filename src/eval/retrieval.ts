// Paired-view retrieval and NT-Xent in float64 on projections read back from
// the GPU: the pretrain stage's held-out diagnostics, and an independent
// check of the GPU loss. Plain TypeScript, no GPU.

function normalizedRows(z: ArrayLike<number>, rows: number, dim: number): Float64Array {
  if (z.length !== rows * dim) throw new Error(`expected ${rows} × ${dim} values, got ${z.length}`);
  const out = new Float64Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let n = 0;
    for (let j = 0; j < dim; j++) n += z[r * dim + j] ** 2;
    // CLMR/SimCLR normalise with a floor (F.normalize's eps), so a zero row gives cosine 0, not NaN.
    const inv = 1 / Math.max(Math.sqrt(n), 1e-12);
    for (let j = 0; j < dim; j++) out[r * dim + j] = z[r * dim + j] * inv;
  }
  return out;
}

function cosineMatrix(a: Float64Array, b: Float64Array, rows: number, dim: number): Float64Array {
  const s = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < rows; j++) {
    let d = 0;
    for (let k = 0; k < dim; k++) d += a[i * dim + k] * b[j * dim + k];
    s[i * rows + j] = d;
  }
  return s;
}

/**
 * Top-1 retrieval of the paired view: the fraction of rows i of view 1 whose
 * most cosine-similar row of view 2 is row i, averaged with the same from view
 * 2 to view 1. A tie shares the credit (1/(1 + ties)), so a collapsed encoder
 * (all rows equal) scores chance 1/B rather than 0 or 1.
 */
export function pairedRetrievalTop1(z1: ArrayLike<number>, z2: ArrayLike<number>, batch: number, dim: number): number {
  const a = normalizedRows(z1, batch, dim);
  const b = normalizedRows(z2, batch, dim);
  const s = cosineMatrix(a, b, batch, dim);
  let credit = 0;
  for (const transpose of [false, true]) {
    for (let i = 0; i < batch; i++) {
      const at = (j: number): number => (transpose ? s[j * batch + i] : s[i * batch + j]);
      const own = at(i);
      let ties = 0;
      let beaten = false;
      for (let j = 0; j < batch && !beaten; j++) {
        if (j === i) continue;
        if (at(j) > own) beaten = true;
        else if (at(j) === own) ties++;
      }
      if (!beaten) credit += 1 / (1 + ties);
    }
  }
  return credit / (2 * batch);
}

/** NT-Xent (SimCLR/CLMR) in float64: mean over the 2B anchors of −log softmax of the positive among the other 2B − 1. */
export function ntXentFloat64(z1: ArrayLike<number>, z2: ArrayLike<number>, batch: number, dim: number, temperature: number): number {
  const z = new Float64Array(2 * batch * dim);
  z.set(normalizedRows(z1, batch, dim), 0);
  z.set(normalizedRows(z2, batch, dim), batch * dim);
  const n = 2 * batch;
  const s = cosineMatrix(z, z, n, dim);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const pos = (i + batch) % n;
    let max = -Infinity;
    for (let j = 0; j < n; j++) if (j !== i) max = Math.max(max, s[i * n + j] / temperature);
    let sum = 0;
    for (let j = 0; j < n; j++) if (j !== i) sum += Math.exp(s[i * n + j] / temperature - max);
    loss += -(s[i * n + pos] / temperature - max - Math.log(sum));
  }
  return loss / n;
}
