// Mixing noise into music at a target signal-to-noise ratio.
// SNR here is 10*log10(P_music / P_noise) with P the mean square over the
// crop, the definition the thesis' noisy-data construction uses.
import { Rng, mixSeed } from './rng.js';

/** Below this mean square (about -100 dBFS) a signal counts as silent. */
export const SILENCE_POWER = 1e-10;

export function meanSquare(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s / Math.max(1, x.length);
}

export type MixStatus = 'mixed' | 'silent-music' | 'silent-noise';

export interface MixResult {
  out: Float32Array;
  status: MixStatus;
  /** Gain applied to the noise before adding it (before any anti-clipping scale). */
  noiseGain: number;
  /** Common gain applied to music and noise to keep the peak within [-1, 1]. */
  outputGain: number;
}

/**
 * out = g * (music + a * noise) with a chosen so the SNR is exactly snrDb and
 * g <= 1 only when the sum would clip; g scales both parts alike, so the
 * SNR is unchanged. Silent music has no defined SNR and silent noise cannot
 * be scaled up to one: both return the music unchanged with a status saying so.
 */
export function mixAtSnr(music: Float32Array, noise: Float32Array, snrDb: number, out = new Float32Array(music.length)): MixResult {
  if (noise.length !== music.length) throw new RangeError(`noise length ${noise.length} != music length ${music.length}`);
  const pm = meanSquare(music);
  const pn = meanSquare(noise);
  if (pm < SILENCE_POWER || pn < SILENCE_POWER) {
    out.set(music);
    return { out, status: pm < SILENCE_POWER ? 'silent-music' : 'silent-noise', noiseGain: 0, outputGain: 1 };
  }
  // Computed in float64: the result must hit the SNR to 0.01 dB.
  const noiseGain = Math.sqrt(pm / (pn * 10 ** (snrDb / 10)));
  let peak = 0;
  for (let i = 0; i < music.length; i++) {
    const v = music[i] + noiseGain * noise[i];
    out[i] = v;
    const a = Math.abs(v);
    if (a > peak) peak = a;
  }
  const outputGain = peak > 1 ? 1 / peak : 1;
  if (outputGain !== 1) for (let i = 0; i < out.length; i++) out[i] *= outputGain;
  return { out, status: 'mixed', noiseGain, outputGain };
}

/** Adds `src` looped from `start` into dst (a noise clip shorter than the crop repeats). */
export function addLooped(dst: Float32Array, src: Float32Array, start: number, gain = 1): void {
  if (src.length === 0) return;
  let j = ((start % src.length) + src.length) % src.length;
  for (let i = 0; i < dst.length; i++) {
    dst[i] += gain * src[j];
    if (++j === src.length) j = 0;
  }
}

/** An inclusive range of SNRs in dB, [lowest, highest]. */
export type SnrRange = readonly [number, number];

/**
 * The SNRs a noisy training sample draws from without a curriculum, and where
 * both E2H curricula end (thesis §4.3).
 */
export const TRAINING_SNR_RANGE: SnrRange = [-10, 10];

/** An integer SNR in [lo, hi], uniform, drawn per sample for training. */
export function drawSnr(rng: Rng, range: SnrRange): number {
  return rng.int(Math.ceil(range[0]), Math.floor(range[1]));
}

/**
 * Clean/noisy domain of each training clip: exactly half noisy (1), half
 * clean (0), chosen by a seeded permutation so the assignment is fixed for a
 * run and independent of batch order.
 */
export function assignDomains(n: number, seed: number): Uint8Array {
  const order = new Rng(mixSeed(seed, 0xd0a1)).shuffle([...Array(n).keys()]);
  const domain = new Uint8Array(n);
  for (let k = 0; k < Math.floor(n / 2); k++) domain[order[k]] = 1;
  return domain;
}
