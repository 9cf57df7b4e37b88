// The grid over a real Redis: the tiny grid enqueued into BullMQ and run by
// two worker processes, one of them SIGKILLed while it trains a DAT stage.
// Its job goes back to the queue when its lock expires, the other worker
// resumes it from the checkpoint, and every model and the tables come out
// byte-identical to the in-process run of the same spec. Needs Debian's
// redis-server (CI installs it); without it the test is skipped and says why.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runGrid } from '../../src/cli/grid.js';
import { readSafetensors } from '../../src/nn/checkpoint.js';
import { runCli, startCli } from '../cli/process.js';
import { tinyDemoCaches } from '../helpers/tinyData.js';
import { datInProgress, gridModels as models, lockHolder, tinySpec, writeSpec } from './tinyGrid.js';

const REDIS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
if (!REDIS) console.warn('[test/grid/queue] skipped: no redis-server (/usr/bin/redis-server); apt-get install redis-server to run the queue tests');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** A throwaway Redis: localhost only, no persistence, in a temporary folder. */
async function startRedis(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rt-redis-'));
  const child: ChildProcess = spawn(REDIS!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${log}`)), 10_000);
    child.stdout!.on('data', (d) => {
      log += String(d);
      if (log.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${log}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!REDIS)('grid on a BullMQ queue (redis-server)', () => {
  const cleanup: (() => void)[] = [];
  afterAll(() => cleanup.forEach((f) => f()));

  test('two workers, one SIGKILLed mid-job: the grid completes with the in-process run\'s models and tables', async () => {
    const data = await tinyDemoCaches();
    const spec = writeSpec(tinySpec(data));
    const redis = await startRedis();
    cleanup.push(redis.stop);
    const queue = ['--queue', redis.url, '--queue-name', `tiny-${process.pid}`];

    const local = mkdtempSync(join(tmpdir(), 'rt-grid-local-'));
    const quiet = { log: console.log, error: console.error };
    console.log = console.error = () => {};
    const code = await runGrid(['--spec', spec, '--out', local, '--backend', 'opengl', '--workers', '0']).finally(() => Object.assign(console, quiet));
    expect(code).toBe(0);

    const shared = mkdtempSync(join(tmpdir(), 'rt-grid-shared-'));
    const enqueued = await runCli(['grid', '--spec', spec, '--out', shared, ...queue]);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    expect(enqueued.stdout).toMatch(/enqueued grid "tiny grid" .*: 4 jobs now, 8 more added/);
    const workerArgs = ['worker', ...queue, '--runs', shared, '--lock-seconds', '4', '--until-done', '--backend', 'opengl', '--workers', '0'];
    const workers = [await startCli(workerArgs), await startCli(workerArgs)];
    cleanup.push(() => workers.forEach((w) => w.child.kill('SIGKILL')));

    // SIGKILL whichever worker holds a DAT stage that has checkpointed but not finished.
    let killed: string | null = null;
    let stepAtKill = 0;
    for (let t = 0; t < 3000 && !killed; t++) {
      const dir = datInProgress(shared);
      if (dir) {
        const pid = lockHolder(dir);
        const victim = workers.find((w) => w.child.pid === pid);
        if (victim) {
          victim.child.kill('SIGKILL');
          killed = dir;
          stepAtKill = Number(readSafetensors(join(dir, 'checkpoint.safetensors')).metadata.step);
        }
      }
      if (!killed) await sleep(20);
    }
    expect(killed, 'no DAT stage was caught between a checkpoint and its end').not.toBeNull();
    const results = await Promise.all(workers.map((w) => w.done));
    const survivor = results.find((r) => r.signal !== 'SIGKILL')!;
    expect(results.filter((r) => r.signal === 'SIGKILL')).toHaveLength(1);
    expect(survivor.code, survivor.stderr).toBe(0);
    // The killed job went back to the queue and was resumed, not restarted, by the survivor.
    const job = killed!.split('/').slice(-4, -1);
    expect(survivor.stderr).toMatch(new RegExp(`n1\\.s${job[1].replace('seed', '')}\\.${job[2]}: started \\(attempt 2\\)`));
    if (stepAtKill < 6) expect(readFileSync(join(killed!, 'log.jsonl'), 'utf8')).toContain(`resuming at step ${stepAtKill} of 6`);

    expect(models(shared)).toEqual(models(local));
    expect(models(local).size).toBe(2 * 5 + 2 * 3); // 5 stages per seed, best weights of 3 label stages
    expect(readFileSync(join(shared, 'report', 'tables.md'), 'utf8')).toBe(readFileSync(join(local, 'report', 'tables.md'), 'utf8'));
    expect(readFileSync(join(shared, 'report', 'results.json'), 'utf8')).toBe(readFileSync(join(local, 'report', 'results.json'), 'utf8'));

    // The same spec again adds nothing; another spec on the same queue is refused.
    expect((await runCli(['grid', '--spec', spec, '--out', shared, ...queue])).stdout).toContain('is already on');
    const other = await runCli(['grid', '--spec', writeSpec({ ...tinySpec(data), seeds: [3] }), '--out', shared, ...queue]);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/already holds grid "tiny grid" \(another spec/);

    const status = await runCli(['grid', '--status', ...queue]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('grid "tiny grid" on queue');
    expect(status.stdout).toContain('12 of 12 jobs done, 0 running');
    expect(status.stdout).toContain('finished: the tables are in <runs>/report/tables.md');
  }, 180_000);
});
