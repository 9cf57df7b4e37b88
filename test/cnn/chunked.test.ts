// Ops on tensors larger than one storage binding: ctx.maxBindingBytes is lowered
// to a few KB so tiny tensors take 3+ chunks, and each op's forward and every
// backward is compared with the same op at the device's limit (equal up to f32
// reassociation of the batch sums: atol 1e-5, rtol 1e-5) and with the float64
// reference (the tolerances of the per-op suites). Cases cover aligned chunks,
// unaligned per-sample byte counts (the base-offset and copy fallbacks), odd
// lengths and batches that are not a multiple of the chunk. Each case also
// asserts that the lowered limit really added dispatches, so a silent fast
// path cannot pass.
import { afterEach, describe, expect, it } from 'vitest';
import { describeAdapters } from '../helpers/adapters.js';
import { Tensor, backward, batchNorm1d, batchNormReluMaxPool, conv1d, dropout, full, maxPool1d, sum } from '../../src/autograd/index.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { batchNormBackwardRef, batchNormRef, conv1dBackwardRef, conv1dRef, bnReluPoolRef, maxPoolBackwardRef, maxPoolRef, reluRef } from '../reference/cnn.js';
import { expectClose, randArray } from '../helpers/check.js';

const SAME = { atol: 1e-5, rtol: 1e-5 };
let restore: (() => void) | null = null;

afterEach(() => {
  restore?.();
  restore = null;
});

interface Run {
  outs: Float32Array[];
  dispatches: number;
}

/** Runs f at the given binding limit (null: the device's), returning what it read back and the dispatches it took. */
async function at(ctx: GpuContext, limit: number | null, f: () => Promise<Float32Array[]>): Promise<Run> {
  const undo = ctx.configure(limit === null ? {} : { maxBindingBytes: limit });
  restore = undo;
  const before = ctx.counters.dispatches;
  try {
    const outs = await f();
    return { outs, dispatches: ctx.counters.dispatches - before };
  } finally {
    undo();
  }
}

async function compare(ctx: GpuContext, limit: number, f: () => Promise<Float32Array[]>, names: string[]): Promise<Float32Array[]> {
  const whole = await at(ctx, null, f);
  const split = await at(ctx, limit, f);
  expect(split.dispatches, 'the lowered limit splits into more dispatches').toBeGreaterThanOrEqual(whole.dispatches + 2);
  names.forEach((n, i) => expectClose(split.outs[i], whole.outs[i], SAME, `${n}: split vs whole`));
  return split.outs;
}

const read = async (t: Tensor | null): Promise<Float32Array> => (await t!.read()) as Float32Array;

interface ConvCase { N: number; Cin: number; L: number; Cout: number; K: number; stride: number; padding: number; limit: number; what: string }

const CONV: ConvCase[] = [
  { N: 7, Cin: 3, L: 17, Cout: 5, K: 3, stride: 1, padding: 1, limit: 1024, what: 'unaligned samples (51, 85 floats): copies through aligned temporaries' },
  { N: 5, Cin: 4, L: 16, Cout: 8, K: 3, stride: 1, padding: 1, limit: 1024, what: 'aligned samples (256, 512 bytes), batch not a multiple of the chunk' },
  { N: 9, Cin: 1, L: 27, Cout: 16, K: 3, stride: 3, padding: 0, limit: 2048, what: 'SampleCNN front end: stride 3, odd input length' },
  { N: 5, Cin: 4, L: 256, Cout: 2, K: 3, stride: 1, padding: 1, limit: 8192, what: 'long samples: lane-parallel grad-weight per chunk' },
  { N: 5, Cin: 2, L: 20, Cout: 3, K: 5, stride: 2, padding: 2, limit: 512, what: 'stride 2: tiled grad-input per chunk' },
];

await describeAdapters('conv1d split along the batch', ({ ctx }) => {
  it.each(CONV.map((c) => [c.what, c] as const))('%s', async (_, c) => {
    const xs = randArray(c.N * c.Cin * c.L, 1);
    const ws = randArray(c.Cout * c.Cin * c.K, 2, -0.5, 0.5);
    const bs = randArray(c.Cout, 3);
    const ref = conv1dRef(xs, ws, bs, c.N, c.Cin, c.L, c.Cout, c.K, c.stride, c.padding);
    const gys = randArray(c.N * c.Cout * ref.Lout, 4);
    const run = async (): Promise<Float32Array[]> => {
      const x = Tensor.fromData(ctx, xs, [c.N, c.Cin, c.L]);
      const w = Tensor.fromData(ctx, ws, [c.Cout, c.Cin, c.K]);
      const b = Tensor.fromData(ctx, bs, [c.Cout]);
      for (const t of [x, w, b]) t.requiresGrad = true;
      const y = conv1d(x, w, b, { stride: c.stride, padding: c.padding });
      backward(y, Tensor.fromData(ctx, gys, y.shape));
      const outs = [await read(y), await read(x.grad), await read(w.grad), await read(b.grad)];
      for (const t of [x, w, b, y]) t.dispose();
      return outs;
    };
    const [y, gx, gw, gb] = await compare(ctx, c.limit, run, ['forward', 'grad-input', 'grad-weight', 'grad-bias']);
    const refB = conv1dBackwardRef(xs, ws, gys, c.N, c.Cin, c.L, c.Cout, c.K, c.stride, c.padding);
    expectClose(y, ref.y, { atol: 1e-4, rtol: 1e-4 }, 'forward vs reference');
    expectClose(gx, refB.gx, { atol: 2e-4, rtol: 1e-3 }, 'grad-input vs reference');
    expectClose(gw, refB.gw, { atol: 2e-4, rtol: 1e-3 }, 'grad-weight vs reference');
    expectClose(gb, refB.gb, { atol: 2e-4, rtol: 1e-3 }, 'grad-bias vs reference');
  });
});

const BN = [
  { N: 7, C: 3, L: 17, limit: 1024, what: 'unaligned samples (51 floats): base offsets in the shader' },
  { N: 5, C: 4, L: 16, limit: 512, what: 'aligned samples (256 bytes)' },
  { N: 5, C: 3, L: 70, limit: 2048, what: 'row tiles (L ≥ 64), unaligned samples (210 floats)' },
];

type BnOp = (x: Tensor, g: Tensor, b: Tensor, rm: Tensor, rv: Tensor) => Tensor;
interface BnExpected { y: ArrayLike<number>; runningMean: ArrayLike<number>; runningVar: ArrayLike<number>; gx: ArrayLike<number>; gGamma: ArrayLike<number>; gBeta: ArrayLike<number> }

/**
 * A BatchNorm-family op (x [N, C, L] and four per-channel tensors) at a lowered
 * binding limit vs the device's, then vs the float64 reference: forward, running
 * statistics and the three gradients for the upstream gradient `gys`.
 */
async function checkSplitBatchNorm(ctx: GpuContext, c: { N: number; C: number; L: number; limit: number }, op: BnOp, outLength: number, training: boolean, seed: number, reference: (xs: Float64Array, gamma: Float64Array, beta: Float64Array, rm0: Float64Array, rv0: Float64Array, gys: Float64Array) => BnExpected): Promise<void> {
  const { N, C, L } = c;
  const xs = randArray(N * C * L, seed, -2, 3);
  const gamma = randArray(C, seed + 1, 0.5, 1.5);
  const beta = randArray(C, seed + 2);
  const rm0 = randArray(C, seed + 3, -0.2, 0.2);
  const rv0 = randArray(C, seed + 4, 0.5, 1.5);
  const gys = randArray(N * C * outLength, seed + 5);
  const run = async (): Promise<Float32Array[]> => {
    const x = Tensor.fromData(ctx, xs, [N, C, L]);
    const g = Tensor.fromData(ctx, gamma, [C]);
    const b = Tensor.fromData(ctx, beta, [C]);
    const rm = Tensor.fromData(ctx, rm0, [C]);
    const rv = Tensor.fromData(ctx, rv0, [C]);
    for (const t of [x, g, b]) t.requiresGrad = true;
    const y = op(x, g, b, rm, rv);
    backward(y, Tensor.fromData(ctx, gys, y.shape));
    const outs = [await read(y), await read(rm), await read(rv), await read(x.grad), await read(g.grad), await read(b.grad)];
    for (const t of [x, g, b, rm, rv, y]) t.dispose();
    return outs;
  };
  const [y, rm, rv, gx, gg, gb] = await compare(ctx, c.limit, run, ['forward', 'running mean', 'running var', 'grad-input', 'grad-gamma', 'grad-beta']);
  const ref = reference(xs, gamma, beta, rm0, rv0, gys);
  expectClose(y, ref.y, { atol: 1e-4, rtol: 1e-3 }, 'forward vs reference');
  expectClose(rm, ref.runningMean, { atol: 1e-5, rtol: 1e-5 }, 'running mean vs reference');
  expectClose(rv, ref.runningVar, { atol: 1e-5, rtol: 1e-4 }, 'running var vs reference');
  expectClose(gx, ref.gx, { atol: 1e-4, rtol: 1e-3 }, 'grad-input vs reference');
  expectClose(gg, ref.gGamma, { atol: 1e-4, rtol: 1e-3 }, 'grad-gamma vs reference');
  expectClose(gb, ref.gBeta, { atol: 1e-4, rtol: 1e-3 }, 'grad-beta vs reference');
}

await describeAdapters('batchNorm1d split along the batch', ({ ctx }) => {
  const runs = BN.flatMap((c) => [true, false].flatMap((training) => [false, true].map((relu) => [`${c.what}, ${training ? 'training' : 'eval'}${relu ? ', fused ReLU' : ''}`, c, training, relu] as const)));
  it.each(runs)('%s', async (_, c, training, relu) => {
    const { N, C, L } = c;
    await checkSplitBatchNorm(ctx, c, (x, g, b, rm, rv) => batchNorm1d(x, g, b, rm, rv, { training, relu }), L, training, 5, (xs, gamma, beta, rm0, rv0, gys) => {
      const ref = batchNormRef(xs, gamma, beta, rm0, rv0, N, C, L, training, 0.1, 1e-5);
      const afterRelu = reluRef(ref.y, gys);
      const grads = batchNormBackwardRef(xs, gamma, relu ? afterRelu.gy : gys, ref, N, C, L, training, 1e-5);
      return { ...ref, ...grads, y: relu ? afterRelu.y : ref.y };
    });
  });
});

await describeAdapters('batchNormReluMaxPool split along the batch', ({ ctx }) => {
  const CASES = [
    { N: 7, C: 3, L: 17, limit: 1024, what: 'unaligned samples (51 and 15 floats), a tail of 2' },
    { N: 5, C: 4, L: 48, limit: 1024, what: 'aligned pooled samples (64 floats)' },
  ];
  const runs = CASES.flatMap((c) => [true, false].map((training) => [`${c.what}, ${training ? 'training' : 'eval'}`, c, training] as const));
  it.each(runs)('%s', async (_, c, training) => {
    const { N, C, L } = c;
    await checkSplitBatchNorm(ctx, c, (x, g, b, rm, rv) => batchNormReluMaxPool(x, g, b, rm, rv, { training, kernel: 3 }), Math.floor(L / 3), training, 21, (xs, gamma, beta, rm0, rv0, gys) => {
      const ref = bnReluPoolRef(xs, gamma, beta, rm0, rv0, gys, N, C, L, 3, training);
      return { ...ref, y: ref.out };
    });
  });
});

await describeAdapters('maxPool1d split into chunks of rows', ({ ctx }) => {
  it.each([[3, 1], [3, 3]])('kernel %i stride %i, rows of 31 (unaligned)', async (kernel, stride) => {
    const [N, C, L] = [3, 5, 31];
    const xs = randArray(N * C * L, 11);
    const ref = maxPoolRef(xs, N * C, L, kernel, stride);
    const gys = randArray(N * C * ref.Lout, 12);
    const run = async (): Promise<Float32Array[]> => {
      const x = Tensor.fromData(ctx, xs, [N, C, L]);
      x.requiresGrad = true;
      const y = maxPool1d(x, { kernel, stride });
      backward(y, Tensor.fromData(ctx, gys, y.shape));
      const outs = [await read(y), await read(x.grad)];
      x.dispose();
      y.dispose();
      return outs;
    };
    const [y, gx] = await compare(ctx, 1024, run, ['forward', 'backward']);
    expectClose(y, ref.y, { atol: 1e-6 }, 'forward vs reference (f32 copies of the inputs)');
    expectClose(gx, maxPoolBackwardRef(gys, ref.argmax, N * C, L, ref.Lout), { atol: 1e-6 }, 'backward vs reference');
  });
});

await describeAdapters('sum, dropout and fill split into chunks', ({ ctx }) => {
  it('sum over a middle axis (chunks along outer) and over everything (partial sums along n)', async () => {
    const shape = [7, 13, 5];
    const xs = randArray(7 * 13 * 5, 13);
    const run = async (): Promise<Float32Array[]> => {
      const x = Tensor.fromData(ctx, xs, shape);
      const big = Tensor.fromData(ctx, randArray(1000, 14), [1000]);
      const a = sum(x, 1);
      const all = sum(big);
      const outs = [await read(a), await read(all)];
      for (const t of [x, big, a, all]) t.dispose();
      return outs;
    };
    const [a, all] = await compare(ctx, 1024, run, ['sum axis 1', 'sum of all']);
    const want = new Float64Array(7 * 5);
    for (let o = 0; o < 7; o++) for (let k = 0; k < 13; k++) for (let i = 0; i < 5; i++) want[o * 5 + i] += xs[(o * 13 + k) * 5 + i];
    expectClose(a, want, { atol: 1e-5, rtol: 1e-5 }, 'sum axis 1 vs reference');
    expectClose(all, [randArray(1000, 14).reduce((s, v) => s + v, 0)], { atol: 1e-4, rtol: 1e-5 }, 'sum of all vs reference');
  });

  it('dropout keeps the same mask however it is split; full fills every chunk', async () => {
    const xs = randArray(1000, 15);
    const gys = randArray(1000, 16);
    const run = async (): Promise<Float32Array[]> => {
      const x = Tensor.fromData(ctx, xs, [10, 100]);
      x.requiresGrad = true;
      const y = dropout(x, 0.3, 1234);
      backward(y, Tensor.fromData(ctx, gys, y.shape));
      const f = full(x, 2.5);
      const outs = [await read(y), await read(x.grad), await read(f)];
      for (const t of [x, y, f]) t.dispose();
      return outs;
    };
    const [y, gx, f] = await compare(ctx, 1024, run, ['dropout forward', 'dropout backward', 'fill']);
    let dropped = 0;
    for (let i = 0; i < 1000; i++) {
      const kept = y[i] !== 0;
      if (!kept) dropped++;
      expect(y[i]).toBeCloseTo(kept ? xs[i] / 0.7 : 0, 5);
      expect(gx[i]).toBeCloseTo(kept ? gys[i] / 0.7 : 0, 5);
    }
    expect(dropped).toBeGreaterThan(200);
    expect(dropped).toBeLessThan(400);
    expect([...f].every((v) => v === 2.5)).toBe(true);
  });
});
