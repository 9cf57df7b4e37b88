// Acceptance for the model + runtime: a small SampleCNN memorises 8 synthetic
// clips (sums of sines; tags = which frequencies are present) to near-zero BCE
// with Adam, in a bounded number of steps on llvmpipe.
import { describe, expect, test } from 'vitest';
import { Tensor, backward, bceWithLogits, tidy } from '../../src/autograd/index.js';
import { Adam, Random } from '../../src/nn/index.js';
import { SampleCNN, scaledSampleCnn } from '../../src/models/index.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { seeded } from '../helpers/check.js';

const { ctx } = await primaryAdapter();

/** Frequencies in cycles per clip; clip i carries the tags given by the bits of i + 1. */
const FREQS = [5, 13, 31, 71];

function clips(length: number, seed: number): { x: Float32Array; y: Float32Array } {
  const rand = seeded(seed);
  const n = 8;
  const x = new Float32Array(n * length);
  const y = new Float32Array(n * FREQS.length);
  for (let i = 0; i < n; i++) {
    FREQS.forEach((f, k) => {
      if (!((i + 1) & (1 << k))) return;
      y[i * FREQS.length + k] = 1;
      const phase = rand() * 2 * Math.PI;
      for (let t = 0; t < length; t++) x[i * length + t] += 0.5 * Math.sin((2 * Math.PI * f * t) / length + phase);
    });
    for (let t = 0; t < length; t++) x[i * length + t] += 0.01 * (rand() - 0.5);
  }
  return { x, y };
}

describe('small SampleCNN overfits synthetic clips', () => {
  test('BCE falls below 0.02 within 300 Adam steps', async () => {
    // Dropout off: memorisation, not generalisation, is what is measured here.
    const cfg = { ...scaledSampleCnn(6, 16), numClasses: FREQS.length, dropout: 0 };
    const model = new SampleCNN(ctx, cfg, new Random(3));
    const opt = new Adam(model.parameters(), { lr: 1e-2 });
    const data = clips(cfg.inputLength, 1);
    const x = Tensor.fromData(ctx, data.x, [8, cfg.inputLength]);
    const y = Tensor.fromData(ctx, data.y, [8, FREQS.length]);
    const losses: number[] = [];
    let step = 0;
    for (; step < 300; step++) {
      const loss = tidy(() => {
        opt.zeroGrad();
        const l = bceWithLogits(model.forward(x), y);
        backward(l);
        opt.step();
        return l;
      });
      if (step % 10 === 9) {
        losses.push(await loss.item());
        if (losses.at(-1)! < 0.02) {
          loss.dispose();
          break;
        }
      }
      loss.dispose();
    }
    console.info(`[overfit] ${step + 1} steps, BCE every 10 steps: ${losses.map((l) => l.toFixed(3)).join(' ')}`);
    expect(losses[0]).toBeGreaterThan(0.1);
    expect(losses.at(-1)!).toBeLessThan(0.02);
    opt.dispose();
    for (const t of [x, y]) t.dispose();
    model.dispose();
  });
});
