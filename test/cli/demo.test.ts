// The main job end to end, in its quick form: data generation, caching, all
// five stages, the evaluation grid and the report. Checks that the numbers it
// prints are the ones in its JSON. (The full demo's figures are a result, not a
// test; its timing is reported in the README.)
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import type { GridResult } from '../../src/eval/grid.js';
import { formatMetric } from '../../src/eval/report.js';

afterEach(() => vi.restoreAllMocks());

test('demo --quick runs every stage and writes a report whose printed numbers match its JSON', async () => {
  const out = mkdtempSync(join(tmpdir(), 'rt-demo-'));
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void printed.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation(() => {});
  const code = await runDemo(['--quick', '--out', out, '--backend', 'opengl', '--workers', '0']);
  expect(code).toBe(0);
  for (const stage of ['pretrain', 'domain', 'dat', 'baseline', 'supervised']) expect(existsSync(join(out, 'seed-0', stage, 'model.safetensors')), stage).toBe(true);
  // The label stages keep their best weights on validation.
  for (const stage of ['dat', 'baseline', 'supervised']) expect(existsSync(join(out, 'seed-0', stage, 'best.safetensors')), stage).toBe(true);
  const report = join(out, 'report');
  for (const f of ['results.json', 'results.md', 'chart-internal.svg', 'chart-external.svg']) expect(existsSync(join(report, f)), f).toBe(true);
  const json = JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')) as { results: GridResult[] };
  const text = printed.join('\n');
  expect(json.results.map((r) => r.model).filter((m, i, a) => a.indexOf(m) === i)).toEqual(['baseline', 'fully supervised', 'DAT']);
  expect(json.results).toHaveLength(3 * 11);
  for (const r of json.results.filter((x) => x.condition === 'clean')) {
    expect(text).toContain(`| ${r.model} | ${formatMetric(r.rocAuc)} / ${formatMetric(r.prAuc)} |`);
  }
  // The paired comparison and the diagnostics are printed and kept in results.md.
  expect(text).toContain('### DAT − baseline');
  for (const line of ['NT-Xent', 'domain classifier (stage 2', 'domain probe', '  - DAT: ', '  - baseline: ']) expect(text).toContain(line);
  expect(readFileSync(join(report, 'results.md'), 'utf8')).toContain('## Diagnostics');
  expect(readdirSync(join(report, 'curves')).sort()).toEqual(expect.arrayContaining(['seed-0-pretrain-loss.svg', 'seed-0-domain-loss.svg', 'seed-0-dat-loss.svg', 'seed-0-dat-accuracy.svg', 'seed-0-dat-lambda.svg']));
}, 600_000);
