// Buffer pool buckets, deferred reuse, and grids beyond 65,535 workgroups.
import { describe, expect, test } from 'vitest';
import { Tensor, add, affine } from '../../src/autograd/index.js';
import { bucketBytes } from '../../src/gpu/pool.js';
import { grid1d } from '../../src/kernels/grid.js';
import { primaryAdapter } from '../helpers/adapters.js';

const { ctx } = await primaryAdapter();

describe('buffer pool', () => {
  test('buckets: powers of two with quarter steps, never smaller than asked', () => {
    expect(bucketBytes(1)).toBe(256);
    expect(bucketBytes(1024)).toBe(1024);
    expect(bucketBytes(1025)).toBe(1280);
    expect(bucketBytes(1700)).toBe(1792);
    expect(bucketBytes(1800)).toBe(2048);
    for (const n of [300, 5000, 123457, 1 << 20]) {
      expect(bucketBytes(n)).toBeGreaterThanOrEqual(n);
      expect(bucketBytes(n)).toBeLessThanOrEqual(n * 1.25 + 256);
    }
  });

  test('a released buffer takes a host upload only after a submit; a kernel output may reuse it at once', () => {
    ctx.submit();
    const a = Tensor.zeros(ctx, [1000]);
    const buf = a.buffer;
    a.dispose();
    const b = Tensor.fromData(ctx, new Float32Array(1000), [1000]);
    expect(b.buffer).not.toBe(buf); // parked: the recorded clear still targets it
    const c = Tensor.empty(ctx, [1000]);
    expect(c.buffer).toBe(buf); // GPU-written: ordered after the clear
    c.dispose();
    ctx.submit();
    const d = Tensor.fromData(ctx, new Float32Array(1000), [1000]);
    expect(d.buffer).toBe(buf);
    b.dispose();
    d.dispose();
  });
});

describe('tensors larger than one storage binding', () => {
  test('elementwise ops split into aligned chunks; broadcast inputs stay whole; strided big inputs are refused clearly', async () => {
    const restore = ctx.configure({ maxBindingBytes: 1024 }); // 256 floats per binding: a 1000-element tensor takes 4 chunks
    try {
      const n = 1000;
      const x = Tensor.fromData(ctx, Float32Array.from({ length: n }, (_, i) => i), [10, 100]);
      const bias = Tensor.fromData(ctx, Float32Array.from({ length: 100 }, (_, i) => -i), [100]);
      const y = affine(add(x, bias), 2, 1); // 2(i − i%100) + 1
      const out = await y.read();
      for (let i = 0; i < n; i++) expect(out[i], `element ${i}`).toBe(2 * (i - (i % 100)) + 1);
      const { transpose } = await import('../../src/autograd/index.js');
      expect(() => transpose(x)).toThrow(/exceeds one storage binding .* not read element-for-element/);
      for (const t of [x, bias, y]) t.dispose();
    } finally {
      restore();
    }
  });
});

describe('large dispatches', () => {
  test('grid1d keeps each dimension within the device limit', () => {
    const max = ctx.limits.maxComputeWorkgroupsPerDimension;
    expect(grid1d(ctx, 10)).toEqual([10, 1]);
    const [x, y] = grid1d(ctx, max * 3 + 5);
    expect(x).toBeLessThanOrEqual(max);
    expect(x * y).toBeGreaterThanOrEqual(max * 3 + 5);
  });

  test('an elementwise op over more than 65,535 × 256 elements is correct at both ends', async () => {
    const n = 65536 * 256 + 300;
    const data = new Float32Array(n);
    for (let i = 0; i < n; i += 1) data[i] = i % 1000;
    const a = Tensor.fromData(ctx, data, [n]);
    const b = affine(add(a, a), 0.5, 1); // = a + 1
    const out = (await b.read()) as Float32Array;
    for (const i of [0, 1, 255, 256, 65535 * 256, 65536 * 256 - 1, 65536 * 256, n - 1]) expect(out[i], `element ${i}`).toBe((i % 1000) + 1);
    a.dispose();
    b.dispose();
  });
});
