// The heads: CLMR's projector, the domain classifier and the label predictor.
// Each is a Sequential so its names read like PyTorch's nn.Sequential
// (`projector.0.weight`, `domain_classifier.1.running_mean`, ...).
import type { GpuContext } from '../gpu/context.js';
import { BatchNorm1d } from '../nn/batchnorm1d.js';
import { Linear, ReLU, Sequential } from '../nn/layers.js';
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
export class DomainClassifier extends Sequential {
  constructor(ctx: GpuContext, inDim: number, hidden: number, rng: Random) {
    super(new Linear(ctx, inDim, hidden, rng), new BatchNorm1d(ctx, hidden), new ReLU(), new Linear(ctx, hidden, 1, rng));
  }
}

/** Linear → ReLU → Linear → one logit per tag (thesis Fig. 3.1; hidden width unpublished, 512 by default). */
export class LabelPredictor extends Sequential {
  constructor(ctx: GpuContext, inDim: number, hidden: number, numTags: number, rng: Random) {
    super(new Linear(ctx, inDim, hidden, rng), new ReLU(), new Linear(ctx, hidden, numTags, rng));
  }
}
