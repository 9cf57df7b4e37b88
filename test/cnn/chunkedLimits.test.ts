// The edges of splitting: conv1d batches whose implicit-GEMM grid would exceed
// the per-dimension workgroup limit (lowered to 16 on a second device, as in
// grid2d.test.ts), and the errors when an op cannot be split.
import { afterEach, describe, expect, it } from 'vitest';
import { Tensor, backward, batchNorm1d, bceWithLogits, conv1d } from '../../src/autograd/index.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { getDevice } from '../../src/gpu/device.js';
import { GEMM_COLS_PER_WORKGROUP } from '../../src/kernels/conv1dChunked.js';
import { conv1dBackwardRef, conv1dRef } from '../reference/cnn.js';
import { device, expectClose, randArray } from './helpers.js';

const MAX_DIM = 16;
let small: Promise<GpuContext> | null = null;

function smallGridDevice(): Promise<GpuContext> {
  small ??= getDevice({ backend: 'opengl' }).then((ctx) => {
    const limits = new Proxy(ctx.device.limits, { get: (t, k) => (k === 'maxComputeWorkgroupsPerDimension' ? MAX_DIM : (t as unknown as Record<string | symbol, unknown>)[k]) });
    Object.defineProperty(ctx, 'limits', { get: () => limits });
    return ctx;
  });
  return small;
}

describe('conv1d batches beyond the workgroup grid (limit lowered to 16)', () => {
  // 16 workgroups × 128 columns = 2048 output columns per dispatch: N·L = 2048
  // runs as one dispatch at exactly the bound (it throws if conv1d.ts covers
  // fewer columns per workgroup), N·L = 2560 has to be split in two.
  it.each([[4, 512, 1], [5, 512, 2]])('N %i, L %i: %i forward dispatch(es), results equal the reference', async (N, L, expected) => {
    const ctx = await smallGridDevice();
    expect(MAX_DIM * GEMM_COLS_PER_WORKGROUP).toBe(2048);
    const [Cin, Cout, K] = [1, 2, 3];
    const xs = randArray(N * Cin * L, 21);
    const ws = randArray(Cout * Cin * K, 22, -0.5, 0.5);
    const x = Tensor.fromData(ctx, xs, [N, Cin, L]);
    const w = Tensor.fromData(ctx, ws, [Cout, Cin, K]);
    x.requiresGrad = true;
    w.requiresGrad = true;
    const before = ctx.counters.dispatches;
    const y = conv1d(x, w, null, { padding: 1 });
    expect(ctx.counters.dispatches - before).toBe(expected);
    expectClose(await y.read(), conv1dRef(xs, ws, null, N, Cin, L, Cout, K, 1, 1).y, 1e-4, 1e-4, 'forward');
    const gys = randArray(y.size, 23);
    backward(y, Tensor.fromData(ctx, gys, y.shape));
    const ref = conv1dBackwardRef(xs, ws, gys, N, Cin, L, Cout, K, 1, 1);
    expectClose(await x.grad!.read(), ref.gx, 2e-4, 1e-3, 'grad-input');
    expectClose(await w.grad!.read(), ref.gw, 2e-4, 1e-3, 'grad-weight');
    for (const t of [x, w, y]) t.dispose();
  });
});

describe('what cannot be split says so', () => {
  let restore: (() => void) | null = null;
  afterEach(() => {
    restore?.();
    restore = null;
  });
  async function lowered(bytes: number): Promise<GpuContext> {
    const ctx = await device();
    const saved = ctx.maxBindingBytes;
    restore = () => {
      ctx.maxBindingBytes = saved;
    };
    ctx.maxBindingBytes = bytes;
    return ctx;
  }

  it('conv1d with one sample above the limit names the op, the shape, the size and the limit', async () => {
    const ctx = await lowered(1024);
    const x = Tensor.fromData(ctx, randArray(2 * 4 * 300, 1), [2, 4, 300]);
    const w = Tensor.fromData(ctx, randArray(2 * 4 * 3, 2), [2, 4, 3]);
    expect(() => conv1d(x, w, null, { padding: 1 })).toThrow('conv1d: one item of [2, 4, 300] needs 4800 bytes, above one storage binding on this adapter (1024 bytes); one sample is larger than a storage binding');
    x.dispose();
    w.dispose();
  });

  it('batchNorm1d with one sample above the limit', async () => {
    const ctx = await lowered(1024);
    const C = 4;
    const p = (v: number): Tensor => Tensor.fromData(ctx, new Array(C).fill(v), [C]);
    const x = Tensor.fromData(ctx, randArray(2 * C * 300, 3), [2, C, 300]);
    expect(() => batchNorm1d(x, p(1), p(0), p(0), p(1), { training: true })).toThrow(/^batchNorm1d statistics: one item of \[2, 4, 300\] needs 4800 bytes, above one storage binding on this adapter \(1024 bytes\)/);
    x.dispose();
  });

  it('bceWithLogits, which never splits, names itself, the shape and the limit', async () => {
    const ctx = await lowered(1024);
    const logits = Tensor.fromData(ctx, randArray(8 * 50, 4), [8, 50]);
    const targets = Tensor.fromData(ctx, new Array(400).fill(1), [8, 50]);
    expect(() => bceWithLogits(logits, targets)).toThrow('bceWithLogits: tensor [8, 50] is 1600 bytes, above one storage binding on this adapter (1024 bytes), and bceWithLogits does not split tensors: use a smaller batch');
    logits.dispose();
    targets.dispose();
  });
});
