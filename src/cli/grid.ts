// `robust-tagger grid`: the thesis's results grid from one spec. In-process
// by default (one job after another, resumable after a kill); with --queue,
// the same jobs go into BullMQ on Redis for `robust-tagger worker`s to run.
import { Command } from 'commander';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { demoLayout, generateDemoData } from '../data/demo.js';
import { parseBackend } from '../gpu/backend.js';
import type { GpuContext } from '../gpu/context.js';
import { getDevice } from '../gpu/device.js';
import { describePlan } from '../grid/describe.js';
import { type GridPlan, expandGrid } from '../grid/plan.js';
import { enqueueGrid, parseRedisUrl, queueStatus } from '../grid/queue.js';
import { type JobEnv, runJob } from '../grid/runJob.js';
import { GridSpecError, type GridSpec, parseGridSpec } from '../grid/spec.js';
import { formatGridStatus } from '../grid/status.js';
import { TrainingInterrupted } from '../train/runner.js';
import { exitCodeOf, onStopSignals, type StopSignal } from './interrupt.js';
import { FolderLockedError, LOCK_FILE, type LockHolder, lockFolder } from './lock.js';
import { UsageError, backendOption, onRun, readJsonFile, runCommand, workersOption } from './options.js';
import { runPrepare } from './prepare.js';

interface GridFlags {
  spec?: string;
  out: string;
  dryRun?: boolean;
  queue?: string;
  queueName: string;
  status?: boolean;
  workers?: number;
  backend?: string;
}

export function loadSpec(path: string | undefined): GridSpec {
  if (!path) throw new UsageError('--spec <file> is required (see examples/thesis-grid.json)');
  try {
    return parseGridSpec(readJsonFile(path, '--spec'), path);
  } catch (e) {
    if (e instanceof GridSpecError) throw new UsageError(`--spec ${e.message}`);
    throw e;
  }
}

/** The caches every job reads; "demo" generates and prepares the synthetic demo data in <out>/data first. */
export async function gridData(spec: GridSpec, out: string): Promise<string> {
  if (spec.data === 'demo') {
    const source = join(out, 'source');
    if (!existsSync(demoLayout(source).music)) generateDemoData(source, { seed: 0 });
    const code = await runPrepare(['--dataset', 'demo', '--root', source, '--out', join(out, 'data'), '--seed', '0']);
    if (code !== 0) throw new Error(`preparing the demo data in ${join(out, 'data')} failed (exit ${code})`);
    return resolve(out, 'data');
  }
  const root = resolve(spec.data);
  const missing = ['music', 'noise-internal', 'noise-external'].filter((d) => !existsSync(join(root, d, 'index.json')));
  if (missing.length) throw new UsageError(`spec field "data": ${root} lacks prepared ${missing.join(', ')} (run robust-tagger prepare into ${root}/<name>; see README "Data")`);
  return root;
}

/**
 * The lock a grid job takes on its folder. A lock left by a dead process on
 * this host is taken over by lockFolder itself; one from another host is
 * taken over only when `takeOver` says the queue moved the job here (its old
 * worker lost the job's Redis lock, so it stopped or is gone).
 */
export function jobLock(command: string, takeOver: (holder: LockHolder) => boolean = () => false): JobEnv['lock'] {
  return (dir) => {
    try {
      return lockFolder(dir, command);
    } catch (e) {
      if (!(e instanceof FolderLockedError) || !e.holder || e.holder.host === hostname() || !takeOver(e.holder)) throw e;
      process.stderr.write(`${dir}: taking over the lock of process ${e.holder.pid} on ${e.holder.host} (the queue gave its job to this worker)\n`);
      rmSync(join(dir, LOCK_FILE), { force: true });
      return lockFolder(dir, command);
    }
  };
}

export function gridCommand(): Command {
  const cmd = new Command('grid')
    .description('the thesis grid (noise counts × baseline, fully supervised, DAT settings × seeds) from one spec: train, evaluate, tables')
    .option('--spec <file>', 'grid spec JSON (examples/thesis-grid.json, examples/demo-grid.json)')
    .option('--out <dir>', 'grid folder: runs, evaluations, report/; a rerun skips finished jobs and resumes a partial one', join('runs', 'grid'))
    .option('--dry-run', 'list the runs of each seed and the stages they share, then stop')
    .option('--queue <url>', 'enqueue the jobs into BullMQ on this Redis (redis://host:port) for `robust-tagger worker`s instead of running them here')
    .option('--queue-name <name>', 'BullMQ queue name; one grid per queue', 'grid')
    .option('--status', 'print the progress of the grid on --queue and stop')
    .addOption(workersOption())
    .addOption(backendOption())
    .addHelpText('after', '\nIn-process (no --queue), jobs run one after another: one pretrain per (noise count, seed), one domain\nstage per (noise count, seed, E2H), every label stage, then one evaluation per noise count\n(validation and test, mean ± 95% CI over seeds) and the report: <out>/report/tables.md (Tables\n4.3-4.5 and Figs. 4.7/4.8 layouts), results.json and an SVG per noise count and noise set.\nKilled, it resumes: finished jobs are skipped, a partial one continues from its checkpoint.\ndocs/cluster.md runs the same jobs on GPU workers.');
  return onRun(cmd, (v: GridFlags) => grid(v));
}

export const runGrid = (args: readonly string[]): Promise<number> => runCommand(gridCommand(), args);

async function grid(v: GridFlags): Promise<number> {
  if (v.status) {
    if (!v.queue) throw new UsageError('--status needs --queue redis://host:port');
    const status = await queueStatus({ url: queueUrl(v.queue), name: v.queueName });
    console.log(formatGridStatus(status, v.queueName));
    return 0;
  }
  const spec = loadSpec(v.spec);
  const plan = expandGrid(spec);
  if (v.dryRun) {
    console.log(describePlan(plan));
    return 0;
  }
  const data = await gridData(spec, v.out);
  if (v.queue) {
    const n = await enqueueGrid({ url: queueUrl(v.queue), name: v.queueName }, plan, spec.data === 'demo' ? 'demo' : data);
    if (n === 0) console.log(`grid "${spec.name}" is already on ${v.queue} (queue "${v.queueName}"); nothing added.`);
    else console.log(`enqueued grid "${spec.name}" on ${v.queue} (queue "${v.queueName}"): ${n} jobs now, ${plan.jobs.length - n} more added as the stages they start from finish.`);
    console.log(`Start workers on machines that mount the same folder as ${resolve(v.out)}:\n  robust-tagger worker --queue ${v.queue} --queue-name ${v.queueName} --runs ${resolve(v.out)}`);
    console.log(`Progress: robust-tagger grid --status --queue ${v.queue} --queue-name ${v.queueName}`);
    return 0;
  }
  return runInProcess(plan, v, data);
}

function queueUrl(text: string): string {
  try {
    return parseRedisUrl(text);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function runInProcess(plan: GridPlan, v: GridFlags, data: string): Promise<number> {
  let gridLock;
  try {
    gridLock = lockFolder(v.out, 'robust-tagger grid');
  } catch (e) {
    if (!(e instanceof FolderLockedError)) throw e;
    console.error(`robust-tagger grid: ${e.message}`);
    return 1;
  }
  const stop = new AbortController();
  let stopped: StopSignal | null = null;
  const removeHandlers = onStopSignals((s) => {
    stopped = s;
    stop.abort(s);
  }, () => gridLock.release());
  let ctx: GpuContext | undefined;
  const t0 = performance.now();
  try {
    const env: JobEnv = {
      gpu: async () => (ctx ??= await getDevice({ backend: parseBackend(v.backend, '--backend') })),
      out: v.out, data, workers: v.workers, signal: stop.signal, lock: jobLock('robust-tagger grid'),
      // Training draws its own progress line; evaluation's is redrawn here on a terminal.
      onProgress: (p) => void (p.step === undefined && process.stderr.isTTY && process.stderr.write(`\r${p.text}   `)),
    };
    for (const [i, job] of plan.jobs.entries()) {
      const r = await runJob(job, env);
      console.error(`[${i + 1}/${plan.jobs.length}] ${job.id}: ${r.status === 'skipped' ? 'already done' : `done in ${r.seconds.toFixed(0)} s`} (${r.detail})`);
    }
    const report = join(v.out, 'report');
    console.log(readFileSync(join(report, 'tables.md'), 'utf8'));
    console.log(`report: ${report}/ (tables.md, results.json, test-noise*-*.svg); grid finished in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    return 0;
  } catch (e) {
    if (e instanceof TrainingInterrupted && stopped) {
      console.error(`robust-tagger grid: stopped at a checkpoint; run the same command again to resume`);
      return exitCodeOf(stopped);
    }
    throw e;
  } finally {
    removeHandlers();
    ctx?.destroy();
    gridLock.release();
  }
}
