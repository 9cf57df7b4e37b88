// The edges of splitting: conv1d batches whose implicit-GEMM grid would exceed
// the per-dimension workgroup limit (lowered to 16 on a second device, as in
// grid2d.test.ts), and the errors when an op cannot be split.
import { afterEach, describe, expect, it } from 'vitest';
import { describeAdapters, loweredGridDevice } from '../helpers/adapters.js';
import { Tensor, backward, batchNorm1d, bceWithLogits, conv1d } from '../../src/autograd/index.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { conv1dGemmMaxSamples } from '../../src/kernels/conv1d.js';
import { conv1dBackwardRef, conv1dRef } from '../reference/cnn.js';
import { expectClose, randArray } from '../helpers/check.js';

const MAX_DIM = 16;
/**
 * Forward dispatches of conv1d on [N, 1, L] → [N, 2, L] (K 3, padding 1), checked
 * against the reference with its grad-input (the other GEMM). Grad-weight's grid
 * does not grow with the batch (at most 64 splits × channel tiles), so it is not
 * part of this check; at a limit of 16 it refuses by name instead.
 */
async function forwardDispatches(ctx: GpuContext, N: number, L: number): Promise<number> {
  const [Cin, Cout, K] = [1, 2, 3];
  const xs = randArray(N * Cin * L, 21);
  const ws = randArray(Cout * Cin * K, 22, -0.5, 0.5);
  const x = Tensor.fromData(ctx, xs, [N, Cin, L]);
  const w = Tensor.fromData(ctx, ws, [Cout, Cin, K]);
  x.requiresGrad = true;
  const before = ctx.counters.dispatches;
  const y = conv1d(x, w, null, { padding: 1 });
  const dispatches = ctx.counters.dispatches - before;
  expectClose(await y.read(), conv1dRef(xs, ws, null, N, Cin, L, Cout, K, 1, 1).y, { atol: 1e-4, rtol: 1e-4 }, `forward N ${N}`);
  const gys = randArray(y.size, 23);
  backward(y, Tensor.fromData(ctx, gys, y.shape));
  const ref = conv1dBackwardRef(xs, ws, gys, N, Cin, L, Cout, K, 1, 1);
  expectClose(await x.grad!.read(), ref.gx, { atol: 2e-4, rtol: 1e-3 }, `grad-input N ${N}`);
  for (const t of [x, w, y]) t.dispose();
  return dispatches;
}

await describeAdapters('conv1d batches beyond the workgroup grid (limit lowered to 16)', (adapter) => {
  // conv1dGemmMaxSamples is the most samples one GEMM dispatch covers; a batch of
  // exactly that many runs as one chunk (the dispatcher throws if its grid would
  // exceed the limit), one more sample needs two chunks. The bound holds for
  // every GEMM variant (the tightest, conv_gemm's); checked on each.
  it.each(['k3-storage', 'gemm'])('%s: a batch at the bound is one chunk, one more sample is two; results equal the reference', async (variant) => {
    const ctx = await loweredGridDevice(adapter, MAX_DIM);
    const restore = ctx.configure({ variants: { 'conv1d.forward': variant, 'conv1d.gradInput': variant } });
    try {
      const L = 512;
      const cap = conv1dGemmMaxSamples(ctx, L);
      expect(cap, 'the lowered limit makes the bound small').toBe(4);
      const perChunk = await forwardDispatches(ctx, 1, L);
      expect(await forwardDispatches(ctx, cap, L)).toBe(perChunk);
      expect(await forwardDispatches(ctx, cap + 1, L)).toBe(2 * perChunk);
    } finally {
      restore();
    }
  });
});

await describeAdapters('what cannot be split says so', ({ ctx }) => {
  let restore: (() => void) | null = null;
  afterEach(() => {
    restore?.();
    restore = null;
  });
  async function lowered(bytes: number): Promise<GpuContext> {
    restore = ctx.configure({ maxBindingBytes: bytes });
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
