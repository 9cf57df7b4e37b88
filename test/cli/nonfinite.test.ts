// Issue 11, defect 3: non-finite weights are refused where they enter (any
// checkpoint load: tag, eval, resume, the web page share loadStateDict), naming
// the tensor, instead of printing the same scores for every file or "drums NaN".
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { runTag } from '../../src/cli/tag.js';
import { readSafetensors } from '../../src/nn/checkpoint.js';
import { type TensorToWrite, encodeSafetensors, isCounter } from '../../src/nn/safetensors.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { writeTinyTagger } from '../helpers/tinyModel.js';
import { fileURLToPath } from 'node:url';

const { ctx } = await primaryAdapter();
const audio = fileURLToPath(new URL('../data/fixtures/sine440-16k-stereo.mp3', import.meta.url));

/** A copy of a checkpoint with one tensor's element 0 set to `value`. */
async function forged(match: RegExp, value: number): Promise<{ path: string; name: string }> {
  const { path } = await writeTinyTagger(ctx, ['piano', 'drums', 'rock']);
  const file = readSafetensors(path);
  const name = [...file.tensors.keys()].find((n) => match.test(n))!;
  const tensors: Record<string, TensorToWrite> = {};
  for (const [n, t] of file.tensors) tensors[n] = { shape: t.shape, data: Float32Array.from(t.data), dtype: isCounter(n) ? 'I64' : 'F32' };
  tensors[name].data[0] = value;
  writeFileSync(path, encodeSafetensors(tensors, file.metadata));
  return { path, name };
}

afterEach(() => vi.restoreAllMocks());

describe('tag refuses a checkpoint with non-finite weights, naming the tensor', () => {
  test.each([
    ['a NaN conv weight', /^sequential\.0\.0\.weight$/, Number.NaN, /holds NaN at element 0/],
    ['an Inf conv weight', /^sequential\.1\.0\.weight$/, Number.POSITIVE_INFINITY, /holds Infinity at element 0/],
    ['a NaN running_var', /^sequential\..*running_var$/, Number.NaN, /holds NaN at element 0/],
    ['a negative running_var', /^sequential\..*running_var$/, -0.5, /holds a negative variance \(-0\.5\) at element 0/],
    ['a NaN label bias', /^label_predictor\..*bias$/, Number.NaN, /holds NaN at element 0/],
  ])('%s', async (_what, match, value, message) => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { path, name } = await forged(match, value);
    const run = runTag(['--model', path, '--backend', 'opengl', audio]);
    await expect(run).rejects.toThrow(message);
    await expect(run).rejects.toThrow(`tensor "${name}"`);
  });
});
