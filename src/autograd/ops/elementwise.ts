// Elementwise ops and their derivative rules, kept together as a table.
import { type Shape, broadcastShapes, sameShape } from '../../kernels/shape.js';
import { record } from '../tape.js';
import type { Tensor } from '../tensor.js';
import * as raw from './raw.js';
import { assertSameDevice } from './strided.js';

/** Smallest argument `log` sees: keeps log finite (the invariant: log arguments clamped). */
export const LOG_EPS = 1e-12;

/** A gradient computed at the output's shape, summed back to a broadcast operand's shape; takes ownership of g. */
function unbroadcast(g: Tensor, shape: Shape): Tensor {
  const r = raw.sumToShape(g, shape);
  g.dispose();
  return r;
}

export function add(a: Tensor, b: Tensor): Tensor {
  return record(raw.binary('add', a, b), 'add', [a, b], (g) => [raw.sumToShape(g, a.shape), raw.sumToShape(g, b.shape)]);
}

export function sub(a: Tensor, b: Tensor): Tensor {
  return record(raw.binary('sub', a, b), 'sub', [a, b], (g) => [
    raw.sumToShape(g, a.shape),
    b.requiresGrad ? unbroadcast(raw.scale(g, -1), b.shape) : null,
  ]);
}

export function mul(a: Tensor, b: Tensor): Tensor {
  return record(raw.binary('mul', a, b), 'mul', [a, b], (g) => [
    a.requiresGrad ? unbroadcast(raw.binary('mul', g, b), a.shape) : null,
    b.requiresGrad ? unbroadcast(raw.binary('mul', g, a), b.shape) : null,
  ]);
}

export function div(a: Tensor, b: Tensor): Tensor {
  return record(raw.binary('div', a, b), 'div', [a, b], (g) => [
    a.requiresGrad ? unbroadcast(raw.binary('div', g, b), a.shape) : null,
    b.requiresGrad ? unbroadcast(divGradDenominator(g, a, b), b.shape) : null,
  ]);
}

/** d(a/b)/db · g = −g·a / b², at the output's shape. */
function divGradDenominator(g: Tensor, a: Tensor, b: Tensor): Tensor {
  const ga = raw.binary('mul', g, a);
  const q = raw.binary('div', ga, b);
  ga.dispose();
  const r = raw.binary('div', q, b);
  q.dispose();
  const neg = raw.scale(r, -1);
  r.dispose();
  return neg;
}

/** alpha · x + beta, the scalar ops. */
export function affine(x: Tensor, alpha: number, beta = 0): Tensor {
  return record(raw.unary('affine', x, alpha, beta), 'affine', [x], (g) => [raw.scale(g, alpha)]);
}

export const addScalar = (x: Tensor, c: number): Tensor => affine(x, 1, c);
export const neg = (x: Tensor): Tensor => affine(x, -1, 0);

export function relu(x: Tensor): Tensor {
  return record(raw.unary('relu', x), 'relu', [x], (g) => [raw.binary('reluGrad', x, g)]);
}

export function sigmoid(x: Tensor): Tensor {
  const y = raw.unary('sigmoid', x);
  return record(y, 'sigmoid', [x], (g) => [raw.binary('sigmoidGrad', y, g)]);
}

export function exp(x: Tensor): Tensor {
  const y = raw.unary('exp', x);
  return record(y, 'exp', [x], (g) => [raw.binary('mul', g, y)]);
}

/** Natural log with the argument clamped to ≥ eps, so it never returns -Inf or NaN. */
export function log(x: Tensor, eps = LOG_EPS): Tensor {
  return record(raw.unary('log', x, eps), 'log', [x], (g) => [raw.binary('logGrad', x, g, eps)]);
}

/** Materialises a broadcast of x to `shape`. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  assertSameDevice('broadcastTo', x);
  const target = broadcastShapes(x.shape, shape, 'broadcastTo');
  if (!sameShape(target, shape)) throw new Error(`broadcastTo: [${x.shape.join(', ')}] cannot be broadcast to [${shape.join(', ')}]`);
  return record(raw.broadcast(x, shape), 'broadcastTo', [x], (g) => [raw.sumToShape(g, x.shape)]);
}
