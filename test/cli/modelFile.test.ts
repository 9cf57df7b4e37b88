// --model of eval and tag: a stage folder means its best-on-validation weights.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { modelsOf } from '../../src/cli/eval.js';
import { resolveModelFile } from '../../src/cli/modelFile.js';

test('a stage folder resolves to best.safetensors, else model.safetensors; a file stays as given; an empty folder is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-modelfile-'));
  const stage = join(dir, 'dat');
  mkdirSync(stage);
  expect(() => resolveModelFile(stage)).toThrow(/--model .*dat: a folder without best\.safetensors or model\.safetensors/);
  writeFileSync(join(stage, 'model.safetensors'), 'x');
  expect(resolveModelFile(stage)).toBe(join(stage, 'model.safetensors'));
  writeFileSync(join(stage, 'best.safetensors'), 'x');
  expect(resolveModelFile(stage)).toBe(join(stage, 'best.safetensors'));
  expect(resolveModelFile(join(stage, 'model.safetensors'))).toBe(join(stage, 'model.safetensors'));
  expect(resolveModelFile(join(dir, 'missing.safetensors'))).toBe(join(dir, 'missing.safetensors'));
});

test('eval --model: NAME=a,b lists seeds, a repeated NAME adds seeds, a bare file or stage folder is named after its stage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-models-'));
  const dat = join(dir, 'seed0', 'dat');
  mkdirSync(dat, { recursive: true });
  writeFileSync(join(dat, 'best.safetensors'), 'x');
  expect(modelsOf([`DAT=${dat},b.safetensors`, 'DAT=c.safetensors'])).toEqual({ DAT: [join(dat, 'best.safetensors'), 'b.safetensors', 'c.safetensors'] });
  expect(modelsOf([dat])).toEqual({ dat: [join(dat, 'best.safetensors')] });
  expect(modelsOf([join(dir, 'seed1', 'baseline', 'model.safetensors')])).toEqual({ baseline: [join(dir, 'seed1', 'baseline', 'model.safetensors')] });
  expect(() => modelsOf(['DAT='])).toThrow(/--model DAT=: no file after "="/);
});
