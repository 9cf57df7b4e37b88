// batchNorm1d with PyTorch semantics. Training normalises with the biased batch
// variance over (N, L) and updates the running stats in place on the GPU
// (running_var with the unbiased variance); eval uses the running stats.
// Backward gives x (full batch-stat backward in training), γ and β.
// `relu: true` is batchNorm1d followed by relu in one op: the same result and
// gradients with one full-size pass fewer each way (the ReLU's mask is read
// from this op's output in backward).
import { type BatchNormGeometry, batchNormBackwardInputKernel, batchNormBackwardReduceKernel, batchNormNormalizeKernel, batchNormStatsKernel } from '../../kernels/batchnorm.js';
import { record } from '../tape.js';
import { Tensor } from '../tensor.js';
import { assertSameDevice } from './strided.js';

export interface BatchNorm1dOptions {
  training: boolean;
  momentum?: number;
  eps?: number;
  /** Apply ReLU to the output, fused into the normalisation and its backward. */
  relu?: boolean;
}

/** Checks the per-channel tensors against x's channel count and a training batch's size; returns [N, C, L]. */
export function checkBatchNormInputs(op: string, x: Tensor, params: Record<string, Tensor>, training: boolean): [number, number, number] {
  const [N, C] = x.shape;
  const L = x.rank === 3 ? x.shape[2] : 1;
  for (const [name, t] of Object.entries(params)) {
    if (t.rank !== 1 || t.shape[0] !== C) throw new Error(`${op}: ${name} must be [${C}], got [${t.shape.join(', ')}]`);
  }
  if (training && N * L < 2) throw new Error(`${op}: training needs more than one value per channel (input [${x.shape.join(', ')}])`);
  return [N, C, L];
}

/**
 * The statistics a call normalises with, [mean × C, var × C], kept for backward:
 * the batch's (running statistics updated in place) in training, the running ones in eval.
 */
export function normalisationStats(x: Tensor, runningMean: Tensor, runningVar: Tensor, g: BatchNormGeometry, op: string): Tensor {
  const ctx = x.ctx;
  const saved = Tensor.empty(ctx, [2 * g.C]);
  if (g.training) batchNormStatsKernel(ctx, g, x.elements(), saved.binding(op), runningMean.binding(op), runningVar.binding(op));
  else {
    ctx.copy(runningMean.buffer, 0, saved.buffer, 0, 4 * g.C);
    ctx.copy(runningVar.buffer, 0, saved.buffer, 4 * g.C, 4 * g.C);
  }
  return saved;
}

/** dγ and dβ from the backward sums [Σg × C, Σg·x̂ × C] (its two halves), each only if wanted. */
export function affineGrads(sums: Tensor, gamma: Tensor, beta: Tensor): [Tensor | null, Tensor | null] {
  const C = gamma.shape[0];
  let gGamma: Tensor | null = null;
  let gBeta: Tensor | null = null;
  if (gamma.requiresGrad) {
    gGamma = Tensor.empty(sums.ctx, [C]);
    sums.ctx.copy(sums.buffer, 4 * C, gGamma.buffer, 0, 4 * C);
  }
  if (beta.requiresGrad) {
    gBeta = Tensor.empty(sums.ctx, [C]);
    sums.ctx.copy(sums.buffer, 0, gBeta.buffer, 0, 4 * C);
  }
  return [gGamma, gBeta];
}

/** x [N, C, L] or [N, C]; gamma, beta, runningMean, runningVar [C]. */
export function batchNorm1d(x: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVar: Tensor, opts: BatchNorm1dOptions): Tensor {
  assertSameDevice('batchNorm1d', x, gamma, beta, runningMean, runningVar);
  if (x.rank !== 2 && x.rank !== 3) throw new Error(`batchNorm1d: input must be [N, C] or [N, C, L], got [${x.shape.join(', ')}]`);
  const [N, C, L] = checkBatchNormInputs('batchNorm1d', x, { gamma, beta, runningMean, runningVar }, opts.training);
  const g: BatchNormGeometry = { N, C, L, momentum: opts.momentum ?? 0.1, eps: opts.eps ?? 1e-5, training: opts.training, relu: opts.relu ?? false };
  const ctx = x.ctx;
  const saved = normalisationStats(x, runningMean, runningVar, g, 'batchNorm1d');
  const y = Tensor.empty(ctx, x.shape);
  if (y.size > 0) batchNormNormalizeKernel(ctx, g, x.elements(), saved.binding('batchNorm1d'), gamma.binding('batchNorm1d'), beta.binding('batchNorm1d'), y.elements());
  return record(y, g.relu ? 'batchNorm1d+relu' : 'batchNorm1d', [x, gamma, beta], (gy) => {
    if (g.relu) y.assertAlive('backward of batchNorm1d+relu (its output was disposed before backward; run forward and backward in the same scope)');
    const mask = g.relu ? y.elements() : undefined;
    const sums = Tensor.empty(ctx, [2, C]);
    batchNormBackwardReduceKernel(ctx, g, x.elements(), gy.elements(), saved.binding('batchNorm1d'), sums.binding('batchNorm1d'), mask);
    let gx: Tensor | null = null;
    if (x.requiresGrad) {
      gx = Tensor.empty(ctx, x.shape);
      batchNormBackwardInputKernel(ctx, g, x.elements(), gamma.binding('batchNorm1d'), gy.elements(), saved.binding('batchNorm1d'), sums.binding('batchNorm1d'), gx.elements(), mask);
    }
    const [gGamma, gBeta] = affineGrads(sums, gamma, beta);
    sums.dispose();
    return [gx, gGamma, gBeta];
  }, [saved]);
}
