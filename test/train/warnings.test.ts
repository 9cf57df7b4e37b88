// Warnings fire on constructed bad series, with the numbers in the sentence,
// and stay quiet on healthy ones.
import { describe, expect, test } from 'vitest';
import { type LogRecord, ntXentChance, series, stageWarnings } from '../../src/train/warnings.js';

/** `n` log records of a stage with fields computed from the step. */
function run(stage: string, n: number, fields: (step: number) => Record<string, number | null>): LogRecord[] {
  return Array.from({ length: n }, (_, i) => ({ stage, step: (i + 1) * 10, epoch: 0, ...fields(i + 1) }));
}

describe('stage warnings', () => {
  test('pretrain: NT-Xent that stays at ln(2B−1) is called out; a falling one is not', () => {
    const chance = ntXentChance(16);
    expect(chance).toBeCloseTo(Math.log(31), 12);
    const flat = run('pretrain', 30, (s) => ({ loss: chance - 0.03 + 0.01 * Math.sin(s) }));
    const w = stageWarnings('pretrain', flat, { batchSize: 16 });
    expect(w).toHaveLength(1);
    expect(w[0].kind).toBe('at-chance');
    expect(w[0].message).toBe('pretrain: NT-Xent 3.40 stays within 2% of chance ln(2B−1) = 3.43 (B = 16): the encoder is not learning');
    const learning = run('pretrain', 30, (s) => ({ loss: chance * Math.exp(-s / 15) }));
    expect(stageWarnings('pretrain', learning, { batchSize: 16 })).toEqual([]);
    // Without B the chance level is unknown: no guess.
    expect(stageWarnings('pretrain', flat)).toEqual([]);
  });

  test('domain: BCE near ln 2 is called out; a classifier that learned is not', () => {
    const w = stageWarnings('domain', run('domain', 20, () => ({ loss: 0.66 })));
    expect(w.map((x) => x.message)).toEqual(['domain: loss 0.66 near chance ln 2 = 0.69: the classifier cannot tell clean from noisy embeddings']);
    expect(stageWarnings('domain', run('domain', 20, (s) => ({ loss: 0.69 * Math.exp(-s / 5) })))).toEqual([]);
  });

  test('dat: a domain loss far above ln 2 means the frozen classifier is being flipped', () => {
    const records = run('dat', 40, (s) => ({ loss: 0, loss_label: 0.4 - s * 0.002, loss_domain: 0.76 + (5.4 * s) / 40 }));
    const w = stageWarnings('dat', records);
    expect(w).toHaveLength(1);
    expect(w[0].kind).toBe('flipping');
    expect(w[0].series).toBe('loss_domain');
    // The settled value is the mean of the last fifth of the run: steps 33-40 average 0.76 + 5.4 × 36.5 / 40 = 5.69.
    expect(w[0].message).toMatch(/^dat: domain loss 5\.69 > 3 × ln 2 = 2\.08, the encoder is flipping the frozen domain classifier/);
    // The lead's field names are read too, and a finetuned classifier gets a different explanation.
    const renamed = records.map((r) => ({ ...r, domainLoss: r.loss_domain, labelLoss: r.loss_label, loss_domain: undefined, loss_label: undefined })).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
    expect(stageWarnings('dat', renamed, { domainClassifierFrozen: false })[0].message).toMatch(/confidently wrong/);
  });

  test('dat: a domain loss near ln 2 with a falling label loss is healthy', () => {
    const records = run('dat', 40, (s) => ({ loss: 1, loss_label: 0.5 - s * 0.005, loss_domain: 0.69 + 0.05 * Math.sin(s) }));
    expect(stageWarnings('dat', records)).toEqual([]);
  });

  test('a non-finite loss (written as null by JSON) and a rising loss are divergence', () => {
    const nan = run('baseline', 10, (s) => ({ loss: s === 7 ? null : 0.5 }));
    const w = stageWarnings('baseline', JSON.parse(JSON.stringify(nan)));
    expect(w.map((x) => x.kind)).toEqual(['non-finite']);
    expect(w[0].message).toBe('baseline: loss became NaN at step 70: training diverged; lower the learning rate or check the data');
    const rising = run('supervised', 20, (s) => ({ loss: 0.3 + s * 0.05 }));
    const r = stageWarnings('supervised', rising);
    expect(r.map((x) => x.kind)).toEqual(['rising']);
    expect(r[0].message).toMatch(/^supervised: loss rose from 0\.\d\d to 1\.\d\d over the run \(> 50%\)/);
    expect(stageWarnings('supervised', run('supervised', 20, (s) => ({ loss: 0.7 - s * 0.01 })))).toEqual([]);
  });

  test('notes and other stages’ records are ignored', () => {
    const records: LogRecord[] = [{ stage: 'domain', note: 'resuming at step 10' }, ...run('domain', 10, () => ({ loss: 0.2 })), ...run('pretrain', 10, () => ({ loss: 0.69 }))];
    expect(stageWarnings('domain', records)).toEqual([]);
    expect(series(records, 'loss')).toHaveLength(20);
  });
});
