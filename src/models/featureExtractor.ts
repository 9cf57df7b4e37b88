// The feature extractor (FE) of the thesis: CLMR's SampleCNN encoder plus its
// projector. Names match a CLMR SimCLR state dict with the `encoder.` prefix
// stripped: `sequential.*` and `projector.*`, so converted CLMR weights load as is.
import type { Tensor } from '../autograd/index.js';
import type { GpuContext } from '../gpu/context.js';
import { Module } from '../nn/module.js';
import type { Random } from '../nn/random.js';
import type { ModelConfig } from './config.js';
import { Projector } from './heads.js';
import { SampleCNN } from './samplecnn.js';

export class FeatureExtractor extends Module {
  readonly encoder: SampleCNN;
  readonly projector: Projector;

  constructor(ctx: GpuContext, readonly config: ModelConfig, rng: Random) {
    super();
    this.encoder = new SampleCNN(ctx, config.sampleCnn, rng, { withFc: false });
    // The encoder's only parameterised child is registered directly, so its names carry no `encoder.` prefix.
    this.registerModule('sequential', this.encoder.sequential);
    this.projector = this.registerModule('projector', new Projector(ctx, this.encoder.outDim, config.projectorHidden, config.projectorOut, rng));
  }

  /** h: the encoder representation [N, 512]. */
  encode(x: Tensor): Tensor {
    return this.encoder.encode(x);
  }

  /** z: the projection of h, for the contrastive loss. */
  project(h: Tensor): Tensor {
    return this.projector.forward(h);
  }

  /** The embedding the heads read, per `config.headInput` (see docs/models.md). */
  embed(x: Tensor): Tensor {
    const h = this.encode(x);
    return this.config.headInput === 'projector' ? this.project(h) : h;
  }

  /** z = projector(encoder(x)), as CLMR's SimCLR forward. */
  forward(x: Tensor): Tensor {
    return this.project(this.encode(x));
  }
}
