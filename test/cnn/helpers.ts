// What the BatchNorm-family suites (batchnorm, bnReluPool) share: the pins of
// their reductions and their finite-difference check.
import { Tensor } from '../../src/autograd/index.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { fdCheck, randArray } from '../helpers/check.js';

/**
 * Pins the per-channel reductions of batchnorm and the fused BatchNorm-ReLU-MaxPool
 * to one form (where it applies: the serial form only within the loop bound);
 * returns the restore function.
 */
export function pinReductions(ctx: GpuContext, form: 'tree' | 'serial' | 'subgroup'): () => void {
  return ctx.configure({ variants: { 'batchnorm.stats': form, 'batchnorm.backwardReduce': form, 'bnReluPool.backwardReduce': form } });
}

type BnOp = (x: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVar: Tensor) => Tensor;

/** fdCheck of a BatchNorm-family op in x [N, C, L], γ and β, with fixed running statistics; seeds seed … seed + 4. */
export async function fdCheckBatchNorm(ctx: GpuContext, [N, C, L]: [number, number, number], seed: number, op: BnOp, what: string): Promise<void> {
  const rm = Tensor.fromData(ctx, randArray(C, seed), [C]);
  const rv = Tensor.fromData(ctx, randArray(C, seed + 1, 0.5, 2), [C]);
  await fdCheck(ctx, [
    { data: randArray(N * C * L, seed + 2, -2, 2), shape: [N, C, L], check: true },
    { data: randArray(C, seed + 3, 0.5, 1.5), shape: [C], check: true },
    { data: randArray(C, seed + 4), shape: [C], check: true },
  ], ([x, g, b]) => op(x, g, b, rm, rv), { what });
  rm.dispose();
  rv.dispose();
}
