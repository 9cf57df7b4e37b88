// batchNormReluMaxPool (BatchNorm1d → ReLU → MaxPool1d(k, k) as one op) against
// the three float64 references composed: forward and gradients atol 1e-4 + rtol
// 1e-3 (f32 over ≤ a few hundred values per channel, as the batchnorm suite),
// running stats atol 1e-5 + rtol 1e-5; finite differences rtol 2e-2 of Σ|g·v|.
// Both reduction forms (workgroup tree, serial per channel) run every case.
import { expect, it, onTestFinished } from 'vitest';
import { describeAdapters } from '../helpers/adapters.js';
import { Tensor, backward, batchNormReluMaxPool } from '../../src/autograd/index.js';
import { fdCheckBatchNorm, pinReductions } from './helpers.js';
import { bnReluPoolRef } from '../reference/cnn.js';
import { expectClose, randArray } from '../helpers/check.js';

const CASES = [
  { N: 4, C: 3, L: 9, kernel: 3, training: true },
  { N: 2, C: 5, L: 301, kernel: 3, training: true }, // a one-position tail after the last window
  { N: 1, C: 2, L: 64, kernel: 2, training: true }, // batch 1
  { N: 3, C: 4, L: 29, kernel: 3, training: false }, // eval: running statistics; tail of 2
  { N: 2, C: 3, L: 3, kernel: 3, training: true }, // one window per row
  { N: 2, C: 2, L: 108_003, kernel: 3, training: true }, // 72,002 windows per channel: beyond one invocation's loops, so never the serial walk
  { N: 2, C: 2, L: 20_001, kernel: 3, training: true }, // 40,002 values: the statistics' two passes exceed an invocation's loops
];

// The statistics and backward sums as workgroup trees, one serial invocation per
// channel, and subgroup reductions where the device has the `subgroups` feature
// (SwiftShader; on llvmpipe those runs are skipped with the reason).
const REDUCTIONS = ['tree', 'serial', 'subgroup'] as const;

await describeAdapters('batchNormReluMaxPool', ({ ctx }) => {
  const runs = REDUCTIONS.flatMap((form) => CASES.map((c) => [`N${c.N} C${c.C} L${c.L} k${c.kernel} ${c.training ? 'training' : 'eval'}, ${form} reductions`, c, form] as const));
  it.for(runs)('forward, running stats and backward match BatchNorm → ReLU → MaxPool: %s', async ([, c, form], t) => {
    if (form === 'subgroup' && !ctx.device.features.has('subgroups')) t.skip(`${ctx.adapter.description}: no subgroups feature (the tree and serial runs cover it)`);
    onTestFinished(pinReductions(ctx, form));
    ctx.dispatchLog = [];
    onTestFinished(() => void (ctx.dispatchLog = null));
    const xs = randArray(c.N * c.C * c.L, 51, -2, 3);
    const gs = randArray(c.C, 52, 0.5, 1.5);
    const bs = randArray(c.C, 53);
    const rms = randArray(c.C, 54);
    const rvs = randArray(c.C, 55, 0.5, 2);
    const x = Tensor.fromData(ctx, xs, [c.N, c.C, c.L]);
    const gamma = Tensor.fromData(ctx, gs, [c.C]);
    const beta = Tensor.fromData(ctx, bs, [c.C]);
    const rm = Tensor.fromData(ctx, rms, [c.C]);
    const rv = Tensor.fromData(ctx, rvs, [c.C]);
    for (const t of [x, gamma, beta]) t.requiresGrad = true;
    const y = batchNormReluMaxPool(x, gamma, beta, rm, rv, { training: c.training, kernel: c.kernel });
    const Lout = Math.floor(c.L / c.kernel);
    expect(y.shape).toEqual([c.N, c.C, Lout]);
    const gouts = randArray(y.size, 56);
    const ref = bnReluPoolRef(xs, gs, bs, rms, rvs, gouts, c.N, c.C, c.L, c.kernel, c.training);
    const out = await y.read();
    expectClose(out, ref.out, { atol: 1e-4, rtol: 1e-3 }, 'forward');
    expect(out.some((v) => v === 0) && out.some((v) => v > 0), 'the ReLU cut some windows and passed others').toBe(true);
    expectClose(await rm.read(), ref.runningMean, { atol: 1e-5, rtol: 1e-5 }, 'running_mean');
    expectClose(await rv.read(), ref.runningVar, { atol: 1e-5, rtol: 1e-5 }, 'running_var');
    backward(y, Tensor.fromData(ctx, gouts, y.shape));
    expectClose(await x.grad!.read(), ref.gx, { atol: 1e-4, rtol: 1e-3 }, 'grad-input');
    expectClose(await gamma.grad!.read(), ref.gGamma, { atol: 1e-4, rtol: 1e-3 }, 'grad-gamma');
    expectClose(await beta.grad!.read(), ref.gBeta, { atol: 1e-4, rtol: 1e-3 }, 'grad-beta');
    if (form === 'subgroup' && c.training) {
      const ran = new Set((ctx.dispatchLog ?? []).map((d) => d.kernel).filter((k) => k.includes('subgroups:')));
      expect([...ran].sort(), 'the subgroup entries ran').toEqual(['batchnorm-subgroups:stats_subgroup', 'bnrelupool-subgroups:backward_reduce_subgroup']);
    }
  });

  it.each([true, false])('finite differences agree with backward (training %s)', async (training) => {
    await fdCheckBatchNorm(ctx, [4, 3, 10], 61, (x, g, b, rm, rv) => batchNormReluMaxPool(x, g, b, rm, rv, { training, kernel: 3 }), `batchNormReluMaxPool (training ${training})`);
  });

  it('ties pick the first maximum, as PyTorch does', async () => {
    // Eval with mean 0, var 1, γ 1, β 0: equal inputs stay exactly equal after normalising.
    const x = Tensor.fromData(ctx, [1, 1, 0, 2, 2, 2], [1, 1, 6]);
    x.requiresGrad = true;
    const one = (v: number): Tensor => Tensor.fromData(ctx, [v], [1]);
    const y = batchNormReluMaxPool(x, one(1), one(0), one(0), one(1), { training: false, kernel: 3 });
    backward(y, Tensor.fromData(ctx, [1, 1], [1, 1, 2]));
    const a = 1 / Math.sqrt(1 + 1e-5);
    expectClose(await x.grad!.read(), [a, 0, 0, a, 0, 0], { atol: 1e-7 }, 'gradient at the first maximum of each window');
  });

  it('refuses inputs shorter than the window, and rank-2 inputs', async () => {
    const z = (s: number[]): Tensor => Tensor.zeros(ctx, s);
    expect(() => batchNormReluMaxPool(z([2, 2, 2]), z([2]), z([2]), z([2]), z([2]), { training: true, kernel: 3 })).toThrow(/input length 2 is shorter than the kernel \(3\)/);
    expect(() => batchNormReluMaxPool(z([2, 2]), z([2]), z([2]), z([2]), z([2]), { training: true, kernel: 3 })).toThrow(/must be \[N, C, L\]/);
  });
});
