// PyTorch's default initialisation: kaiming_uniform(a=√5) for weights, which is
// U(−1/√fan_in, 1/√fan_in), and the same bound for biases.
import type { GpuContext } from '../gpu/context.js';
import { Tensor } from '../autograd/index.js';
import type { Random } from './random.js';

export function uniformTensor(ctx: GpuContext, shape: readonly number[], bound: number, rng: Random): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.uniform(-bound, bound);
  return Tensor.fromData(ctx, data, shape);
}

/** fan_in of a weight [out, in, ...kernel] as PyTorch computes it. */
export function fanIn(shape: readonly number[]): number {
  return shape.slice(1).reduce((a, b) => a * b, 1);
}

export function defaultWeight(ctx: GpuContext, shape: readonly number[], rng: Random): Tensor {
  return uniformTensor(ctx, shape, 1 / Math.sqrt(fanIn(shape)), rng);
}

export function defaultBias(ctx: GpuContext, n: number, fanInOfWeight: number, rng: Random): Tensor {
  return uniformTensor(ctx, [n], fanInOfWeight > 0 ? 1 / Math.sqrt(fanInOfWeight) : 0, rng);
}
