// The chunk planner (no GPU): every plan covers [0, items) without gaps or
// overlap, every slice fits one binding, aligned plans start every slice at an
// aligned byte offset, the grid cap holds, and impossible requests say why.
import { describe, expect, it } from 'vitest';
import { alignedItemMultiple, planChunks, sliceOf } from '../../src/kernels/batchChunks.js';

const ALIGN = 256;

function checkPlan(items: number, perItem: number[], limit: number, maxItems = Infinity) {
  const plan = planChunks({ op: 'op', shape: [items], items, perItem, maxBindingBytes: limit, alignBytes: ALIGN, maxItems });
  let next = 0;
  for (const c of plan.chunks) {
    expect(c.start, 'no gap, no overlap').toBe(next);
    expect(c.count).toBeGreaterThan(0);
    expect(c.count).toBeLessThanOrEqual(maxItems);
    next = c.start + c.count;
    for (const p of perItem) {
      const s = sliceOf({ buffer: null as unknown as GPUBuffer, size: items * p }, c.start * p, c.count * p, ALIGN);
      expect(s.binding.offset! % ALIGN, 'binding offset aligned').toBe(0);
      expect(s.binding.size!, 'slice fits one binding').toBeLessThanOrEqual(limit);
      expect(s.binding.offset! + s.base * 4, 'slice starts at its first element').toBe(c.start * p * 4);
      if (plan.aligned) expect(s.base).toBe(0);
    }
  }
  expect(next, 'covers every item').toBe(items);
  return plan;
}

describe('planChunks', () => {
  it('keeps one chunk when everything fits (the fast path)', () => {
    const plan = checkPlan(48, [128 * 19683, 128 * 19683], 2 ** 31);
    expect(plan).toEqual({ chunks: [{ start: 0, count: 48 }], aligned: true });
  });

  it('the smallest aligned item multiple is the lcm over tensors', () => {
    expect(alignedItemMultiple([64], ALIGN)).toBe(1); // 256 bytes per item
    expect(alignedItemMultiple([51], ALIGN)).toBe(64); // odd float count
    expect(alignedItemMultiple([16, 24], ALIGN)).toBe(8); // 64 B → 4, 96 B → 8
  });

  it('thesis activation [48, 128, 19683] under 128 MiB: aligned chunks of 13 samples', () => {
    const plan = checkPlan(48, [128 * 19683], 128 * 2 ** 20);
    expect(plan.aligned).toBe(true);
    expect(plan.chunks.map((c) => c.count)).toEqual([13, 13, 13, 9]);
  });

  it('chunk sizes are multiples of q when q items fit', () => {
    // 15 items (of 96 bytes) fit; the largest multiple of q = 8 is taken.
    const plan = checkPlan(37, [16, 24], 15 * 96 + 50);
    expect(plan.aligned).toBe(true);
    expect(plan.chunks.map((c) => c.count)).toEqual([8, 8, 8, 8, 5]);
  });

  it('falls back to unaligned slices (with room for the head) when q items exceed the limit', () => {
    const plan = checkPlan(10, [51, 85], 1024);
    expect(plan.aligned).toBe(false);
    expect(plan.chunks.map((c) => c.count)).toEqual([2, 2, 2, 2, 2]); // (1024 − 252) / 340 = 2
  });

  it('honours the grid cap even when everything fits one binding', () => {
    const plan = checkPlan(10, [64], 2 ** 20, 3);
    expect(plan.chunks.map((c) => c.count)).toEqual([3, 3, 3, 1]);
  });

  it('no items: no chunks', () => {
    expect(planChunks({ op: 'op', shape: [0, 3], items: 0, perItem: [3], maxBindingBytes: 1024, alignBytes: ALIGN }).chunks).toEqual([]);
  });

  it('one item larger than a binding: an error naming op, shape, size, limit and what to do', () => {
    expect(() => planChunks({ op: 'conv1d', shape: [2, 4, 300], items: 2, perItem: [1200], maxBindingBytes: 1024, alignBytes: ALIGN, hint: 'use shorter inputs' }))
      .toThrow('conv1d: one item of [2, 4, 300] needs 4800 bytes, above one storage binding on this adapter (1024 bytes); use shorter inputs');
  });
});
