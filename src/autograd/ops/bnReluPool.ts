// maxPool1d(relu(batchNorm1d(x)), kernel k, stride k) as one op: the values,
// gradients and running-statistics update of the three ops in sequence, without
// the full-size normalised activation (forward writes the pooled output and
// argmax; backward rebuilds the BatchNorm output's gradient from them). Used by
// every pooling SampleCNN block (models/sampleCnnBlock.ts); its shader is named
// in kernels/bnReluPool.ts.
import { type BnReluPoolGeometry, bnReluPoolBackwardInputKernel, bnReluPoolBackwardReduceKernel, bnReluPoolForwardKernel, pooledLength } from '../../kernels/bnReluPool.js';
import { record } from '../tape.js';
import { Tensor } from '../tensor.js';
import { type BatchNorm1dOptions, affineGrads, checkBatchNormInputs, normalisationStats } from './batchnorm.js';
import { assertSameDevice } from './strided.js';

export interface BatchNormReluPoolOptions extends Omit<BatchNorm1dOptions, 'relu'> {
  /** Pooling window, also its stride (MaxPool1d's default). */
  kernel: number;
}

/** x [N, C, L] → [N, C, ⌊L / kernel⌋]; gamma, beta, runningMean, runningVar [C]. */
export function batchNormReluMaxPool(x: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVar: Tensor, opts: BatchNormReluPoolOptions): Tensor {
  const op = 'batchNormReluMaxPool';
  assertSameDevice(op, x, gamma, beta, runningMean, runningVar);
  if (x.rank !== 3) throw new Error(`${op}: input must be [N, C, L], got [${x.shape.join(', ')}]`);
  const [N, C, L] = checkBatchNormInputs(op, x, { gamma, beta, runningMean, runningVar }, opts.training);
  const kernel = opts.kernel;
  if (!Number.isInteger(kernel) || kernel < 1) throw new Error(`${op}: kernel must be an integer ≥ 1, got ${kernel}`);
  if (L < kernel) throw new Error(`${op}: input length ${L} is shorter than the kernel (${kernel})`);
  const g: BnReluPoolGeometry = { N, C, L, kernel, eps: opts.eps ?? 1e-5, training: opts.training };
  const ctx = x.ctx;
  const saved = normalisationStats(x, runningMean, runningVar, { N, C, L, momentum: opts.momentum ?? 0.1, eps: g.eps, training: opts.training }, op);
  const out = Tensor.empty(ctx, [N, C, pooledLength(g)]);
  const argmax = Tensor.empty(ctx, out.shape, 'u32');
  if (out.size > 0) bnReluPoolForwardKernel(ctx, g, x.elements(), saved.binding(op), gamma.binding(op), beta.binding(op), out.elements(), argmax.elements());
  return record(out, 'batchNorm1d+relu+maxPool1d', [x, gamma, beta], (gy) => {
    out.assertAlive('backward of batchNorm1d+relu+maxPool1d (its output was disposed before backward; run forward and backward in the same scope)');
    const pooled = { gout: gy.elements(), argmax: argmax.elements(), pooled: out.elements() };
    const sums = Tensor.empty(ctx, [2, C]);
    bnReluPoolBackwardReduceKernel(ctx, g, x.elements(), saved.binding(op), pooled, sums.binding(op));
    let gx: Tensor | null = null;
    if (x.requiresGrad) {
      gx = Tensor.empty(ctx, x.shape);
      bnReluPoolBackwardInputKernel(ctx, g, x.elements(), saved.binding(op), gamma.binding(op), pooled, sums.binding(op), gx.elements());
    }
    const [gGamma, gBeta] = affineGrads(sums, gamma, beta);
    sums.dispose();
    return [gx, gGamma, gBeta];
  }, [saved, argmax]);
}
