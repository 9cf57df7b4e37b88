// The architecture table and parameter counts from the config alone (no GPU).
import { describe, expect, test, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSummary, summaryTable } from '../../src/cli/summary.js';
import { clmrSampleCnn, defaultModelConfig, headParams, planParams, resolveModelConfig, sampleCnnConvs, sampleCnnPlan, scaledSampleCnn, thesisSampleCnn } from '../../src/models/config.js';

describe('SampleCNN plan (thesis Table 3.1)', () => {
  test('default: 1,863,986 conv+fc parameters, 1,869,874 trainable with BN γ/β', () => {
    const plan = sampleCnnPlan(thesisSampleCnn());
    expect(planParams(plan)).toBe(1_869_874);
    expect(planParams(plan.filter((r) => !r.kind.startsWith('BatchNorm')))).toBe(1_863_986);
    // Lengths: 59049 → 19683 after block 0, then ÷3 per pool down to 1.
    expect(plan[0].output).toEqual([128, 19683]);
    expect(plan.find((r) => r.name === 'sequential.9.3')!.output).toEqual([512, 1]);
    expect(plan.find((r) => r.name === 'sequential.10.0')!.params).toBe(262_656);
    expect(plan.at(-1)).toMatchObject({ name: 'fc', output: [50], params: 25_650 });
  });

  test('the conv layers, in order, with the shapes the plan gives them', () => {
    const convs = sampleCnnConvs(thesisSampleCnn());
    expect(convs).toHaveLength(11);
    expect(convs[0]).toEqual({ Cin: 1, Cout: 128, K: 3, stride: 3, padding: 0, L: 59049 });
    expect(convs[1]).toEqual({ Cin: 128, Cout: 128, K: 3, stride: 1, padding: 1, L: 19683 });
    expect(convs[9]).toEqual({ Cin: 256, Cout: 512, K: 3, stride: 1, padding: 1, L: 3 });
    expect(convs[10]).toEqual({ Cin: 512, Cout: 512, K: 1, stride: 1, padding: 0, L: 1 });
    expect(sampleCnnConvs(clmrSampleCnn())[10]).toEqual({ Cin: 512, Cout: 512, K: 3, stride: 1, padding: 1, L: 1 });
    // The conv rows of the plan are exactly these, so bench and tests size layers from the plan.
    expect(sampleCnnPlan(thesisSampleCnn()).filter((r) => r.kind.startsWith('Conv1d')).map((r) => r.conv)).toEqual(convs);
  });

  test('CLMR variant: kernel-3 last conv adds 2·512·512 weights', () => {
    expect(planParams(sampleCnnPlan(clmrSampleCnn()))).toBe(1_869_874 + 2 * 512 * 512);
    expect(planParams(sampleCnnPlan(clmrSampleCnn()))).toBe(2_394_162);
  });

  test('scaled configs: 3^n input, n − 1 pooling blocks, widths divided', () => {
    const c = scaledSampleCnn(6, 16);
    expect(c.inputLength).toBe(729);
    expect(c.blockChannels).toEqual([8, 16, 16, 16, 32]);
    expect(c.firstChannels).toBe(8);
    expect(sampleCnnPlan(c).find((r) => r.name === 'flatten')!.output).toEqual([32]);
    expect(scaledSampleCnn(10).blockChannels).toEqual(thesisSampleCnn().blockChannels);
  });

  test('configs that do not end at length 1 are refused with the reason', () => {
    expect(() => sampleCnnPlan({ ...thesisSampleCnn(), inputLength: 48000 })).toThrow(/3\^10 = 59049 samples, got 48000/);
    expect(() => resolveModelConfig({ headInput: 'middle' })).toThrow(/headInput/);
    expect(() => resolveModelConfig({ sampleCnn: { lastKernel: 5 } })).toThrow(/lastKernel/);
  });

  test('head parameter counts', () => {
    const h = headParams(defaultModelConfig());
    expect(h.projector).toBe(512 * 512 + 512 * 64);
    expect(h.domainClassifier).toBe(512 * 256 + 256 + 2 * 256 + 256 + 1);
    expect(h.labelPredictor).toBe(512 * 512 + 512 + 512 * 50 + 50);
  });
});

describe('summary command', () => {
  test('prints every layer with stride, output shape, params and the total', () => {
    const s = summaryTable(defaultModelConfig());
    expect(s).toMatch(/Trainable parameters \(supervised SampleCNN\): 1,869,874/);
    expect(s).toMatch(/conv \+ fc parameters: 1,863,986/);
    expect(s).toMatch(/sequential\.0\.0\s+Conv1d\(1→128, k3\)\s+3\s+\(128, 19683\)\s+512/);
    expect(s).toMatch(/sequential\.10\.0\s+Conv1d\(512→512, k1\)\s+1\s+\(512, 1\)\s+262,656/);
    expect(s.split('\n').filter((l) => l.includes('MaxPool1d(3)')).length).toBe(9);
  });

  test('runSummary: flags, config file, --help and errors', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await runSummary(['--input-exp', '6', '--width-divisor', '16'])).toBe(0);
      expect(log.mock.calls.at(-1)![0]).toMatch(/input \(1, 729\)/);
      expect(await runSummary(['--help'])).toBe(0);
      expect(log.mock.calls.at(-1)![0]).toMatch(/--width-divisor/);
      const dir = mkdtempSync(join(tmpdir(), 'summary-'));
      const file = join(dir, 'cfg.json');
      writeFileSync(file, JSON.stringify({ sampleCnn: { lastKernel: 3 }, numTags: 10 }));
      expect(await runSummary(['--model-config', file])).toBe(0);
      expect(log.mock.calls.at(-1)![0]).toMatch(/2,394,162/);
      expect(await runSummary(['--input-exp', '20'])).toBe(2);
      expect(err.mock.calls.map((c) => c[0]).join('\n')).toMatch(/--input-exp.*integer from 3 to 12/);
      expect(await runSummary(['--bogus'])).toBe(2);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});
