// The in-process executor on a tiny grid: every job runs once, the report
// has the thesis-shaped tables with intervals over seeds, a rerun skips
// what is done, and a job killed part-way resumes from its checkpoint to the
// same bytes.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { runGrid } from '../../src/cli/grid.js';
import { DONE_FILE } from '../../src/grid/runJob.js';
import { readSafetensors } from '../../src/nn/checkpoint.js';
import { tinyDemoCaches } from '../helpers/tinyData.js';
import { startCli } from '../cli/process.js';
import { datInProgress, filesEndingWith, gridModels, lockHolder, tinySpec, writeSpec } from './tinyGrid.js';

afterEach(() => vi.restoreAllMocks());

async function grid(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const code = await runGrid([...args, '--backend', 'opengl', '--workers', '0']);
  vi.restoreAllMocks();
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('grid in-process', () => {
  let reference: string | null = null;

  test('runs the tiny grid, writes the tables, skips finished jobs and resumes a partial one', async () => {
    const data = await tinyDemoCaches();
    const spec = writeSpec(tinySpec(data));
    const out = mkdtempSync(join(tmpdir(), 'rt-grid-'));
    const first = await grid(['--spec', spec, '--out', out]);
    expect(first.code, first.err).toBe(0);
    // 2 seeds × (pretrain, domain, baseline, 2 DAT) + 1 evaluation + the report.
    expect(first.err.match(/: done in /g)).toHaveLength(12);
    const tables = readFileSync(join(out, 'report', 'tables.md'), 'utf8');
    expect(first.out).toContain(tables.trim());
    for (const heading of ['## Validation, 1 noise clip per mix (layout of Table 4.3)', '## Test, internal noise (layout of Fig. 4.7)', '## Test, external noise (layout of Fig. 4.8)']) expect(tables).toContain(heading);
    expect(tables).toMatch(/\| Baseline \|  \|  \|  \| \**0\.\d{3} ± \d\.\d{3}/);
    expect(tables).toMatch(/\| DAT( ★)? \| Freeze DC \| w\/o E2H \| α ≠ 1 \|/);
    expect(tables).toMatch(/\| DAT( ★)? \| Finetune DC \| w\/o E2H \| α ≠ 1 \|/);
    expect(tables.match(/★/g)!.length).toBeGreaterThanOrEqual(3); // the legend, validation and both test tables
    const results = JSON.parse(readFileSync(join(out, 'report', 'results.json'), 'utf8'));
    expect(results.noiseCounts[0].best).toMatch(/^DAT \(DC (frozen|finetune), no E2H, α scheduled\)$/);
    expect(results.noiseCounts[0].validation[0].seeds).toBe(2);
    for (const f of ['test-noise1-internal.svg', 'test-noise1-external.svg']) expect(readFileSync(join(out, 'report', f), 'utf8')).toContain('<svg');

    // A kill after the DAT stage's second checkpoint: its model and done marker are not written yet.
    const dat = join(out, 'noise1', 'seed1', 'finetune-noe2h-alpha', 'dat');
    const models = filesEndingWith(out, '.safetensors');
    rmSync(join(dat, 'model.safetensors'));
    rmSync(join(dat, DONE_FILE));
    rmSync(join(out, 'eval', 'noise1', DONE_FILE));
    rmSync(join(out, 'report', DONE_FILE));
    const again = await grid(['--spec', spec, '--out', out]);
    expect(again.code, again.err).toBe(0);
    expect(again.err.match(/already done/g)).toHaveLength(9);
    expect(again.err).toMatch(/n1\.s1\.finetune-noe2h-alpha: done in/);
    expect(filesEndingWith(out, '.safetensors')).toEqual(models);
    expect(readFileSync(join(out, 'report', 'tables.md'), 'utf8')).toBe(tables);
    reference = out;
  }, 600_000);

  test('SIGKILLed in the middle of a DAT stage, the same command resumes it and ends with the same models and tables', async () => {
    expect(reference, 'needs the first test\'s run').not.toBeNull();
    const data = await tinyDemoCaches();
    const spec = writeSpec(tinySpec(data));
    const out = mkdtempSync(join(tmpdir(), 'rt-grid-killed-'));
    const run = await startCli(['grid', '--spec', spec, '--out', out, '--backend', 'opengl', '--workers', '0']);
    let killedIn: string | null = null;
    let stepAtKill = 0;
    for (let t = 0; t < 3000 && !killedIn; t++) {
      const dir = datInProgress(out);
      if (dir && lockHolder(dir) === run.child.pid) {
        run.child.kill('SIGKILL');
        killedIn = dir;
        stepAtKill = Number(readSafetensors(join(dir, 'checkpoint.safetensors')).metadata.step);
      } else await new Promise((r) => setTimeout(r, 20));
    }
    expect(killedIn, 'no DAT stage was caught between a checkpoint and its end').not.toBeNull();
    expect((await run.done).signal).toBe('SIGKILL');
    // The dead process's locks (the grid folder's and the stage's) are taken over.
    const again = await grid(['--spec', spec, '--out', out]);
    expect(again.code, again.err).toBe(0);
    expect(again.err).toMatch(/already done/);
    if (stepAtKill < 6) expect(readFileSync(join(killedIn!, 'log.jsonl'), 'utf8')).toContain(`resuming at step ${stepAtKill} of 6`);
    expect(gridModels(out)).toEqual(gridModels(reference!));
    expect(readFileSync(join(out, 'report', 'tables.md'), 'utf8')).toBe(readFileSync(join(reference!, 'report', 'tables.md'), 'utf8'));
  }, 300_000);

  test('a job folder made by another spec is refused, naming the folder', async () => {
    const data = await tinyDemoCaches();
    const out = mkdtempSync(join(tmpdir(), 'rt-grid-'));
    const spec = tinySpec(data) as { stages: Record<string, Record<string, unknown>>; models: string[]; dat?: unknown };
    const small = { ...spec, models: ['baseline'], dat: undefined, seeds: [0], stages: { pretrain: spec.stages.pretrain, baseline: { ...spec.stages.baseline, steps: 2, checkpoints: 1 } } };
    expect((await grid(['--spec', writeSpec(small), '--out', out])).code).toBe(0);
    (small.stages.baseline as Record<string, unknown>).learningRate = 3e-3;
    await expect(grid(['--spec', writeSpec(small), '--out', out])).rejects.toThrow(/noise1\/seed0\/baseline: made by job n1\.s0\.baseline of another grid spec/);
    expect(existsSync(join(out, 'noise1', 'seed0', 'baseline', '.robust-tagger.lock'))).toBe(false);
  }, 300_000);
});
