// Shape arithmetic shared by kernel modules and autograd ops (no GPU here).

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function assertShape(shape: Shape, what: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`${what}: invalid shape [${shape.join(', ')}]; dimensions must be non-negative integers`);
  }
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** numpy broadcasting of two shapes; throws with both shapes when incompatible. */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`${op}: shapes [${a.join(', ')}] and [${b.join(', ')}] cannot be broadcast together`);
    out[i] = da === 1 ? db : da;
  }
  return out;
}

export const MAX_RANK = 4;

/** Left-pads a shape with 1s to rank 4, the rank the elementwise kernels index in. */
export function pad4(shape: Shape, what: string): [number, number, number, number] {
  if (shape.length > MAX_RANK) throw new Error(`${what}: rank ${shape.length} > ${MAX_RANK} is not supported by the elementwise kernels; reshape first`);
  const p = [1, 1, 1, 1];
  for (let i = 0; i < shape.length; i++) p[MAX_RANK - shape.length + i] = shape[i];
  return p as [number, number, number, number];
}

/** Strides (rank 4) that read an input of shape `inShape` broadcast to `outShape`. */
export function broadcastStrides4(inShape: Shape, outShape: Shape, what: string): [number, number, number, number] {
  const o = pad4(outShape, what);
  const i4 = pad4(inShape, what);
  const st = contiguousStrides(i4);
  return [0, 1, 2, 3].map((k) => (i4[k] === 1 && o[k] !== 1 ? 0 : st[k])) as [number, number, number, number];
}

export function normAxis(axis: number, rank: number, what: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new Error(`${what}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}
