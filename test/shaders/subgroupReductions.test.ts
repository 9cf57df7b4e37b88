// reduce.wgsl's workgroup-per-output sum in its subgroup form
// (reduce-subgroups.wgsl: the same code joined to prelude/subgroup-sum.wgsl)
// against a float64 sum, on every adapter that has the `subgroups` feature
// (SwiftShader here; llvmpipe has none, and its runs are skipped with that
// reason). The batchnorm and fused BatchNorm-ReLU-MaxPool subgroup sums are
// covered in test/cnn/batchnorm.test.ts and bnReluPool.test.ts. Tolerance: the
// largest error at most 1e-3 of the largest reference value (f32 sums over
// ≤ 1,000 values, in an order that differs from the reference's).
import { expect, it, onTestFinished } from 'vitest';
import { Tensor } from '../../src/autograd/index.js';
import { sumAxisKernel } from '../../src/kernels/reduce.js';
import { describeAdapters } from '../helpers/adapters.js';
import { expectClose, randArray } from '../helpers/check.js';

await describeAdapters('reduce sums by subgroup operations', ({ ctx }) => {
  it.for([
    { outer: 3, n: 300, inner: 5 }, // 15 outputs, each a 300-long strided axis
    { outer: 1, n: 1000, inner: 1 },
    { outer: 2, n: 129, inner: 7 }, // n not a multiple of the workgroup or a subgroup
  ])('sum over the middle axis of [$outer, $n, $inner]', async (g, t) => {
    if (!ctx.device.features.has('subgroups')) t.skip(`${ctx.adapter.description}: no subgroups feature (the tree form is covered by the autograd reduction tests)`);
    onTestFinished(ctx.configure({ variants: { 'reduce.sumLong': 'subgroup' } }));
    ctx.dispatchLog = [];
    onTestFinished(() => void (ctx.dispatchLog = null));
    const xs = randArray(g.outer * g.n * g.inner, 81);
    const x = Tensor.fromData(ctx, xs, [g.outer * g.n * g.inner]);
    const out = Tensor.fromData(ctx, new Float64Array(g.outer * g.inner).fill(7), [g.outer * g.inner]);
    const scale = 0.5;
    sumAxisKernel(ctx, x.binding(), out.binding(), g.outer, g.n, g.inner, scale);
    const want = new Float64Array(g.outer * g.inner);
    for (let o = 0; o < g.outer; o++) for (let k = 0; k < g.n; k++) for (let i = 0; i < g.inner; i++) want[o * g.inner + i] += scale * xs[(o * g.n + k) * g.inner + i];
    expectClose(await out.read(), want, { ofMax: 1e-3 }, 'sum');
    expect((ctx.dispatchLog ?? []).map((d) => d.kernel), 'the subgroup entry ran').toContain('reduce-subgroups:sum_long_subgroup');
    x.dispose();
    out.dispose();
  });
});
