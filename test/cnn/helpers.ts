// Shared pieces of the CNN-kernel suites: the device, seeded data, closeness
// checks and a central finite-difference check of backward through the GPU
// forward itself (loss = Σ r·y with a fixed random projection r).
import { expect } from 'vitest';
import { Tensor, backward, noGrad } from '../../src/autograd/index.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { getDevice } from '../../src/gpu/device.js';
import { seeded } from '../helpers/check.js';

let ctxPromise: Promise<GpuContext> | null = null;

export function device(): Promise<GpuContext> {
  process.env.EGL_PLATFORM ??= 'surfaceless';
  ctxPromise ??= getDevice({ backend: (process.env.CNN_TEST_BACKEND as 'opengl' | undefined) ?? 'opengl' }).then((ctx) => {
    console.log(`[cnn tests] adapter: ${ctx.adapter.backend} ${ctx.adapter.featureLevel} — ${ctx.adapter.description || ctx.adapter.vendor}`);
    return ctx;
  });
  return ctxPromise;
}

/** Deterministic uniform numbers in [lo, hi), from the shared seeded generator. */
export function rng(seed: number): (lo?: number, hi?: number) => number {
  const u = seeded(seed);
  return (lo = -1, hi = 1) => lo + (hi - lo) * u();
}

export function randArray(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => r(lo, hi));
}

/** Asserts |got − want| ≤ atol + rtol·|want| elementwise, naming the worst element. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number, what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < want.length; i++) {
    const excess = Math.abs(got[i] - want[i]) - (atol + rtol * Math.abs(want[i]));
    if (!(excess <= worstExcess)) {
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
      worst = i;
    }
  }
  if (worst >= 0) expect.fail(`${what}: element ${worst} is ${got[worst]}, expected ${want[worst]} (atol ${atol}, rtol ${rtol})`);
}

export interface FdInput {
  data: ArrayLike<number>;
  shape: number[];
  /** Checked by finite differences (and given requiresGrad). */
  check?: boolean;
}

/**
 * Central differences of L(x) = Σ r·f(x) along two random directions per checked
 * input, compared with ⟨∇L, v⟩ from backward; the error bound is relative to
 * Σ|∇L·v| so cancellation in the directional sum cannot hide an error.
 * Returns the analytic gradients for further checks.
 */
export async function fdCheck(ctx: GpuContext, inputs: FdInput[], f: (ts: Tensor[]) => Tensor, opts: { h?: number; rtol?: number; seed?: number; what: string }): Promise<Float32Array[]> {
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
    for (let dir = 0; dir < 2; dir++) {
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
      // A small absolute floor covers f32 rounding of L when the gradient is ~0.
      expect(err, `${opts.what}: input ${k} direction ${dir}: finite difference ${fd} vs backward ${an} (Σ|g·v| = ${scale}, rtol ${rtol})`).toBeLessThanOrEqual(rtol * scale + 1e-3);
    }
  }
  y.dispose();
  rt.dispose();
  for (const t of ts) t.dispose();
  return grads;
}

/**
 * Pins the per-channel reductions of batchnorm and the fused BatchNorm-ReLU-MaxPool
 * to one form (where it applies: the serial form only within the loop bound);
 * returns the restore function.
 */
export function pinReductions(ctx: GpuContext, form: 'tree' | 'serial' | 'subgroup'): () => void {
  // The fused op's backward sums have no subgroup form; they keep their default there.
  if (form === 'subgroup') return ctx.configure({ variants: { 'batchnorm.stats': form, 'batchnorm.backwardReduce': form } });
  return ctx.configure({ variants: { 'batchnorm.stats': form, 'batchnorm.backwardReduce': form, 'bnReluPool.backwardReduce': form } });
}
