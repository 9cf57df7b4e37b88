// matmul's register-block candidates pinned one at a time (the default tests in
// test/autograd/ops.test.ts run whichever the tuner leaves): forward and
// backward against the float64 reference and by finite differences (checkOp's
// tolerances), on every adapter present, and the entry point that ran is the
// pinned one. large-v4 reads B as vec4 and applies only where B's columns are
// contiguous and its rows and N are multiples of 4: a transposed B (the weight
// gradient, x·gᵀ) or N = 130 falls back to the default.
import { expect, it, onTestFinished } from 'vitest';
import * as ag from '../../src/autograd/index.js';
import { checkOp, randomArr, seeded } from '../helpers/check.js';
import { describeAdapters } from '../helpers/adapters.js';
import * as ref from '../reference/ops.js';

const rand = seeded(4321);
const R = (shape: number[]) => randomArr(shape, rand);

await describeAdapters('matmul register-block candidates', ({ ctx }) => {
  it.for([
    { variant: 'large', a: [2, 193, 3], b: [2, 3, 100], entry: 'matmul_large' },
    { variant: 'large-v4', a: [2, 193, 3], b: [2, 3, 100], entry: 'matmul_large_v4' },
    { variant: 'large-v4', a: [260, 5], b: [5, 132], entry: 'matmul_large_v4' },
    { variant: 'large-v4', a: [193, 3], b: [3, 98], entry: 'matmul_large' }, // N = 98: not a multiple of 4
    { variant: 'small', a: [65, 7], b: [7, 68], entry: 'matmul_small' },
  ])('$variant pinned, [$a]·[$b]', async (c) => {
    onTestFinished(ctx.configure({ variants: { matmul: c.variant } }));
    ctx.dispatchLog = [];
    onTestFinished(() => void (ctx.dispatchLog = null));
    await checkOp(ctx, { name: `matmul ${c.variant}`, inputs: [R(c.a), R(c.b)], gpu: ([a, b]) => ag.matmul(a, b), ref: ([a, b]) => ref.matmul(a, b) }, rand);
    // The forward is the first matmul dispatch.
    const first = (ctx.dispatchLog ?? []).find((d) => d.kernel.startsWith('matmul:'));
    expect(first?.kernel, 'the forward ran the expected entry point').toBe(`matmul:${c.entry}`);
  });
});
