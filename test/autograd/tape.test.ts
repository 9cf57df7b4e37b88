// Autograd semantics: accumulation, noGrad, detach, scopes, shape checks,
// gradient reversal and seeded dropout.
import { describe, expect, test } from 'vitest';
import * as ag from '../../src/autograd/index.js';
import { Tensor } from '../../src/autograd/index.js';
import { primaryAdapter } from '../helpers/adapters.js';

const { ctx } = await primaryAdapter();
const t = (data: number[], shape: number[], grad = false): Tensor => {
  const x = Tensor.fromData(ctx, data, shape);
  x.requiresGrad = grad;
  return x;
};

describe('tape', () => {
  test('gradients accumulate on leaves across backward calls until zeroed', async () => {
    const x = t([1, 2, 3], [3], true);
    ag.backward(ag.sum(ag.mul(x, x)));
    expect([...(await x.grad!.read())]).toEqual([2, 4, 6]);
    ag.backward(ag.sum(ag.affine(x, 3)));
    expect([...(await x.grad!.read())]).toEqual([5, 7, 9]);
  });

  test('a tensor used twice gets both contributions', async () => {
    const x = t([0.5, -1], [2], true);
    const y = ag.add(ag.mul(x, x), ag.affine(x, 2)); // x² + 2x → 2x + 2
    ag.backward(ag.sum(y));
    const g = await x.grad!.read();
    expect(g[0]).toBeCloseTo(3, 6);
    expect(g[1]).toBeCloseTo(0, 6);
  });

  test('noGrad records nothing; detach cuts the graph', async () => {
    const x = t([1, 2], [2], true);
    const y = ag.noGrad(() => ag.mul(x, x));
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
    const d = ag.detach(x);
    expect(d.requiresGrad).toBe(false);
    const z = ag.sum(ag.add(ag.mul(d, x), x)); // d treated as constant: dz/dx = d + 1
    ag.backward(z);
    expect([...(await x.grad!.read())]).toEqual([2, 3]);
  });

  test('backward refuses a graph with nothing to differentiate and non-scalar roots without a gradient', () => {
    const x = t([1, 2], [2]);
    expect(() => ag.backward(ag.sum(x))).toThrow(/does not require grad/);
    const w = t([1, 2], [2], true);
    expect(() => ag.backward(ag.mul(w, w))).toThrow(/pass a gradient/);
  });

  test('a backward rule returning the wrong shape is reported with the op name', async () => {
    const { record } = await import('../../src/autograd/tape.js');
    const x = t([1, 2, 3], [3], true);
    const y = record(Tensor.zeros(ctx, [3]), 'badop', [x], () => [Tensor.zeros(ctx, [2])]);
    expect(() => ag.backward(ag.sum(y))).toThrow(/backward of badop: gradient for input 0 has shape \[2\], expected \[3\]/);
  });

  test('record() frees what an op saved for backward when no node is kept, and keeps it on the node otherwise', async () => {
    const { record } = await import('../../src/autograd/tape.js');
    const backwardRule = (g: Tensor): Tensor[] => [g.view(g.shape)];
    const x = t([1, 2], [2], true);
    const savedKept = Tensor.zeros(ctx, [2]);
    const y = record(x.view(x.shape), 'savesOne', [x], backwardRule, [savedKept]);
    expect(y.node?.saved).toEqual([savedKept]);
    expect(savedKept.disposed).toBe(false);
    const savedDropped = Tensor.zeros(ctx, [2]);
    const z = ag.noGrad(() => record(x.view(x.shape), 'savesOne', [x], backwardRule, [savedDropped]));
    expect(z.node).toBeNull();
    expect(savedDropped.disposed).toBe(true);
    const constant = t([1, 2], [2]);
    const savedNoGradInput = Tensor.zeros(ctx, [2]);
    record(constant.view(constant.shape), 'savesOne', [constant], backwardRule, [savedNoGradInput]);
    expect(savedNoGradInput.disposed).toBe(true);
    savedKept.dispose();
    expect(() => ag.backward(ag.sum(y))).toThrow(/backward of savesOne \(a saved input was disposed/);
  });

  test('a saved input disposed before backward is a clear error', () => {
    const x = t([1, 2], [2], true);
    const h = ag.relu(x);
    const y = ag.sum(ag.mul(h, h));
    h.dispose();
    expect(() => ag.backward(y)).toThrow(/was already disposed|saved input was disposed/);
  });

  test('tidy disposes what it does not return and hands back the rest', () => {
    const before = ctx.poolStats().inUse;
    let inner: Tensor | null = null;
    const kept = ag.tidy(() => {
      inner = ag.affine(t([1], [1]), 2);
      return ag.affine(inner, 3);
    });
    expect(inner!.disposed).toBe(true);
    expect(kept.disposed).toBe(false);
    kept.dispose();
    expect(ctx.poolStats().inUse).toBe(before);
    expect(() => ag.tidy(() => Promise.resolve(1) as unknown as number)).toThrow(/synchronous/);
  });

  test('views share storage: the buffer returns to the pool after the last view', () => {
    const before = ctx.poolStats().inUse;
    const a = Tensor.zeros(ctx, [4, 4]);
    const v = ag.reshape(a, [16]);
    a.dispose();
    expect(ctx.poolStats().inUse).toBe(before + 1);
    v.dispose();
    expect(ctx.poolStats().inUse).toBe(before);
  });
});

describe('gradient reversal', () => {
  test('identity forward; backward is −λ times the gradient, λ read at backward time', async () => {
    const x = t([1, -2, 3], [3], true);
    const lambda = { value: 0.05 };
    const y = ag.gradReverse(x, lambda);
    expect([...(await y.read())]).toEqual([1, -2, 3]);
    const loss = ag.sum(ag.mul(y, y)); // plain grad 2x
    lambda.value = 0.5; // a schedule changes λ before backward runs
    ag.backward(loss);
    const g = await x.grad!.read();
    [1, -2, 3].forEach((v, i) => expect(g[i]).toBeCloseTo(-0.5 * 2 * v, 6));
  });
});

describe('dropout', () => {
  test('seeded mask: drops about p, scales survivors by 1/(1−p), same mask in backward, same seed same mask', async () => {
    const n = 20000;
    const x = t(new Array(n).fill(1), [n], true);
    const y = ag.dropout(x, 0.3, 42);
    const out = await y.read();
    const dropped = out.filter((v) => v === 0).length / n;
    expect(dropped).toBeGreaterThan(0.28);
    expect(dropped).toBeLessThan(0.32);
    for (const v of out) if (v !== 0) expect(v).toBeCloseTo(1 / 0.7, 5);
    ag.backward(ag.sum(y));
    const g = await x.grad!.read();
    for (let i = 0; i < n; i++) expect(g[i]).toBe(out[i]);
    const again = await ag.dropout(x, 0.3, 42).read();
    expect(again).toEqual(out);
    const other = await ag.dropout(x, 0.3, 43).read();
    expect(other).not.toEqual(out);
  });
});
