import { describe, expect, it } from 'vitest';
import {
  FULL_SNR_RANGE, advanceEpoch, createSnrSchedule, currentSnrRange, dannAlpha, datStageCurriculum,
  domainStageCurriculum, parseSnrSchedule, reversalScale, sampleSnrDb, serialiseSnrSchedule, snrRangeAt,
  trainingProgress,
} from '../../src/train/schedules.js';

describe('dannAlpha', () => {
  it('follows 2/(1+exp(-10p)) - 1', () => {
    expect(dannAlpha(0)).toBe(0);
    expect(dannAlpha(0.5)).toBeCloseTo(2 / (1 + Math.exp(-5)) - 1, 12); // 0.98661…
    expect(dannAlpha(0.1)).toBeCloseTo(0.46211715726, 10); // tanh(0.5)
    expect(dannAlpha(1)).toBeCloseTo(0.99990920, 8);
  });

  it('is monotone, clamps progress and rejects NaN', () => {
    for (let p = 0; p < 1; p += 0.01) expect(dannAlpha(p + 0.01)).toBeGreaterThan(dannAlpha(p));
    expect(dannAlpha(-1)).toBe(0);
    expect(dannAlpha(2)).toBe(dannAlpha(1));
    expect(() => dannAlpha(Number.NaN)).toThrow(/NaN/);
  });

  it('progress counts batches over the whole run', () => {
    expect(trainingProgress(0, 0, 10, 4)).toBe(0);
    expect(trainingProgress(1, 5, 10, 4)).toBe(15 / 40);
    expect(trainingProgress(3, 10, 10, 4)).toBe(1);
    expect(() => trainingProgress(0, 0, 0, 4)).toThrow();
  });
});

describe('reversalScale', () => {
  it('is λ when constant and λ·α(p) when scheduled', () => {
    expect(reversalScale({ lambda: 0.05, alphaSchedule: false }, 0)).toBe(0.05);
    expect(reversalScale({ lambda: 0.05, alphaSchedule: false }, 0.7)).toBe(0.05);
    expect(reversalScale({ lambda: 0.05, alphaSchedule: true }, 0)).toBe(0);
    expect(reversalScale({ lambda: 0.05, alphaSchedule: true }, 0.3)).toBeCloseTo(0.05 * dannAlpha(0.3), 15);
  });
});

describe('E2H SNR curriculum', () => {
  it('stage 2: [-10,-5], upper bound +1 dB every 3 epochs, capped at 10', () => {
    const spec = domainStageCurriculum();
    expect(snrRangeAt(spec, 0)).toEqual({ min: -10, max: -5 });
    expect(snrRangeAt(spec, 2)).toEqual({ min: -10, max: -5 });
    expect(snrRangeAt(spec, 3)).toEqual({ min: -10, max: -4 });
    expect(snrRangeAt(spec, 44)).toEqual({ min: -10, max: 9 });
    expect(snrRangeAt(spec, 45)).toEqual({ min: -10, max: 10 });
    expect(snrRangeAt(spec, 500)).toEqual({ min: -10, max: 10 });
  });

  it('stage 3: [5,10], lower bound -1 dB every 30 epochs, floored at -10', () => {
    const spec = datStageCurriculum();
    expect(snrRangeAt(spec, 29)).toEqual({ min: 5, max: 10 });
    expect(snrRangeAt(spec, 30)).toEqual({ min: 4, max: 10 });
    expect(snrRangeAt(spec, 449)).toEqual({ min: -9, max: 10 });
    expect(snrRangeAt(spec, 450)).toEqual({ min: -10, max: 10 });
    expect(snrRangeAt(spec, 799)).toEqual({ min: -10, max: 10 });
  });

  it('the period is a parameter for short demo runs', () => {
    expect(snrRangeAt(domainStageCurriculum(1), 7)).toEqual({ min: -10, max: 2 });
    expect(snrRangeAt(datStageCurriculum(2), 7)).toEqual({ min: 2, max: 10 });
  });

  it('state advances per epoch and survives a JSON round trip (resume)', () => {
    let s = createSnrSchedule(domainStageCurriculum(3));
    for (let e = 0; e < 7; e++) s = advanceEpoch(s);
    const resumed = parseSnrSchedule(serialiseSnrSchedule(s));
    expect(resumed).toEqual(s);
    expect(currentSnrRange(resumed)).toEqual({ min: -10, max: -3 });
    expect(currentSnrRange(advanceEpoch(advanceEpoch(resumed)))).toEqual({ min: -10, max: -2 });
    expect(currentSnrRange(createSnrSchedule(null, 12))).toEqual(FULL_SNR_RANGE);
  });

  it('rejects corrupt stored state with a reason', () => {
    expect(() => parseSnrSchedule('{"version":2,"spec":null,"epoch":0}')).toThrow(/version 2/);
    expect(() => parseSnrSchedule('{"version":1,"epoch":0}')).toThrow(/no "spec"/);
    expect(() => parseSnrSchedule('{"version":1,"spec":null}')).toThrow(/epoch/);
    const bad = { version: 1, spec: { ...datStageCurriculum(), periodEpochs: 0 }, epoch: 0 };
    expect(() => parseSnrSchedule(JSON.stringify(bad))).toThrow(/periodEpochs/);
  });
});

describe('sampleSnrDb', () => {
  it('draws integers uniformly over the inclusive range', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const counts = new Map<number, number>();
    const n = 21_000;
    for (let i = 0; i < n; i++) {
      const snr = sampleSnrDb(FULL_SNR_RANGE, random);
      expect(Number.isInteger(snr)).toBe(true);
      counts.set(snr, (counts.get(snr) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 21 }, (_, i) => i - 10));
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
    expect(sampleSnrDb({ min: 3, max: 3 }, () => 0.999999)).toBe(3);
    expect(sampleSnrDb({ min: -10, max: -5 }, () => 0)).toBe(-10);
  });
});
