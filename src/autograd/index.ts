// The autograd API: tensors, scopes, grad mode, backward and every op.
import { fillKernel } from '../kernels/copy.js';
import { add } from './ops/elementwise.js';
import { runBackward } from './tape.js';
import { Tensor } from './tensor.js';

export { Tensor, type DType } from './tensor.js';
export { tidy, keep } from './scope.js';
export { noGrad } from './tape.js';
export * from './ops/elementwise.js';
export { sum, mean } from './ops/reduce.js';
export { reshape, permute, transpose, slice, concat } from './ops/shape.js';
export { matmul, linear } from './ops/matmul.js';
export { dropout } from './ops/dropout.js';
export { gradReverse, type Lambda } from './ops/gradReverse.js';

export function full(like: Tensor, value: number): Tensor {
  const t = Tensor.empty(like.ctx, like.shape);
  fillKernel(like.ctx, t.elements(), t.size, value);
  return t;
}

/** Backpropagates from `root`; gradients accumulate in `.grad` of leaves. */
export function backward(root: Tensor, grad?: Tensor): void {
  runBackward(root, grad, (like) => full(like, 1), add);
}

/** A tensor sharing x's data but cut from the graph. */
export function detach(x: Tensor): Tensor {
  return x.view(x.shape);
}
export { conv1d, type Conv1dOptions } from './ops/conv1d.js';
export { maxPool1d, type MaxPool1dOptions } from './ops/maxpool.js';
export { batchNorm1d, type BatchNorm1dOptions } from './ops/batchnorm.js';
export { batchNormReluMaxPool, type BatchNormReluPoolOptions } from './ops/bnReluPool.js';
export { bceWithLogits, ntXent, type BceOptions } from './ops/losses.js';
