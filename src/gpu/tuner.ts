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

/** A candidate replaces the default only when at least 5% faster. */
const MARGIN = 0.95;

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

/** One measured bucket: the winner and each candidate's median ms (NaN: disagreed with the default). */
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
}

export class Tuner {
  mode: TuneMode;
  private pins: Map<string, Pin>;
  private records: Record<string, TuneRecord>;
  private pending = new Map<string, Pending>();
  private used = new Map<string, string>();
  /** Every (op, bucket) met, with the first geometry seen: what `requeueMet` measures again. */
  private met = new Map<string, Pending>();
  /** The op and candidate whose dispatches are being recorded now ('conv1d.forward=k3-uniform'). */
  active: string | undefined;
  /** When set, readbacks leave queued measurements for an explicit tunePending (the tune command's progress bar). */
  holdPending = false;
  private busy = false;
  private reps: number;

  constructor(private ctx: GpuContext, private adapterKey: string, private store: TuneStore, opts: TunerOptions = {}) {
    this.mode = opts.mode ?? 'full';
    this.pins = new Map(Object.entries(opts.pins ?? {}));
    this.records = this.mode === 'off' ? {} : store.load(adapterKey);
    this.reps = opts.reps ?? 5;
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
        const record = await this.measure(p.tunable, p.g);
        this.records[key] = record;
        this.store.save(this.adapterKey, this.records);
        progress?.({ key, index: i + 1, total: todo.length, record });
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
      const outputOf = async (c: Candidate<G, A>): Promise<Float32Array> => {
        ctx.clear(trial.output.buffer, 0, Math.ceil((trial.output.size * 4) / 4) * 4);
        c.run(ctx, g, trial.args);
        return new Float32Array(await ctx.read(trial.output.buffer, trial.output.size * 4));
      };
      const reference = await outputOf(applicable[0]);
      const scale = reference.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      for (const c of applicable) {
        if (c !== applicable[0]) {
          const out = await outputOf(c);
          let worst = 0;
          for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i] - reference[i]));
          // NaN compares false, so `!(worst <= …)` also rejects NaN outputs.
          if (!(worst <= t.tolerance * Math.max(scale, 1e-30))) {
            ms[c.name] = NaN;
            continue;
          }
        }
        // The agreement run above compiled its pipelines, so time()'s warm-up is a fair first timing.
        const best = Math.min(Infinity, ...Object.values(ms).filter((v) => !Number.isNaN(v)));
        ms[c.name] = await this.time(() => c.run(ctx, g, trial.args), best);
      }
    } finally {
      trial.dispose();
      await ctx.sync();
    }
    // The fastest, unless it is within 5% of the default: on a shared machine such
    // differences are noise, and keeping the default keeps the choice stable.
    const fallback = applicable[0].name;
    let winner = fallback;
    for (const [name, v] of Object.entries(ms)) if (v < ms[winner]) winner = name;
    if (!(ms[winner] < MARGIN * ms[fallback])) winner = fallback;
    return { winner, ms };
  }

  /**
   * Median time of a run, after one warm-up run (pipeline compiles happen
   * there): GPU timestamps around its passes where the device has
   * 'timestamp-query', else wall time of submit → onSubmittedWorkDone. Short ops run several times per sample
   * (at least ~20 ms of work), so the fixed cost of a submit and the noise of
   * a shared machine do not decide between candidates that differ by less.
   * A candidate whose warm-up already took over 3× the best median so far
   * cannot win: its warm-up time is returned without more runs (on CPU
   * adapters some candidates are 100× slower).
   */
  private async time(run: () => void, best = Infinity): Promise<number> {
    const sample = async (k: number): Promise<number> => {
      await this.ctx.sync();
      const repeat = (): void => {
        for (let i = 0; i < k; i++) run();
      };
      // GPU timestamps where the device has them (the submit's overhead left out), else wall time.
      const gpu = await this.ctx.timeGpu(repeat);
      if (gpu !== null) return gpu / k;
      const t0 = performance.now();
      repeat();
      await this.ctx.sync();
      return (performance.now() - t0) / k;
    };
    const first = await sample(1);
    if (first > 3 * best) return first;
    const k = Math.max(1, Math.min(16, Math.ceil(20 / Math.max(first, 0.05))));
    // Slow shapes on software adapters: three timed samples are enough to see a 10% difference.
    const reps = first > 100 ? Math.min(3, this.reps) : this.reps;
    const times: number[] = [];
    for (let i = 0; i < reps; i++) times.push(await sample(k));
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  }
}

/** The cache key of an adapter: what identifies its kernels' speed. */
export function adapterKey(a: { backend: string; vendor: string; architecture: string; device: string; description: string }, version: string): string {
  return [a.backend, a.vendor, a.architecture, a.device, a.description, `robust-tagger@${version}`].join('|');
}
