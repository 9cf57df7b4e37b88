import { describe, expect, it } from 'vitest';
import { chunkOffsets, clipProbabilities, extractChunks, sigmoid } from '../../src/eval/clip.js';

describe('chunkOffsets', () => {
  it('splits into non-overlapping chunks and drops the partial tail', () => {
    expect(chunkOffsets(10, 3)).toEqual([0, 3, 6]);
    expect(chunkOffsets(9, 3)).toEqual([0, 3, 6]);
    // A 29.1 s MTAT clip at 22050 Hz holds 10 whole SampleCNN chunks.
    expect(chunkOffsets(Math.round(29.1 * 22050), 59049)).toHaveLength(10);
  });

  it('keeps one chunk for a clip shorter than a chunk (or empty)', () => {
    expect(chunkOffsets(2, 3)).toEqual([0]);
    expect(chunkOffsets(0, 3)).toEqual([0]);
  });

  it('rejects nonsense lengths', () => {
    expect(() => chunkOffsets(10, 0)).toThrow(/chunkLength/);
    expect(() => chunkOffsets(-1, 3)).toThrow(/clipLength/);
  });
});

describe('extractChunks', () => {
  it('copies whole chunks and zero-pads a short clip at the end', () => {
    const full = extractChunks(new Float32Array([1, 2, 3, 4, 5, 6, 7]), 3);
    expect(full.count).toBe(2);
    expect(Array.from(full.data)).toEqual([1, 2, 3, 4, 5, 6]);
    const short = extractChunks(new Float32Array([1, 2]), 3);
    expect(short.count).toBe(1);
    expect(Array.from(short.data)).toEqual([1, 2, 0]);
  });
});

describe('clipProbabilities', () => {
  it('averages sigmoids, not logits', () => {
    // Two chunks, one tag: logits 0 and 10 → (0.5 + σ(10)) / 2, not σ(5).
    const p = clipProbabilities([0, 10], 2, 1);
    expect(p[0]).toBeCloseTo((0.5 + 1 / (1 + Math.exp(-10))) / 2, 6);
    expect(p[0]).not.toBeCloseTo(sigmoid(5), 3);
  });

  it('handles [chunks, tags] layout and extreme logits', () => {
    const p = clipProbabilities([1000, -1000, -1000, 1000], 2, 2);
    expect(Array.from(p)).toEqual([0.5, 0.5]);
    expect(sigmoid(-1000)).toBe(0);
    expect(() => clipProbabilities([0, 0, 0], 2, 2)).toThrow(/4 logits/);
  });
});
