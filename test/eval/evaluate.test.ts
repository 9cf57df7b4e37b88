// evaluateModels end to end on real (tiny) caches with a CPU stand-in for the
// tagger: several seeds per model, paired comparison, provenance, resume.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CacheReader } from '../../src/data/cacheReader.js';
import { type EvalModel, type EvalProgress, type EvaluateOptions, evaluateModels, formatProgress } from '../../src/eval/evaluate.js';
import { PARTIAL_FILE } from '../../src/eval/partial.js';
import type { GridReport } from '../../src/eval/report.js';
import { decodeSafetensors, encodeMeta, encodeSafetensors } from '../../src/nn/safetensors.js';
import { tinyDemoCaches } from '../helpers/tinyData.js';

const WINDOW = 2205;

/** A fake checkpoint: one tensor `gain` (so each file has its own sha256) and the metadata training writes. */
function writeCheckpoint(dir: string, name: string, gain: number, tags: string[], step: number): string {
  const path = join(dir, `${name}.safetensors`);
  writeFileSync(path, encodeSafetensors({ gain: { shape: [1], data: Float32Array.of(gain) } }, encodeMeta({ stage: 'dat', step, tags, modelConfig: { fake: true }, sampleRate: 22050 })));
  return path;
}

/** A model whose logits are gain × (t + 1) × the window's mean |sample|, plus a tag-specific wobble. */
function fakeModel(tags: string[], calls: { n: number }) {
  return (path: string): EvalModel => {
    const gain = decodeSafetensors(readFileSync(path), path).tensors.get('gain')!.data[0];
    return {
      tags,
      windowLength: WINDOW,
      async predict(windows, count, length) {
        calls.n++;
        const out = new Float32Array(count * tags.length);
        for (let c = 0; c < count; c++) {
          let e = 0;
          for (let s = 0; s < length; s += 7) e += Math.abs(windows[c * length + s]);
          for (let t = 0; t < tags.length; t++) out[c * tags.length + t] = gain * (t + 1) * e / 100 + Math.sin(windows[c * length + t * 13] * 50 + gain);
        }
        return out;
      },
      dispose() {},
    };
  };
}

describe('evaluateModels', () => {
  let data: string;
  let tags: string[];
  let ckptDir: string;
  let models: Record<string, string[]>;
  const calls = { n: 0 };

  beforeAll(async () => {
    data = await tinyDemoCaches();
    tags = new CacheReader(join(data, 'music')).tags;
    ckptDir = mkdtempSync(join(tmpdir(), 'rt-evalckpt-'));
    models = {
      DAT: [writeCheckpoint(ckptDir, 'dat0', 1.5, tags, 40), writeCheckpoint(ckptDir, 'dat1', 1.7, tags, 41)],
      baseline: [writeCheckpoint(ckptDir, 'base0', 0.3, tags, 40), writeCheckpoint(ckptDir, 'base1', 0.4, tags, 41)],
    };
    // Training keeps its run config in the train state beside model files; here, beside dat0.
    writeFileSync(join(ckptDir, 'checkpoint.safetensors'), encodeSafetensors({}, { format: 'robust-tagger-train-state', config: JSON.stringify({ seed: 7, stage: 'dat' }) }));
  }, 120_000);

  const options = (outDir: string, progress?: EvalProgress[]): EvaluateOptions => ({
    models,
    clips: { musicCache: join(data, 'music'), noise: { internal: { cacheDir: join(data, 'noise-internal') }, external: { cacheDir: join(data, 'noise-external') } }, maxClips: 6, seed: 3 },
    outDir,
    compare: [['DAT', 'baseline']],
    bootstrap: { replicates: 50, seed: 1 },
    openModel: fakeModel(tags, calls),
    onProgress: progress ? (p) => progress.push(p) : undefined,
  });

  it('scores every seed on every condition, compares, records provenance, and resumes per cell', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rt-eval-'));
    const progress: EvalProgress[] = [];
    calls.n = 0;
    const first = await evaluateModels(options(out, progress));
    expect(calls.n).toBeGreaterThan(0);
    expect(first.results).toHaveLength(2 * 2 * 11);
    expect(first.resumedCells).toBe(0);
    expect(new Set(first.results.map((r) => `${r.model}/${r.seed}`))).toEqual(new Set(['DAT/0', 'DAT/1', 'baseline/0', 'baseline/1']));
    const last = progress[progress.length - 1];
    expect(last.cellsDone).toBe(44);
    expect(last.cellsTotal).toBe(44);
    expect(progress.some((p) => p.etaSeconds !== null)).toBe(true);
    expect(formatProgress(last)).toMatch(/^baseline seed 2\/2 external\/snr-10: 6\/6 clips · cell 44\/44/);

    // Comparisons: 11 conditions and the three pools.
    expect(first.comparisons.map((c) => c.condition)).toEqual([
      'clean', 'internal/snr10', 'internal/snr5', 'internal/snr0', 'internal/snr-5', 'internal/snr-10',
      'external/snr10', 'external/snr5', 'external/snr0', 'external/snr-5', 'external/snr-10', 'internal/mean', 'external/mean', 'noisy/mean',
    ]);

    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GridReport;
    const p = json.provenance!;
    expect(p.package.version).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(p.checkpoints.map((c) => [c.model, c.seed, c.step])).toEqual([['DAT', 0, 40], ['DAT', 1, 41], ['baseline', 0, 40], ['baseline', 1, 41]]);
    expect(p.checkpoints[0].sha256).toBe(createHash('sha256').update(readFileSync(models.DAT[0])).digest('hex'));
    expect(p.checkpoints[0].stage).toBe('dat');
    expect(p.checkpoints[0].modelConfig).toEqual({ fake: true });
    expect(p.checkpoints[0].trainSeed).toBe(7);
    expect(p.settings).toMatchObject({ bootstrap: { replicates: 50, seed: 1 } });
    expect(p.data.map((d) => [d.role, d.split])).toEqual([['music', 'test'], ['internal noise', 'test'], ['external noise', 'all']]);
    expect(p.data[0].files).toHaveLength(6);
    expect(p.data[0].indexSha256).toBe(createHash('sha256').update(readFileSync(join(data, 'music', 'index.json'))).digest('hex'));
    // The external set is never seen in training: every file of it is used, not only its test split.
    const external = new CacheReader(join(data, 'noise-external'));
    expect(p.data[2].files).toHaveLength(external.entries.length);
    expect(external.indicesOf('test').length).toBeLessThan(external.entries.length);
    expect(p.data[1].files).toHaveLength(new CacheReader(join(data, 'noise-internal')).indicesOf('test').length);
    expect(json.summary).toHaveLength(2 * 11);
    expect(json.summary[0].rocAuc.values).toHaveLength(2);
    expect(json.method.differences).toMatch(/percentile bootstrap over test clips \(50 replicates, seed 1\)/);

    const md = readFileSync(join(out, 'results.md'), 'utf8');
    for (const heading of ['## Paired differences', '### DAT − baseline', '## Per-tag results', '## Provenance']) expect(md).toContain(heading);
    expect(first.summary).toContain('### DAT − baseline');
    expect(first.summary).not.toContain('## Per-tag results');

    // A rerun scores nothing and reproduces every number.
    calls.n = 0;
    const again = await evaluateModels(options(out));
    expect(calls.n).toBe(0);
    expect(again.resumedCells).toBe(44);
    expect(again.results).toEqual(first.results);
    expect(again.comparisons).toEqual(first.comparisons);

    // An interrupted run: 5 whole lines and a torn sixth. Only the 39 missing cells are scored, and
    // their lines must not be glued to the torn fragment (the fourth run below would lose a cell).
    const lines = readFileSync(join(out, PARTIAL_FILE), 'utf8').split('\n');
    writeFileSync(join(out, PARTIAL_FILE), lines.slice(0, 5).join('\n') + '\n' + lines[5].slice(0, 100));
    const resumed: EvalProgress[] = [];
    const third = await evaluateModels(options(out, resumed));
    expect(third.resumedCells).toBe(5);
    expect(resumed.filter((e) => e.resumed)).toHaveLength(5);
    expect(third.results).toEqual(first.results);

    // A retrained checkpoint (new bytes) is scored again, not taken from the file.
    writeCheckpoint(ckptDir, 'base1', 0.45, tags, 41);
    const fourth = await evaluateModels(options(out));
    expect(fourth.resumedCells).toBe(33);
  }, 300_000);

  it('a different noise seed does not reuse the cells; resume: false starts afresh', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rt-eval-'));
    const one = { ...options(out), models: { DAT: [models.DAT[0]] }, compare: [] };
    await evaluateModels(one);
    expect((await evaluateModels({ ...one, clips: { ...one.clips, seed: 4 } })).resumedCells).toBe(0);
    expect((await evaluateModels(one)).resumedCells).toBe(11);
    expect((await evaluateModels({ ...one, resume: false })).resumedCells).toBe(0);
  }, 300_000);

  it('refuses a comparison with a model it did not evaluate, before scoring anything', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rt-eval-'));
    calls.n = 0;
    await expect(evaluateModels({ ...options(out), models: { DAT: [models.DAT[0]] }, compare: [['DAT', 'baseline']] })).rejects.toThrow(/no model named "baseline" \(models: DAT\)/);
    await expect(evaluateModels({ ...options(out), bootstrap: { replicates: Number('many') } })).rejects.toThrow(/positive integer, got NaN/);
    expect(calls.n).toBe(0);
  }, 300_000);
});
