// The CLMR augmentation chain (after the random crop), with the
// probabilities and ranges of CLMR's training setup. Each view of a clip gets
// its own draw; all draws come from the caller's seeded Rng.
import type { Rng } from '../rng.js';
import { addGaussianNoise, applyGain, invertPolarity } from './pointwise.js';
import { applyBiquad } from './filter.js';
import { applyDelay } from './delay.js';
import { pitchShift } from './pitchShift.js';
import { applyReverb } from './reverb.js';

export const CLMR_AUGMENT = {
  polarityP: 0.8,
  noiseP: 0.01,
  noiseRelStd: [1e-4, 1e-2] as const,
  gainP: 0.3,
  gainDb: [-20, -1] as const,
  filterP: 0.8,
  highPassHz: [200, 1200] as const,
  lowPassHz: [2200, 4000] as const,
  delayP: 0.3,
  delayMs: [200, 250, 300, 350, 400, 450] as const,
  pitchP: 0.6,
  pitchCents: 700,
  reverbP: 0.6,
};

/** Applies the chain to x in place (pitch shift copies back into x). Returns what was applied, for logs and tests. */
export function applyClmrChain(x: Float32Array, rng: Rng, sampleRate: number): string[] {
  const a = CLMR_AUGMENT;
  const applied: string[] = [];
  if (rng.bernoulli(a.polarityP)) {
    invertPolarity(x);
    applied.push('polarity');
  }
  if (rng.bernoulli(a.noiseP)) {
    addGaussianNoise(x, rng.uniform(a.noiseRelStd[0], a.noiseRelStd[1]), rng);
    applied.push('noise');
  }
  if (rng.bernoulli(a.gainP)) {
    applyGain(x, rng.uniform(a.gainDb[0], a.gainDb[1]));
    applied.push('gain');
  }
  if (rng.bernoulli(a.filterP)) {
    const high = rng.bernoulli(0.5);
    const cutoff = high ? rng.uniform(a.highPassHz[0], a.highPassHz[1]) : rng.uniform(a.lowPassHz[0], a.lowPassHz[1]);
    applyBiquad(x, high ? 'highpass' : 'lowpass', cutoff, sampleRate);
    applied.push(high ? 'highpass' : 'lowpass');
  }
  if (rng.bernoulli(a.delayP)) {
    applyDelay(x, rng.pick(a.delayMs), sampleRate);
    applied.push('delay');
  }
  if (rng.bernoulli(a.pitchP)) {
    x.set(pitchShift(x, rng.uniform(-a.pitchCents, a.pitchCents)));
    applied.push('pitch');
  }
  if (rng.bernoulli(a.reverbP)) {
    applyReverb(x, { reverberance: rng.uniform(0, 100), damping: rng.uniform(0, 100), roomSize: rng.uniform(0, 100) }, sampleRate);
    applied.push('reverb');
  }
  return applied;
}
