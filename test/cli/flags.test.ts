// Issue 11, defects 5, 6 and 9 (flags): every command's options are declared
// once with a type and range; a bad value exits 2 naming the flag and what it
// accepts; help is generated for every command and every train stage.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { runEval } from '../../src/cli/eval.js';
import { runPrepare } from '../../src/cli/prepare.js';
import { runSummary } from '../../src/cli/summary.js';
import { runTag } from '../../src/cli/tag.js';
import { runTrain } from '../../src/cli/train.js';
import { runCli } from './process.js';

let out: string[] = [];
let err: string[] = [];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

const tmp = (): string => mkdtempSync(join(tmpdir(), 'rt-flags-'));

describe('bad flag values exit 2 and name the flag (issue 11, defect 5)', () => {
  const cases: [string, () => Promise<number>, RegExp][] = [
    ['eval --k 0', () => runEval(['--model', 'm.safetensors', '--k', '0']), /--k <n>.*'0' is invalid.*integer from 1/],
    ['eval --k abc', () => runEval(['--model', 'm.safetensors', '--k', 'abc']), /--k <n>.*'abc' is invalid/],
    ['eval --k 2.5', () => runEval(['--model', 'm.safetensors', '--k', '2.5']), /--k <n>.*'2.5' is invalid/],
    ['eval --max-clips 0', () => runEval(['--model', 'm.safetensors', '--max-clips', '0']), /--max-clips <n>.*'0' is invalid/],
    ['train --max-steps abc', () => runTrain(['pretrain', '--max-steps', 'abc']), /--max-steps <n>.*'abc' is invalid.*integer >= 1/],
    ['train --max-steps -5', () => runTrain(['pretrain', '--max-steps', '-5']), /--max-steps <n>.*'-5' is invalid/],
    ['train --checkpoint-steps 0', () => runTrain(['pretrain', '--checkpoint-steps', '0']), /--checkpoint-steps <n>.*'0' is invalid/],
    ['train --workers abc', () => runTrain(['pretrain', '--workers', 'abc']), /--workers <n>.*'abc' is invalid/],
    ['train --batch-size lots', () => runTrain(['dat', '--batch-size', 'lots']), /--batch-size <n>.*'lots' is invalid/],
    ['train --noises-per-mix 3', () => runTrain(['dat', '--noises-per-mix', '3']), /--noises-per-mix.*'3' is invalid.*1, 2, 4/],
    ['train --domain-classifier x', () => runTrain(['dat', '--domain-classifier', 'x']), /--domain-classifier.*'x' is invalid.*frozen.*finetune/],
    ['train --input-exp 20', () => runTrain(['pretrain', '--input-exp', '20']), /--input-exp <n>.*integer from 3 to 12/],
    ['tag --batch abc', () => runTag(['--model', 'm', '--batch', 'abc', 'f.wav']), /--batch <n>.*'abc' is invalid/],
    ['tag --top-k 0', () => runTag(['--model', 'm', '--top-k', '0', 'f.wav']), /--top-k <n>.*'0' is invalid/],
    ['demo --seed abc', () => runDemo(['--seed', 'abc']), /--seed <n>.*'abc' is invalid/],
    ['prepare --top 0', () => runPrepare(['--dataset', 'mtat', '--root', 'r', '--out', 'o', '--top', '0']), /--top <n>.*'0' is invalid/],
    ['prepare --tags a,a', () => runPrepare(['--dataset', 'mtat', '--root', 'r', '--out', 'o', '--tags', 'rock,rock']), /--tags.*"rock" is listed twice/],
    ['prepare --dataset foo', () => runPrepare(['--dataset', 'foo', '--root', 'r', '--out', 'o']), /--dataset <kind>.*'foo' is invalid.*mtat/],
    ['prepare --shard-mb 0', () => runPrepare(['--dataset', 'noise', '--root', 'r', '--out', 'o', '--shard-mb', '0']), /--shard-mb <n>.*'0' is invalid/],
  ];
  test.each(cases)('%s', async (_name, run, message) => {
    expect(await run()).toBe(2);
    expect(err.join('\n')).toMatch(message);
  });

  test('an unknown flag lists the allowed ones', async () => {
    expect(await runTrain(['baseline', '--lamda', '0.1'])).toBe(2);
    const text = err.join('\n');
    expect(text).toMatch(/unknown option '--lamda'/);
    expect(text).toMatch(/allowed options: .*--data.*--batch-size.*--dropout/);
    // A field of another stage is not offered for this one.
    expect(text).not.toMatch(/--lambda/);
  });

  test('a bad --config names the file; a UTF-8 byte-order mark is accepted (defect 9)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.json'), '{ "epochs": 3,');
    expect(await runTrain(['baseline', '--config', join(dir, 'bad.json'), '--out', dir])).toBe(2);
    expect(err.join('\n')).toMatch(new RegExp(`--config ${join(dir, 'bad.json').replace(/[.\\/]/g, '\\$&')}: not valid JSON`));
    writeFileSync(join(dir, 'bom.json'), '\ufeff{ "epochs": "three" }');
    expect(await runTrain(['baseline', '--config', join(dir, 'bom.json'), '--out', dir])).toBe(2);
    // Parsed past the BOM: the complaint is about the field, not the JSON.
    expect(err.join('\n')).toMatch(/epochs: expected an integer >= 1, got "three"/);
  });
});

describe('help for every command (issue 11 acceptance; issue 16 item 6)', () => {
  test.each([
    ['prepare', () => runPrepare(['--help']), /Usage: robust-tagger prepare/],
    ['summary', () => runSummary(['--help']), /Usage: robust-tagger summary/],
    ['train', () => runTrain(['--help']), /Usage: robust-tagger train.*\n[\s\S]*pretrain[\s\S]*run\.json/],
    ['eval', () => runEval(['--help']), /Usage: robust-tagger eval/],
    ['tag', () => runTag(['--help']), /Usage: robust-tagger tag/],
    ['demo', () => runDemo(['--help']), /Usage: robust-tagger demo/],
  ])('%s --help', async (_n, run, usage) => {
    expect(await run()).toBe(0);
    expect(out.join('\n')).toMatch(usage);
  });

  test('train <stage> --help lists that stage\'s config fields, with their defaults', async () => {
    expect(await runTrain(['dat', '--help'])).toBe(0);
    const dat = out.join('\n');
    for (const f of ['--lambda', '--alpha-schedule', '--domain-classifier', '--curriculum', '--batch-size', '--learning-rate']) expect(dat).toContain(f);
    expect(dat).toMatch(/--lambda <x> +config field lambda \(stage default 0\.05\)/);
    out = [];
    expect(await runTrain(['baseline', '--help'])).toBe(0);
    expect(out.join('\n')).not.toContain('--lambda');
  });

  test('--input-exp help gives the thesis window as 3^10 = 59,049 samples', async () => {
    expect(await runTrain(['pretrain', '--help'])).toBe(0);
    expect(out.join(' ').replace(/\s+/g, ' ')).toMatch(/3\^10 = 59,049 samples/);
  });

  test('the installed entry point: bench --help works and a bad global flag exits 2 (defect 6)', async () => {
    const bench = await runCli(['bench', '--help']);
    expect(bench.code, bench.stderr).toBe(0);
    expect(bench.stdout).toMatch(/usage: robust-tagger bench/);
    expect(bench.stderr).not.toMatch(/Unexpected argument/);
    const tune = await runCli(['--tune', 'sometimes', 'summary']);
    expect(tune.code).toBe(2);
    expect(tune.stderr).toMatch(/--tune <mode>.*'sometimes' is invalid.*off, cached, full/s);
  }, 60_000);
});
