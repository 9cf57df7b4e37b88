import { describe, it, expect } from 'vitest';
import { mixAtSnr, meanSquare, assignDomains, drawSnr, addLooped, TRAINING_SNR_RANGE } from '../../src/data/mix.js';
import { ArraySource, makeNoiseTrack, readRandomCrop } from '../../src/data/noiseMix.js';
import { Rng } from '../../src/data/rng.js';
import { sine } from './helpers.js';

function measuredSnr(music: Float32Array, out: Float32Array, outputGain: number): number {
  // What is left after removing the (scaled) music is the noise actually added.
  const residual = new Float32Array(out.length);
  for (let i = 0; i < out.length; i++) residual[i] = out[i] - outputGain * music[i];
  return 10 * Math.log10((meanSquare(music) * outputGain ** 2) / meanSquare(residual));
}

describe('SNR mixing', () => {
  const rng = new Rng(42);
  const noiseClips = [0, 1, 2, 3, 4].map((j) => {
    const x = new Float32Array(3000 + 2000 * j); // some shorter than the crop: looped
    for (let i = 0; i < x.length; i++) x[i] = (0.05 + 0.2 * j) * rng.normal();
    return x;
  });
  const source = new ArraySource(noiseClips);
  const music = sine(330, 22050, 8192, 0.3);

  for (const k of [1, 2, 4]) {
    for (const snr of [-10, -5, 0, 5, 10]) {
      it(`hits ${snr} dB within 0.01 dB with k = ${k} noise clips`, () => {
        const noise = makeNoiseTrack(source, [0, 1, 2, 3, 4], k, music.length, rng);
        const r = mixAtSnr(music, noise, snr);
        expect(r.status).toBe('mixed');
        expect(Math.abs(measuredSnr(music, r.out, r.outputGain) - snr)).toBeLessThan(0.01);
      });
    }
  }

  it('scales music and noise together instead of clipping, keeping the SNR', () => {
    const loud = sine(330, 22050, 8192, 0.95);
    const noise = makeNoiseTrack(source, [4], 2, loud.length, rng);
    const r = mixAtSnr(loud, noise, -10);
    expect(r.outputGain).toBeLessThan(1);
    let peak = 0;
    for (const v of r.out) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeLessThanOrEqual(1 + 1e-6);
    expect(Math.abs(measuredSnr(loud, r.out, r.outputGain) - -10)).toBeLessThan(0.01);
  });

  it('guards silent music and silent noise', () => {
    const silent = new Float32Array(1000);
    const noise = makeNoiseTrack(source, [0], 1, 1000, rng);
    const a = mixAtSnr(silent, noise, 0);
    expect(a.status).toBe('silent-music');
    expect(a.out.every((v) => v === 0)).toBe(true);
    const m = sine(100, 22050, 1000);
    const b = mixAtSnr(m, new Float32Array(1000), 0);
    expect(b.status).toBe('silent-noise');
    expect(b.out).toEqual(m);
    expect([...b.out].every(Number.isFinite)).toBe(true);
  });

  it('loops a short noise clip to fill the crop', () => {
    const src = new ArraySource([Float32Array.from([1, 2, 3])]);
    const out = new Float32Array(8);
    readRandomCrop(src, 0, 8, new Rng(1), out);
    const start = out[0] - 1;
    expect([...out]).toEqual([...Array(8).keys()].map((i) => ((start + i) % 3) + 1));
    const dst = new Float32Array(5);
    addLooped(dst, Float32Array.from([1, 2]), 1);
    expect([...dst]).toEqual([2, 1, 2, 1, 2]);
  });

  it('draws integer SNRs from the whole range and fixes domains half and half by seed', () => {
    const r = new Rng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(drawSnr(r, [-10, 10]));
    expect([...seen].sort((a, b) => a - b)).toEqual([...Array(21).keys()].map((i) => i - 10));
    const d = assignDomains(101, 7);
    expect(d.reduce((s, v) => s + v, 0)).toBe(50);
    expect(assignDomains(101, 7)).toEqual(d);
    expect(assignDomains(101, 8)).not.toEqual(d);
  });
});

describe('drawSnr', () => {
  it('draws integers uniformly over the inclusive range', () => {
    const r = new Rng(42);
    const counts = new Map<number, number>();
    const n = 21_000;
    for (let i = 0; i < n; i++) {
      const snr = drawSnr(r, TRAINING_SNR_RANGE);
      expect(Number.isInteger(snr)).toBe(true);
      counts.set(snr, (counts.get(snr) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 21 }, (_, i) => i - 10));
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
    expect(drawSnr(r, [3, 3])).toBe(3);
    const low = new Set(Array.from({ length: 200 }, () => drawSnr(r, [-10, -5])));
    expect([...low].sort((a, b) => a - b)).toEqual([-10, -9, -8, -7, -6, -5]);
  });
});
