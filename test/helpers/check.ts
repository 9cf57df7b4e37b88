// Conformance checks of one op: GPU forward against the float64 reference, GPU
// backward against float64 reference gradients, and a finite-difference check of
// the GPU backward using the GPU forward itself.
import { expect } from 'vitest';
import { Tensor, backward, mul, noGrad, sum, tidy } from '../../src/autograd/index.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { type Arr, referenceGrads } from '../reference/ops.js';

export interface OpCase {
  name: string;
  inputs: Arr[];
  gpu: (xs: Tensor[]) => Tensor;
  ref: (xs: Arr[]) => Arr;
  /** Inputs that get gradients (default: all). */
  grad?: boolean[];
}

/** Tolerances: f32 forward vs float64, relative to the largest reference magnitude. */
export const TOL = { forward: 1e-5, backward: 1e-4, finiteDiff: 2e-2, fdStep: 1e-2 };

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

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let scale = 1e-6;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst / scale, `${what}: max error ${worst} at ${at} (actual ${actual[at]}, expected ${expected[at]}, scale ${scale})`).toBeLessThanOrEqual(rel);
}

export async function checkOp(ctx: GpuContext, c: OpCase, rand: () => number): Promise<void> {
  const refOut = c.ref(c.inputs.map((x) => ({ shape: x.shape, data: x.data.slice() })));
  const r = new Float64Array(refOut.data.length).map(() => rand() * 2 - 1);
  const wantGrad = c.grad ?? c.inputs.map(() => true);

  const xs = c.inputs.map((x, i) => {
    const t = Tensor.fromData(ctx, x.data, x.shape);
    t.requiresGrad = wantGrad[i];
    return t;
  });
  const rT = Tensor.fromData(ctx, r, refOut.shape);
  const y = c.gpu(xs);
  expect(y.shape, `${c.name}: output shape`).toEqual(refOut.shape);
  expectClose(await y.read(), refOut.data, TOL.forward, `${c.name} forward`);

  // Backward of the projection loss Σ r·y: dL/dy = r.
  tidy(() => backward(sum(mul(y, rT))));
  const refGrads = referenceGrads(c.ref, c.inputs.map((x) => ({ shape: x.shape, data: x.data.slice() })), r);
  for (let i = 0; i < xs.length; i++) {
    if (!wantGrad[i]) continue;
    expect(xs[i].grad, `${c.name}: input ${i} got no gradient`).not.toBeNull();
    expectClose(await xs[i].grad!.read(), refGrads[i], TOL.backward, `${c.name} grad[${i}] vs reference`);
  }

  // Finite differences through the GPU forward, on a few sampled coordinates.
  const lossAt = async (inputs: Tensor[]): Promise<number> => {
    const l = noGrad(() => tidy(() => sum(mul(c.gpu(inputs), rT))));
    const v = await l.item();
    l.dispose();
    return v;
  };
  for (let i = 0; i < xs.length; i++) {
    if (!wantGrad[i]) continue;
    const g = await xs[i].grad!.read();
    const n = c.inputs[i].data.length;
    const coords = [...new Set(Array.from({ length: Math.min(n, 4) }, () => Math.floor(rand() * n)))];
    for (const k of coords) {
      const shifted = (delta: number): Tensor[] =>
        xs.map((t, j) => {
          if (j !== i) return t;
          const d = Float32Array.from(c.inputs[i].data);
          d[k] += delta;
          return Tensor.fromData(ctx, d, t.shape);
        });
      const up = shifted(TOL.fdStep);
      const lu = await lossAt(up);
      up[i].dispose();
      const dn = shifted(-TOL.fdStep);
      const ld = await lossAt(dn);
      dn[i].dispose();
      const fd = (lu - ld) / (2 * TOL.fdStep);
      expect(Math.abs(fd - g[k]), `${c.name} grad[${i}][${k}]: finite difference ${fd} vs backward ${g[k]}`).toBeLessThanOrEqual(TOL.finiteDiff * Math.max(1, Math.abs(fd)));
    }
  }
  for (const t of [...xs, rT, y]) t.dispose();
}
