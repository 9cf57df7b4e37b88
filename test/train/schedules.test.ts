import { describe, expect, it } from 'vitest';
import { TRAINING_SNR_RANGE } from '../../src/data/mix.js';
import { dannAlpha, datStageCurriculum, domainStageCurriculum, reversalScale, snrRangeAt, trainingProgress } from '../../src/train/schedules.js';

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

  it('progress counts steps over the whole run, 0 at the first and 1 at the last', () => {
    // 4 epochs of 10 batches: 40 steps.
    expect(trainingProgress(0, 40)).toBe(0);
    expect(trainingProgress(15, 40)).toBe(15 / 39);
    expect(trainingProgress(39, 40)).toBe(1);
    expect(trainingProgress(0, 1)).toBe(1);
    expect(() => trainingProgress(0, 0)).toThrow(/totalSteps must be ≥ 1, got 0/);
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
    expect(snrRangeAt(spec, 0)).toEqual([-10, -5]);
    expect(snrRangeAt(spec, 2)).toEqual([-10, -5]);
    expect(snrRangeAt(spec, 3)).toEqual([-10, -4]);
    expect(snrRangeAt(spec, 44)).toEqual([-10, 9]);
    expect(snrRangeAt(spec, 45)).toEqual([-10, 10]);
    expect(snrRangeAt(spec, 500)).toEqual([-10, 10]);
  });

  it('stage 3: [5,10], lower bound -1 dB every 30 epochs, floored at -10', () => {
    const spec = datStageCurriculum();
    expect(snrRangeAt(spec, 29)).toEqual([5, 10]);
    expect(snrRangeAt(spec, 30)).toEqual([4, 10]);
    expect(snrRangeAt(spec, 449)).toEqual([-9, 10]);
    expect(snrRangeAt(spec, 450)).toEqual([-10, 10]);
    expect(snrRangeAt(spec, 799)).toEqual([-10, 10]);
  });

  it('the period is a parameter for short demo runs', () => {
    expect(snrRangeAt(domainStageCurriculum(1), 7)).toEqual([-10, 2]);
    expect(snrRangeAt(datStageCurriculum(2), 7)).toEqual([2, 10]);
  });

  it('a resumed run recomputes the range from its epoch; both curricula end at the training range', () => {
    expect(snrRangeAt(domainStageCurriculum(3), 7)).toEqual([-10, -3]);
    expect(snrRangeAt(domainStageCurriculum(3), 9)).toEqual([-10, -2]);
    expect(domainStageCurriculum().end).toEqual(TRAINING_SNR_RANGE);
    expect(datStageCurriculum().end).toEqual(TRAINING_SNR_RANGE);
  });
});
