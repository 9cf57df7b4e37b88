// Burn-style agreement check: every op with variants is measured by the tuner
// (full mode, a fresh in-memory cache) on small shapes that several of its
// candidates apply to; every applicable candidate must agree with the op's
// default within the op's stated tolerance (a disagreeing one is recorded as
// NaN, which fails here), and each op must have had at least two to compare.
// The trials themselves are the tuner's: random inputs of the real shape.
import { expect, it } from 'vitest';
import { describeAdapters } from '../helpers/adapters.js';
import { Tuner, memoryTuneStore } from '../../src/gpu/tuner.js';
import type { Tunable } from '../../src/gpu/tuner.js';
import { ALL_TUNABLES } from '../../src/kernels/tunables.js';

const conv = [
  { N: 2, Cin: 130, L: 45, Cout: 20, K: 3, stride: 1, padding: 1 },
  { N: 3, Cin: 1, L: 300, Cout: 8, K: 3, stride: 3, padding: 0 },
  { N: 2, Cin: 5, L: 200, Cout: 6, K: 2, stride: 1, padding: 0 },
];
const GEOMETRIES: Record<string, unknown[]> = {
  'conv1d.forward': conv,
  'conv1d.gradInput': conv,
  'conv1d.gradWeight': conv,
  'conv1d.gradBias': conv,
  'batchnorm.stats': [{ N: 3, C: 5, L: 70, momentum: 0.1, eps: 1e-5, training: true }],
  'batchnorm.backwardReduce': [{ N: 3, C: 5, L: 70, momentum: 0.1, eps: 1e-5, training: true, relu: true }],
  'bnReluPool.backwardReduce': [{ N: 3, C: 5, L: 81, kernel: 3, eps: 1e-5, training: true }],
  matmul: [{ batch: 2, M: 200, N: 100, K: 33, bias: true, bVec4: true }],
  'maxpool.backward': [{ rows: 7, L: 30, Lout: 10, kernel: 3, stride: 3 }],
  'reduce.sumLong': [{ outer: 3, n: 300, inner: 5 }],
};

await describeAdapters('every candidate of every tunable op agrees with its default', ({ ctx }) => {
  it.for(ALL_TUNABLES.map((t) => [t.op, t] as const))('%s', async ([op, t], test) => {
    const applicable = (GEOMETRIES[op] ?? []).map((g) => (t as Tunable<unknown, unknown>).candidates.filter((c) => c.applies(ctx, g)).length);
    if (applicable.length > 0 && Math.max(...applicable) < 2) test.skip(`${op}: one candidate applies on ${ctx.adapter.description} (nothing to compare)`);
    const tuner = new Tuner(ctx, 'test', memoryTuneStore(), { mode: 'full', reps: 1 });
    const shapes = GEOMETRIES[op];
    expect(shapes, `a test geometry for ${op}`).toBeDefined();
    const compared = new Set<string>();
    for (const g of shapes) {
      tuner.choose(t as Tunable<unknown, unknown>, g);
      await tuner.tunePending();
    }
    for (const [key, rec] of Object.entries(tuner.measured())) {
      for (const [name, ms] of Object.entries(rec.ms)) {
        expect(Number.isNaN(ms), `${key}: ${name} disagrees with the default (tolerance ${t.tolerance})`).toBe(false);
        compared.add(name);
      }
    }
    expect(compared.size, `${op}: candidates compared`).toBeGreaterThanOrEqual(2);
    console.info(`[tunables] ${op}: ${[...compared].join(', ')} agree`);
  });
});
