// Dispatches beyond the per-dimension workgroup limit are folded into 2-D grids
// by the kernel modules. A real 65,536-workgroup dispatch takes ~40 s per kernel
// on llvmpipe, so this suite runs on a second device whose reported
// maxComputeWorkgroupsPerDimension is lowered to 16: the same folding code runs
// (x·y grids with spare workgroups that must do nothing), at tiny sizes.
import { describe, expect, it } from 'vitest';
import { Tensor, backward, batchNorm1d, conv1d, maxPool1d } from '../../src/autograd/index.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { getDevice } from '../../src/gpu/device.js';
import { batchNormBackwardRef, batchNormRef, conv1dBackwardRef, conv1dRef, maxPoolBackwardRef, maxPoolRef } from '../reference/cnn.js';
import { expectClose, randArray } from './helpers.js';

const MAX_DIM = 16;
let small: Promise<GpuContext> | null = null;

function smallGridDevice(): Promise<GpuContext> {
  small ??= getDevice({ backend: 'opengl' }).then((ctx) => {
    const real = ctx.device.limits;
    const limits = new Proxy(real, { get: (t, k) => (k === 'maxComputeWorkgroupsPerDimension' ? MAX_DIM : (t as unknown as Record<string | symbol, unknown>)[k]) });
    Object.defineProperty(ctx, 'limits', { get: () => limits });
    expect(ctx.limits.maxComputeWorkgroupsPerDimension).toBe(MAX_DIM);
    return ctx;
  });
  return small;
}

describe('2-D grids (workgroup limit lowered to 16)', () => {
  it('conv1d forward and both backwards over 42 tiles', async () => {
    const ctx = await smallGridDevice();
    const c = { N: 40, Cin: 2, L: 5, Cout: 3, K: 3, stride: 1, padding: 1 };
    const xs = randArray(c.N * c.Cin * c.L, 1);
    const ws = randArray(c.Cout * c.Cin * c.K, 2);
    const x = Tensor.fromData(ctx, xs, [c.N, c.Cin, c.L]);
    const w = Tensor.fromData(ctx, ws, [c.Cout, c.Cin, c.K]);
    x.requiresGrad = true;
    w.requiresGrad = true;
    const y = conv1d(x, w, null, { padding: 1 });
    expectClose(await y.read(), conv1dRef(xs, ws, null, c.N, c.Cin, c.L, c.Cout, c.K, 1, 1).y, 1e-4, 1e-4, 'conv1d forward (2-D grid)');
    const gys = randArray(y.size, 3);
    backward(y, Tensor.fromData(ctx, gys, y.shape));
    const ref = conv1dBackwardRef(xs, ws, gys, c.N, c.Cin, c.L, c.Cout, c.K, 1, 1);
    expectClose(await x.grad!.read(), ref.gx, 2e-4, 1e-3, 'conv1d grad-input (2-D grid)');
    expectClose(await w.grad!.read(), ref.gw, 2e-4, 1e-3, 'conv1d grad-weight (2-D grid)');
  });

  it('maxPool1d and batchNorm1d over 2-D grids', async () => {
    const ctx = await smallGridDevice();
    const [N, C, L] = [2, 40, 60];
    const xs = randArray(N * C * L, 4);
    const x = Tensor.fromData(ctx, xs, [N, C, L]);
    x.requiresGrad = true;
    const p = maxPool1d(x, { kernel: 3, stride: 1 });
    const pr = maxPoolRef(xs, N * C, L, 3, 1);
    expectClose(await p.read(), pr.y, 1e-7, 0, 'maxPool1d forward (2-D grid)');
    const gs = randArray(p.size, 5);
    backward(p, Tensor.fromData(ctx, gs, p.shape));
    expectClose(await x.grad!.read(), maxPoolBackwardRef(gs, pr.argmax, N * C, L, pr.Lout), 1e-6, 0, 'maxPool1d backward (2-D grid)');

    const ones = new Array(C).fill(1);
    const zeros = new Array(C).fill(0);
    const xb = Tensor.fromData(ctx, xs, [N, C, L]);
    xb.requiresGrad = true;
    const rm = Tensor.fromData(ctx, zeros, [C]);
    const rv = Tensor.fromData(ctx, ones, [C]);
    const y = batchNorm1d(xb, Tensor.fromData(ctx, ones, [C]), Tensor.fromData(ctx, zeros, [C]), rm, rv, { training: true });
    const ref = batchNormRef(xs, ones, zeros, zeros, ones, N, C, L, true, 0.1, 1e-5);
    expectClose(await y.read(), ref.y, 1e-4, 1e-3, 'batchNorm1d forward (2-D grid)');
    expectClose(await rv.read(), ref.runningVar, 1e-5, 1e-5, 'running_var (2-D grid)');
    const gy = randArray(y.size, 6);
    backward(y, Tensor.fromData(ctx, gy, y.shape));
    expectClose(await xb.grad!.read(), batchNormBackwardRef(xs, ones, gy, ref, N, C, L, true, 1e-5).gx, 1e-4, 1e-3, 'batchNorm1d grad-input (2-D grid)');
  });
});
