// Plain-word warnings from a stage's logged series (log.jsonl records): a loss
// that sits at its chance level, a dat domain loss far above chance (the
// encoder gaming a frozen classifier), a loss that is not finite or rises over
// the run. Pure: records in, sentences out, so the demo, `train` and the
// report can all print the same lines.
import { LN2, type LogRecord, ntXentChance, series } from '../eval/logSeries.js';

export { LN2, type LogRecord, ntXentChance, series };

export type WarningKind = 'at-chance' | 'flipping' | 'non-finite' | 'rising';

export interface StageWarning {
  stage: string;
  kind: WarningKind;
  /** The series it is about (`loss`, `loss_domain`, ...). */
  series: string;
  message: string;
}

export interface WarningOptions {
  /** Batch size of the stage: NT-Xent's chance level ln(2B − 1) needs it (pretrain is not judged at chance without it). */
  batchSize?: number;
  /** dat: whether the domain classifier was frozen (changes what a huge domain loss means); default true, the thesis setting. */
  domainClassifierFrozen?: boolean;
  /** pretrain: NT-Xent within this fraction of ln(2B − 1) counts as chance; default 0.02. */
  ntXentChanceFraction?: number;
  /** domain: BCE within this fraction of ln 2 counts as chance; default 0.1. */
  bceChanceFraction?: number;
  /** dat: a domain loss above this multiple of ln 2 means the classifier is confidently wrong; default 3. */
  flipFactor?: number;
  /** A loss whose end is this fraction above its start is "rising"; default 0.5 (50 %). */
  riseFraction?: number;
}

/** The first of a list of field names present in the records (the runner writes loss_domain; a stage may write domainLoss). */
function pick(records: readonly LogRecord[], names: string[]): string | null {
  return names.find((n) => records.some((r) => n in r && typeof r.step === 'number')) ?? null;
}

const mean = (xs: number[]): number => xs.reduce((a, v) => a + v, 0) / xs.length;
/** The last fifth of the run (at least one point): where a loss has settled. */
const tail = (xs: number[]): number[] => xs.slice(xs.length - Math.max(1, Math.round(xs.length / 5)));
const head = (xs: number[]): number[] => xs.slice(0, Math.max(1, Math.round(xs.length / 5)));
const f2 = (v: number): string => v.toFixed(2);

/** Non-finite values, then a rise from the first fifth of the run to the last. */
function divergence(stage: string, name: string, what: string, s: { step: number; value: number }[], rise: number): StageWarning[] {
  const bad = s.find((p) => !Number.isFinite(p.value));
  if (bad) return [{ stage, kind: 'non-finite', series: name, message: `${stage}: ${what} became ${bad.value} at step ${bad.step}: training diverged; lower the learning rate or check the data` }];
  if (s.length < 3) return [];
  const v = s.map((p) => p.value);
  const [a, b] = [mean(head(v)), mean(tail(v))];
  if (a > 0 && b > a * (1 + rise)) {
    return [{ stage, kind: 'rising', series: name, message: `${stage}: ${what} rose from ${f2(a)} to ${f2(b)} over the run (> ${Math.round(rise * 100)}%): it is diverging, not learning` }];
  }
  return [];
}

/** Warnings for one stage's records, most serious first. */
export function stageWarnings(stage: string, records: readonly LogRecord[], opts: WarningOptions = {}): StageWarning[] {
  const rise = opts.riseFraction ?? 0.5;
  const mine = records.filter((r) => r.stage === undefined || r.stage === stage);
  const out: StageWarning[] = [];
  const loss = series(mine, 'loss');
  const settled = (s: { value: number }[]): number | null => {
    const v = s.map((p) => p.value);
    return v.length >= 2 && v.every(Number.isFinite) ? mean(tail(v)) : null;
  };

  if (stage === 'dat') {
    // The total loss mixes the label loss with the adversarial domain loss, which may rightly rise; judge the parts.
    const domainName = pick(mine, ['loss_domain', 'domainLoss']);
    const labelName = pick(mine, ['loss_label', 'labelLoss']);
    if (domainName) {
      const s = series(mine, domainName);
      out.push(...divergence(stage, domainName, 'domain loss', s, Infinity));
      const d = settled(s);
      const factor = opts.flipFactor ?? 3;
      if (d !== null && d > factor * LN2) {
        const why = (opts.domainClassifierFrozen ?? true)
          ? 'the encoder is flipping the frozen domain classifier (features stay domain-separable, only with the labels swapped)'
          : 'the domain classifier is confidently wrong: the adversarial game is not balanced';
        out.push({ stage, kind: 'flipping', series: domainName, message: `${stage}: domain loss ${f2(d)} > ${factor} × ln 2 = ${f2(factor * LN2)}, ${why}` });
      }
    }
    out.push(...(labelName ? divergence(stage, labelName, 'label loss', series(mine, labelName), rise) : divergence(stage, 'loss', 'loss', loss, rise)));
  } else {
    out.push(...divergence(stage, 'loss', stage === 'pretrain' ? 'NT-Xent' : 'loss', loss, rise));
  }

  const l = settled(loss);
  if (stage === 'pretrain' && l !== null && opts.batchSize !== undefined) {
    const chance = ntXentChance(opts.batchSize);
    const frac = opts.ntXentChanceFraction ?? 0.02;
    if (Math.abs(l - chance) <= frac * chance) {
      out.push({ stage, kind: 'at-chance', series: 'loss', message: `${stage}: NT-Xent ${f2(l)} stays within ${Math.round(frac * 100)}% of chance ln(2B−1) = ${f2(chance)} (B = ${opts.batchSize}): the encoder is not learning` });
    }
  }
  if (stage === 'domain' && l !== null) {
    const frac = opts.bceChanceFraction ?? 0.1;
    if (l >= (1 - frac) * LN2) {
      out.push({ stage, kind: 'at-chance', series: 'loss', message: `${stage}: loss ${f2(l)} near chance ln 2 = ${f2(LN2)}: the classifier cannot tell clean from noisy embeddings` });
    }
  }
  const order: WarningKind[] = ['non-finite', 'flipping', 'rising', 'at-chance'];
  return out.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}
