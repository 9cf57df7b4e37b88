// Turns one planned sample (which clip, its seed, clean or noisy) into its
// views: crop -> mix noise at an SNR -> augment. Runs identically in worker
// threads and in the main thread; every random draw comes from the sample's
// own seed, so the result does not depend on which thread built it.
import { applyClmrChain } from './augment/chain.js';
import { type SnrRange, TRAINING_SNR_RANGE, drawSnr, mixAtSnr } from './mix.js';
import { makeNoiseTrack, readRandomCrop } from './noiseMix.js';
import type { ClipSource } from './noiseMix.js';
import { Rng, mixSeed } from './rng.js';

export interface SampleSpec {
  clip: number;
  seed: number;
  noisy: boolean;
  /** Fixed SNR (evaluation) or drawn per sample from snrRange (training). */
  snr?: number;
  snrRange?: SnrRange;
}

export interface PipelineConfig {
  sampleLength: number;
  views: number;
  augment: boolean;
  sampleRate: number;
  /** Allowed numbers of noise clips per mixture; one is drawn per sample. */
  noiseK: number[];
}

export interface NoisePool {
  source: ClipSource;
  indices: number[];
}

/** Writes view v of the sample into views[v] at sample offset `slot * sampleLength`; returns the SNR used (NaN if clean). */
export function buildSample(
  music: ClipSource,
  noise: NoisePool[],
  cfg: PipelineConfig,
  spec: SampleSpec,
  views: Float32Array[],
  slot: number,
): number {
  const L = cfg.sampleLength;
  const sampleRng = new Rng(mixSeed(spec.seed, 0x5a));
  let snr = NaN;
  if (spec.noisy) {
    if (noise.length === 0) throw new Error('a noisy sample was planned but no noise set is loaded');
    snr = spec.snr ?? drawSnr(sampleRng, spec.snrRange ?? TRAINING_SNR_RANGE);
  }
  const crop = new Float32Array(L);
  for (let v = 0; v < cfg.views; v++) {
    // Each view is its own random crop with its own noise and augmentations (CLMR's two views).
    const rng = new Rng(mixSeed(spec.seed, v + 1));
    readRandomCrop(music, spec.clip, L, rng, crop, true);
    let x: Float32Array = crop;
    if (spec.noisy) {
      const pool = rng.pick(noise);
      const k = rng.pick(cfg.noiseK);
      const track = makeNoiseTrack(pool.source, pool.indices, k, L, rng);
      x = mixAtSnr(crop, track, snr).out;
    }
    if (cfg.augment) applyClmrChain(x, rng, cfg.sampleRate);
    views[v].set(x, slot * L);
  }
  return snr;
}
