// conv1d with PyTorch semantics (NCL layout, zero padding, stride); every
// gradient is computed on the GPU by the tiled kernels in kernels/conv1d.ts.
import { type Conv1dGeometry, conv1dForwardKernel, conv1dGradInputKernel, conv1dGradWeightKernel, conv1dOutputLength, gradWeightSplits } from '../../kernels/conv1d.js';
import { sumAxisKernel } from '../../kernels/reduce.js';
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
  conv1dForwardKernel(x.ctx, g, x.binding(), w.binding(), bias ? bias.binding() : null, out.binding());
  const inputs = bias ? [x, w, bias] : [x, w];
  return record(out, 'conv1d', inputs, (gy) => {
    const ctx = x.ctx;
    let gx: Tensor | null = null;
    let gw: Tensor | null = null;
    let gb: Tensor | null = null;
    if (x.requiresGrad) {
      gx = Tensor.empty(ctx, x.shape);
      conv1dGradInputKernel(ctx, g, w.binding(), gy.binding(), gx.binding());
    }
    if (w.requiresGrad) {
      gw = Tensor.empty(ctx, w.shape);
      const splits = gradWeightSplits(g);
      const scratch = splits > 1 ? Tensor.empty(ctx, [splits, Cout, Cin * K]) : null;
      conv1dGradWeightKernel(ctx, g, x.binding(), gy.binding(), gw.binding(), scratch ? scratch.binding() : gw.binding(), splits);
      scratch?.dispose();
    }
    if (bias?.requiresGrad) {
      // Σ over l, then over n: [N, Cout, Lout] → [N, Cout] → [Cout].
      const perRow = Tensor.empty(ctx, [N, Cout]);
      sumAxisKernel(ctx, gy.binding(), perRow.binding(), N * Cout, Lout, 1);
      gb = Tensor.empty(ctx, [Cout]);
      sumAxisKernel(ctx, perRow.binding(), gb.binding(), 1, N, Cout);
      perRow.dispose();
    }
    return bias ? [gx, gw, gb] : [gx, gw];
  });
}
