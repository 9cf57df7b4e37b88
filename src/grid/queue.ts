// The grid over a BullMQ queue on Redis, for several GPU machines sharing one
// runs folder. BullMQ gives the retries, the stalled-job detection (a job
// whose worker died goes back to the queue when its Redis lock expires) and
// per-worker concurrency; the grid's own code only says which job waits for
// which. A BullMQ job has at most one parent, but a pretrain stage feeds
// several runs, so the dependencies are kept like this:
//   - one flow: the report waits for one evaluation per noise count, and each
//     evaluation waits for the pretrain stages of its noise count;
//   - a stage's dependents (domain, baseline and supervised after pretrain;
//     the DAT runs after their domain stage) are added, as further children
//     of the same evaluation, by the worker that finished the stage, before
//     it marks the stage complete. So nothing starts before what it starts
//     from is on disk, and an evaluation never sees its children all done
//     while some are still to come.
// Every job runs through runJob, the function the in-process executor uses.
import { hostname } from 'node:os';
import { DelayedError, FlowProducer, type FlowJob, type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { TrainingInterrupted } from '../train/runner.js';
import { type GridJob, type GridPlan } from './plan.js';
import { type JobEnv, type JobOutcome, runJob } from './runJob.js';

export const QUEUE_PREFIX = 'robust-tagger';

/** What a queued job carries: the job, where its data is, and the jobs to add once it is done. */
export interface QueuedJob {
  job: GridJob;
  /** The spec's "data" (a worker's --data overrides it). */
  data: string;
  then: QueuedJob[];
  /** On the report (the flow's root): how many jobs the grid has, for --status. */
  total?: number;
  name?: string;
}

export interface QueueTarget {
  url: string;
  name: string;
}

/** One Redis connection per BullMQ object (closed with it): BullMQ's ESM build needs a client instance, not options. */
function connect(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

export function parseRedisUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new Error(`--queue ${text}: expected redis://host:port (or rediss:// for TLS)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`--queue ${text}: expected a redis:// or rediss:// URL, got ${u.protocol}`);
  if (!u.hostname) throw new Error(`--queue ${text}: no host`);
  return text;
}

const JOB_OPTIONS = { attempts: 3, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: false, removeOnFail: false } as const;

/** The flow (report ← evaluations ← their pretrain stages), each job carrying the ones it adds when done. */
export function queuedTree(plan: GridPlan, data: string, queueName: string): FlowJob {
  const dependents = new Map<string, GridJob[]>();
  for (const j of plan.jobs) {
    if (j.kind !== 'train') continue;
    for (const d of j.deps) dependents.set(d, [...(dependents.get(d) ?? []), j]);
  }
  const wrap = (job: GridJob): QueuedJob => ({ job, data, then: (dependents.get(job.id) ?? []).map(wrap) });
  const node = (q: QueuedJob, children?: FlowJob[]): FlowJob => ({ name: q.job.id, queueName, data: q, opts: { jobId: q.job.id, ...JOB_OPTIONS }, ...(children ? { children } : {}) }) as FlowJob;
  const report = plan.jobs.find((j) => j.kind === 'report')!;
  const evals = plan.jobs.filter((j) => j.kind === 'eval');
  // The stages that start from nothing: each noise count's pretrain stages.
  const firsts = (n: number) => plan.jobs.filter((j) => j.kind === 'train' && j.deps.length === 0 && j.noiseCount === n);
  return node({ ...wrap(report), total: plan.jobs.length, name: plan.spec.name }, evals.map((e) => node(wrap(e), firsts(e.noiseCount).map((f) => node(wrap(f))))));
}

/**
 * Adds the grid's flow and returns the number of jobs in it, or 0 when this
 * grid is already on the queue. A different grid on the same queue is
 * refused: its job ids would collide with this one's and hide them.
 */
export async function enqueueGrid(target: QueueTarget, plan: GridPlan, data: string): Promise<number> {
  const connection = connect(target.url);
  const queue = new Queue<QueuedJob>(target.name, { connection, prefix: QUEUE_PREFIX });
  const flow = new FlowProducer({ connection, prefix: QUEUE_PREFIX });
  try {
    const tree = queuedTree(plan, data, target.name);
    const existing = await queue.getJob('report');
    if (existing) {
      const mine = (tree.data as QueuedJob).job.fingerprint;
      if (existing.data.job.fingerprint === mine) return 0;
      throw new Error(`queue "${target.name}" on ${target.url} already holds grid "${existing.data.name}" (another spec: fingerprint ${existing.data.job.fingerprint}, this one's ${mine}); use another --queue-name, or remove that queue's jobs first`);
    }
    await flow.add(tree);
    const count = (n: FlowJob): number => 1 + (('children' in n && n.children) || []).reduce((s, c) => s + count(c as FlowJob), 0);
    return count(tree);
  } finally {
    await flow.close();
    await queue.close();
    connection.disconnect();
  }
}

export interface WorkerOptions {
  target: QueueTarget;
  concurrency: number;
  /** The job's Redis lock; a worker silent this long is taken for dead and its job goes back to the queue. */
  lockMs: number;
  /** Builds the environment for one job (the GPU of the slot it runs in, the data root). */
  env: (queued: QueuedJob, job: Job<QueuedJob>) => Omit<JobEnv, 'signal' | 'onProgress'>;
  onEvent?: (text: string) => void;
  /** Resolve when the grid's report is complete (or failed). */
  untilDone?: boolean;
}

export async function runWorker(o: WorkerOptions): Promise<{ done: Promise<void>; close: () => Promise<void> }> {
  const connection = connect(o.target.url);
  const queue = new Queue<QueuedJob>(o.target.name, { connection, prefix: QUEUE_PREFIX });
  const blocking = connect(o.target.url);
  const running = new Map<string, AbortController>();
  const say = o.onEvent ?? (() => {});
  const worker = new Worker<QueuedJob, JobOutcome>(o.target.name, async (bull, token, cancelled) => {
    const q = bull.data;
    const abort = new AbortController();
    cancelled?.addEventListener('abort', () => abort.abort(cancelled.reason));
    running.set(bull.id!, abort);
    say(`${q.job.id}: started (attempt ${bull.attemptsStarted})`);
    let reported = 0;
    try {
      const outcome = await runJob(q.job, {
        ...o.env(q, bull), signal: abort.signal,
        // At most one Redis write a second: evaluation reports every clip.
        onProgress: (p) => {
          if (Date.now() - reported < 1000) return;
          reported = Date.now();
          void bull.updateProgress({ ...p, host: hostname(), pid: process.pid }).catch(() => {});
        },
      });
      if (q.then.length) {
        // Added before this job completes, under the same evaluation, so that evaluation keeps waiting for them.
        const parent = { id: bull.parent!.id!, queue: bull.parent!.queueKey };
        for (const next of q.then) await queue.add(next.job.id, next, { jobId: next.job.id, parent, ...JOB_OPTIONS });
      }
      say(`${q.job.id}: ${outcome.status} in ${outcome.seconds.toFixed(0)} s (${outcome.detail})`);
      return outcome;
    } catch (e) {
      if (e instanceof TrainingInterrupted) {
        // Stopped by this worker's shutdown, with a checkpoint: back to the queue without spending an attempt.
        await bull.moveToDelayed(Date.now() + 1000, token);
        say(`${q.job.id}: interrupted at a checkpoint; back in the queue`);
        throw new DelayedError();
      }
      say(`${q.job.id}: failed: ${(e as Error).message}`);
      throw e;
    } finally {
      running.delete(bull.id!);
    }
  }, { connection: blocking, prefix: QUEUE_PREFIX, concurrency: o.concurrency, lockDuration: o.lockMs, stalledInterval: Math.max(500, Math.floor(o.lockMs / 2)), maxStalledCount: 10 });
  // A worker that lost a job's lock (Redis unreachable, a stall) stops training it: another worker owns it now.
  worker.on('lockRenewalFailed', (ids) => ids.forEach((id) => running.get(id)?.abort(new Error('lost the job lock'))));
  worker.on('error', (e) => say(`queue error: ${e.message}`));
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  let timer: NodeJS.Timeout | undefined;
  if (o.untilDone) {
    timer = setInterval(() => {
      void queue.getJobState('report').then((s) => (s === 'completed' || s === 'failed') && finish(), () => {});
    }, 500);
  }
  const close = async (): Promise<void> => {
    if (timer) clearInterval(timer);
    for (const a of running.values()) a.abort(new Error('worker shutting down'));
    await worker.close();
    await queue.close();
    connection.disconnect();
    blocking.disconnect();
    finish();
  };
  return { done, close };
}

export interface GridStatus {
  name: string | null;
  total: number | null;
  counts: Record<string, number>;
  jobs: { id: string; state: string; progress: unknown; attempts: number; failedReason?: string }[];
}

export async function queueStatus(target: QueueTarget): Promise<GridStatus> {
  const connection = connect(target.url);
  const queue = new Queue<QueuedJob>(target.name, { connection, prefix: QUEUE_PREFIX });
  try {
    const states = ['active', 'waiting', 'waiting-children', 'delayed', 'prioritized', 'completed', 'failed'] as const;
    const counts = await queue.getJobCounts(...states);
    const jobs: GridStatus['jobs'] = [];
    for (const state of states) {
      for (const j of await queue.getJobs(state, 0, -1, true)) {
        if (!j?.id) continue;
        jobs.push({ id: j.id, state, progress: j.progress, attempts: j.attemptsStarted, ...(j.failedReason ? { failedReason: j.failedReason } : {}) });
      }
    }
    const root = await queue.getJob('report');
    return { name: root?.data.name ?? null, total: root?.data.total ?? null, counts, jobs };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
