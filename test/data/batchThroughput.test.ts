import { describe, it, expect } from 'vitest';
import { benchDataBatch } from '../../src/data/batchThroughput.js';

describe('data benchmark', () => {
  it('prints clips/s for a stage-1 batch (small run)', async () => {
    const lines: string[] = [];
    const r = await benchDataBatch({ batchSize: 8, batches: 1, sampleLength: 6561, workers: 2, log: (l) => lines.push(l) });
    console.log(lines.join('\n'));
    expect(lines.join('\n')).toMatch(/\d+(\.\d+)? clips\/s/);
    expect(r.clipsPerSecond).toBeGreaterThan(0);
    expect(r.workers).toBe(2);
  });
});
