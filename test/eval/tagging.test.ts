// The tagging path: windows, batching, file probabilities = mean of window sigmoids.
import { describe, expect, test } from 'vitest';
import { formatTagging, tagAudio } from '../../src/eval/tagging.js';

describe('tagAudio', () => {
  test('splits into non-overlapping windows, batches calls, averages sigmoids per tag', async () => {
    const L = 10;
    const audio = new Float32Array(35).map((_, i) => i); // 3 whole windows, tail of 5 dropped
    const calls: number[] = [];
    // Logit of tag 0 = first sample of the window / 10; tag 1 = −that.
    const predict = async (chunks: Float32Array, count: number): Promise<Float32Array> => {
      calls.push(count);
      const out = new Float32Array(count * 2);
      for (let w = 0; w < count; w++) {
        out[2 * w] = chunks[w * L] / 10;
        out[2 * w + 1] = -chunks[w * L] / 10;
      }
      return out;
    };
    const r = await tagAudio(audio, predict, { tagNames: ['a', 'b'], sampleRate: 5, windowLength: L, batchWindows: 2 });
    expect(calls).toEqual([2, 1]);
    expect(r.timeline.map((w) => w.startSeconds)).toEqual([0, 2, 4]);
    const s = (x: number): number => 1 / (1 + Math.exp(-x));
    expect(r.timeline[1].probabilities[0]).toBeCloseTo(s(1), 6);
    const meanA = (s(0) + s(1) + s(2)) / 3;
    expect(r.tags[0]).toEqual({ tag: 'a', probability: expect.closeTo(meanA, 6) });
    expect(r.tags[1].tag).toBe('b');
    const text = formatTagging('x.wav', r, 1);
    expect(text).toContain('a ');
    expect(text.split('\n').filter((l) => l.startsWith('  0:')).length).toBe(3);
  });

  test('a clip shorter than one window is padded into one window; empty audio is refused', async () => {
    const predict = async (_c: Float32Array, count: number) => new Float32Array(count).fill(0);
    const r = await tagAudio(new Float32Array(3), predict, { tagNames: ['x'], sampleRate: 1, windowLength: 10 });
    expect(r.timeline.length).toBe(1);
    await expect(tagAudio(new Float32Array(0), predict, { tagNames: ['x'], sampleRate: 1, windowLength: 10 })).rejects.toThrow(/empty/);
  });

  test('a model returning the wrong number of values is reported', async () => {
    const predict = async () => new Float32Array(1);
    await expect(tagAudio(new Float32Array(20), predict, { tagNames: ['x', 'y'], sampleRate: 1, windowLength: 10 })).rejects.toThrow(/returned 1 values for 2 windows × 2 tags/);
  });
});
