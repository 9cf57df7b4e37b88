import { describe, expect, it } from 'vitest';
import type { ClipProvider, Condition, EvalClip, PredictFn } from '../../src/eval/grid.js';
import { conditionId, listConditions, parseConditionId, runGrid } from '../../src/eval/grid.js';
import { multiLabelMetrics } from '../../src/eval/metrics.js';

describe('listConditions', () => {
  it('lists clean plus 5 SNRs for each noise set, in thesis column order', () => {
    const ids = listConditions().map((c) => c.id);
    expect(ids).toEqual([
      'clean',
      'internal/snr10', 'internal/snr5', 'internal/snr0', 'internal/snr-5', 'internal/snr-10',
      'external/snr10', 'external/snr5', 'external/snr0', 'external/snr-5', 'external/snr-10',
    ]);
  });

  it('round-trips ids and rejects unknown ones', () => {
    for (const c of listConditions()) expect(parseConditionId(c.id)).toEqual(c);
    expect(conditionId('external', -5)).toBe('external/snr-5');
    expect(() => parseConditionId('outside/snr3')).toThrow(/unknown condition id/);
  });
});

// A fake world: each clip's audio encodes its "true" tag scores in the first
// samples; the fake model reads them back as logits. The noisy conditions
// scale the signal down and add a per-SNR offset so results differ.
const TAGS = ['a', 'b', 'c'];
const CHUNK = 4;

function makeProvider(clipLengths: number[], labels: number[][]): ClipProvider {
  return {
    tagNames: TAGS,
    async *clips(condition: Condition): AsyncIterable<EvalClip> {
      const gain = condition.kind === 'clean' ? 1 : (condition.snrDb + 20) / 30;
      for (let i = 0; i < clipLengths.length; i++) {
        const audio = new Float32Array(clipLengths[i]);
        for (let s = 0; s < audio.length; s++) audio[s] = gain * ((i * 7 + s * 3) % 5) - 2;
        yield { id: `clip${i}`, audio, labels: labels[i] };
      }
    },
  };
}

describe('runGrid', () => {
  it('evaluates every condition through injected predict and provider', async () => {
    const calls: number[] = [];
    const predict: PredictFn = async (chunks, count, chunkLength) => {
      calls.push(count);
      expect(chunks.length).toBe(count * chunkLength);
      const out = new Float32Array(count * TAGS.length);
      for (let c = 0; c < count; c++) {
        for (let t = 0; t < TAGS.length; t++) out[c * TAGS.length + t] = chunks[c * chunkLength + t];
      }
      return out;
    };
    // Lengths 9 → 2 chunks, 3 → 1 padded chunk, 12 → 3 chunks, 8 → 2 chunks.
    const lengths = [9, 3, 12, 8];
    const labels = [[1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 0, 1]];
    const results = await runGrid({
      model: 'fake',
      predict,
      provider: makeProvider(lengths, labels),
      chunkLength: CHUNK,
      maxChunksPerCall: 4,
    });
    expect(results).toHaveLength(11);
    expect(results.every((r) => r.model === 'fake' && r.clips === 4)).toBe(true);
    // Batching: 2+1 fit, 3 would overflow 4 → flush; then 3, then 2 → 3 calls per condition.
    expect(calls.slice(0, 3)).toEqual([3, 3, 2]);

    // Recompute the clean cell by hand: mean sigmoid of the first 3 samples of each chunk.
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    const scores: number[] = [];
    for (let i = 0; i < lengths.length; i++) {
      const n = Math.max(1, Math.floor(lengths[i] / CHUNK));
      for (let t = 0; t < 3; t++) {
        let s = 0;
        for (let c = 0; c < n; c++) {
          const idx = c * CHUNK + t;
          s += sig(idx < lengths[i] ? ((i * 7 + idx * 3) % 5) - 2 : 0);
        }
        scores.push(s / n);
      }
    }
    const want = multiLabelMetrics(new Float32Array(scores), labels.flat(), 4, TAGS);
    expect(results[0].condition).toBe('clean');
    expect(results[0].rocAuc).toBeCloseTo(want.rocAuc!, 6);
    expect(results[0].prAuc).toBeCloseTo(want.prAuc!, 6);
  });

  it('reports a predict that returns the wrong number of logits', async () => {
    const predict: PredictFn = async (_chunks, count) => new Float32Array(count);
    await expect(
      runGrid({ model: 'bad', predict, provider: makeProvider([4], [[1, 0, 1]]), chunkLength: CHUNK }),
    ).rejects.toThrow(/returned 1 values for 1 chunks × 3 tags/);
  });
});
