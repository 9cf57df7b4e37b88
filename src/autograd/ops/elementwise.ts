// Elementwise ops and their derivative rules, kept together as a table.
import { type BinaryOpName, type UnaryOpName, binaryKernel, unaryKernel } from '../../kernels/elementwise.js';
import { type Shape, broadcastShapes, sameShape } from '../../kernels/shape.js';
import { noGrad, record } from '../tape.js';
import { Tensor } from '../tensor.js';
import { sumToShape } from './reduce.js';
import { assertSameDevice, broadcastRead, contiguous } from './strided.js';

/** Smallest argument `log` sees: keeps log finite (the invariant: log arguments clamped). */
export const LOG_EPS = 1e-12;

function unaryRaw(op: UnaryOpName, x: Tensor, alpha = 1, beta = 0): Tensor {
  assertSameDevice(op, x);
  const out = Tensor.empty(x.ctx, x.shape);
  unaryKernel(x.ctx, op, contiguous(x), out.elements(), x.shape, alpha, beta);
  return out;
}

function binaryRaw(op: BinaryOpName, a: Tensor, b: Tensor, alpha = 1): Tensor {
  assertSameDevice(op, a, b);
  const shape = broadcastShapes(a.shape, b.shape, op);
  const out = Tensor.empty(a.ctx, shape);
  binaryKernel(a.ctx, op, broadcastRead(a, shape, op), broadcastRead(b, shape, op), out.elements(), shape, alpha);
  return out;
}

/** Gradient w.r.t. a broadcast operand: sum the output gradient back to its shape. */
function unbroadcast(g: Tensor, shape: Shape): Tensor {
  return sameShape(g.shape, shape) ? g.view(g.shape) : sumToShape(g, shape);
}

export function add(a: Tensor, b: Tensor): Tensor {
  return record(binaryRaw('add', a, b), 'add', [a, b], (g) => [unbroadcast(g, a.shape), unbroadcast(g, b.shape)]);
}

export function sub(a: Tensor, b: Tensor): Tensor {
  return record(binaryRaw('sub', a, b), 'sub', [a, b], (g) => [
    unbroadcast(g, a.shape),
    b.requiresGrad ? unbroadcastOwned(unaryRaw('affine', g, -1), b.shape) : null,
  ]);
}

export function mul(a: Tensor, b: Tensor): Tensor {
  return record(binaryRaw('mul', a, b), 'mul', [a, b], (g) => [
    a.requiresGrad ? unbroadcastOwned(binaryRaw('mul', g, b), a.shape) : null,
    b.requiresGrad ? unbroadcastOwned(binaryRaw('mul', g, a), b.shape) : null,
  ]);
}

export function div(a: Tensor, b: Tensor): Tensor {
  return record(binaryRaw('div', a, b), 'div', [a, b], (g) => [
    a.requiresGrad ? unbroadcastOwned(binaryRaw('div', g, b), a.shape) : null,
    // d(a/b)/db = -a / b²
    b.requiresGrad ? unbroadcastOwned(noGrad(() => {
      const ga = binaryRaw('mul', g, a);
      const q = binaryRaw('div', ga, b);
      ga.dispose();
      const r = binaryRaw('div', q, b);
      q.dispose();
      const neg = unaryRaw('affine', r, -1);
      r.dispose();
      return neg;
    }), b.shape) : null,
  ]);
}

function unbroadcastOwned(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const r = sumToShape(g, shape);
  g.dispose();
  return r;
}

/** alpha · x + beta, the scalar ops. */
export function affine(x: Tensor, alpha: number, beta = 0): Tensor {
  return record(unaryRaw('affine', x, alpha, beta), 'affine', [x], (g) => [unaryRaw('affine', g, alpha)]);
}

export const mulScalar = (x: Tensor, c: number): Tensor => affine(x, c, 0);
export const addScalar = (x: Tensor, c: number): Tensor => affine(x, 1, c);
export const neg = (x: Tensor): Tensor => affine(x, -1, 0);

export function relu(x: Tensor): Tensor {
  return record(unaryRaw('relu', x), 'relu', [x], (g) => [binaryRaw('reluGrad', x, g)]);
}

export function sigmoid(x: Tensor): Tensor {
  const y = unaryRaw('sigmoid', x);
  return record(y, 'sigmoid', [x], (g) => [binaryRaw('sigmoidGrad', y, g)]);
}

export function exp(x: Tensor): Tensor {
  const y = unaryRaw('exp', x);
  return record(y, 'exp', [x], (g) => [binaryRaw('mul', g, y)]);
}

/** Natural log with the argument clamped to ≥ eps, so it never returns -Inf or NaN. */
export function log(x: Tensor, eps = LOG_EPS): Tensor {
  return record(unaryRaw('log', x, eps), 'log', [x], (g) => [binaryRaw('logGrad', x, g, eps)]);
}

/** Materialises a broadcast of x to `shape`. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  assertSameDevice('broadcastTo', x);
  const target = broadcastShapes(x.shape, shape, 'broadcastTo');
  if (!sameShape(target, shape)) throw new Error(`broadcastTo: [${x.shape.join(', ')}] cannot be broadcast to [${shape.join(', ')}]`);
  const out = Tensor.empty(x.ctx, shape);
  unaryKernel(x.ctx, 'affine', broadcastRead(x, shape, 'broadcastTo'), out.elements(), shape);
  return record(out, 'broadcastTo', [x], (g) => [sumToShape(g, x.shape)]);
}

/** Internal building blocks for other op files (no autograd recording). */
export const raw = { unary: unaryRaw, binary: binaryRaw };
