// `train` as a process (issue 11 defects 2, 4, 10) and its run config (issue
// 16 item 6): a second train on a held run folder is refused; SIGINT finishes
// the step, writes a checkpoint and exits 130; a stale temporary file is
// removed; run.json carries the model size to later stages.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { LOCK_FILE } from '../../src/cli/lock.js';
import { runTrain } from '../../src/cli/train.js';
import { readSafetensors } from '../../src/nn/checkpoint.js';
import { tinyDemoCaches } from '../helpers/tinyData.js';
import { runCli, startCli } from './process.js';

const data = await tinyDemoCaches();
const tmp = (): string => mkdtempSync(join(tmpdir(), 'rt-train-cli-'));
const TINY = ['--data', data, '--input-exp', '5', '--width-divisor', '32', '--batch-size', '4', '--workers', '0', '--backend', 'opengl', '--log-every-batches', '1'];

async function waitFor(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const loggedSteps = (log: string): number => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('"loss"')).length : 0);

describe('train processes', () => {
  test('a second train on a held --out is refused; SIGINT writes a checkpoint, says how to resume and exits 130', async () => {
    const out = tmp();
    // A temporary file a killed run left behind (defect 10).
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(out, 'pretrain'), { recursive: true });
    const stale = join(out, 'pretrain', '.checkpoint.safetensors.999999.1.tmp');
    writeFileSync(stale, Buffer.alloc(4096));
    const a = await startCli(['train', 'pretrain', '--out', out, ...TINY]);
    const log = join(out, 'pretrain', 'log.jsonl');
    await waitFor(() => loggedSteps(log) >= 2, 'the first logged steps');
    expect(existsSync(stale)).toBe(false);

    const b = await runCli(['train', 'pretrain', '--out', out, ...TINY]);
    expect(b.code, b.stderr).toBe(1);
    expect(b.stderr).toContain(`in use by process ${a.child.pid}`);

    a.child.kill('SIGINT');
    const r = await a.done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/SIGINT: finishing the current step and writing a checkpoint/);
    const m = /stopped by SIGINT after step (\d+); checkpoint written to (\S+)\./.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const step = Number(m![1]);
    expect(readSafetensors(join(out, 'pretrain', 'checkpoint.safetensors')).metadata.step).toBe(String(step));
    expect(r.stderr).toMatch(/Resume with the same command: robust-tagger train pretrain --out/);
    expect(r.stderr).toMatch(/removed 1 temporary file/);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);

    // The next run resumes from it, without repeating --input-exp/--width-divisor/--data (run.json).
    const c = await runCli(['train', 'pretrain', '--out', out, '--batch-size', '4', '--workers', '0', '--backend', 'opengl', '--log-every-batches', '1', '--max-steps', String(step + 1)]);
    expect(c.code, c.stderr).toBe(0);
    expect(readFileSync(log, 'utf8')).toContain(`resuming at step ${step} of ${step + 1}`);
  }, 180_000);
});

describe('train processes, SIGTERM', () => {
  test('SIGTERM (a scheduler stopping the job) checkpoints too and exits 143', async () => {
    const out = tmp();
    const a = await startCli(['train', 'baseline', '--out', out, ...TINY, '--pretrained', await pretrained()]);
    await waitFor(() => loggedSteps(join(out, 'baseline', 'log.jsonl')) >= 1, 'a logged step');
    a.child.kill('SIGTERM');
    const r = await a.done;
    expect(r.code, r.stderr).toBe(143);
    expect(r.stderr).toMatch(/baseline: stopped by SIGTERM after step \d+; checkpoint written/);
    expect(existsSync(join(out, 'baseline', 'checkpoint.safetensors'))).toBe(true);
  }, 120_000);
});

/** A stage-1 model for the later stages, trained once for 1 step. */
let pretrainedPath: Promise<string> | null = null;
function pretrained(): Promise<string> {
  pretrainedPath ??= (async () => {
    const out = tmp();
    const r = await runCli(['train', 'pretrain', '--out', out, ...TINY, '--max-steps', '1']);
    if (r.code !== 0) throw new Error(r.stderr);
    return join(out, 'pretrain', 'model.safetensors');
  })();
  return pretrainedPath;
}

describe('run.json (issue 16 item 6)', () => {
  let err: string[] = [];
  beforeEach(() => {
    err = [];
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  test('the first stage writes it; later stages reuse it; a conflicting flag names the field', async () => {
    const out = tmp();
    expect(await runTrain(['pretrain', '--out', out, ...TINY, '--max-steps', '1'])).toBe(0);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.inputLength).toBe(243);
    expect(run.data.musicCache).toBe(join(data, 'music'));
    // The checkpoint records the real window and folder, not the config's defaults.
    const cfg = JSON.parse(readSafetensors(join(out, 'pretrain', 'checkpoint.safetensors')).metadata.config);
    expect(cfg.chunkLength).toBe(243);
    expect(cfg.outDir).toBe(out);
    // Stage 2 without any model or data flag builds the same model from run.json.
    expect(await runTrain(['domain', '--out', out, '--batch-size', '4', '--workers', '0', '--backend', 'opengl', '--max-steps', '1'])).toBe(0);
    const meta = readSafetensors(join(out, 'domain', 'model.safetensors')).metadata;
    expect(JSON.parse(meta.model_config).sampleCnn.inputLength).toBe(243);
    // A flag that disagrees is refused, naming the field and run.json.
    expect(await runTrain(['baseline', '--out', out, '--input-exp', '6', '--max-steps', '1'])).toBe(2);
    expect(err.join('\n')).toMatch(/run\.json \(written by the run's first stage\) disagrees with the flags: model\.sampleCnn\.inputLength: run\.json has 243, now 729/);
    err = [];
    expect(await runTrain(['baseline', '--out', out, '--data', tmp(), '--max-steps', '1'])).toBe(2);
    expect(err.join('\n')).toMatch(/data\.musicCache: run\.json has/);
  }, 120_000);

  test('a missing cache is named, and run.json is not written with it', async () => {
    const out = tmp();
    expect(await runTrain(['pretrain', '--out', out, '--data', join(out, 'nowhere'), '--max-steps', '1'])).toBe(2);
    expect(err.join('\n')).toMatch(/robust-tagger train pretrain: --music-cache \(or --data\): cache: .*nowhere\/music\/index\.json not found/);
    expect(existsSync(join(out, 'run.json'))).toBe(false);
  });

  test('a refused resume names the changed field; log and checkpoint intervals do not block; a finished stage says so', async () => {
    const out = tmp();
    const base = ['pretrain', '--out', out, ...TINY];
    expect(await runTrain([...base, '--max-steps', '3'])).toBe(0);
    const model = join(out, 'pretrain', 'model.safetensors');
    const before = readFileSync(model);
    // Defect 7: "resuming at step 3 of 2", then a model labelled step 2 holding step-3 weights.
    const logs: string[] = [];
    vi.mocked(console.log).mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
    expect(await runTrain([...base, '--max-steps', '2'])).toBe(0);
    expect(logs.join('\n')).toMatch(/pretrain: already done: .*checkpoint\.safetensors is at step 3, past the 2 steps asked for/);
    expect(readFileSync(model).equals(before)).toBe(true);
    // Intervals are free to change on resume.
    expect(await runTrain([...base, '--max-steps', '4', '--log-every-batches', '2', '--checkpoint-every-epochs', '3'])).toBe(0);
    // A field that changes the result is named.
    await expect(runTrain([...base, '--max-steps', '5', '--learning-rate', '0.01'])).rejects.toThrow(/different configuration \(learningRate: checkpoint has 0\.0003, now 0\.01\)/);
  }, 120_000);
});
