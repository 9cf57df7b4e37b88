// The loss of one training step for each stage, on the GPU. Each function
// builds the forward graph and returns the scalar loss to backpropagate plus
// named parts for the log; the runner does backward, the optimizer step and
// the scope that frees intermediates.
import { type Lambda, Tensor, add, affine, bceWithLogits, gradReverse, mean, mul, noGrad, ntXent, sigmoid } from '../autograd/index.js';
import type { GpuContext } from '../gpu/context.js';

/** A network as the losses see it: a function of a batch. */
export type Net = (x: Tensor) => Tensor;

export interface StepLoss {
  loss: Tensor;
  /** Named parts of the loss, read back only when the step is logged (as loss_<name>). */
  parts: Record<string, Tensor>;
  /**
   * Other scalars for the log (e.g. domain_accuracy), never backpropagated:
   * built (inside the step's scope) only on the steps that are logged.
   */
  metrics?: () => Record<string, Tensor>;
}

/** One view of a batch as the encoder's input [B, 1, L]. */
export function uploadView(ctx: GpuContext, view: Float32Array, batchSize: number, length: number): Tensor {
  return Tensor.fromData(ctx, view, [batchSize, 1, length]);
}

/** Stage 1: NT-Xent between the projections of two augmented views. */
export function pretrainLoss(encode: Net, project: Net, v1: Tensor, v2: Tensor, temperature: number): StepLoss {
  const z1 = project(encode(v1));
  const z2 = project(encode(v2));
  const loss = ntXent(z1, z2, temperature);
  return { loss, parts: {} };
}

/**
 * Stage 2: the domain classifier learns clean (0) vs noisy (1) on embeddings of
 * the frozen encoder; the encoder runs without recording (no gradient flows to
 * it) and in eval mode, so its batch-norm statistics stay those of stage 1.
 */
export function domainLoss(embed: Net, classify: Net, x: Tensor, domain: Tensor): StepLoss {
  const h = noGrad(() => embed(x));
  const loss = bceWithLogits(classify(h), domain);
  return { loss, parts: {} };
}

/**
 * Stage 3 (DANN): label loss on the labelled clean rows, plus the domain loss on
 * every row through gradient reversal. The reversal scales the encoder's share
 * of the domain gradient by −λ (times the DANN α(p) when scheduled), so the
 * encoder learns features the classifier cannot separate while the label
 * predictor learns the tags. A frozen domain classifier receives no update.
 */
export function datLoss(embed: Net, predict: Net, classify: Net, x: Tensor, labels: Tensor, labelMask: Tensor, domain: Tensor, lambda: Lambda): StepLoss {
  const h = embed(x);
  const labelLoss = bceWithLogits(predict(h), labels, labelMask);
  const domainLogits = classify(gradReverse(h, lambda));
  const domainPart = bceWithLogits(domainLogits, domain);
  return { loss: add(labelLoss, domainPart), parts: { label: labelLoss, domain: domainPart }, metrics: () => ({ domain_accuracy: batchAccuracy(domainLogits, domain) }) };
}

/**
 * The domain classifier's accuracy on the batch, for the log: a row counts as
 * right when its logit has the target's sign. sigmoid(10^4 · margin) is that
 * step function in float32 except within 10^-3 of the boundary (counted half).
 */
function batchAccuracy(logits: Tensor, targets: Tensor): Tensor {
  return noGrad(() => mean(sigmoid(affine(mul(logits, affine(targets, 2, -1)), 1e4))));
}

/** Baseline and fully supervised: label loss on the rows the mask admits (clean only, or all). */
export function supervisedLoss(embed: Net, predict: Net, x: Tensor, labels: Tensor, labelMask: Tensor): StepLoss {
  const loss = bceWithLogits(predict(embed(x)), labels, labelMask);
  return { loss, parts: {} };
}

/** Row mask [B]: 1 where a row's labels count (bceWithLogits averages over those rows). */
export function rowMask(ctx: GpuContext, batchSize: number, useRow: (row: number) => boolean): Tensor {
  return Tensor.fromData(ctx, Array.from({ length: batchSize }, (_, r) => (useRow(r) ? 1 : 0)), [batchSize]);
}
