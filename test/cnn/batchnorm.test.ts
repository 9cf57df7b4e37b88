// batchNorm1d against the float64 reference (PyTorch formulas): forward and
// gradients atol 1e-4 + rtol 1e-3 (f32 over ≤ a few hundred values per channel),
// running stats atol 1e-5 + rtol 1e-5, finite differences rtol 2e-2 of Σ|g·v|.
// With `relu: true` (the fused BatchNorm + ReLU) the reference is the same
// BatchNorm followed by max(y, 0), its gradient masked where y ≤ 0.
import { expect, it, onTestFinished } from 'vitest';
import { describeAdapters } from '../helpers/adapters.js';
import { Tensor, backward, batchNorm1d } from '../../src/autograd/index.js';
import { fdCheckBatchNorm, pinReductions } from './helpers.js';
import { batchNormBackwardRef, batchNormRef, reluRef } from '../reference/cnn.js';
import { expectClose, randArray } from '../helpers/check.js';

const CASES = [
  { N: 4, C: 3, L: 9, training: true },
  { N: 1, C: 5, L: 300, training: true }, // batch 1, channel longer than a workgroup; row tiles (L ≥ 64), the last one partial
  { N: 2, C: 3, L: 64, training: false }, // the shortest rows that take row tiles
  { N: 2, C: 2, L: 36_001, training: true }, // 72,002 values per channel: beyond one invocation's loops, so never the serial walk
  { N: 2, C: 2, L: 20_000, training: true }, // 40,000 values: one pass fits an invocation's loops, the statistics' two passes do not
  { N: 6, C: 7, L: 0, training: true }, // [N, C] input (L = 0 marks rank 2)
  { N: 3, C: 2, L: 5, training: false },
  { N: 5, C: 4, L: 0, training: false },
];

// Each case runs with the per-channel reductions as workgroup trees, as one
// serial invocation per channel, and (statistics and backward sums) as subgroup
// reductions where the device has the `subgroups` feature (SwiftShader; not
// llvmpipe, where those runs are skipped with the reason).
const REDUCTIONS = [['tree', 'tree'], ['serial', 'serial'], ['subgroup', 'subgroup']] as const;

await describeAdapters('batchNorm1d', ({ ctx }) => {
  const runs = REDUCTIONS.flatMap(([kind, form]) => [false, true].flatMap((relu) => CASES.map((c) => [
    `N${c.N} C${c.C} ${c.L ? `L${c.L}` : '(2-D)'} ${c.training ? 'training' : 'eval'}, ${kind} reductions${relu ? ', fused ReLU' : ''}`, c, form, relu] as const)));
  it.for(runs)('forward, running stats and backward match the reference: %s', async ([, c, form, relu], t) => {
    if (form === 'subgroup' && !ctx.device.features.has('subgroups')) t.skip(`${ctx.adapter.description}: no subgroups feature (the tree and serial runs cover it)`);
    onTestFinished(pinReductions(ctx, form));
    // Which kernels ran, so the subgroup runs can show they took the subgroup entries.
    ctx.dispatchLog = [];
    onTestFinished(() => void (ctx.dispatchLog = null));
    const L = c.L || 1;
    const shape = c.L ? [c.N, c.C, c.L] : [c.N, c.C];
    const xs = randArray(c.N * c.C * L, 31, -2, 3);
    const gs = randArray(c.C, 32, 0.5, 1.5);
    const bs = randArray(c.C, 33);
    const rms = randArray(c.C, 34);
    const rvs = randArray(c.C, 35, 0.5, 2);
    const x = Tensor.fromData(ctx, xs, shape);
    const gamma = Tensor.fromData(ctx, gs, [c.C]);
    const beta = Tensor.fromData(ctx, bs, [c.C]);
    const rm = Tensor.fromData(ctx, rms, [c.C]);
    const rv = Tensor.fromData(ctx, rvs, [c.C]);
    for (const t of [x, gamma, beta]) t.requiresGrad = true;
    const y = batchNorm1d(x, gamma, beta, rm, rv, { training: c.training, relu });
    const ref = batchNormRef(xs, gs, bs, rms, rvs, c.N, c.C, L, c.training, 0.1, 1e-5);
    const gys = randArray(y.size, 36);
    const afterRelu = reluRef(ref.y, gys);
    expectClose(await y.read(), relu ? afterRelu.y : ref.y, { atol: 1e-4, rtol: 1e-3 }, 'batchNorm1d forward');
    // PyTorch: running = (1 − 0.1)·running + 0.1·batch stat, var unbiased; unchanged in eval.
    expectClose(await rm.read(), ref.runningMean, { atol: 1e-5, rtol: 1e-5 }, 'running_mean');
    expectClose(await rv.read(), ref.runningVar, { atol: 1e-5, rtol: 1e-5 }, 'running_var');
    if (!c.training) expectClose(await rv.read(), Float32Array.from(rvs), { atol: 0 }, 'running_var untouched in eval');
    backward(y, Tensor.fromData(ctx, gys, y.shape));
    if (form === 'subgroup' && c.training && c.N > 0) {
      const kernels = new Set(ctx.dispatchLog.map((d) => d.kernel));
      expect([...kernels].filter((k) => k.startsWith('batchnorm-subgroups:')).sort(), 'subgroup entries ran').toEqual(['batchnorm-subgroups:backward_reduce_subgroup', 'batchnorm-subgroups:stats_subgroup']);
    }
    const gref = batchNormBackwardRef(xs, gs, relu ? afterRelu.gy : gys, ref, c.N, c.C, L, c.training, 1e-5);
    expectClose(await x.grad!.read(), gref.gx, { atol: 1e-4, rtol: 1e-3 }, 'batchNorm1d grad-input');
    expectClose(await gamma.grad!.read(), gref.gGamma, { atol: 1e-4, rtol: 1e-3 }, 'batchNorm1d grad-gamma');
    expectClose(await beta.grad!.read(), gref.gBeta, { atol: 1e-4, rtol: 1e-3 }, 'batchNorm1d grad-beta');
  });

  it.each([[true, false], [false, false], [true, true], [false, true]])('finite differences agree with backward (training %s, fused ReLU %s)', async (training, relu) => {
    await fdCheckBatchNorm(ctx, [4, 3, 5], 41, (x, g, b, rm, rv) => batchNorm1d(x, g, b, rm, rv, { training, relu }), `batchNorm1d (training ${training}, relu ${relu})`);
  });

  it('refuses training with one value per channel', async () => {
    const z = (s: number[]): Tensor => Tensor.zeros(ctx, s);
    expect(() => batchNorm1d(z([1, 2]), z([2]), z([2]), z([2]), z([2]), { training: true })).toThrow(/more than one value per channel/);
  });
});
