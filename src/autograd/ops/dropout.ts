// Inverted dropout with an explicit seed (the mask is regenerated in backward).
import { dropoutKernel } from '../../kernels/dropout.js';
import { record } from '../tape.js';
import { Tensor } from '../tensor.js';
import { assertSameDevice } from './strided.js';

export function dropout(x: Tensor, p: number, seed: number): Tensor {
  assertSameDevice('dropout', x);
  if (p === 0) return record(x.view(x.shape), 'dropout', [x], (g) => [g.view(g.shape)]);
  const out = Tensor.empty(x.ctx, x.shape);
  dropoutKernel(x.ctx, x.elements(), out.elements(), x.size, p, seed);
  return record(out, 'dropout', [x], (g) => {
    const gx = Tensor.empty(x.ctx, x.shape);
    dropoutKernel(x.ctx, g.elements(), gx.elements(), x.size, p, seed);
    return [gx];
  });
}
