// Flatten [N, ...] to [N, rest] (a view; the gradient is reshaped back).
import { type Tensor, reshape } from '../autograd/index.js';
import { Module } from './module.js';

export class Flatten extends Module {
  forward(x: Tensor): Tensor {
    if (x.rank < 2) throw new Error(`Flatten: expected [N, ...], got [${x.shape.join(', ')}]`);
    return reshape(x, [x.shape[0], -1]);
  }
}
