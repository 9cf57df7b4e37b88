// `robust-tagger eval` through the real tagger on a software GPU: several
// checkpoints per model, a comparison, the report files. One tiny checkpoint
// serves as every seed of both models, so the paired difference must be 0
// (up to rounding) and never significant, and every cell after the first
// checkpoint's comes from the partial file (same bytes, same sha256).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { runEval } from '../../src/cli/eval.js';
import { CacheReader } from '../../src/data/cacheReader.js';
import type { GridReport } from '../../src/eval/report.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { tinyDemoCaches } from '../helpers/tinyData.js';
import { writeTinyTagger } from '../helpers/tinyModel.js';

afterEach(() => vi.restoreAllMocks());

test('eval --model name=a,b --compare a:b: identical models differ by 0', async () => {
  const data = await tinyDemoCaches();
  const { ctx } = await primaryAdapter();
  const { path } = await writeTinyTagger(ctx, new CacheReader(join(data, 'music')).tags);
  const out = mkdtempSync(join(tmpdir(), 'rt-evalcli-'));
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void printed.push(a.join(' ')));
  const progress: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (progress.push(String(s)), true));
  const args = ['--model', `DAT=${path},${path}`, '--model', `baseline=${path}`, '--compare', 'DAT:baseline', '--data', data, '--max-clips', '4', '--bootstrap', '20', '--backend', 'opengl', '--out', out];
  expect(await runEval(args)).toBe(0);

  const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GridReport;
  expect(json.results).toHaveLength(3 * 11);
  expect(json.provenance!.checkpoints.map((c) => [c.model, c.seed])).toEqual([['DAT', 0], ['DAT', 1], ['baseline', 0]]);
  expect(json.provenance!.adapter?.backend).toBe('opengl');
  expect(json.comparisons).toHaveLength(14);
  for (const c of json.comparisons) {
    // Exactly 0 up to the rounding of averages over 2 vs 1 runs (pooled rows).
    for (const v of [c.rocAuc.difference!, ...c.rocAuc.ci!, c.prAuc.difference!, ...c.prAuc.ci!]) expect(Math.abs(v)).toBeLessThan(1e-12);
    expect(c.rocAuc.significant).toBe(false);
    expect(c.prAuc.significant).toBe(false);
  }
  const text = printed.join('\n');
  expect(text).toContain('### DAT − baseline');
  expect(text).toContain('the difference is within noise');
  expect(progress.join('')).toMatch(/DAT seed 2\/2 clean: resumed · cell 12\/33/);
  // "--compare" with an unknown name is refused before anything runs.
  vi.spyOn(console, 'error').mockImplementation(() => {});
  expect(await runEval([...args.slice(0, 4), '--compare', 'DAT:nope', '--data', data])).toBe(2);
}, 600_000);
