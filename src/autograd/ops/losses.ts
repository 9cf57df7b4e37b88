// Losses: BCE on logits with an optional weight / row mask, and NT-Xent.
import { type BceGeometry, bceBackwardKernel, bceForwardKernel } from '../../kernels/bce.js';
import { sameShape } from '../../kernels/shape.js';
import { record } from '../tape.js';
import { Tensor } from '../tensor.js';
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
  bceForwardKernel(ctx, g, logits.binding(), targets.binding(), weight ? weight.binding() : null, stats.binding());
  const loss = Tensor.empty(ctx, []);
  ctx.copy(stats.buffer, 0, loss.buffer, 0, 4);
  const out = record(loss, 'bceWithLogits', [logits], (gOut) => {
    const gx = Tensor.empty(ctx, logits.shape);
    bceBackwardKernel(ctx, g, logits.binding(), targets.binding(), weight ? weight.binding() : null, stats.binding(), gOut.binding(), gx.binding());
    return [gx];
  });
  if (!out.node) stats.dispose();
  return out;
}
