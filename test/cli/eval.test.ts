// Issue 11, defects 8 and 9: eval checks every input before it evaluates
// anything, and a tag mismatch says which tags differ.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { runEval } from '../../src/cli/eval.js';
import { lockFolder } from '../../src/cli/lock.js';
import { readCacheIndex } from '../../src/data/cacheIndex.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { tinyDemoCaches } from '../helpers/tinyData.js';
import { writeTinyTagger } from '../helpers/tinyModel.js';

const { ctx } = await primaryAdapter();
const data = await tinyDemoCaches();
const tags = readCacheIndex(join(data, 'music')).tags;
const { path: good } = await writeTinyTagger(ctx, tags);

let err: string[] = [];
let progress: string[] = [];
beforeEach(() => {
  err = [];
  progress = [];
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => { progress.push(String(c)); return true; });
});
afterEach(() => vi.restoreAllMocks());

describe('eval checks every input first', () => {
  test('a missing second model fails before the first is evaluated, and no report is written', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rt-eval-'));
    const code = await runEval(['--model', `a=${good}`, '--model', 'b=/nowhere/model.safetensors', '--data', data, '--out', out, '--backend', 'opengl']);
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/--model b=\/nowhere\/model\.safetensors: cannot read it \(ENOENT\)/);
    expect(progress.join('')).not.toMatch(/clean \d+\/\d+/);
    expect(existsSync(join(out, 'results.json'))).toBe(false);
  });

  test('a model trained on other tags: the message lists which tags differ', async () => {
    const { path } = await writeTinyTagger(ctx, [...tags.slice(1), 'kazoo']);
    const out = mkdtempSync(join(tmpdir(), 'rt-eval-'));
    expect(await runEval(['--model', `other=${path}`, '--data', data, '--out', out, '--backend', 'opengl'])).toBe(2);
    expect(err.join('\n')).toContain(`only in the model: kazoo; only in the data: ${tags[0]}`);
  });

  test('a missing cache is named with its flag; a held --out is refused naming the holder', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rt-eval-'));
    expect(await runEval(['--model', `a=${good}`, '--data', data, '--noise-external', '/nowhere', '--out', out, '--backend', 'opengl'])).toBe(2);
    expect(err.join('\n')).toMatch(/--noise-external \/nowhere: cache: \/nowhere\/index\.json not found/);
    const held = lockFolder(out, 'another eval');
    expect(await runEval(['--model', `a=${good}`, '--data', data, '--out', out, '--backend', 'opengl'])).toBe(1);
    held.release();
    expect(err.join('\n')).toContain(`in use by process ${process.pid}`);
  });
});
