// The basic layers: Linear, ReLU, Dropout, Sequential.
import { Tensor, dropout, linear, relu } from '../autograd/index.js';
import type { GpuContext } from '../gpu/context.js';
import { defaultBias, defaultWeight } from './init.js';
import { BatchNorm1d } from './batchnorm1d.js';
import { MaxPool1d } from './maxpool1d.js';
import { Module } from './module.js';
import { Random } from './random.js';

export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(ctx: GpuContext, readonly inFeatures: number, readonly outFeatures: number, rng: Random, opts: { bias?: boolean } = {}) {
    super();
    this.weight = this.registerParameter('weight', defaultWeight(ctx, [outFeatures, inFeatures], rng));
    this.bias = opts.bias === false ? null : this.registerParameter('bias', defaultBias(ctx, outFeatures, inFeatures, rng));
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/**
 * Dropout drawing a fresh mask seed per call from its generator; identity in
 * eval mode. Training loops reseed it every step from (run seed, step) so a
 * resumed run draws the same masks without storing generator state.
 */
export class Dropout extends Module {
  constructor(readonly p: number, private rng: Random) {
    super();
    if (!(p >= 0 && p < 1)) throw new Error(`Dropout: p must be in [0, 1), got ${p}`);
  }

  reseed(seed: number): void {
    this.rng = new Random(seed);
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    return dropout(x, this.p, this.rng.nextU32());
  }
}

/** Children named "0", "1", ... as in torch.nn.Sequential. */
export class Sequential extends Module {
  readonly layers: Module[];

  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
    layers.forEach((m, i) => this.registerModule(String(i), m));
  }

  /** Runs the layers in order; intermediates stay alive in the caller's scope for backward. */
  forward(x: Tensor): Tensor {
    let h = x;
    for (let i = 0; i < this.layers.length; i++) {
      const m = this.layers[i];
      // BatchNorm1d then ReLU (SampleCNN's first and last blocks, the domain
      // classifier) run as one fused op, and with a tiling MaxPool1d after them
      // (SampleCNN blocks 1-9) as one op that never stores the full-size
      // activation: the same values and gradients, fewer full-size passes each way.
      const pool = this.layers[i + 2];
      if (m instanceof BatchNorm1d && this.layers[i + 1] instanceof ReLU && pool instanceof MaxPool1d && pool.stride === pool.kernelSize && h.rank === 3) {
        h = m.forwardWithReluPool(h, pool.kernelSize);
        i += 2;
      } else if (m instanceof BatchNorm1d && this.layers[i + 1] instanceof ReLU) {
        h = m.forwardWithRelu(h);
        i++;
      } else {
        h = m.forward(h);
      }
    }
    return h;
  }
}
