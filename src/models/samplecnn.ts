// SampleCNN (Lee et al. 2017) as thesis Table 3.1 and CLMR's PyTorch module lay
// it out, with CLMR's state-dict names: `sequential.{i}` is block i
// (sampleCnnBlock.ts: `.0` conv, `.1` BatchNorm); `fc` for the supervised classifier.
import { type Tensor, reshape } from '../autograd/index.js';
import type { GpuContext } from '../gpu/context.js';
import { Flatten } from '../nn/flatten.js';
import { Dropout, Linear, Sequential } from '../nn/layers.js';
import { Module } from '../nn/module.js';
import type { Random } from '../nn/random.js';
import { type SampleCnnConfig, encoderDim, validateSampleCnn } from './config.js';
import { SampleCnnBlock } from './sampleCnnBlock.js';

export interface SampleCnnOptions {
  /** With `fc` (and dropout): the supervised tagger. Without: the encoder, output [N, 512] (CLMR sets fc = Identity). */
  withFc?: boolean;
}

export class SampleCNN extends Module {
  readonly sequential: Sequential;
  readonly flatten = new Flatten();
  readonly dropout: Dropout | null;
  readonly fc: Linear | null;
  /** Width of the flattened encoder output. */
  readonly outDim: number;

  constructor(ctx: GpuContext, readonly config: SampleCnnConfig, rng: Random, opts: SampleCnnOptions = {}) {
    super();
    validateSampleCnn(config);
    const blocks: SampleCnnBlock[] = [];
    let ch = config.firstChannels;
    blocks.push(new SampleCnnBlock(ctx, 1, ch, rng, { kernel: 3, stride: 3, pool: null }));
    for (const out of config.blockChannels) {
      blocks.push(new SampleCnnBlock(ctx, ch, out, rng, { kernel: 3, padding: 1, pool: 3 }));
      ch = out;
    }
    const k = config.lastKernel;
    blocks.push(new SampleCnnBlock(ctx, ch, ch, rng, { kernel: k, padding: k === 3 ? 1 : 0, pool: null }));
    this.sequential = this.registerModule('sequential', new Sequential(...blocks));
    this.outDim = encoderDim(config);
    const withFc = opts.withFc ?? true;
    this.dropout = withFc && config.dropout > 0 ? this.registerModule('dropout', new Dropout(config.dropout, rng)) : null;
    this.fc = withFc ? this.registerModule('fc', new Linear(ctx, this.outDim, config.numClasses, rng)) : null;
  }

  /** The encoder representation [N, outDim]; accepts [N, L] or [N, 1, L]. */
  encode(x: Tensor): Tensor {
    const L = this.config.inputLength;
    if (!((x.rank === 2 && x.shape[1] === L) || (x.rank === 3 && x.shape[1] === 1 && x.shape[2] === L))) {
      throw new Error(`SampleCNN: expected input [N, ${L}] or [N, 1, ${L}], got [${x.shape.join(', ')}]`);
    }
    const h = this.sequential.forward(x.rank === 2 ? reshape(x, [x.shape[0], 1, L]) : x);
    return this.flatten.forward(h);
  }

  /** Logits [N, numClasses] with fc, else the encoder output. */
  forward(x: Tensor): Tensor {
    let h = this.encode(x);
    if (this.dropout) h = this.dropout.forward(h);
    return this.fc ? this.fc.forward(h) : h;
  }
}
