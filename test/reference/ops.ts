// Plain-TS float64 reference implementations of the core ops, written from the
// definitions (numpy broadcasting, PyTorch semantics), independent of the GPU code.

export interface Arr {
  shape: number[];
  data: Float64Array;
}

export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function arr(shape: number[], data: ArrayLike<number>): Arr {
  return { shape, data: Float64Array.from(data) };
}

function strides(shape: readonly number[]): number[] {
  const s = shape.map(() => 1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

function unravel(i: number, shape: readonly number[]): number[] {
  const c = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    c[k] = i % shape[k];
    i = Math.floor(i / shape[k]);
  }
  return c;
}

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  return Array.from({ length: r }, (_, i) => {
    const da = a[a.length - r + i] ?? 1;
    const db = b[b.length - r + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error('incompatible');
    return Math.max(da, db);
  });
}

function readBroadcast(x: Arr, coord: number[]): number {
  const off = coord.length - x.shape.length;
  const st = strides(x.shape);
  let idx = 0;
  for (let k = 0; k < x.shape.length; k++) idx += (x.shape[k] === 1 ? 0 : coord[k + off]) * st[k];
  return x.data[idx];
}

export function binary(a: Arr, b: Arr, f: (x: number, y: number) => number): Arr {
  const shape = broadcastShape(a.shape, b.shape);
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    const c = unravel(i, shape);
    data[i] = f(readBroadcast(a, c), readBroadcast(b, c));
  }
  return { shape, data };
}

export function unary(a: Arr, f: (x: number) => number): Arr {
  return { shape: [...a.shape], data: a.data.map(f) };
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export function sumAxis(a: Arr, axis: number | undefined, keepDims: boolean, mean = false): Arr {
  if (axis === undefined) {
    const s = a.data.reduce((p, q) => p + q, 0);
    return { shape: keepDims ? a.shape.map(() => 1) : [], data: Float64Array.of(mean ? s / a.data.length : s) };
  }
  const outShapeKeep = a.shape.map((d, i) => (i === axis ? 1 : d));
  const out = new Float64Array(size(outShapeKeep));
  for (let i = 0; i < a.data.length; i++) {
    const c = unravel(i, a.shape);
    c[axis] = 0;
    let j = 0;
    const st = strides(outShapeKeep);
    c.forEach((v, k) => (j += v * st[k]));
    out[j] += a.data[i];
  }
  if (mean) for (let j = 0; j < out.length; j++) out[j] /= a.shape[axis];
  return { shape: keepDims ? outShapeKeep : a.shape.filter((_, i) => i !== axis), data: out };
}

export function matmul(a: Arr, b: Arr): Arr {
  const batched = a.shape.length === 3 || b.shape.length === 3;
  const [ba, M, K] = a.shape.length === 3 ? a.shape : [1, ...a.shape];
  const [bb, K2, N] = b.shape.length === 3 ? b.shape : [1, ...b.shape];
  if (K !== K2) throw new Error('inner');
  const B = Math.max(ba, bb);
  const out = new Float64Array(B * M * N);
  for (let t = 0; t < B; t++)
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a.data[(ba === 1 ? 0 : t) * M * K + i * K + k] * b.data[(bb === 1 ? 0 : t) * K * N + k * N + j];
        out[t * M * N + i * N + j] = s;
      }
  return { shape: batched ? [B, M, N] : [M, N], data: out };
}

export function linear(x: Arr, w: Arr, bias?: Arr): Arr {
  const [O, I] = w.shape;
  const rows = x.data.length / I;
  const out = new Float64Array(rows * O);
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < O; o++) {
      let s = bias ? bias.data[o] : 0;
      for (let i = 0; i < I; i++) s += x.data[r * I + i] * w.data[o * I + i];
      out[r * O + o] = s;
    }
  return { shape: [...x.shape.slice(0, -1), O], data: out };
}

export function permute(a: Arr, perm: number[]): Arr {
  const shape = perm.map((p) => a.shape[p]);
  const st = strides(a.shape);
  const data = new Float64Array(a.data.length);
  for (let i = 0; i < data.length; i++) {
    const c = unravel(i, shape);
    let j = 0;
    c.forEach((v, k) => (j += v * st[perm[k]]));
    data[i] = a.data[j];
  }
  return { shape, data };
}

export function slice(a: Arr, axis: number, start: number, end: number): Arr {
  const shape = a.shape.map((d, i) => (i === axis ? end - start : d));
  const st = strides(a.shape);
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    const c = unravel(i, shape);
    c[axis] += start;
    data[i] = a.data[c.reduce((s, v, k) => s + v * st[k], 0)];
  }
  return { shape, data };
}

export function concat(xs: Arr[], axis: number): Arr {
  const shape = xs[0].shape.map((d, i) => (i === axis ? xs.reduce((s, x) => s + x.shape[axis], 0) : d));
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    const c = unravel(i, shape);
    let k = 0;
    while (c[axis] >= xs[k].shape[axis]) c[axis] -= xs[k++].shape[axis];
    const st = strides(xs[k].shape);
    data[i] = xs[k].data[c.reduce((s, v, q) => s + v * st[q], 0)];
  }
  return { shape, data };
}

/** Gradient of Σ r·f(inputs) w.r.t. each input by float64 central differences of the reference. */
export function referenceGrads(f: (xs: Arr[]) => Arr, xs: Arr[], r: Float64Array, h = 1e-6): Float64Array[] {
  const loss = (ys: Arr): number => ys.data.reduce((s, v, i) => s + v * r[i], 0);
  return xs.map((x, which) => {
    const g = new Float64Array(x.data.length);
    for (let i = 0; i < g.length; i++) {
      const orig = x.data[i];
      x.data[i] = orig + h;
      const up = loss(f(xs));
      x.data[i] = orig - h;
      const down = loss(f(xs));
      x.data[i] = orig;
      g[i] = (up - down) / (2 * h);
    }
    void which;
    return g;
  });
}
