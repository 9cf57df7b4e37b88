// The evaluation grid's clip source over prepared caches: test-split music,
// clean or mixed with k noise clips from a noise set at a fixed SNR. The
// internal set contributes its held-out (test) files; the external set was
// never seen in training, so all of its files are test material (the thesis
// tests on all of MUSAN). The noise pick depends only on (seed, clip,
// condition), so every model is scored on the same noisy audio.
import { CacheReader } from '../data/cacheReader.js';
import { mixAtSnr } from '../data/mix.js';
import { makeNoiseTrack } from '../data/noiseMix.js';
import { Rng, hashString, mixSeed } from '../data/rng.js';
import type { CacheEntry } from '../data/cacheIndex.js';
import type { Split } from '../data/types.js';
import type { ClipProvider, Condition, EvalClip, NoiseSet } from './grid.js';

export interface NoiseSource {
  reader: CacheReader;
  indices: number[];
}

/** Which files of a noise cache are mixed in: one split, or `all` of them. */
export type NoiseSplit = Split | 'all';

export interface NoiseCacheSpec {
  cacheDir: string;
  /** Default: `test` for the internal set (never its training files), `all` for the external set. */
  split?: NoiseSplit;
}

/** One cache the evaluation read, and the entries it used (for provenance). */
export interface DataSource {
  role: 'music' | `${NoiseSet} noise`;
  dir: string;
  split: NoiseSplit;
  entries: CacheEntry[];
}

export interface CacheClipOptions {
  musicCache: string;
  split?: Split;
  noise: Partial<Record<NoiseSet, NoiseCacheSpec>>;
  /** Noise clips summed per mixture. */
  k?: number;
  seed?: number;
  /** Evaluate only the first N clips of the split (quick runs). */
  maxClips?: number;
}

function noiseSplit(set: NoiseSet, spec: NoiseCacheSpec): NoiseSplit {
  return spec.split ?? (set === 'external' ? 'all' : 'test');
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
    for (const [set, spec] of Object.entries(opts.noise) as [NoiseSet, NoiseCacheSpec][]) {
      const reader = new CacheReader(spec.cacheDir);
      const split = noiseSplit(set, spec);
      const indices = split === 'all' ? reader.entries.map((_, i) => i) : reader.indicesOf(split);
      if (indices.length === 0) throw new Error(`${spec.cacheDir}: the ${set} noise set has no clips in its ${split} split`);
      this.noise.set(set, { reader, indices });
    }
  }

  /** The caches read and the entries used from each, music first. */
  sources(): DataSource[] {
    const out: DataSource[] = [{ role: 'music', dir: this.opts.musicCache, split: this.opts.split ?? 'test', entries: this.indices.map((i) => this.music.entries[i]) }];
    for (const [set, source] of this.noise) {
      const spec = this.opts.noise[set]!;
      out.push({ role: `${set} noise`, dir: spec.cacheDir, split: noiseSplit(set, spec), entries: source.indices.map((i) => source.reader.entries[i]) });
    }
    return out;
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
