import { describe, it, expect } from 'vitest';
import { applyBiquad } from '../../src/data/augment/filter.js';
import { applyDelay } from '../../src/data/augment/delay.js';
import { pitchShift } from '../../src/data/augment/pitchShift.js';
import { applyReverb } from '../../src/data/augment/reverb.js';
import { applyGain, invertPolarity, addGaussianNoise } from '../../src/data/augment/pointwise.js';
import { applyClmrChain, CLMR_AUGMENT } from '../../src/data/augment/chain.js';
import { Rng } from '../../src/data/rng.js';
import { sine, rms, peakFrequency } from './helpers.js';

const SR = 22050;
const db = (a: number, b: number) => 20 * Math.log10(a / b);

describe('CLMR augmentations', () => {
  for (const [kind, fc] of [['lowpass', 3000], ['highpass', 700]] as const) {
    it(`${kind} at ${fc} Hz attenuates a sine at the cutoff by 3 dB and passes the passband`, () => {
      const x = sine(fc, SR, SR, 0.5);
      applyBiquad(x, kind, fc, SR);
      expect(db(rms(x, SR / 2), rms(sine(fc, SR, SR, 0.5), SR / 2))).toBeCloseTo(-3.01, 1);
      const pass = sine(kind === 'lowpass' ? 100 : 8000, SR, SR, 0.5);
      const before = rms(pass, SR / 2);
      applyBiquad(pass, kind, fc, SR);
      expect(Math.abs(db(rms(pass, SR / 2), before))).toBeLessThan(0.3);
      const stop = sine(kind === 'lowpass' ? 10000 : 80, SR, SR, 0.5);
      applyBiquad(stop, kind, fc, SR);
      expect(db(rms(stop, SR / 2), before)).toBeLessThan(-20);
    });
  }

  it('delay adds a half-level echo at the requested lag and halves the sum', () => {
    const x = new Float32Array(SR);
    x[100] = 1;
    applyDelay(x, 300, SR);
    const lag = Math.round(0.3 * SR);
    expect(x[100]).toBeCloseTo(0.5, 6);
    expect(x[100 + lag]).toBeCloseTo(0.25, 6);
    expect(x.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0)).toBe(2);
  });

  for (const cents of [700, -700, 300]) {
    it(`pitch shift by ${cents} cents moves a 440 Hz sine to 440 * 2^(${cents}/1200) Hz, same length`, () => {
      const x = sine(440, SR, 16384, 0.5);
      const y = pitchShift(x, cents);
      expect(y.length).toBe(x.length);
      const want = 440 * 2 ** (cents / 1200);
      const got = peakFrequency(y.subarray(2048, 14336), SR, want - 60, want + 60, 1);
      expect(Math.abs(1200 * Math.log2(got / want))).toBeLessThan(15); // within 15 cents
      expect(rms(y, 2048, 14336)).toBeGreaterThan(0.25);
    });
  }

  it('reverb leaves an energy tail that grows with reverberance and decays', () => {
    const tail = (reverberance: number) => {
      const x = new Float32Array(SR);
      x[0] = 1;
      applyReverb(x, { reverberance, damping: 50, roomSize: 50 }, SR);
      return [rms(x, 2000, 6000), rms(x, 12000, 16000)];
    };
    const [shortEarly, shortLate] = tail(0);
    const [longEarly, longLate] = tail(99);
    expect(longEarly).toBeGreaterThan(1e-4);
    expect(longLate).toBeLessThan(longEarly); // it decays
    expect(longLate).toBeGreaterThan(shortLate * 3); // more reverberance, longer tail
    expect(shortEarly).toBeGreaterThan(0);
  });

  it('gain, polarity and Gaussian noise do what they say', () => {
    const x = sine(200, SR, 2000, 0.5);
    const y = x.slice();
    applyGain(y, -6);
    expect(db(rms(y), rms(x))).toBeCloseTo(-6, 3);
    const z = x.slice();
    applyGain(z, 20);
    expect(Math.max(...z)).toBeLessThanOrEqual(1);
    const p = x.slice();
    invertPolarity(p);
    expect(p[10]).toBe(-x[10]);
    const n = x.slice();
    addGaussianNoise(n, 0.01, new Rng(1));
    const diff = n.map((v, i) => v - x[i]);
    expect(rms(diff) / rms(x)).toBeCloseTo(0.01, 2);
  });

  it('chain applies each transform at its probability and is reproducible from the seed', () => {
    const counts: Record<string, number> = {};
    const rng = new Rng(11);
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      for (const a of applyClmrChain(sine(300, SR, 4096, 0.3), rng, SR)) counts[a] = (counts[a] ?? 0) + 1;
    }
    const near = (name: string, p: number) => expect(Math.abs((counts[name] ?? 0) / trials - p)).toBeLessThan(0.08);
    near('polarity', CLMR_AUGMENT.polarityP);
    near('gain', CLMR_AUGMENT.gainP);
    near('delay', CLMR_AUGMENT.delayP);
    near('pitch', CLMR_AUGMENT.pitchP);
    near('reverb', CLMR_AUGMENT.reverbP);
    expect(((counts.highpass ?? 0) + (counts.lowpass ?? 0)) / trials).toBeCloseTo(CLMR_AUGMENT.filterP, 1);
    const a = sine(300, SR, 4096, 0.3);
    const b = a.slice();
    applyClmrChain(a, new Rng(5), SR);
    applyClmrChain(b, new Rng(5), SR);
    expect(a).toEqual(b);
  });
});
