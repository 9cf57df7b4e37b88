// maxPool1d (PyTorch floor mode, no padding); the argmax is saved as a u32
// tensor and backward gathers through it on the GPU.
import { maxPoolBackwardKernel, maxPoolForwardKernel } from '../../kernels/maxpool.js';
import { record } from '../tape.js';
import { Tensor } from '../tensor.js';
import { assertSameDevice } from './strided.js';

export interface MaxPool1dOptions {
  kernel: number;
  /** Defaults to the kernel size, as in PyTorch. */
  stride?: number;
}

/** x [N, C, L] → [N, C, ⌊(L − kernel)/stride⌋ + 1]. */
export function maxPool1d(x: Tensor, opts: MaxPool1dOptions): Tensor {
  assertSameDevice('maxPool1d', x);
  const kernel = opts.kernel;
  const stride = opts.stride ?? kernel;
  if (!Number.isInteger(kernel) || kernel < 1 || !Number.isInteger(stride) || stride < 1) throw new Error(`maxPool1d: kernel and stride must be integers ≥ 1, got ${kernel}, ${stride}`);
  if (x.rank !== 3) throw new Error(`maxPool1d: input must be [N, C, L], got [${x.shape.join(', ')}]`);
  const [N, C, L] = x.shape;
  if (L < kernel) throw new Error(`maxPool1d: input length ${L} is shorter than the kernel (${kernel})`);
  const Lout = Math.floor((L - kernel) / stride) + 1;
  const rows = N * C;
  const out = Tensor.empty(x.ctx, [N, C, Lout]);
  const argmax = Tensor.empty(x.ctx, [N, C, Lout], 'u32');
  maxPoolForwardKernel(x.ctx, x.elements(), out.elements(), argmax.elements(), rows, L, Lout, kernel, stride);
  return record(out, 'maxPool1d', [x], (g) => {
    const gx = Tensor.empty(x.ctx, x.shape);
    maxPoolBackwardKernel(x.ctx, g.elements(), argmax.elements(), gx.elements(), rows, L, Lout, kernel, stride);
    return [gx];
  }, [argmax]);
}
