// Matrix products. Transposed operands in the backward pass are read through
// strides by the kernel, so no transpose is ever materialised.
import { type MatrixOperand, matmulKernel } from '../../kernels/matmul.js';
import { record } from '../tape.js';
import { Tensor } from '../tensor.js';
import { sum } from './reduce.js';
import { assertSameDevice } from './strided.js';

interface MatView {
  batch: number;
  rows: number;
  cols: number;
  batchStride: number;
}

function asMatrix(t: Tensor, op: string): MatView {
  if (t.rank === 2) return { batch: 1, rows: t.shape[0], cols: t.shape[1], batchStride: 0 };
  if (t.rank === 3) return { batch: t.shape[0], rows: t.shape[1], cols: t.shape[2], batchStride: t.shape[1] * t.shape[2] };
  throw new Error(`${op}: expects 2-D or 3-D tensors, got [${t.shape.join(', ')}]`);
}

function operand(t: Tensor, m: MatView, transposed: boolean): MatrixOperand {
  // Row-major [rows, cols]: (r, c) at r·cols + c; its transpose swaps the two strides.
  return { buffer: t.binding('matmul'), strides: transposed ? [m.batchStride, 1, m.cols] : [m.batchStride, m.cols, 1], offset: 0 };
}

/** out = op(a) · op(b) over a shared batch (a batch of 1 broadcasts by stride 0). */
function product(a: Tensor, ta: boolean, b: Tensor, tb: boolean, op: string): Tensor {
  const ma = asMatrix(a, op);
  const mb = asMatrix(b, op);
  const [M, Ka] = ta ? [ma.cols, ma.rows] : [ma.rows, ma.cols];
  const [Kb, N] = tb ? [mb.cols, mb.rows] : [mb.rows, mb.cols];
  if (Ka !== Kb) throw new Error(`${op}: inner dimensions differ: [${a.shape.join(', ')}]${ta ? 'ᵀ' : ''} · [${b.shape.join(', ')}]${tb ? 'ᵀ' : ''}`);
  if (ma.batch !== mb.batch && ma.batch !== 1 && mb.batch !== 1) throw new Error(`${op}: batch sizes ${ma.batch} and ${mb.batch} differ`);
  const batch = Math.max(ma.batch, mb.batch);
  const outShape = a.rank === 3 || b.rank === 3 ? [batch, M, N] : [M, N];
  const out = Tensor.empty(a.ctx, outShape);
  matmulKernel(a.ctx, operand(a, ma, ta), operand(b, mb, tb), out.binding('matmul'), batch, M, N, Ka, null);
  return out;
}

/** Sums a batched gradient over its batch axis when the operand was broadcast. */
function reduceBatch(g: Tensor, like: Tensor): Tensor {
  if (g.rank === like.rank) return g;
  const r = sum(g, 0);
  g.dispose();
  return r;
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  assertSameDevice('matmul', a, b);
  const out = product(a, false, b, false, 'matmul');
  return record(out, 'matmul', [a, b], (g) => [
    a.requiresGrad ? reduceBatch(product(g, false, b, true, 'matmul backward'), a) : null,
    b.requiresGrad ? reduceBatch(product(a, true, g, false, 'matmul backward'), b) : null,
  ]);
}

/** PyTorch's linear: x [..., in] · Wᵀ (W is [out, in]) + bias [out], bias fused. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  assertSameDevice('linear', x, weight, ...(bias ? [bias] : []));
  if (weight.rank !== 2) throw new Error(`linear: weight must be [out, in], got [${weight.shape.join(', ')}]`);
  const [outF, inF] = weight.shape;
  if (x.shape[x.rank - 1] !== inF) throw new Error(`linear: input [${x.shape.join(', ')}] does not end in ${inF} features (weight [${weight.shape.join(', ')}])`);
  if (bias && (bias.rank !== 1 || bias.shape[0] !== outF)) throw new Error(`linear: bias must be [${outF}], got [${bias.shape.join(', ')}]`);
  const rows = x.size / inF;
  const out = Tensor.empty(x.ctx, [...x.shape.slice(0, -1), outF]);
  const xOp: MatrixOperand = { buffer: x.binding('matmul'), strides: [0, inF, 1], offset: 0 };
  const wT: MatrixOperand = { buffer: weight.binding('matmul'), strides: [0, 1, inF], offset: 0 };
  matmulKernel(x.ctx, xOp, wT, out.binding('matmul'), 1, rows, outF, inF, bias ? bias.binding('matmul') : null);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(out, 'linear', inputs, (g) => {
    const gRows: MatrixOperand = { buffer: g.binding('matmul'), strides: [0, outF, 1], offset: 0 };
    let gx: Tensor | null = null;
    let gw: Tensor | null = null;
    if (x.requiresGrad) {
      gx = Tensor.empty(x.ctx, x.shape);
      matmulKernel(x.ctx, gRows, { buffer: weight.binding('matmul'), strides: [0, inF, 1], offset: 0 }, gx.binding('matmul'), 1, rows, inF, outF, null);
    }
    if (weight.requiresGrad) {
      gw = Tensor.empty(x.ctx, weight.shape);
      const gT: MatrixOperand = { buffer: g.binding('matmul'), strides: [0, 1, outF], offset: 0 };
      matmulKernel(x.ctx, gT, xOp, gw.binding('matmul'), 1, outF, inF, rows, null);
    }
    const grads: (Tensor | null)[] = [gx, gw];
    if (bias) {
      const g2 = g.view([rows, outF]);
      grads.push(bias.requiresGrad ? sum(g2, 0) : null);
      g2.dispose();
    }
    return grads;
  });
}
