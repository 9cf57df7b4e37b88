// The basic layers: Linear, ReLU, Dropout, Sequential.
import { Tensor, dropout, linear, relu } from '../autograd/index.js';
import type { GpuContext } from '../gpu/context.js';
import { defaultBias, defaultWeight } from './init.js';
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

/** Children named "0", "1", ... as in torch.nn.Sequential; runs them in order, nothing more. */
export class Sequential extends Module {
  readonly layers: Module[];

  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
    layers.forEach((m, i) => this.registerModule(String(i), m));
  }

  /** Intermediates stay alive in the caller's scope for backward. */
  forward(x: Tensor): Tensor {
    let h = x;
    for (const m of this.layers) h = m.forward(h);
    return h;
  }
}
