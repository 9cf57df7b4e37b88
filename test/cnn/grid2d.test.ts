// Dispatches beyond the per-dimension workgroup limit are folded into 2-D grids
// by the kernel modules. A real 65,536-workgroup dispatch takes ~40 s per kernel
// on llvmpipe, so this suite runs on a second device whose reported
// maxComputeWorkgroupsPerDimension is lowered to 16 (loweredGridDevice, one per
// adapter present): the same folding code runs
// (x·y grids with spare workgroups that must do nothing), at tiny sizes.
import { expect, it } from 'vitest';
import { describeAdapters, loweredGridDevice } from '../helpers/adapters.js';
import { Tensor, backward, batchNorm1d, maxPool1d } from '../../src/autograd/index.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { batchNormBackwardRef, batchNormRef, maxPoolBackwardRef, maxPoolRef } from '../reference/cnn.js';
import { expectClose, randArray } from '../helpers/check.js';
import { checkConv1d } from './conv1dCheck.js';

const MAX_DIM = 16;

await describeAdapters('2-D grids (workgroup limit lowered to 16)', (adapter) => {
  const smallGridDevice = async (): Promise<GpuContext> => {
    const ctx = await loweredGridDevice(adapter, MAX_DIM);
    expect(ctx.limits.maxComputeWorkgroupsPerDimension).toBe(MAX_DIM);
    return ctx;
  };

  it('conv1d forward and both backwards over 42 tiles', async () => {
    await checkConv1d(await smallGridDevice(), { N: 40, Cin: 2, L: 5, Cout: 3, K: 3, stride: 1, padding: 1, bias: false }, { seed: 1, what: '2-D grid' });
  });

  it('maxPool1d and batchNorm1d over 2-D grids', async () => {
    const ctx = await smallGridDevice();
    const [N, C, L] = [2, 40, 60];
    const xs = randArray(N * C * L, 4);
    const x = Tensor.fromData(ctx, xs, [N, C, L]);
    x.requiresGrad = true;
    const p = maxPool1d(x, { kernel: 3, stride: 1 });
    const pr = maxPoolRef(xs, N * C, L, 3, 1);
    expectClose(await p.read(), pr.y, { atol: 1e-7 }, 'maxPool1d forward (2-D grid)');
    const gs = randArray(p.size, 5);
    backward(p, Tensor.fromData(ctx, gs, p.shape));
    expectClose(await x.grad!.read(), maxPoolBackwardRef(gs, pr.argmax, N * C, L, pr.Lout), { atol: 1e-6 }, 'maxPool1d backward (2-D grid)');

    const ones = new Array(C).fill(1);
    const zeros = new Array(C).fill(0);
    const xb = Tensor.fromData(ctx, xs, [N, C, L]);
    xb.requiresGrad = true;
    const rm = Tensor.fromData(ctx, zeros, [C]);
    const rv = Tensor.fromData(ctx, ones, [C]);
    const y = batchNorm1d(xb, Tensor.fromData(ctx, ones, [C]), Tensor.fromData(ctx, zeros, [C]), rm, rv, { training: true });
    const ref = batchNormRef(xs, ones, zeros, zeros, ones, N, C, L, true, 0.1, 1e-5);
    expectClose(await y.read(), ref.y, { atol: 1e-4, rtol: 1e-3 }, 'batchNorm1d forward (2-D grid)');
    expectClose(await rv.read(), ref.runningVar, { atol: 1e-5, rtol: 1e-5 }, 'running_var (2-D grid)');
    const gy = randArray(y.size, 6);
    backward(y, Tensor.fromData(ctx, gy, y.shape));
    expectClose(await xb.grad!.read(), batchNormBackwardRef(xs, ones, gy, ref, N, C, L, true, 1e-5).gx, { atol: 1e-4, rtol: 1e-3 }, 'batchNorm1d grad-input (2-D grid)');
  });
});
