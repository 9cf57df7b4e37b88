// MaxPool1d layer (no parameters); PyTorch's default stride is the kernel size.
import { type Tensor, maxPool1d } from '../autograd/index.js';
import { Module } from './module.js';

export class MaxPool1d extends Module {
  readonly stride: number;

  constructor(readonly kernelSize: number, stride?: number) {
    super();
    this.stride = stride ?? kernelSize;
  }

  forward(x: Tensor): Tensor {
    return maxPool1d(x, { kernel: this.kernelSize, stride: this.stride });
  }
}
