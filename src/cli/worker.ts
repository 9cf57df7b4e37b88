// `robust-tagger worker`: pulls grid jobs from BullMQ and runs them into the
// shared runs folder. One process trains one job at a time on its GPU (the
// autograd's scope stack is per process); --concurrency n starts n such
// processes. Ctrl-C/SIGTERM stops the running job at a checkpoint and puts it
// back in the queue, where another worker resumes it.
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { parseBackend } from '../gpu/backend.js';
import type { GpuContext } from '../gpu/context.js';
import { getDevice } from '../gpu/device.js';
import { parseRedisUrl, runWorker } from '../grid/queue.js';
import { jobLock } from './grid.js';
import { exitCodeOf, onStopSignals, type StopSignal } from './interrupt.js';
import { UsageError, backendOption, intOption, onRun, runCommand, workersOption } from './options.js';

interface WorkerFlags {
  queue?: string;
  queueName: string;
  runs?: string;
  data?: string;
  concurrency: number;
  lockSeconds: number;
  untilDone?: boolean;
  workers?: number;
  backend?: string;
}

export function workerCommand(): Command {
  const cmd = new Command('worker')
    .description('run grid jobs from a BullMQ queue on Redis into a shared runs folder (docs/cluster.md)')
    .option('--queue <url>', 'the Redis the grid was enqueued on (redis://host:port)')
    .option('--queue-name <name>', 'BullMQ queue name', 'grid')
    .option('--runs <dir>', 'the shared grid folder (the same on every worker: a network filesystem in a cluster)')
    .option('--data <dir>', 'prepared caches root on this machine (default: the spec\'s "data"; "demo": <runs>/data)')
    .addOption(intOption('--concurrency <n>', 'jobs at once: one worker process each, sharing this machine\'s GPU', { min: 1, max: 64, default: 1 }))
    // Longer than the longest stretch a job keeps the event loop busy (a thesis-size evaluation's bootstrap runs for minutes), else a live worker's job is handed on.
    .addOption(intOption('--lock-seconds <s>', 'a worker silent this long is taken for dead and its job is given to another; keep it above the longest synchronous stretch of a job', { min: 1, max: 3600, default: 300 }))
    .option('--until-done', 'exit when the grid\'s report is finished (default: run until stopped)')
    .addOption(workersOption())
    .addOption(backendOption());
  return onRun(cmd, (v: WorkerFlags) => worker(v));
}

export const runWorkerCommand = (args: readonly string[]): Promise<number> => runCommand(workerCommand(), args);

async function worker(v: WorkerFlags): Promise<number> {
  if (!v.queue) throw new UsageError('--queue redis://host:port is required');
  if (!v.runs) throw new UsageError('--runs <dir> is required: the shared grid folder');
  let url: string;
  try {
    url = parseRedisUrl(v.queue);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (v.concurrency > 1) return forkWorkers(v);
  const runs = resolve(v.runs);
  let ctx: GpuContext | undefined;
  const say = (t: string) => console.error(`[worker ${hostname()}:${process.pid}] ${t}`);
  const w = await runWorker({
    target: { url, name: v.queueName }, concurrency: 1, lockMs: v.lockSeconds * 1000, untilDone: v.untilDone, onEvent: say,
    env: (q, bull) => ({
      gpu: async () => (ctx ??= await getDevice({ backend: parseBackend(v.backend, '--backend') })),
      out: runs, data: v.data ? resolve(v.data) : q.data === 'demo' ? join(runs, 'data') : resolve(q.data), workers: v.workers, quiet: true,
      // Another host's lock is taken over only on a job the queue handed on (its worker lost the job's Redis lock).
      lock: jobLock(`robust-tagger worker (job ${bull.id})`, () => bull.attemptsStarted > 1 || bull.stalledCounter > 0),
    }),
  });
  let stopped: StopSignal | null = null;
  const removeHandlers = onStopSignals((s) => {
    stopped = s;
    void w.close();
  }, () => {});
  say(`waiting for jobs on ${v.queue} (queue "${v.queueName}"), runs folder ${runs}`);
  try {
    await w.done;
  } finally {
    await w.close();
    removeHandlers();
    ctx?.destroy();
  }
  return stopped ? exitCodeOf(stopped) : 0;
}

/** n single-job worker processes: the same command with --concurrency 1; signals are passed on. */
async function forkWorkers(v: WorkerFlags): Promise<number> {
  const args = process.argv.slice(1).filter((a, i, all) => a !== '--concurrency' && all[i - 1] !== '--concurrency' && !a.startsWith('--concurrency='));
  const children = Array.from({ length: v.concurrency }, () => spawn(process.execPath, [...process.execArgv, ...args, '--concurrency', '1'], { stdio: 'inherit' }));
  const pass = (s: NodeJS.Signals) => children.forEach((c) => c.kill(s));
  process.on('SIGINT', pass);
  process.on('SIGTERM', pass);
  const codes = await Promise.all(children.map((c) => new Promise<number>((res) => c.on('close', (code) => res(code ?? 1)))));
  process.off('SIGINT', pass);
  process.off('SIGTERM', pass);
  return Math.max(...codes);
}
