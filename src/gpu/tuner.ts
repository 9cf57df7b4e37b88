// Kernel variants as data, chosen by measurement. An op with several
// implementations declares a Tunable: its candidates (each with the geometries
// and limits it applies to), a shape bucket, a tolerance, and a trial that
// builds inputs of a real shape. The Tuner picks, per (op, bucket): a pinned
// candidate, else the cached winner, else the op's default (its first
// applicable candidate). In 'full' mode an unmet bucket is queued and measured
// at the next await point (tunePending, or the next readback): the default
// runs until then, because dispatches are recorded synchronously and timing
// needs awaits.
import type { GpuContext } from './context.js';

export type TuneMode = 'off' | 'cached' | 'full';

/**
 * A candidate replaces the default only when at least 2% faster: about the
 * spread of interleaved medians on a shared CPU adapter. (It was 5% while
 * candidates were timed in blocks; that kept llvmpipe's k3-storage grad-input
 * at 63.7 ms against k3-uniform's 61.7 ms, which is ~8% faster inside the step.)
 */
export const TUNE_MARGIN = 0.98;

export function parseTuneMode(value: string | undefined, source: string): TuneMode | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'off' || value === 'cached' || value === 'full') return value;
  throw new Error(`${source}: unknown tuning mode '${value}'. Use off, cached or full.`);
}

export interface Candidate<G, A> {
  readonly name: string;
  /** Whether this candidate can run `g` on this context (shape rules, limits, per-invocation loop bounds). */
  applies(ctx: GpuContext, g: G): boolean;
  run(ctx: GpuContext, g: G, args: A): void;
}

/** Inputs of one real shape for timing and for the agreement check; `output` is what candidates must agree on. */
export interface Trial<A> {
  args: A;
  output: { buffer: GPUBuffer; size: number };
  dispose(): void;
}

export interface Tunable<G, A> {
  readonly op: string;
  /** In order of preference when nothing was measured: the first applicable one is the default. */
  readonly candidates: readonly Candidate<G, A>[];
  /** Geometries in one bucket share a winner. */
  bucket(g: G): string;
  /** A candidate's output may differ from the default's by at most tolerance · max|default output|. */
  readonly tolerance: number;
  trial(ctx: GpuContext, g: G): Trial<A>;
}

/**
 * One measured bucket: the winner and each candidate's median ms (NaN:
 * disagreed with the default). A candidate that could not win is given the
 * one time that showed it: its warm-up, or its agreement check (which also
 * paid its compilation and the readback).
 */
export interface TuneRecord {
  winner: string;
  ms: Record<string, number>;
}

/** Where winners persist between runs: a JSON file in Node, memory in browsers. */
export interface TuneStore {
  load(adapterKey: string): Record<string, TuneRecord>;
  save(adapterKey: string, records: Record<string, TuneRecord>): void;
}

export function memoryTuneStore(): TuneStore {
  const all = new Map<string, Record<string, TuneRecord>>();
  return {
    load: (k) => ({ ...(all.get(k) ?? {}) }),
    save: (k, r) => void all.set(k, { ...r }),
  };
}

/** A pinned candidate: a name, or a rule from the geometry (benchmarks replaying older hand choices); undefined: not pinned. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Pin = string | ((g: any) => string | undefined);

export interface TunerOptions {
  mode?: TuneMode;
  /** op → candidate: always used where it applies (tests, benchmarks). */
  pins?: Record<string, Pin>;
  store?: TuneStore;
  /** Timed runs per candidate after one warm-up; the median counts. */
  reps?: number;
  /** An upper bound of one candidate's pipeline compilation and recording, in ms: see Tuner.measure. */
  compileSlackMs?: number;
}

interface Pending {
  tunable: Tunable<unknown, unknown>;
  g: unknown;
}

export interface TuneProgress {
  key: string;
  index: number;
  total: number;
  record?: TuneRecord;
  /** With record: the wall time its measurement took. */
  seconds?: number;
}

export class Tuner {
  mode: TuneMode;
  private pins: Map<string, Pin>;
  private records: Record<string, TuneRecord>;
  private pending = new Map<string, Pending>();
  private used = new Map<string, string>();
  /** While set, every choice is also written here ((op bucket) → candidate): see `tracing`. */
  private trace: Map<string, string> | null = null;
  /** Every (op, bucket) met, with the first geometry seen: what `requeueMet` measures again. */
  private met = new Map<string, Pending>();
  /** The op and candidate whose dispatches are being recorded now ('conv1d.forward=k3-uniform'). */
  active: string | undefined;
  /** When set, readbacks leave queued measurements for an explicit tunePending (the tune command's progress bar). */
  holdPending = false;
  private busy = false;
  private reps: number;
  private compileSlackMs: number;

  constructor(private ctx: GpuContext, private adapterKey: string, private store: TuneStore, opts: TunerOptions = {}) {
    this.mode = opts.mode ?? 'full';
    this.pins = new Map(Object.entries(opts.pins ?? {}));
    this.records = this.mode === 'off' ? {} : store.load(adapterKey);
    this.reps = opts.reps ?? 5;
    this.compileSlackMs = opts.compileSlackMs ?? 2000;
  }

  /** Pins `op` to `candidate` (where it applies); returns a function that restores the previous pin. */
  pin(op: string, candidate: Pin | undefined): () => void {
    const before = this.pins.get(op);
    if (candidate === undefined) this.pins.delete(op);
    else this.pins.set(op, candidate);
    return () => {
      if (before === undefined) this.pins.delete(op);
      else this.pins.set(op, before);
    };
  }

  choose<G, A>(t: Tunable<G, A>, g: G): Candidate<G, A> {
    const applicable = t.candidates.filter((c) => c.applies(this.ctx, g));
    if (applicable.length === 0) throw new Error(`${t.op}: no candidate applies to ${t.bucket(g)}`);
    const key = `${t.op} ${t.bucket(g)}`;
    const pin = this.pins.get(t.op);
    const pinned = typeof pin === 'function' ? pin(g) : pin;
    if (pinned !== undefined && !t.candidates.some((c) => c.name === pinned)) {
      throw new Error(`${t.op}: no candidate named '${pinned}' (has ${t.candidates.map((c) => c.name).join(', ')})`);
    }
    let chosen = applicable.find((c) => c.name === pinned);
    if (!chosen && this.mode !== 'off') {
      const rec = this.records[key];
      chosen = rec && applicable.find((c) => c.name === rec.winner);
      if (!rec && this.mode === 'full' && applicable.length > 1 && !this.pending.has(key)) {
        this.pending.set(key, { tunable: t as Tunable<unknown, unknown>, g: structuredClone(g) });
      }
    }
    chosen ??= applicable[0];
    this.used.set(key, chosen.name);
    this.trace?.set(key, chosen.name);
    const label = `${t.op}=${chosen.name}`;
    const inner = chosen;
    // Dispatches recorded while it runs carry its name (GpuContext.dispatchLog).
    chosen = { ...inner, run: (ctx, geo, args) => {
      const before = this.active;
      this.active = label;
      try {
        inner.run(ctx, geo, args);
      } finally {
        this.active = before;
      }
    } };
    if (!this.met.has(key) && applicable.length > 1) this.met.set(key, { tunable: t as Tunable<unknown, unknown>, g: structuredClone(g) });
    return chosen;
  }

  /** Runs `f` and returns, with its result, the candidate chosen for each (op, bucket) while it ran. */
  async tracing<T>(f: () => Promise<T>): Promise<{ result: T; choices: Map<string, string> }> {
    const outer = this.trace;
    const choices = new Map<string, string>();
    this.trace = choices;
    try {
      return { result: await f(), choices };
    } finally {
      this.trace = outer;
      for (const [k, v] of choices) outer?.set(k, v);
    }
  }

  /** The candidate each (op, bucket) met so far ran with, for logs and bench output. */
  chosenVariants(): Record<string, string> {
    return Object.fromEntries([...this.used].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Every measured bucket of this adapter (cached or new). */
  measured(): Record<string, TuneRecord> {
    return { ...this.records };
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Measures every queued (op, bucket) and stores the winners. Re-entrant calls (the trials' own readbacks) return at once. */
  async tunePending(progress?: (p: TuneProgress) => void): Promise<void> {
    if (this.busy || this.pending.size === 0) return;
    this.busy = true;
    try {
      await this.ctx.sync();
      const todo = [...this.pending];
      this.pending.clear();
      for (let i = 0; i < todo.length; i++) {
        const [key, p] = todo[i];
        progress?.({ key, index: i, total: todo.length });
        const t0 = performance.now();
        const record = await this.measure(p.tunable, p.g);
        this.records[key] = record;
        this.store.save(this.adapterKey, this.records);
        progress?.({ key, index: i + 1, total: todo.length, record, seconds: (performance.now() - t0) / 1000 });
      }
    } finally {
      this.busy = false;
    }
  }

  /** Queues every (op, bucket) met so far for measurement, cached or not (tune --force). */
  requeueMet(): void {
    for (const [key, p] of this.met) this.pending.set(key, p);
  }

  private async measure<G, A>(t: Tunable<G, A>, g: G): Promise<TuneRecord> {
    const ctx = this.ctx;
    const applicable = t.candidates.filter((c) => c.applies(ctx, g));
    const trial = t.trial(ctx, g);
    const ms: Record<string, number> = {};
    try {
      /** A candidate's output and the wall time of producing it: its compilation, its run and the readback. */
      const check = async (c: Candidate<G, A>): Promise<{ out: Float32Array; ms: number }> => {
        await ctx.sync();
        const t0 = performance.now();
        ctx.clear(trial.output.buffer, 0, Math.ceil((trial.output.size * 4) / 4) * 4);
        c.run(ctx, g, trial.args);
        const out = new Float32Array(await ctx.read(trial.output.buffer, trial.output.size * 4));
        return { out, ms: performance.now() - t0 };
      };
      const reference = await check(applicable[0]);
      const scale = reference.out.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const agreeing = [{ c: applicable[0], checkMs: reference.ms }];
      for (const c of applicable.slice(1)) {
        const { out, ms: checkMs } = await check(c);
        let worst = 0;
        for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i] - reference.out[i]));
        // NaN compares false, so `!(worst <= …)` also rejects NaN outputs.
        if (!(worst <= t.tolerance * Math.max(scale, 1e-30))) ms[c.name] = NaN;
        else agreeing.push({ c, checkMs });
      }
      // A check over 3× the fastest check plus the compile slack shows a run over
      // 3× the fastest run (the same readback is in both): such a candidate
      // cannot win and is not run again. On CPU adapters at thesis size that
      // saves a run of 5-330 s per bucket (the tiled conv1d kernels).
      const fastestCheck = Math.min(...agreeing.map((a) => a.checkMs));
      const timed: Candidate<G, A>[] = [];
      for (const { c, checkMs } of agreeing) {
        if (checkMs > 3 * fastestCheck + this.compileSlackMs) ms[c.name] = checkMs;
        else timed.push(c);
      }
      Object.assign(ms, await this.timeInterleaved(timed.map((c) => () => c.run(ctx, g, trial.args)), timed.map((c) => c.name)));
    } finally {
      trial.dispose();
      await ctx.sync();
    }
    // The fastest, unless it is within TUNE_MARGIN of the default: such differences
    // are noise, and keeping the default keeps the choice stable.
    const fallback = applicable[0].name;
    let winner = fallback;
    for (const [name, v] of Object.entries(ms)) if (v < ms[winner]) winner = name;
    if (!(ms[winner] < TUNE_MARGIN * ms[fallback])) winner = fallback;
    return { winner, ms };
  }

  /**
   * Each run's median time, its samples taken in rounds that visit every run
   * in turn (ABBA order), so a slow stretch of a shared machine lands on all
   * candidates alike rather than on the one timed during it. (Timed in blocks,
   * one slow stretch made k3-uniform's conv1d grad-input measure 85 ms against
   * the 58-61 ms it measures interleaved, and lose; scripts/experiments/trial-vs-step.ts.)
   * The agreement runs compiled the pipelines; one warm-up sample each follows.
   * GPU timestamps around the passes where the device has 'timestamp-query',
   * else wall time of submit → onSubmittedWorkDone. Short runs repeat within a
   * sample (at least ~20 ms of work), so a submit's fixed cost does not decide.
   * A run whose warm-up took over 3× the best warm-up cannot win: its warm-up
   * time is returned without more samples (on CPU adapters some candidates
   * are 100× slower).
   */
  private async timeInterleaved(runs: (() => void)[], names: string[]): Promise<Record<string, number>> {
    const sample = async (run: () => void, k: number): Promise<number> => {
      await this.ctx.sync();
      const repeat = (): void => {
        for (let i = 0; i < k; i++) run();
      };
      const gpu = await this.ctx.timeGpu(repeat);
      if (gpu !== null) return gpu / k;
      const t0 = performance.now();
      repeat();
      await this.ctx.sync();
      return (performance.now() - t0) / k;
    };
    const first: number[] = [];
    for (const run of runs) first.push(await sample(run, 1));
    const bestFirst = Math.min(...first);
    const out: Record<string, number> = {};
    const live = runs.map((_, i) => i).filter((i) => {
      if (first[i] > 3 * bestFirst) out[names[i]] = first[i];
      return first[i] <= 3 * bestFirst;
    });
    const k = live.map((i) => Math.max(1, Math.min(16, Math.ceil(20 / Math.max(first[i], 0.05)))));
    // Slow shapes on software adapters: three rounds are enough to see a 10% difference.
    const rounds = live.some((i) => first[i] > 100) ? Math.min(3, this.reps) : this.reps;
    const times: number[][] = live.map(() => []);
    for (let r = 0; r < rounds; r++) {
      const order = live.map((_, j) => j);
      if (r % 2 === 1) order.reverse();
      for (const j of order) times[j].push(await sample(runs[live[j]], k[j]));
    }
    live.forEach((i, j) => {
      const sorted = times[j].sort((a, b) => a - b);
      out[names[i]] = sorted[Math.floor(sorted.length / 2)];
    });
    return out;
  }
}

/** The cache key of an adapter: what identifies its kernels' speed. */
export function adapterKey(a: { backend: string; vendor: string; architecture: string; device: string; description: string }, version: string): string {
  return [a.backend, a.vendor, a.architecture, a.device, a.description, `robust-tagger@${version}`].join('|');
}
