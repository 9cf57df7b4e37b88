// BatchNorm1d with PyTorch semantics and state-dict names: affine `weight` (γ)
// and `bias` (β); buffers `running_mean`, `running_var`, `num_batches_tracked`.
// Training mode normalises with the batch statistics and updates the running
// ones in place (the op does that on the GPU); eval mode uses the running ones.
import { Tensor, affine, batchNorm1d, batchNormReluMaxPool, noGrad } from '../autograd/index.js';
import type { GpuContext } from '../gpu/context.js';
import { Module } from './module.js';

export interface BatchNorm1dOptions {
  momentum?: number;
  eps?: number;
}

export class BatchNorm1d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  readonly momentum: number;
  readonly eps: number;
  private counter: Tensor;
  /** Training batches seen since the counter tensor was last brought up to date. */
  private pending = 0;

  constructor(ctx: GpuContext, readonly numFeatures: number, opts: BatchNorm1dOptions = {}) {
    super();
    this.momentum = opts.momentum ?? 0.1;
    this.eps = opts.eps ?? 1e-5;
    this.weight = this.registerParameter('weight', Tensor.fromData(ctx, new Float32Array(numFeatures).fill(1), [numFeatures]));
    this.bias = this.registerParameter('bias', Tensor.zeros(ctx, [numFeatures]));
    this.runningMean = this.registerBuffer('running_mean', Tensor.zeros(ctx, [numFeatures]));
    this.runningVar = this.registerBuffer('running_var', Tensor.fromData(ctx, new Float32Array(numFeatures).fill(1), [numFeatures]));
    // PyTorch stores a 0-dim int64; here a 0-dim f32 (exact to 2^24 batches), written as I64 in checkpoints.
    this.counter = this.registerBuffer('num_batches_tracked', Tensor.zeros(ctx, []));
  }

  forward(x: Tensor): Tensor {
    return this.normalize(x, false);
  }

  /**
   * forward then ReLU as one fused op: the same values and gradients with one
   * full-size pass fewer each way. Modules that follow a BatchNorm1d with a ReLU
   * call it in their forward (SampleCnnBlock, DomainClassifier).
   */
  forwardWithRelu(x: Tensor): Tensor {
    return this.normalize(x, true);
  }

  /**
   * forward, ReLU, then max-pooling (window = stride = `kernel`) as one fused op
   * that never stores the full-size activation (SampleCnnBlock's blocks 1-9).
   */
  forwardWithReluPool(x: Tensor, kernel: number): Tensor {
    this.beginBatch(x);
    return batchNormReluMaxPool(x, this.weight, this.bias, this.runningMean, this.runningVar, { training: this.training, momentum: this.momentum, eps: this.eps, kernel });
  }

  private normalize(x: Tensor, relu: boolean): Tensor {
    this.beginBatch(x);
    return batchNorm1d(x, this.weight, this.bias, this.runningMean, this.runningVar, { training: this.training, momentum: this.momentum, eps: this.eps, relu });
  }

  /** What every forward form does first: check the input, count a training batch. */
  private beginBatch(x: Tensor): void {
    if (x.rank < 2 || x.shape[1] !== this.numFeatures) throw new Error(`BatchNorm1d(${this.numFeatures}): expected [N, ${this.numFeatures}] or [N, ${this.numFeatures}, L], got [${x.shape.join(', ')}]`);
    // Counted on the host: a GPU write per step per layer would cost a submit each.
    if (this.training) this.pending++;
  }

  /** The counter tensor is made current whenever someone asks for the buffers (checkpoints, loads). */
  override namedBuffers(prefix = ''): [string, Tensor][] {
    if (this.pending) {
      const next = noGrad(() => affine(this.counter, 1, this.pending));
      this.counter.dispose();
      this.counter = this.registerBuffer('num_batches_tracked', next);
      this.pending = 0;
    }
    return super.namedBuffers(prefix);
  }
}
