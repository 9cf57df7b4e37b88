// Conv1d layer with PyTorch's parameter names and default initialisation.
import { type Tensor, conv1d } from '../autograd/index.js';
import type { GpuContext } from '../gpu/context.js';
import { defaultBias, defaultWeight } from './init.js';
import { Module } from './module.js';
import type { Random } from './random.js';

export interface Conv1dLayerOptions {
  stride?: number;
  padding?: number;
  bias?: boolean;
}

export class Conv1d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly stride: number;
  readonly padding: number;

  constructor(ctx: GpuContext, readonly inChannels: number, readonly outChannels: number, readonly kernelSize: number, rng: Random, opts: Conv1dLayerOptions = {}) {
    super();
    this.stride = opts.stride ?? 1;
    this.padding = opts.padding ?? 0;
    // kaiming_uniform(a=√5) on [out, in, k] is U(±1/√(in·k)); the bias uses the same fan_in.
    this.weight = this.registerParameter('weight', defaultWeight(ctx, [outChannels, inChannels, kernelSize], rng));
    this.bias = opts.bias === false ? null : this.registerParameter('bias', defaultBias(ctx, outChannels, inChannels * kernelSize, rng));
  }

  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }
}
