// Losses: BCE on logits with an optional weight / row mask, and NT-Xent.
import { type BceGeometry, bceBackwardKernel, bceForwardKernel } from '../../kernels/bce.js';
import { type NtXentGeometry, ntXentGradNormalizeKernel, ntXentGradSimKernel, ntXentNormalizeKernel, ntXentProduct, ntXentRowLossKernel } from '../../kernels/ntxent.js';
import { sumAxisKernel } from '../../kernels/reduce.js';
import { sameShape } from '../../kernels/shape.js';
import { record } from '../tape.js';
import { Tensor } from '../tensor.js';
import { concat } from './shape.js';
import { assertSameDevice } from './strided.js';

export interface BceOptions {
  /**
   * 'weight' (default): Σ w·ℓ / Σ w, the mean over masked-in elements — what the
   * fully supervised and DAT stages need when labelled and unlabelled rows share
   * a batch (a 0/1 row mask gives the mean over labelled rows only, unaffected by
   * how many unlabelled rows there are). 'count': Σ w·ℓ / numel, PyTorch's
   * `BCEWithLogitsLoss(weight=w)` with reduction 'mean'.
   */
  normalize?: 'weight' | 'count';
}

/**
 * Mean binary cross-entropy on logits (numerically stable form), a scalar.
 * `weight` is null, the logits' shape, or one value per row ([B] or [B, 1]
 * for logits [B, T]): a row mask.
 */
export function bceWithLogits(logits: Tensor, targets: Tensor, weight: Tensor | null = null, opts: BceOptions = {}): Tensor {
  assertSameDevice('bceWithLogits', logits, targets, ...(weight ? [weight] : []));
  if (!sameShape(logits.shape, targets.shape)) throw new Error(`bceWithLogits: logits [${logits.shape.join(', ')}] and targets [${targets.shape.join(', ')}] differ in shape`);
  let wDiv = 0;
  if (weight) {
    const rowMask = logits.rank >= 1 && weight.size === logits.shape[0] && (weight.rank === 1 || (weight.rank === 2 && weight.shape[1] === 1));
    if (sameShape(weight.shape, logits.shape)) wDiv = 1;
    else if (rowMask) wDiv = logits.size / Math.max(logits.shape[0], 1);
    else throw new Error(`bceWithLogits: weight [${weight.shape.join(', ')}] must match logits [${logits.shape.join(', ')}] or hold one value per row`);
    wDiv = Math.max(wDiv, 1);
  }
  const g: BceGeometry = { n: logits.size, wDiv, byCount: opts.normalize === 'count' };
  const ctx = logits.ctx;
  const stats = Tensor.empty(ctx, [2]); // [loss, denominator]
  bceForwardKernel(ctx, g, logits.binding('bceWithLogits'), targets.binding('bceWithLogits'), weight ? weight.binding('bceWithLogits') : null, stats.binding('bceWithLogits'));
  const loss = Tensor.empty(ctx, []);
  ctx.copy(stats.buffer, 0, loss.buffer, 0, 4);
  return record(loss, 'bceWithLogits', [logits], (gOut) => {
    const gx = Tensor.empty(ctx, logits.shape);
    bceBackwardKernel(ctx, g, logits.binding('bceWithLogits'), targets.binding('bceWithLogits'), weight ? weight.binding('bceWithLogits') : null, stats.binding('bceWithLogits'), gOut.binding('bceWithLogits'), gx.binding('bceWithLogits'));
    return [gx];
  }, [stats]);
}

/**
 * NT-Xent with temperature τ on two views zi, zj [N, D]: z = [zi; zj] (2N
 * rows), sim = cosine similarity / τ (norms clamped at 1e-8), the positive of
 * row k is row k ± N, the softmax runs over every row but k itself; the result
 * is the mean over the 2N rows of −log softmax at the positive.
 */
export function ntXent(zi: Tensor, zj: Tensor, tau = 0.5): Tensor {
  assertSameDevice('ntXent', zi, zj);
  if (zi.rank !== 2 || !sameShape(zi.shape, zj.shape)) throw new Error(`ntXent: zi and zj must both be [N, D], got [${zi.shape.join(', ')}] and [${zj.shape.join(', ')}]`);
  if (zi.shape[0] < 1 || zi.shape[1] < 1) throw new Error(`ntXent: needs at least one pair of non-empty rows, got [${zi.shape.join(', ')}]`);
  if (!(tau > 0)) throw new Error(`ntXent: tau must be > 0, got ${tau}`);
  return ntXentOfConcat(concat([zi, zj], 0), tau);
}

function ntXentOfConcat(z: Tensor, tau: number): Tensor {
  const ctx = z.ctx;
  const [R, D] = z.shape;
  const g: NtXentGeometry = { R, D, tau };
  const zn = Tensor.empty(ctx, [R, D]);
  const norms = Tensor.empty(ctx, [R]);
  ntXentNormalizeKernel(ctx, g, z.binding('ntXent'), zn.binding('ntXent'), norms.binding('ntXent'));
  const sim = Tensor.empty(ctx, [R, R]);
  ntXentProduct(ctx, zn.binding('ntXent'), D, zn.binding('ntXent'), sim.binding('ntXent'), R, D, true);
  const rowLoss = Tensor.empty(ctx, [R]);
  const prob = Tensor.empty(ctx, [R, R]);
  ntXentRowLossKernel(ctx, g, sim.binding('ntXent'), rowLoss.binding('ntXent'), prob.binding('ntXent'));
  sim.dispose();
  const loss = Tensor.empty(ctx, []);
  sumAxisKernel(ctx, rowLoss.binding('ntXent'), loss.binding('ntXent'), 1, R, 1, 1 / R);
  rowLoss.dispose();
  return record(loss, 'ntXent', [z], (gOut) => {
    const gs = Tensor.empty(ctx, [R, R]);
    ntXentGradSimKernel(ctx, g, prob.binding('ntXent'), gOut.binding('ntXent'), gs.binding('ntXent'));
    const dzn = Tensor.empty(ctx, [R, D]);
    ntXentProduct(ctx, gs.binding('ntXent'), R, zn.binding('ntXent'), dzn.binding('ntXent'), R, D, false);
    gs.dispose();
    const dz = Tensor.empty(ctx, [R, D]);
    ntXentGradNormalizeKernel(ctx, g, zn.binding('ntXent'), norms.binding('ntXent'), dzn.binding('ntXent'), dz.binding('ntXent'));
    dzn.dispose();
    return [dz];
  }, [zn, norms, prob]);
}
