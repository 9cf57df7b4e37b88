// Building the noise track for one training crop: k noise clips (k = 1, 2 or
// 4 in the thesis), each a random crop of a random clip, looped when the clip
// is shorter than the crop, each normalised to unit power before summing so
// that no single loud recording dominates the mixture.
import { meanSquare, SILENCE_POWER } from './mix.js';
import type { Rng } from './rng.js';

/** Anything clips can be read from: the cache reader, or arrays in memory. */
export interface ClipSource {
  clipLength(i: number): number;
  /** Samples past the clip's end read as zero. */
  readInto(i: number, start: number, length: number, out: Float32Array, outOffset?: number): void;
}

export class ArraySource implements ClipSource {
  constructor(readonly clips: Float32Array[]) {}
  clipLength(i: number): number {
    return this.clips[i].length;
  }
  readInto(i: number, start: number, length: number, out: Float32Array, outOffset = 0): void {
    const c = this.clips[i];
    for (let k = 0; k < length; k++) out[outOffset + k] = start + k < c.length && start + k >= 0 ? c[start + k] : 0;
  }
}

/**
 * A random crop of clip i of `length` samples. A longer clip gives a random
 * window; a shorter one is looped from a random phase (pad: false) or
 * zero-padded at a random offset (pad: true, used for music so no seam is
 * invented inside a song).
 */
export function readRandomCrop(src: ClipSource, i: number, length: number, rng: Rng, out: Float32Array, pad = false): void {
  const n = src.clipLength(i);
  if (n >= length) {
    src.readInto(i, rng.int(0, n - length), length, out, 0);
    return;
  }
  if (pad || n === 0) {
    out.fill(0);
    if (n > 0) src.readInto(i, 0, n, out, rng.int(0, length - n));
    return;
  }
  let pos = 0;
  let start = rng.int(0, n - 1);
  while (pos < length) {
    const take = Math.min(n - start, length - pos);
    src.readInto(i, start, take, out, pos);
    pos += take;
    start = 0;
  }
}

/** Sum of k unit-power noise crops drawn from `indices` of `src`. */
export function makeNoiseTrack(src: ClipSource, indices: readonly number[], k: number, length: number, rng: Rng): Float32Array {
  if (indices.length === 0) throw new Error('noise set has no clips in the requested split');
  const sum = new Float32Array(length);
  const crop = new Float32Array(length);
  for (let j = 0; j < k; j++) {
    readRandomCrop(src, rng.pick(indices), length, rng, crop);
    const p = meanSquare(crop);
    if (p < SILENCE_POWER) continue; // a silent stretch adds nothing; mixAtSnr reports all-silent noise
    const g = 1 / Math.sqrt(p);
    for (let t = 0; t < length; t++) sum[t] += g * crop[t];
  }
  return sum;
}
