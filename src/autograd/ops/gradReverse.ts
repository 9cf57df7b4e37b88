// Gradient reversal (Ganin & Lempitsky): identity forward, gradient times −λ
// backward. λ is read when backward runs, so a schedule can change it per step.
import { record } from '../tape.js';
import type { Tensor } from '../tensor.js';
import * as raw from './raw.js';

export interface Lambda {
  value: number;
}

export function gradReverse(x: Tensor, lambda: number | Lambda): Tensor {
  const get = (): number => (typeof lambda === 'number' ? lambda : lambda.value);
  return record(x.view(x.shape), 'gradReverse', [x], (g) => [raw.scale(g, -get())]);
}
