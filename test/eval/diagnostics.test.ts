// Stage diagnostics: retrieval and NT-Xent on constructed projections, the
// domain classifier report on constructed logits, and embedding extraction on
// a tiny model and the tiny demo caches (shapes, equality with the model's own
// forward on the same window, train/eval mode restored).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Tensor, noGrad, ntXent, tidy } from '../../src/autograd/index.js';
import { Rng } from '../../src/data/rng.js';
import { chunkOffsets } from '../../src/eval/clip.js';
import { domainClassifierReport, domainConditions, extractEmbeddings, heldOutPretrainBatch, inMemoryModels, loadEncoderModels, ntXentFloat64, pairedRetrievalTop1, pretrainDiagnostics, probeClipProvider, randomEncoderModels, runDomainProbe, runTagProbe } from '../../src/eval/diagnostics.js';
import { domainProbe, tagProbe } from '../../src/eval/probes.js';
import { encoderDim } from '../../src/models/index.js';
import { saveModules } from '../../src/nn/checkpoint.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { tinyDemoCaches } from '../helpers/tinyData.js';
import { writeTinyTagger } from '../helpers/tinyModel.js';

const random = (rng: Rng, n: number): Float64Array => Float64Array.from({ length: n }, () => rng.normal());

describe('paired-view retrieval and NT-Xent (CPU)', () => {
  test('identical views retrieve perfectly; independent views at about 1/B; a collapsed encoder exactly 1/B', () => {
    const rng = new Rng(1);
    const B = 32;
    const dim = 16;
    const z = random(rng, B * dim);
    expect(pairedRetrievalTop1(z, z, B, dim)).toBe(1);
    let sum = 0;
    const trials = 20;
    for (let t = 0; t < trials; t++) sum += pairedRetrievalTop1(random(rng, B * dim), random(rng, B * dim), B, dim);
    // Mean of 20 × 64 Bernoulli(1/32) draws: sd ≈ sqrt(1/32 / 1280) ≈ 0.005; allow ±0.02.
    expect(Math.abs(sum / trials - 1 / B)).toBeLessThan(0.02);
    const flat = new Float64Array(B * dim).fill(0.3);
    expect(pairedRetrievalTop1(flat, flat, B, dim)).toBeCloseTo(1 / B, 12);
  });

  test('NT-Xent is ln(2B−1) for a collapsed encoder and near 0 for separated pairs', () => {
    const B = 8;
    const dim = 16;
    const flat = new Float64Array(B * dim).fill(1);
    expect(ntXentFloat64(flat, flat, B, dim, 0.5)).toBeCloseTo(Math.log(2 * B - 1), 12);
    // Pair i on axis i: positives have cosine 1, negatives 0; at τ = 0.05 the loss ≈ (2B−2)·e^(−20).
    const axes = new Float64Array(B * dim);
    for (let i = 0; i < B; i++) axes[i * dim + i] = 1;
    expect(ntXentFloat64(axes, axes, B, dim, 0.05)).toBeLessThan(1e-6);
  });
});

describe('domain classifier report (CPU)', () => {
  test('accuracy and BCE per SNR from logits', () => {
    const snr = Float64Array.from([NaN, NaN, 0, 0, -10, -10]);
    const domainLogits = Float32Array.from([-2, 1, 3, -1, 0, 4]);
    const r = domainClassifierReport({ rows: 6, snr, domainLogits });
    expect(r.clean.accuracy).toBe(0.5);
    expect(r.perSnr.map((p) => [p.snr, p.accuracy])).toEqual([[0, 0.5], [-10, 0.5]]); // logit 0 counts as "clean"
    const bce = (t: number, y: number): number => Math.log1p(Math.exp(-Math.abs(t))) + Math.max(t, 0) - y * t;
    expect(r.clean.loss).toBeCloseTo((bce(-2, 0) + bce(1, 0)) / 2, 12);
    expect(r.perSnr[1].loss).toBeCloseTo((Math.log(2) + bce(4, 1)) / 2, 6);
    expect(r.balancedAccuracy).toBe(0.5);
    expect(() => domainClassifierReport({ rows: 1, snr: Float64Array.of(NaN) })).toThrow(/no domain classifier logits/);
  });
});

describe('embedding extraction (GPU, tiny model)', async () => {
  const { ctx } = await primaryAdapter();
  const dataDir = await tinyDemoCaches();
  const data = { musicCache: join(dataDir, 'music'), noiseCache: join(dataDir, 'noise-internal') };
  const tags = ['a', 'b', 'c'];
  // A dat-stage file: feature extractor, domain classifier and label predictor with seeded random weights.
  const { path, config } = await writeTinyTagger(ctx, tags, 6, 32);
  const L = config.sampleCnn.inputLength;

  test('rows per (clip, condition), right shapes, and equal to the model run directly on the same window', async () => {
    const models = loadEncoderModels(ctx, path);
    const provider = probeClipProvider({ ...data, split: 'test', maxClips: 5, seed: 3 });
    try {
      expect(models.dc).toBeDefined();
      models.fe.train(); // extraction must switch to eval mode and back
      const conditions = domainConditions([0, -10]);
      const e = await extractEmbeddings(ctx, models, provider, { conditions, batchSize: 4 });
      expect(e.rows).toBe(15);
      expect(e.dim).toBe(encoderDim(config.sampleCnn));
      expect(e.data.length).toBe(15 * e.dim);
      expect(e.labels.length).toBe(15 * provider.tagNames.length);
      expect(e.domainLogits!.length).toBe(15);
      expect(e.conditions.slice(4, 7)).toEqual(['clean', 'internal/snr0', 'internal/snr0']);
      expect(Array.from(e.snr.slice(0, 5)).every(Number.isNaN)).toBe(true);
      expect(Array.from(e.snr.slice(10))).toEqual([-10, -10, -10, -10, -10]);
      expect(models.fe.training).toBe(true);
      // An in-memory model (no classifier) gives the same h and no logits; its dispose leaves the caller's model alone.
      const mem = inMemoryModels(models.config, models.fe);
      const e2 = await extractEmbeddings(ctx, mem, provider, { conditions, batchSize: 8 });
      mem.dispose();
      expect(e2.domainLogits).toBeUndefined();
      expect(Math.max(...e2.data.map((v, i) => Math.abs(v - e.data[i])))).toBeLessThan(1e-5);

      // The same windows through the model directly, one batch, eval mode.
      const windows = new Float32Array(15 * L);
      let row = 0;
      for (const c of conditions) for (const clip of provider.clips(c)) {
        const offsets = chunkOffsets(clip.audio.length, L);
        const start = offsets[Math.floor(offsets.length / 2)];
        windows.set(clip.audio.subarray(start, Math.min(start + L, clip.audio.length)), row++ * L);
      }
      models.fe.eval();
      models.dc!.eval();
      const [h, d] = noGrad(() => tidy(() => {
        const x = Tensor.fromData(ctx, windows, [15, 1, L]);
        return [models.fe.encode(x), models.dc!.forward(models.fe.embed(x))] as const;
      }));
      const hv = await h.read();
      const dv = await d.read();
      h.dispose();
      d.dispose();
      // Tolerance: same kernels, but batches of 4 vs 15 may reduce in another order.
      let worst = 0;
      for (let i = 0; i < hv.length; i++) worst = Math.max(worst, Math.abs(hv[i] - e.data[i]) / Math.max(1, Math.abs(hv[i])));
      for (let i = 0; i < 15; i++) worst = Math.max(worst, Math.abs(dv[i] - e.domainLogits![i]) / Math.max(1, Math.abs(dv[i])));
      expect(worst).toBeLessThan(1e-5);
      // Noise moved the embeddings: the noisy rows differ from the clean ones of the same clip.
      expect(Math.max(...Array.from({ length: e.dim }, (_, j) => Math.abs(e.data[j] - e.data[5 * e.dim + j])))).toBeGreaterThan(1e-6);
    } finally {
      provider.close();
      models.dispose();
    }
  });

  test('the probes and the domain classifier report run on extracted rows', async () => {
    const models = loadEncoderModels(ctx, path);
    const train = probeClipProvider({ ...data, split: 'train', maxClips: 16 });
    const test = probeClipProvider({ ...data, split: 'test' });
    try {
      const conditions = domainConditions([10, -10]);
      const a = await extractEmbeddings(ctx, models, train, { conditions });
      const b = await extractEmbeddings(ctx, models, test, { conditions });
      const p = domainProbe(a, b);
      for (const v of [p.accuracy, ...p.perSnr.map((s) => s.accuracy)]) expect(v).toBeGreaterThanOrEqual(0), expect(v).toBeLessThanOrEqual(1);
      expect(p.perSnr.map((s) => s.snr)).toEqual([10, -10]);
      const r = domainClassifierReport(b);
      expect(r.perSnr).toHaveLength(2);
      expect(r.clean.rows).toBe(b.rows / 3);
      const t = tagProbe(a, b);
      expect(t.perTag).toHaveLength(a.tags.length);
    } finally {
      train.close();
      test.close();
      models.dispose();
    }
  });

  test('runDomainProbe and runTagProbe from the caches', async () => {
    const models = loadEncoderModels(ctx, path);
    try {
      const opts = { ...data, snrs: [5, -5], maxTrainClips: 12, maxTestClips: 6 };
      const d = await runDomainProbe(ctx, models, opts);
      expect(d.probe.trainRows).toBe(36);
      expect(d.probe.testRows).toBe(18);
      expect(d.probe.perSnr.map((s) => s.snr)).toEqual([5, -5]);
      expect(d.domainClassifier!.clean.rows).toBe(6);
      const t = await runTagProbe(ctx, models, { ...opts, randomSeed: 9 });
      expect(t.pretrained.perTag.length).toBe(t.random.perTag.length);
      expect(t.pretrained.perTag.length).toBeGreaterThan(0);
      // Different encoders, same clips: the two probes must not be the same numbers.
      expect(t.pretrained.perTag.map((p) => p.rocAuc)).not.toEqual(t.random.perTag.map((p) => p.rocAuc));
    } finally {
      models.dispose();
    }
  });

  test('pretrain diagnostics on a held-out two-view batch; the GPU NT-Xent agrees with the float64 one', async () => {
    const models = randomEncoderModels(ctx, config, 5);
    try {
      const batch = await heldOutPretrainBatch({ ...data, split: 'test', batchSize: 4, sampleLength: L, seed: 1 });
      const r = await pretrainDiagnostics(ctx, models.fe, batch, 0.5);
      expect(r.batchSize).toBe(4);
      expect(r.chanceTop1).toBe(0.25);
      expect(r.chanceNtXent).toBeCloseTo(Math.log(7), 12);
      expect(r.top1).toBeGreaterThanOrEqual(0);
      expect(r.top1).toBeLessThanOrEqual(1);
      models.fe.eval();
      const loss = noGrad(() => tidy(() => ntXent(models.fe.forward(Tensor.fromData(ctx, batch.views[0], [4, 1, L])), models.fe.forward(Tensor.fromData(ctx, batch.views[1], [4, 1, L])), 0.5)));
      const gpu = await loss.item();
      loss.dispose();
      // f32 GPU loss vs float64 on the f32 projections: 1e-4 relative.
      expect(Math.abs(gpu - r.ntXent) / gpu).toBeLessThan(1e-4);
    } finally {
      models.dispose();
    }
  });

  test('a pretrain-stage file has no domain classifier: loaded without one, refused when passed as one', async () => {
    const fe = randomEncoderModels(ctx, config, 6);
    const encoderOnly = join(mkdtempSync(join(tmpdir(), 'rt-diag-')), 'model.safetensors');
    await saveModules(encoderOnly, { '': fe.fe }, { modelConfig: config, stage: 'pretrain' });
    fe.dispose();
    const m = loadEncoderModels(ctx, encoderOnly);
    expect(m.dc).toBeUndefined();
    m.dispose();
    expect(() => loadEncoderModels(ctx, path, encoderOnly)).toThrow(/no domain classifier in this checkpoint/);
    expect(() => loadEncoderModels(ctx, join(dataDir, 'missing.safetensors'))).toThrow(/cannot read checkpoint/);
  });
});
