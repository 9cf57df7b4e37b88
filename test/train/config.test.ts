import { describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../src/train/config.js';
import { ConfigError, STAGES, defaultConfig, resolveConfig, stageFields, validateConfig } from '../../src/train/config.js';

/** The issue list of the ConfigError thrown by fn (fails the test if none is thrown). */
function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('defaults from the thesis', () => {
  it('stage 1: NT-Xent τ 0.5, batch 48, Adam 3e-4, wd 1e-6', () => {
    expect(defaultConfig('pretrain')).toMatchObject({
      temperature: 0.5, batchSize: 48, learningRate: 3e-4, weightDecay: 1e-6, projectionDim: 64, noisyFraction: 0.5,
    });
  });

  it('stages 2-3 and the comparison models: lr 1e-4; final stages 800 epochs, batch 48', () => {
    for (const s of ['domain', 'dat', 'baseline', 'supervised'] as const) expect(defaultConfig(s).learningRate).toBe(1e-4);
    for (const s of ['dat', 'baseline', 'supervised'] as const) {
      expect(defaultConfig(s)).toMatchObject({ epochs: 800, batchSize: 48 });
    }
    expect(defaultConfig('dat')).toMatchObject({
      lambda: 0.05, alphaSchedule: true, domainClassifier: 'finetune', curriculumPeriodEpochs: 30, // frozen flips the DC: docs/models.md
    });
    expect(defaultConfig('domain')).toMatchObject({ curriculum: true, curriculumPeriodEpochs: 3 });
  });

  it('every default passes its own validator, and defaults are fresh copies', () => {
    for (const s of STAGES) expect(validateConfig(defaultConfig(s))).toEqual(defaultConfig(s));
    const a = defaultConfig('dat');
    a.lambda = 1;
    expect(defaultConfig('dat').lambda).toBe(0.05);
  });
});

describe('validateConfig messages', () => {
  it('fills defaults for a partial config', () => {
    const c = validateConfig({ stage: 'dat', lambda: 0.1 }) as Extract<TrainConfig, { stage: 'dat' }>;
    expect(c.lambda).toBe(0.1);
    expect(c.batchSize).toBe(48);
  });

  it('names a missing or wrong stage and lists the allowed ones', () => {
    expect(issuesOf(() => validateConfig({ lambda: 1 }))).toEqual([
      'stage: missing; expected one of "pretrain", "domain", "dat", "baseline", "supervised"',
    ]);
    expect(issuesOf(() => validateConfig({ stage: 'finetune' }))[0]).toBe(
      'stage: expected one of "pretrain", "domain", "dat", "baseline", "supervised", got "finetune" (a string)',
    );
    expect(issuesOf(() => validateConfig([]))[0]).toBe('config must be a JSON object, got [] (an array)');
  });

  it('unknown keys: suggests the close key, or the stage it belongs to', () => {
    const [typo] = issuesOf(() => validateConfig({ stage: 'dat', batchsize: 16 }));
    expect(typo).toMatch(/^unknown key "batchsize" for stage "dat" \(did you mean "batchSize"\?\); allowed keys: seed, epochs, batchSize/);
    const [other] = issuesOf(() => validateConfig({ stage: 'baseline', alphaSchedule: true }));
    expect(other).toMatch(/^unknown key "alphaSchedule" for stage "baseline" \(it belongs to stage "dat"\)/);
  });

  it('wrong types say what is allowed and what was given', () => {
    const issues = issuesOf(() =>
      validateConfig({ stage: 'dat', batchSize: '16', alphaSchedule: 'yes', domainClassifier: 'frozen ', initCheckpoint: 3 }),
    );
    expect(issues).toEqual([
      'batchSize: expected an integer >= 1 and <= 65536, got "16" (a string)',
      'alphaSchedule: expected true or false, got "yes" (a string)',
      'domainClassifier: expected one of "frozen", "finetune", got "frozen " (a string)',
      'initCheckpoint: expected a file path or null, got 3 (a number)',
    ]);
  });

  it('out-of-range values name the bounds, open or closed', () => {
    const issues = issuesOf(() =>
      validateConfig({ stage: 'dat', lambda: -1, learningRate: 0, noisyFraction: 1, epochs: 2.5, noisesPerMix: 3 }),
    );
    expect(issues).toEqual([
      'lambda: expected a number >= 0 and <= 10, got -1 (a number)',
      'learningRate: expected a number > 0 and <= 1, got 0 (a number)',
      'noisyFraction: expected a number > 0 and < 1, got 1 (a number)',
      'epochs: expected an integer >= 1, got 2.5 (a number)',
      'noisesPerMix: expected one of 1, 2, 4, got 3 (a number)',
    ]);
    expect(issuesOf(() => validateConfig({ stage: 'pretrain', temperature: 0 }))[0]).toBe(
      'temperature: expected a number > 0 and <= 10, got 0 (a number)',
    );
    // The curriculum itself (train/schedules.ts) divides by the period and relies on this check.
    expect(issuesOf(() => validateConfig({ stage: 'dat', curriculumPeriodEpochs: 0 }))[0]).toMatch(/^curriculumPeriodEpochs: expected an integer >= 1, got 0/);
  });

  it('the thrown message lists every issue', () => {
    expect(() => validateConfig({ stage: 'dat', lambda: -1, epochs: 0 })).toThrow(
      /invalid training configuration:\n {2}- lambda: .*\n {2}- epochs: /,
    );
  });
});

describe('CLI overrides', () => {
  // The flags themselves are parsed by commander from stageFields (test/cli/train.test.ts).
  it('stageFields lists each stage\'s own fields', () => {
    expect(stageFields('dat').map(([k]) => k)).toEqual(expect.arrayContaining(['lambda', 'alphaSchedule', 'domainClassifier', 'batchSize']));
    expect(stageFields('baseline').map(([k]) => k)).not.toContain('lambda');
  });

  it('resolveConfig: defaults ← file ← CLI, and a stage mismatch is an error', () => {
    const c = resolveConfig({ file: { stage: 'dat', batchSize: 32, lambda: 0.1 }, overrides: { batchSize: 16 } });
    expect(c).toMatchObject({ stage: 'dat', batchSize: 16, lambda: 0.1, epochs: 800 });
    expect(resolveConfig({ stage: 'baseline', overrides: { epochs: 3 } })).toMatchObject({ stage: 'baseline', epochs: 3 });
    expect(issuesOf(() => resolveConfig({ file: { stage: 'dat' }, stage: 'baseline' }))[0]).toBe(
      'stage: the config file says "dat" (a string) but the command is "baseline"',
    );
    expect(issuesOf(() => resolveConfig({ file: { stage: 'dat', lamda: 1 } }))[0]).toMatch(/did you mean "lambda"/);
  });
});
