// Adam and SGD against float64 references of PyTorch's update rules
// (torch.optim.Adam / AdamW / SGD, single-tensor path), over several steps.
import { describe, expect, test } from 'vitest';
import { Tensor, keep } from '../../src/autograd/index.js';
import { Adam, SGD } from '../../src/nn/index.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { expectClose, seeded } from '../helpers/check.js';

const { ctx } = await primaryAdapter();
const rand = seeded(99);
const vec = (n: number): number[] => Array.from({ length: n }, () => rand() * 2 - 1);

/** Tolerance: f32 state vs float64 reference after 5 steps, relative to max |param|. */
const TOL = 1e-5;

function adamRef(p: number[], grads: number[][], o: { lr: number; b1: number; b2: number; eps: number; wd: number; decoupled: boolean }): number[] {
  const w = p.slice();
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  grads.forEach((g0, t) => {
    const step = t + 1;
    for (let i = 0; i < w.length; i++) {
      let g = g0[i];
      if (o.decoupled) w[i] *= 1 - o.lr * o.wd;
      else g += o.wd * w[i];
      m[i] = o.b1 * m[i] + (1 - o.b1) * g;
      v[i] = o.b2 * v[i] + (1 - o.b2) * g * g;
      const mh = m[i] / (1 - o.b1 ** step);
      const denom = Math.sqrt(v[i] / (1 - o.b2 ** step)) + o.eps;
      w[i] -= (o.lr * mh) / denom;
    }
  });
  return w;
}

function sgdRef(p: number[], grads: number[][], o: { lr: number; momentum: number; dampening: number; wd: number; nesterov: boolean }): number[] {
  const w = p.slice();
  let buf: number[] | null = null;
  for (const g0 of grads) {
    const g = g0.map((x, i) => x + o.wd * w[i]);
    let d = g;
    if (o.momentum) {
      buf = buf ? buf.map((b, i) => o.momentum * b + (1 - o.dampening) * g[i]) : g.slice();
      d = o.nesterov ? g.map((x, i) => x + o.momentum * buf![i]) : buf;
    }
    for (let i = 0; i < w.length; i++) w[i] -= o.lr * d[i];
  }
  return w;
}

async function run(make: (p: Tensor) => { step(): void }, p0: number[], grads: number[][]): Promise<Float32Array> {
  const p = keep(Tensor.fromData(ctx, p0, [p0.length]));
  p.requiresGrad = true;
  const opt = make(p);
  for (const g of grads) {
    p.grad?.dispose();
    p.grad = keep(Tensor.fromData(ctx, g, [g.length]));
    opt.step();
  }
  return (await p.read()) as Float32Array;
}

describe('optimizers', () => {
  const n = 300;
  const p0 = vec(n);
  const grads = Array.from({ length: 5 }, () => vec(n));

  test.each([
    { lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0, decoupled: false },
    { lr: 3e-4, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 1e-6, decoupled: false },
    { lr: 1e-2, b1: 0.8, b2: 0.99, eps: 1e-6, wd: 0.1, decoupled: false },
    { lr: 1e-2, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0.1, decoupled: true },
  ])('Adam %o', async (o) => {
    const got = await run((p) => new Adam([p], { lr: o.lr, betas: [o.b1, o.b2], eps: o.eps, weightDecay: o.wd, decoupled: o.decoupled }), p0, grads);
    expectClose(got, adamRef(p0, grads, o), { ofMax: TOL }, 'Adam');
  });

  test.each([
    { lr: 0.1, momentum: 0, dampening: 0, wd: 0, nesterov: false },
    { lr: 0.05, momentum: 0.9, dampening: 0, wd: 1e-3, nesterov: false },
    { lr: 0.05, momentum: 0.9, dampening: 0.1, wd: 0, nesterov: false },
    { lr: 0.05, momentum: 0.9, dampening: 0, wd: 1e-3, nesterov: true },
  ])('SGD %o', async (o) => {
    const got = await run((p) => new SGD([p], { lr: o.lr, momentum: o.momentum, dampening: o.dampening, weightDecay: o.wd, nesterov: o.nesterov }), p0, grads);
    expectClose(got, sgdRef(p0, grads, o), { ofMax: TOL }, 'SGD');
  });

  test('bad hyper-parameters are refused with the field named', () => {
    const p = Tensor.zeros(ctx, [2]);
    expect(() => new Adam([p], { betas: [1.2, 0.9] })).toThrow(/betas must be in \[0, 1\)/);
    expect(() => new SGD([p], { lr: 0.1, nesterov: true })).toThrow(/Nesterov/);
    expect(() => new Adam([])).toThrow(/no parameters/);
  });
});
