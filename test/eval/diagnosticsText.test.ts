// The diagnostics' sentences carry the numbers and their chance levels.
import { expect, test } from 'vitest';
import { describeDomainClassifier, describeDomainProbe, describePretrain, describeTagProbe } from '../../src/eval/diagnosticsText.js';

test('sentences', () => {
  expect(describePretrain({ batchSize: 16, top1: 0.3125, chanceTop1: 1 / 16, ntXent: 3.38, chanceNtXent: Math.log(31) }))
    .toBe('pretrain (held-out batch of 16): NT-Xent 3.38 vs chance ln(2B−1) = 3.43; paired-view top-1 0.31 vs chance 1/B = 0.06');
  expect(describeDomainClassifier({ clean: { rows: 4, accuracy: 0.75, loss: 0.5 }, perSnr: [{ snr: -5, rows: 4, accuracy: 0.5, loss: 0.7 }], balancedAccuracy: 0.625, chanceLoss: Math.log(2) }))
    .toBe('domain classifier (held-out): balanced accuracy 0.63 (chance 0.50); clean acc 0.75 BCE 0.50, −5 dB acc 0.50 BCE 0.70 (chance BCE ln 2 = 0.69)');
  expect(describeDomainProbe('dat', { accuracy: 0.61, perSnr: [{ snr: 10, accuracy: 0.52, noisyRows: 3 }, { snr: -10, accuracy: 0.7, noisyRows: 3 }], trainAccuracy: 0.7, trainRows: 9, testRows: 9, cleanTestRows: 3, converged: true }))
    .toBe('domain probe, dat: clean-vs-noisy accuracy 0.61 on held-out rows (0.50 = domain-invariant; lower is what DAT aims at); per SNR 10 dB 0.52, −10 dB 0.70');
  const probe = (auc: number | null) => ({ rocAuc: auc, perTag: [], excluded: [] });
  expect(describeTagProbe({ pretrained: probe(0.712), random: probe(0.655), gain: 0.057 }))
    .toBe('tag probe: macro ROC-AUC 0.712 on the pretrained encoder vs 0.655 on a randomly initialised one (+0.057)');
  expect(describeTagProbe({ pretrained: probe(null), random: probe(0.6), gain: null })).toBe('tag probe: macro ROC-AUC — on the pretrained encoder vs 0.600 on a randomly initialised one');
});
