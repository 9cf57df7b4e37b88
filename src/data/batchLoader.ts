// Seeded, reproducible batches for the training stages, built ahead of time
// by worker threads. The main thread only plans (which clip, which seed,
// clean or noisy); workers crop, mix and augment. The plan depends only on
// the seed and the batch number, so a batch is the same with 0, 1 or 8
// workers and after a resume at the same step.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CacheReader } from './cacheReader.js';
import { type SnrRange, TRAINING_SNR_RANGE, assignDomains } from './mix.js';
import { Rng, mixSeed } from './rng.js';
import { buildSample } from './sampleBuilder.js';
import type { NoisePool, PipelineConfig, SampleSpec } from './sampleBuilder.js';
import { clipSource } from './batchWorker.js';
import type { WorkerInit, WorkerReply, WorkerRequest } from './batchWorker.js';
import { batchWorkerSource } from './workerScript.js';
import type { Split } from './types.js';

export const DEFAULT_SAMPLE_LENGTH = 59049; // 3^9: SampleCNN's input

export interface NoiseOptions {
  /** Cache folders of noise sets (one is drawn per noisy sample). */
  cacheDirs: string[];
  /** Which split of the noise files to draw from; default: the loader's split. */
  split?: Split;
  /** Numbers of noise clips summed per mixture; default [1, 2, 4]. */
  k?: number | number[];
  /** Integer SNR drawn per sample from [lo, hi] (training); default TRAINING_SNR_RANGE. */
  snrRange?: SnrRange;
  /**
   * Integer SNR range per epoch (easy-to-hard curricula); overrides snrRange.
   * A pure function of the epoch, so prefetched and resumed batches agree.
   */
  snrRangeForEpoch?: (epoch: number) => SnrRange;
  /** Fixed SNR for every noisy sample (evaluation); overrides snrRange. */
  snr?: number;
  /** 'assigned': half of the clips noisy, fixed by seed (domain adversarial training); 'all': every clip noisy. */
  domains?: 'assigned' | 'all';
}

export interface BatchLoaderOptions {
  cacheDir: string;
  split?: Split;
  batchSize: number;
  views?: 1 | 2;
  sampleLength?: number;
  augment?: boolean;
  noise?: NoiseOptions;
  seed?: number;
  /** Worker threads; 0 builds in the main thread. Default: cores - 1, at least 1. */
  workers?: number;
  /** Batches built ahead; default 2. */
  prefetch?: number;
  shuffle?: boolean;
  /** Drop the last incomplete batch of an epoch (NT-Xent needs full batches); default true. */
  dropLast?: boolean;
  /**
   * 'source': only the clips that domain adversarial training with the same
   * seed assigns to the clean source domain (the baseline's data, thesis
   * §4.1.3 / Fig. 4.6: it trains on the labelled half DAT labels, not on all
   * clips). Default 'all'.
   */
  clips?: 'all' | 'source';
}

export interface Batch {
  /** One Float32Array per view, each [batchSize, sampleLength] row-major. */
  views: Float32Array[];
  /** [batchSize, numTags] multi-hot labels. */
  labels: Float32Array;
  /** 1 = noisy (target domain), 0 = clean (source domain). */
  domain: Uint8Array;
  /** SNR in dB of each noisy sample, NaN for clean ones. */
  snr: Float32Array;
  /** Cache entry index of each sample. */
  clips: Int32Array;
  batchSize: number;
  sampleLength: number;
  numTags: number;
  epoch: number;
  step: number;
}

interface Pending {
  promise: Promise<Batch>;
}

export class BatchLoader {
  readonly tags: string[];
  readonly batchesPerEpoch: number;
  private readonly music: CacheReader;
  private readonly noiseReaders: CacheReader[] = [];
  private readonly noisePools: NoisePool[] = [];
  private readonly indices: number[];
  private readonly domains: Uint8Array;
  private readonly cfg: PipelineConfig;
  private readonly seed: number;
  private snrRange: SnrRange;
  private step = 0;
  private queue: Pending[] = [];
  private workers: Worker[] = [];
  private workersReady: Promise<void> | null = null;
  private replies = new Map<number, (r: WorkerReply) => void>();
  private nextRequest = 0;
  private closed = false;

  constructor(private readonly opts: BatchLoaderOptions) {
    if (!(opts.batchSize >= 1)) throw new RangeError(`batchSize must be >= 1 (got ${opts.batchSize})`);
    this.seed = opts.seed ?? 0;
    this.music = new CacheReader(opts.cacheDir);
    this.tags = this.music.tags;
    const all = this.music.indicesOf(opts.split ?? 'train');
    if (all.length === 0) throw new Error(`cache ${opts.cacheDir} has no clips in the ${opts.split ?? 'train'} split`);
    if (opts.clips === 'source' && opts.noise?.cacheDirs.length) throw new Error("BatchLoader: clips 'source' is the clean half; it takes no noise");
    // The same assignment as the 'assigned' noisy half below, over the full split, so the halves match DAT's.
    const sourceHalf = opts.clips === 'source' ? assignDomains(all.length, this.seed) : null;
    this.indices = sourceHalf ? all.filter((_, i) => sourceHalf[i] === 0) : all;
    const full = Math.floor(this.indices.length / opts.batchSize);
    this.batchesPerEpoch = opts.dropLast === false ? Math.ceil(this.indices.length / opts.batchSize) : full;
    if (this.batchesPerEpoch === 0) throw new Error(`${this.indices.length} clips cannot fill one batch of ${opts.batchSize}`);
    const noise = opts.noise;
    const k = noise?.k ?? [1, 2, 4];
    this.cfg = {
      sampleLength: opts.sampleLength ?? DEFAULT_SAMPLE_LENGTH,
      views: opts.views ?? 1,
      augment: opts.augment ?? false,
      sampleRate: this.music.index.sampleRate,
      noiseK: Array.isArray(k) ? k : [k],
    };
    this.snrRange = noise?.snrRange ?? TRAINING_SNR_RANGE;
    for (const dir of noise?.cacheDirs ?? []) {
      const r = new CacheReader(dir);
      const idx = r.indicesOf(noise?.split ?? opts.split ?? 'train');
      if (idx.length === 0) throw new Error(`noise cache ${dir} has no clips in the ${noise?.split ?? opts.split ?? 'train'} split`);
      this.noiseReaders.push(r);
      this.noisePools.push({ source: clipSource(r), indices: idx });
    }
    const noisy = noise && noise.cacheDirs.length > 0;
    this.domains = !noisy
      ? new Uint8Array(this.indices.length)
      : noise.domains === 'all'
        ? new Uint8Array(this.indices.length).fill(1)
        : assignDomains(this.indices.length, this.seed);
    const requested = opts.workers ?? Math.max(1, availableParallelism() - 1);
    if (requested > 0) this.workersReady = this.startWorkers(requested);
  }

  /** Resolves to the number of worker threads running (0: batches are built in the main thread). */
  async ready(): Promise<number> {
    if (this.workersReady) await this.workersReady;
    return this.workers.length;
  }

  /** Easy-to-hard schedules widen the SNR range as training goes; affects batches planned after the call. */
  setSnrRange(range: SnrRange): void {
    this.snrRange = [range[0], range[1]];
  }

  /** Jump to a step (resume): the batches from there on are the ones an uninterrupted run would see. */
  seek(step: number): void {
    this.queue = [];
    this.step = step;
  }

  async next(): Promise<Batch> {
    if (this.closed) throw new Error('BatchLoader is closed');
    const ahead = Math.max(1, this.opts.prefetch ?? 2);
    while (this.queue.length < ahead) this.queue.push({ promise: this.build(this.step++) });
    const head = this.queue.shift()!;
    this.queue.push({ promise: this.build(this.step++) });
    return head.promise;
  }

  /** The specs of batch `step`; pure function of the seed and the step. */
  plan(step: number): { specs: SampleSpec[]; clips: number[]; epoch: number } {
    const epoch = Math.floor(step / this.batchesPerEpoch);
    const within = step % this.batchesPerEpoch;
    const order = [...this.indices.keys()];
    if (this.opts.shuffle !== false) new Rng(mixSeed(this.seed, 0xe0c4, epoch)).shuffle(order);
    const B = this.opts.batchSize;
    const positions = order.slice(within * B, within * B + B);
    const specs: SampleSpec[] = positions.map((p, slot) => ({
      clip: this.indices[p],
      seed: mixSeed(this.seed, step, slot),
      noisy: this.domains[p] === 1,
      snr: this.opts.noise?.snr,
      snrRange: this.opts.noise?.snrRangeForEpoch?.(epoch) ?? this.snrRange,
    }));
    return { specs, clips: positions.map((p) => this.indices[p]), epoch };
  }

  private async build(step: number): Promise<Batch> {
    const { specs, clips, epoch } = this.plan(step);
    const B = specs.length;
    const L = this.cfg.sampleLength;
    const T = this.tags.length;
    const views = Array.from({ length: this.cfg.views }, () => new Float32Array(B * L));
    const snr = new Float32Array(B);
    if (this.workersReady) await this.workersReady;
    if (this.workers.length === 0) {
      const source = clipSource(this.music);
      specs.forEach((s, slot) => { snr[slot] = buildSample(source, this.noisePools, this.cfg, s, views, slot); });
    } else {
      // Contiguous chunks, one per worker, copied into place when they return.
      const W = this.workers.length;
      const per = Math.ceil(B / W);
      await Promise.all(this.workers.map(async (w, wi) => {
        const from = wi * per;
        const part = specs.slice(from, from + per);
        if (part.length === 0) return;
        const reply = await this.request(w, part);
        reply.views.forEach((v, vi) => views[vi].set(v, from * L));
        snr.set(reply.snr, from);
      }));
    }
    const labels = new Float32Array(B * T);
    const domain = new Uint8Array(B);
    specs.forEach((s, slot) => {
      for (const t of this.music.entries[s.clip].labels) labels[slot * T + t] = 1;
      domain[slot] = s.noisy ? 1 : 0;
    });
    return { views, labels, domain, snr, clips: Int32Array.from(clips), batchSize: B, sampleLength: L, numTags: T, epoch, step };
  }

  private request(w: Worker, specs: SampleSpec[]): Promise<WorkerReply> {
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, (r) => (r.error ? reject(new Error(`batch worker failed: ${r.error}`)) : resolve(r)));
      w.postMessage({ id, specs } satisfies WorkerRequest);
    });
  }

  private async startWorkers(n: number): Promise<void> {
    let source: string;
    try {
      source = await batchWorkerSource();
    } catch (e) {
      console.warn(`batch loader: worker threads unavailable (${(e as Error).message}); building batches in the main thread`);
      return;
    }
    if (this.closed) return;
    const init: WorkerInit = {
      musicDir: this.opts.cacheDir,
      noise: (this.opts.noise?.cacheDirs ?? []).map((dir, i) => ({ dir, indices: this.noisePools[i].indices })),
      cfg: this.cfg,
    };
    for (let i = 0; i < n; i++) {
      const w = new Worker(source, { eval: true, workerData: { robustTaggerBatchWorker: init } });
      w.on('message', (r: WorkerReply) => {
        const done = this.replies.get(r.id);
        this.replies.delete(r.id);
        done?.(r);
      });
      w.on('error', (e) => {
        for (const [id, done] of this.replies) done({ id, views: [], snr: new Float32Array(0), error: e.stack ?? String(e) });
        this.replies.clear();
      });
      this.workers.push(w);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.workersReady) await this.workersReady.catch(() => {});
    // Let batches already in flight finish so no worker reply is left dangling.
    await Promise.allSettled(this.queue.map((q) => q.promise));
    this.queue = [];
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
    this.music.close();
    for (const r of this.noiseReaders) r.close();
  }
}
