// One SampleCNN block: Conv1d, then BatchNorm1d, ReLU and (blocks 1-9) a
// MaxPool1d whose window is its stride, the last three run as one fused op.
// Child names follow CLMR's nn.Sequential: `0` the conv, `1` the BatchNorm;
// its `2` ReLU and `3` MaxPool1d hold no state, so they need no child here for
// state dicts to line up (`sequential.3.1.running_mean`, …).
import type { Tensor } from '../autograd/index.js';
import type { GpuContext } from '../gpu/context.js';
import { BatchNorm1d } from '../nn/batchnorm1d.js';
import { Conv1d } from '../nn/conv1d.js';
import { Module } from '../nn/module.js';
import type { Random } from '../nn/random.js';

export interface SampleCnnBlockOptions {
  kernel: number;
  stride?: number;
  padding?: number;
  /** Max-pooling window (and stride) after the ReLU; null for the first and last blocks, which do not pool. */
  pool: number | null;
}

export class SampleCnnBlock extends Module {
  readonly conv: Conv1d;
  readonly bn: BatchNorm1d;
  readonly pool: number | null;

  constructor(ctx: GpuContext, inChannels: number, outChannels: number, rng: Random, opts: SampleCnnBlockOptions) {
    super();
    this.conv = this.registerModule('0', new Conv1d(ctx, inChannels, outChannels, opts.kernel, rng, { stride: opts.stride, padding: opts.padding }));
    this.bn = this.registerModule('1', new BatchNorm1d(ctx, outChannels));
    this.pool = opts.pool;
  }

  forward(x: Tensor): Tensor {
    const h = this.conv.forward(x);
    return this.pool === null ? this.bn.forwardWithRelu(h) : this.bn.forwardWithReluPool(h, this.pool);
  }
}
