// The sample-wise CLMR augmentations: polarity inversion, gain, Gaussian noise.
import type { Rng } from '../rng.js';

export function invertPolarity(x: Float32Array): void {
  for (let i = 0; i < x.length; i++) x[i] = -x[i];
}

/** Gain in dB, clamped to [-1, 1] as CLMR's Gain transform does. */
export function applyGain(x: Float32Array, db: number): void {
  const g = 10 ** (db / 20);
  for (let i = 0; i < x.length; i++) x[i] = Math.max(-1, Math.min(1, x[i] * g));
}

/** Adds white Gaussian noise whose std is `relStd` times the signal's std. */
export function addGaussianNoise(x: Float32Array, relStd: number, rng: Rng): void {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i];
  mean /= Math.max(1, x.length);
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - mean) ** 2;
  const std = Math.sqrt(v / Math.max(1, x.length)) * relStd;
  for (let i = 0; i < x.length; i++) x[i] += std * rng.normal();
}
