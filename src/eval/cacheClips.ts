// The evaluation grid's clip source over prepared caches: test-split music,
// clean or mixed with k noise clips from a noise set's held-out files at a
// fixed SNR. The noise pick depends only on (seed, clip, condition), so every
// model is scored on the same noisy audio.
import { CacheReader } from '../data/cacheReader.js';
import { mixAtSnr } from '../data/mix.js';
import { makeNoiseTrack } from '../data/noiseMix.js';
import { Rng, hashString, mixSeed } from '../data/rng.js';
import type { Split } from '../data/types.js';
import type { ClipProvider, Condition, EvalClip, NoiseSet } from './grid.js';

export interface NoiseSource {
  reader: CacheReader;
  indices: number[];
}

export interface CacheClipOptions {
  musicCache: string;
  split?: Split;
  /** Noise caches by set; the internal set's `split` files (never its training files). */
  noise: Partial<Record<NoiseSet, { cacheDir: string; split: Split }>>;
  /** Noise clips summed per mixture. */
  k?: number;
  seed?: number;
  /** Evaluate only the first N clips of the split (quick runs). */
  maxClips?: number;
}

export class CacheClipProvider implements ClipProvider {
  readonly tagNames: readonly string[];
  private readonly music: CacheReader;
  private readonly indices: number[];
  private readonly noise = new Map<NoiseSet, NoiseSource>();

  constructor(private readonly opts: CacheClipOptions) {
    this.music = new CacheReader(opts.musicCache);
    this.tagNames = this.music.tags;
    const split = opts.split ?? 'test';
    this.indices = this.music.indicesOf(split).slice(0, opts.maxClips ?? Infinity);
    if (this.indices.length === 0) throw new Error(`${opts.musicCache}: no clips in the ${split} split to evaluate`);
    for (const [set, spec] of Object.entries(opts.noise) as [NoiseSet, { cacheDir: string; split: Split }][]) {
      const reader = new CacheReader(spec.cacheDir);
      const indices = reader.indicesOf(spec.split);
      if (indices.length === 0) throw new Error(`${spec.cacheDir}: the ${set} noise set has no clips in its ${spec.split} split`);
      this.noise.set(set, { reader, indices });
    }
  }

  get clipCount(): number {
    return this.indices.length;
  }

  *clips(condition: Condition): Iterable<EvalClip> {
    const source = condition.kind === 'noisy' ? this.noise.get(condition.noise) : undefined;
    if (condition.kind === 'noisy' && !source) throw new Error(`no ${condition.noise} noise set was given for condition ${condition.id}`);
    for (const i of this.indices) {
      const entry = this.music.entries[i];
      const audio = new Float32Array(entry.length);
      this.music.readInto(i, 0, entry.length, audio);
      const labels = new Uint8Array(this.tagNames.length);
      for (const t of entry.labels) labels[t] = 1;
      if (condition.kind === 'noisy' && source) {
        const rng = new Rng(mixSeed(this.opts.seed ?? 0, hashString(entry.id), hashString(condition.id)));
        const noise = makeNoiseTrack(source.reader, source.indices, this.opts.k ?? 1, audio.length, rng);
        mixAtSnr(audio, noise, condition.snrDb, audio);
      }
      yield { id: entry.id, audio, labels };
    }
  }

  close(): void {
    this.music.close?.();
    for (const n of this.noise.values()) n.reader.close?.();
  }
}
