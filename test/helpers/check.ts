// The conformance checks every GPU suite uses: seeded data, one closeness check
// (`expectClose`), one finite-difference check of backward through the GPU
// forward itself (`fdCheck`), and `checkOp`, which runs both against an op's
// float64 reference (test/reference/).
import { expect } from 'vitest';
import { Tensor, backward, noGrad } from '../../src/autograd/index.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { type Arr, referenceGrads } from '../reference/ops.js';

export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic uniform numbers in [lo, hi), from the seeded generator. */
export function rng(seed: number): (lo?: number, hi?: number) => number {
  const u = seeded(seed);
  return (lo = -1, hi = 1) => lo + (hi - lo) * u();
}

export function randArray(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => r(lo, hi));
}

/** Random values in ±[0.2, 1.2): away from 0 so relu/log kinks never sit inside a FD step. */
export function randomArr(shape: number[], rand: () => number, positive = false): Arr {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = 0.2 + rand();
    data[i] = positive || rand() < 0.5 ? m : -m;
  }
  return { shape, data };
}

/**
 * Allowed error per element: atol + rtol·|want[i]| + ofMax·max|want|. `ofMax`
 * bounds the error relative to the largest expected magnitude (an f32 op whose
 * small outputs come from cancelling large terms); it has a floor of 1e-6.
 */
export interface Tolerance {
  atol?: number;
  rtol?: number;
  ofMax?: number;
}

/** Asserts the lengths match and every |got[i] − want[i]| is within `tol`, naming the worst element. NaN always fails. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: Tolerance, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  let scale = 1e-6;
  if (tol.ofMax) for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  const fixed = (tol.atol ?? 0) + (tol.ofMax ?? 0) * scale;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < want.length; i++) {
    const excess = Math.abs(got[i] - want[i]) - (fixed + (tol.rtol ?? 0) * Math.abs(want[i]));
    if (!(excess <= worstExcess)) {
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
      worst = i;
    }
  }
  const where = worst < 0 ? 'every element within' : `element ${worst} is ${got[worst]}, expected ${want[worst]}: over`;
  expect(worstExcess, `${what}: ${where} the tolerance ${JSON.stringify(tol)}${tol.ofMax ? ` (max |expected| ${scale})` : ''}`).toBeLessThanOrEqual(0);
}

export interface FdInput {
  data: ArrayLike<number>;
  shape: number[];
  /** Checked by finite differences (and given requiresGrad). */
  check?: boolean;
}

export interface FdResult {
  /** The forward output, read back, and its shape. */
  y: Float32Array;
  shape: number[];
  /** The projection r of the loss L = Σ r·y. */
  r: Float64Array;
  /** ∂L/∂input from backward, for each checked input in order. */
  grads: Float32Array[];
}

/**
 * Central differences of L(x) = Σ r·f(x) (r random) along `directions` random
 * directions per checked input (default 2), each compared with ⟨∇L, v⟩ from
 * backward; the error bound is rtol·Σ|∇L·v| + 1e-3, so cancellation in the
 * directional sum cannot hide an error and f32 rounding of L is covered when
 * the gradient is ~0. A direction moves every coordinate, so every element of
 * the gradient takes part in every comparison. Defaults: h 1e-2, rtol 2e-2.
 */
export async function fdCheck(ctx: GpuContext, inputs: FdInput[], f: (ts: Tensor[]) => Tensor, opts: { h?: number; rtol?: number; seed?: number; directions?: number; what: string }): Promise<FdResult> {
  const h = opts.h ?? 1e-2;
  const rtol = opts.rtol ?? 2e-2;
  const seed = opts.seed ?? 7;
  const ts = inputs.map((i) => {
    const t = Tensor.fromData(ctx, i.data, i.shape);
    t.requiresGrad = !!i.check;
    return t;
  });
  const y = f(ts);
  const r = randArray(y.size, seed + 1);
  const rt = Tensor.fromData(ctx, r, y.shape);
  const yv = (await y.read()) as Float32Array;
  backward(y, rt);
  const project = async (out: Tensor): Promise<number> => {
    const v = await out.read();
    let s = 0;
    for (let i = 0; i < v.length; i++) s += r[i] * v[i];
    return s;
  };
  const grads: Float32Array[] = [];
  for (let k = 0; k < inputs.length; k++) {
    if (!inputs[k].check) continue;
    const g = ts[k].grad;
    expect(g, `${opts.what}: input ${k} got no gradient`).not.toBeNull();
    const gv = (await g!.read()) as Float32Array;
    grads.push(gv);
    for (let dir = 0; dir < (opts.directions ?? 2); dir++) {
      const v = randArray(gv.length, seed + 100 * k + dir + 3);
      let an = 0;
      let scale = 0;
      for (let i = 0; i < v.length; i++) {
        an += gv[i] * v[i];
        scale += Math.abs(gv[i] * v[i]);
      }
      const at = async (sign: number): Promise<number> => {
        const data = Array.from(inputs[k].data, (x, i) => x + sign * h * v[i]);
        const moved = ts.map((t, j) => (j === k ? Tensor.fromData(ctx, data, inputs[k].shape) : t));
        const out = noGrad(() => f(moved));
        const s = await project(out);
        out.dispose();
        moved[k].dispose();
        return s;
      };
      const fd = ((await at(1)) - (await at(-1))) / (2 * h);
      const err = Math.abs(fd - an);
      expect(err, `${opts.what}: input ${k} direction ${dir}: finite difference ${fd} vs backward ${an} (Σ|g·v| = ${scale}, rtol ${rtol})`).toBeLessThanOrEqual(rtol * scale + 1e-3);
    }
  }
  const shape = [...y.shape];
  y.dispose();
  rt.dispose();
  for (const t of ts) t.dispose();
  return { y: yv, shape, r, grads };
}

export interface OpCase {
  name: string;
  inputs: Arr[];
  gpu: (xs: Tensor[]) => Tensor;
  ref: (xs: Arr[]) => Arr;
  /** Inputs that get gradients (default: all). */
  grad?: boolean[];
}

/**
 * Tolerances of checkOp, relative to the largest reference magnitude (ofMax):
 * f32 forward vs float64 1e-5, backward 1e-4; finite differences (fdCheck)
 * rtol 2e-2 with step 1e-2, along 4 directions per input.
 */
export const TOL = { forward: 1e-5, backward: 1e-4, finiteDiff: 2e-2, fdStep: 1e-2, fdDirections: 4 };

/**
 * One op on one adapter: GPU forward against the float64 reference, GPU backward
 * against the reference's float64 gradients of the same projected loss, and a
 * finite-difference check of the GPU backward through the GPU forward.
 */
export async function checkOp(ctx: GpuContext, c: OpCase, rand: () => number): Promise<void> {
  const copy = (): Arr[] => c.inputs.map((x) => ({ shape: x.shape, data: x.data.slice() }));
  const refOut = c.ref(copy());
  const wantGrad = c.grad ?? c.inputs.map(() => true);
  const fd = await fdCheck(ctx, c.inputs.map((x, i) => ({ data: x.data, shape: x.shape, check: wantGrad[i] })), c.gpu, {
    what: c.name, h: TOL.fdStep, rtol: TOL.finiteDiff, directions: TOL.fdDirections, seed: Math.floor(rand() * 1e6),
  });
  expect(fd.shape, `${c.name}: output shape`).toEqual(refOut.shape);
  expectClose(fd.y, refOut.data, { ofMax: TOL.forward }, `${c.name} forward`);
  const refGrads = referenceGrads(c.ref, copy(), fd.r);
  let k = 0;
  for (let i = 0; i < c.inputs.length; i++) {
    if (wantGrad[i]) expectClose(fd.grads[k++], refGrads[i], { ofMax: TOL.backward }, `${c.name} grad[${i}] vs reference`);
  }
}
