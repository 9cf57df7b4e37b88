// The subgroup forms of the reductions (shaders/*-subgroups.wgsl: the same
// code as the tree forms, joined to prelude/subgroup-sum.wgsl) against the
// float64 references, on every adapter that has the `subgroups` feature
// (SwiftShader here; llvmpipe has none, and its runs are skipped with that
// reason). The batchnorm statistics and backward sums are covered by
// test/cnn/batchnorm.test.ts; these are the fused BatchNorm-ReLU-MaxPool's
// backward sums and reduce.wgsl's workgroup-per-output sum. Tolerance: the
// largest error at most 1e-3 of the largest float64 reference value (f32 sums
// over ≤ 1,000 values, in an order that differs from the reference's).
import { describe, expect, it, onTestFinished } from 'vitest';
import { Tensor, backward, batchNormReluMaxPool } from '../../src/autograd/index.js';
import { sumAxisKernel } from '../../src/kernels/reduce.js';
import { adapters } from '../helpers/adapters.js';
import { expectClose, seeded } from '../helpers/check.js';
import { bnReluPoolRef } from '../reference/cnn.js';

const random = (n: number, seed: number, lo = -1, hi = 1): Float64Array => {
  const u = seeded(seed);
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * u());
};

const TOL = { rel: 1e-3 };

describe.each(await adapters())('subgroup reductions on $name', ({ ctx }) => {
  const has = ctx.device.features.has('subgroups');
  if (!has) console.info(`[subgroup reductions] not run on ${ctx.adapter.description}: no 'subgroups' feature (the tree forms cover it in test/cnn)`);

  /** Records which kernels ran; restores the pins and the log after the test. */
  const pinSubgroups = (variants: Record<string, string>): (() => Set<string>) => {
    onTestFinished(ctx.configure({ variants }));
    ctx.dispatchLog = [];
    onTestFinished(() => void (ctx.dispatchLog = null));
    return () => new Set((ctx.dispatchLog ?? []).map((d) => d.kernel));
  };

  it.skipIf(!has).each([
    { N: 4, C: 3, L: 9, kernel: 3 },
    { N: 2, C: 5, L: 301, kernel: 3 }, // a tail after the last window; several grid-stride rounds per invocation
    { N: 1, C: 2, L: 64, kernel: 2 },
  ])('bnReluPool backward sums, N$N C$C L$L k$kernel', async (c) => {
    const ran = pinSubgroups({ 'batchnorm.stats': 'subgroup', 'bnReluPool.backwardReduce': 'subgroup' });
    const xs = random(c.N * c.C * c.L, 71, -2, 3);
    const gs = random(c.C, 72, 0.5, 1.5);
    const bs = random(c.C, 73);
    const rms = random(c.C, 74);
    const rvs = random(c.C, 75, 0.5, 2);
    const x = Tensor.fromData(ctx, xs, [c.N, c.C, c.L]);
    const gamma = Tensor.fromData(ctx, gs, [c.C]);
    const beta = Tensor.fromData(ctx, bs, [c.C]);
    for (const t of [x, gamma, beta]) t.requiresGrad = true;
    const y = batchNormReluMaxPool(x, gamma, beta, Tensor.fromData(ctx, rms, [c.C]), Tensor.fromData(ctx, rvs, [c.C]), { training: true, kernel: c.kernel });
    const gouts = random(y.size, 76);
    const ref = bnReluPoolRef(xs, gs, bs, rms, rvs, gouts, c.N, c.C, c.L, c.kernel, true);
    backward(y, Tensor.fromData(ctx, gouts, y.shape));
    expectClose(await x.grad!.read(), ref.gx, TOL.rel, 'grad-input');
    expectClose(await gamma.grad!.read(), ref.gGamma, TOL.rel, 'grad-gamma');
    expectClose(await beta.grad!.read(), ref.gBeta, TOL.rel, 'grad-beta');
    expect([...ran()].filter((k) => k.includes('subgroups:')).sort(), 'subgroup entries ran').toEqual(['batchnorm-subgroups:stats_subgroup', 'bnrelupool-subgroups:backward_reduce_subgroup']);
  });

  it.skipIf(!has).each([
    { outer: 3, n: 300, inner: 5 }, // 15 outputs, each a 300-long strided axis
    { outer: 1, n: 1000, inner: 1 },
    { outer: 2, n: 129, inner: 7 }, // n not a multiple of the workgroup or a subgroup
  ])('reduce sum over the middle axis of [$outer, $n, $inner]', async (g) => {
    const ran = pinSubgroups({ 'reduce.sumLong': 'subgroup' });
    const xs = random(g.outer * g.n * g.inner, 81);
    const x = Tensor.fromData(ctx, xs, [g.outer * g.n * g.inner]);
    const out = Tensor.fromData(ctx, new Float64Array(g.outer * g.inner).fill(7), [g.outer * g.inner]);
    const scale = 0.5;
    sumAxisKernel(ctx, x.binding(), out.binding(), g.outer, g.n, g.inner, scale);
    const want = new Float64Array(g.outer * g.inner);
    for (let o = 0; o < g.outer; o++) for (let k = 0; k < g.n; k++) for (let i = 0; i < g.inner; i++) want[o * g.inner + i] += scale * xs[(o * g.n + k) * g.inner + i];
    expectClose(await out.read(), want, TOL.rel, 'sum');
    expect([...ran()], 'the subgroup entry ran').toContain('reduce-subgroups:sum_long_subgroup');
  });
});
