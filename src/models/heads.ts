// The heads: CLMR's projector, the domain classifier and the label predictor.
// Their names read like PyTorch's nn.Sequential (`projector.0.weight`,
// `domain_classifier.1.running_mean`, ...).
import type { Tensor } from '../autograd/index.js';
import type { GpuContext } from '../gpu/context.js';
import { BatchNorm1d } from '../nn/batchnorm1d.js';
import { Linear, ReLU, Sequential } from '../nn/layers.js';
import { Module } from '../nn/module.js';
import type { Random } from '../nn/random.js';

/** CLMR: Linear(d→hidden, no bias) → ReLU → Linear(hidden→out, no bias); z feeds NT-Xent. */
export class Projector extends Sequential {
  constructor(ctx: GpuContext, inDim: number, hidden: number, out: number, rng: Random) {
    super(new Linear(ctx, inDim, hidden, rng, { bias: false }), new ReLU(), new Linear(ctx, hidden, out, rng, { bias: false }));
  }
}

/**
 * DANN's domain head: Linear → BatchNorm1d → ReLU → Linear → 1 logit (clean
 * source vs noisy target). The thesis (Fig. 3.1) shows this shape but publishes
 * no widths; `hidden` is our choice (256 by default).
 */
export class DomainClassifier extends Module {
  readonly hidden: Linear;
  readonly bn: BatchNorm1d;
  readonly out: Linear;

  constructor(ctx: GpuContext, inDim: number, hidden: number, rng: Random) {
    super();
    // `2` would be the ReLU, which holds no state: the names match Sequential(Linear, BatchNorm1d, ReLU, Linear).
    this.hidden = this.registerModule('0', new Linear(ctx, inDim, hidden, rng));
    this.bn = this.registerModule('1', new BatchNorm1d(ctx, hidden));
    this.out = this.registerModule('3', new Linear(ctx, hidden, 1, rng));
  }

  /** The BatchNorm and ReLU run as one fused op. */
  forward(x: Tensor): Tensor {
    return this.out.forward(this.bn.forwardWithRelu(this.hidden.forward(x)));
  }
}

/** Linear → ReLU → Linear → one logit per tag (thesis Fig. 3.1; hidden width unpublished, 512 by default). */
export class LabelPredictor extends Sequential {
  constructor(ctx: GpuContext, inDim: number, hidden: number, numTags: number, rng: Random) {
    super(new Linear(ctx, inDim, hidden, rng), new ReLU(), new Linear(ctx, hidden, numTags, rng));
  }
}
