// conv1d with PyTorch semantics (NCL layout, zero padding, stride); every
// gradient is computed on the GPU by the kernels in kernels/conv1d.ts, through
// kernels/conv1dChunked.ts, which splits batches too large for one binding.
import { type Conv1dGeometry, conv1dOutputLength } from '../../kernels/conv1d.js';
import { conv1dForwardChunked, conv1dGradBiasChunked, conv1dGradInputChunked, conv1dGradWeightChunked } from '../../kernels/conv1dChunked.js';
import { record } from '../tape.js';
import { Tensor } from '../tensor.js';
import { assertSameDevice } from './strided.js';

export interface Conv1dOptions {
  stride?: number;
  padding?: number;
}

function checkInt(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new Error(`conv1d: ${name} must be an integer ≥ ${min}, got ${v}`);
}

/** x [N, Cin, L], w [Cout, Cin, K], bias [Cout] or null → [N, Cout, ⌊(L + 2p − K)/s⌋ + 1]. */
export function conv1d(x: Tensor, w: Tensor, bias: Tensor | null, opts: Conv1dOptions = {}): Tensor {
  const stride = opts.stride ?? 1;
  const padding = opts.padding ?? 0;
  assertSameDevice('conv1d', x, w, ...(bias ? [bias] : []));
  checkInt('stride', stride, 1);
  checkInt('padding', padding, 0);
  if (x.rank !== 3) throw new Error(`conv1d: input must be [N, Cin, L], got [${x.shape.join(', ')}]`);
  if (w.rank !== 3) throw new Error(`conv1d: weight must be [Cout, Cin, K], got [${w.shape.join(', ')}]`);
  const [N, Cin, L] = x.shape;
  const [Cout, wCin, K] = w.shape;
  if (wCin !== Cin) throw new Error(`conv1d: input has ${Cin} channels but weight [${w.shape.join(', ')}] expects ${wCin}`);
  if (bias && (bias.rank !== 1 || bias.shape[0] !== Cout)) throw new Error(`conv1d: bias must be [${Cout}], got [${bias.shape.join(', ')}]`);
  if (K < 1) throw new Error(`conv1d: kernel size must be ≥ 1 (weight [${w.shape.join(', ')}])`);
  const Lout = conv1dOutputLength(L, K, stride, padding);
  if (Lout < 1) throw new Error(`conv1d: input length ${L} with padding ${padding} is shorter than the kernel (${K})`);
  const g: Conv1dGeometry = { N, Cin, L, Cout, K, stride, padding };
  const out = Tensor.empty(x.ctx, [N, Cout, Lout]);
  conv1dForwardChunked(x.ctx, g, x.elements(), w.elements(), bias ? bias.elements() : null, out.elements());
  const inputs = bias ? [x, w, bias] : [x, w];
  return record(out, 'conv1d', inputs, (gy) => {
    const ctx = x.ctx;
    let gx: Tensor | null = null;
    let gw: Tensor | null = null;
    let gb: Tensor | null = null;
    if (x.requiresGrad) {
      gx = Tensor.empty(ctx, x.shape);
      conv1dGradInputChunked(ctx, g, w.elements(), gy.elements(), gx.elements());
    }
    if (w.requiresGrad) {
      gw = Tensor.empty(ctx, w.shape);
      conv1dGradWeightChunked(ctx, g, x.elements(), gy.elements(), gw.elements());
    }
    if (bias?.requiresGrad) {
      gb = Tensor.empty(ctx, [Cout]);
      conv1dGradBiasChunked(ctx, g, gy.elements(), gb.elements());
    }
    return bias ? [gx, gw, gb] : [gx, gw];
  });
}
