// conv1d forward and backward against the float64 reference (tolerances in
// conv1dCheck.ts), plus finite differences through the GPU forward (rtol 2e-2
// of Σ|g·v|, h 1e-2), on every adapter present.
import { describe, expect, it } from 'vitest';
import { describeAdapters } from '../helpers/adapters.js';
import { Tensor, conv1d } from '../../src/autograd/index.js';
import { fdCheck, randArray } from '../helpers/check.js';
import { conv1dOutputLength, gradWeightPlan } from '../../src/kernels/conv1d.js';
import { gradWeightApplies } from '../../src/kernels/conv1dGradWeight.js';
import { MAX_LOOP_ITERATIONS } from '../../src/kernels/grid.js';
import { defaultModelConfig, sampleCnnConvs } from '../../src/models/index.js';
import { type Conv1dCase, checkConv1d } from './conv1dCheck.js';

const CASES: Conv1dCase[] = [
  { N: 1, Cin: 1, L: 27, Cout: 5, K: 3, stride: 3, padding: 0, bias: true }, // SampleCNN block 0 shape, tiny
  { N: 2, Cin: 3, L: 17, Cout: 7, K: 3, stride: 1, padding: 1, bias: true }, // odd length, channels not multiples of 64
  { N: 3, Cin: 5, L: 70, Cout: 66, K: 3, stride: 1, padding: 1, bias: false }, // crosses a 64-tile in Cout and L
  { N: 2, Cin: 4, L: 20, Cout: 3, K: 5, stride: 2, padding: 2, bias: true }, // general K, stride, padding
  { N: 1, Cin: 70, L: 9, Cout: 2, K: 1, stride: 1, padding: 0, bias: true }, // 1×1 conv, Cin over one tile
  { N: 2, Cin: 2, L: 3, Cout: 4, K: 3, stride: 3, padding: 0, bias: true }, // Lout = 1
  { N: 2, Cin: 1, L: 36_001, Cout: 3, K: 3, stride: 1, padding: 1, bias: true }, // N·Lout = 72,002 per channel: beyond one loop (MAX_LOOP_ITERATIONS)
];

const name = (c: Conv1dCase): string => `N${c.N} Cin${c.Cin} L${c.L} Cout${c.Cout} K${c.K} s${c.stride} p${c.padding}${c.bias ? ' +bias' : ''}`;

await describeAdapters('conv1d', ({ ctx }) => {
  it.each(CASES.map((c) => [name(c), c] as const))('forward and backward match the float64 reference: %s', async (_, c) => {
    await checkConv1d(ctx, c, { seed: 1 });
  });

  it('grad-weight with a split reduction (N·Lout long) matches the reference', async () => {
    // Sums of ~2100 products: f32 error grows, so a looser absolute bound.
    await checkConv1d(ctx, { N: 3, Cin: 2, L: 700, Cout: 3, K: 3, stride: 1, padding: 1, bias: false }, { seed: 11, sumAtol: 2e-3, what: 'split' });
  });

  // The register-blocked paths (see kernels/conv1d.ts): 16-row blocks with a
  // workgroup of fewer rows, columns flattened over many short signals, lane
  // grad-weight with (n, l) carries inside a split and several splits, and a
  // strided forward through the implicit GEMM. Reductions reach ~1000 products,
  // hence the looser absolute bound on the gradients.
  it.each([
    ['16-row blocks, rows not a multiple of 16', { N: 2, Cin: 130, L: 150, Cout: 70, K: 3, stride: 1, padding: 1 }],
    ['16-row blocks, one partial row group (16 ≤ rows < 64)', { N: 2, Cin: 20, L: 40, Cout: 24, K: 3, stride: 1, padding: 1 }],
    ['short signals flattened into the columns', { N: 5, Cin: 66, L: 3, Cout: 65, K: 3, stride: 1, padding: 1 }],
    ['lane grad-weight, splits start mid-signal', { N: 20, Cin: 9, L: 50, Cout: 10, K: 3, stride: 1, padding: 1 }],
    ['strided forward, lane grad-weight', { N: 3, Cin: 3, L: 200, Cout: 5, K: 3, stride: 2, padding: 1 }],
  ] as const)('register-blocked paths match the reference: %s', async (_, c) => {
    await checkConv1d(ctx, { ...c, bias: true }, { seed: 31, sumAtol: 2e-3 });
  });

  it.each([
    ['stride 3, no padding', { N: 2, Cin: 2, L: 13, Cout: 3, K: 3, stride: 3, padding: 0 }],
    ['stride 1, padding 1', { N: 1, Cin: 3, L: 11, Cout: 2, K: 3, stride: 1, padding: 1 }],
  ] as const)('finite differences agree with backward (%s)', async (_, c) => {
    await fdCheck(ctx, [
      { data: randArray(c.N * c.Cin * c.L, 21), shape: [c.N, c.Cin, c.L], check: true },
      { data: randArray(c.Cout * c.Cin * c.K, 22), shape: [c.Cout, c.Cin, c.K], check: true },
      { data: randArray(c.Cout, 23), shape: [c.Cout], check: true },
    ], ([x, w, b]) => conv1d(x, w, b, { stride: c.stride, padding: c.padding }), { what: 'conv1d' });
  });

  it('rejects bad shapes with the op name', async () => {
    const x = Tensor.zeros(ctx, [1, 2, 5]);
    const w = Tensor.zeros(ctx, [3, 4, 3]);
    expect(() => conv1d(x, w, null)).toThrow(/conv1d: input has 2 channels/);
    const w2 = Tensor.zeros(ctx, [3, 2, 7]);
    expect(() => conv1d(x, w2, null)).toThrow(/conv1d: input length 5/);
  });
});

describe('conv1d grad-weight splits', () => {
  // The K = 3 kernels walk their chunk of (n, l) serially in one invocation (an
  // inner loop plus at most as many outer steps): the chunk bounds the loop count.
  it('keep each K = 3 invocation\'s walk over (n, l) within MAX_LOOP_ITERATIONS at thesis size (batch 48 and 256)', () => {
    let checked = 0;
    for (const N of [48, 256]) {
      for (const c of sampleCnnConvs(defaultModelConfig().sampleCnn)) {
        const g = { N, ...c };
        const { Cin, Cout, K, stride, padding, L } = c;
        const Q = N * conv1dOutputLength(L, K, stride, padding);
        for (const v of ['k3s1-ci16', 'k3s1-ci8', 'k3s1-ci4', 'k3'] as const) {
          if (!gradWeightApplies(g, v)) continue;
          const plan = gradWeightPlan(g, v);
          expect(plan.splits * plan.chunk, 'the chunks cover the reduction').toBeGreaterThanOrEqual(Q);
          expect(2 * plan.chunk, `${v} ${Cin}→${Cout} k${K} s${stride} L${L} N${N}`).toBeLessThanOrEqual(MAX_LOOP_ITERATIONS);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
