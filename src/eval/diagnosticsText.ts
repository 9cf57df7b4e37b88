// The diagnostics as sentences for the terminal and the report: each number
// beside the level that means "learned nothing", so a reader can judge it
// without knowing the metric.
import type { DomainClassifierReport, PretrainDiagnostics } from './diagnostics.js';
import type { DomainProbeResult, TagProbeComparison } from './probes.js';

const f2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '—');
const f3 = (v: number | null): string => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(3));
const db = (snr: number): string => `${snr < 0 ? '−' : ''}${Math.abs(snr)} dB`;

export function describePretrain(d: PretrainDiagnostics): string {
  return `pretrain (held-out batch of ${d.batchSize}): NT-Xent ${f2(d.ntXent)} vs chance ln(2B−1) = ${f2(d.chanceNtXent)}; paired-view top-1 ${f2(d.top1)} vs chance 1/B = ${f2(d.chanceTop1)}`;
}

export function describeDomainClassifier(r: DomainClassifierReport): string {
  const cells = [`clean acc ${f2(r.clean.accuracy)} BCE ${f2(r.clean.loss)}`, ...r.perSnr.map((c) => `${db(c.snr)} acc ${f2(c.accuracy)} BCE ${f2(c.loss)}`)];
  return `domain classifier (held-out): balanced accuracy ${f2(r.balancedAccuracy)} (chance 0.50); ${cells.join(', ')} (chance BCE ln 2 = ${f2(r.chanceLoss)})`;
}

export function describeDomainProbe(model: string, r: DomainProbeResult): string {
  const per = r.perSnr.map((p) => `${db(p.snr)} ${f2(p.accuracy)}`).join(', ');
  return `domain probe, ${model}: clean-vs-noisy accuracy ${f2(r.accuracy)} on held-out rows (0.50 = domain-invariant; lower is what DAT aims at)${per ? `; per SNR ${per}` : ''}`;
}

export function describeTagProbe(c: TagProbeComparison): string {
  const gain = c.gain === null ? '' : ` (${c.gain >= 0 ? '+' : '−'}${f3(Math.abs(c.gain))})`;
  return `tag probe: macro ROC-AUC ${f3(c.pretrained.rocAuc)} on the pretrained encoder vs ${f3(c.random.rocAuc)} on a randomly initialised one${gain}`;
}
