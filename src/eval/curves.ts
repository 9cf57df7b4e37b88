// Training curves as standalone SVG: one or more series of a stage's
// log.jsonl against the step, with optional horizontal reference lines (the
// chance level a loss must get below: ln(2B−1) for NT-Xent, ln 2 for a
// domain BCE, 0.5 for a domain accuracy). Same look as chart.ts; no dependency.
import { LN2, type LogRecord, ntXentChance, series } from './logSeries.js';
import { escapeXml, lineStyle } from './chart.js';

export interface CurveSeries {
  name: string;
  points: { step: number; value: number }[];
}

export interface ReferenceLine {
  value: number;
  label: string;
}

export interface CurveChartOptions {
  title: string;
  yLabel?: string;
  references?: ReferenceLine[];
  width?: number;
  height?: number;
}

const MARGIN = { left: 64, right: 24, top: 44, bottom: 52 };
const LEGEND_ROW = 20;

export { parseLogJsonl } from './logSeries.js';

/** Axis ticks at 1, 2 or 5 × 10^k covering [lo, hi]. */
function ticks(lo: number, hi: number, target = 6): { lo: number; hi: number; step: number } {
  if (!(hi > lo)) {
    const pad = Math.abs(lo) * 0.05 || 0.5;
    return ticks(lo - pad, hi + pad, target);
  }
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  return { lo: Math.floor(lo / step) * step, hi: Math.ceil(hi / step) * step, step };
}

function fmt(n: number): string {
  return Number(n.toFixed(2)).toString();
}

function tickLabel(v: number, step: number): string {
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  return v.toFixed(digits).replace(/^-/, '−');
}

/** A line chart of the series against the step; non-finite points are left out (and break the line). */
export function renderCurves(all: readonly CurveSeries[], o: CurveChartOptions): string {
  const width = o.width ?? 560;
  const refs = o.references ?? [];
  const legendItems = all.length + refs.length;
  const plotH = (o.height ?? 320) - MARGIN.top - MARGIN.bottom;
  const height = MARGIN.top + plotH + MARGIN.bottom + legendItems * LEGEND_ROW;
  const plotW = width - MARGIN.left - MARGIN.right;
  const finite = all.flatMap((s) => s.points.filter((p) => Number.isFinite(p.value) && Number.isFinite(p.step)));
  const values = [...finite.map((p) => p.value), ...refs.map((r) => r.value)];
  const steps = finite.map((p) => p.step);
  const y = ticks(values.length ? Math.min(...values) : 0, values.length ? Math.max(...values) : 1);
  const x = ticks(steps.length ? Math.min(0, ...steps) : 0, steps.length ? Math.max(...steps) : 1, 5);
  const xAt = (s: number): number => MARGIN.left + ((s - x.lo) / (x.hi - x.lo)) * plotW;
  const yAt = (v: number): number => MARGIN.top + plotH - ((v - y.lo) / (y.hi - y.lo)) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(o.title)}</text>`,
  ];
  for (let k = 0, v = y.lo; v <= y.hi + y.step * 1e-6 && k < 60; k++, v = y.lo + k * y.step) {
    const py = fmt(yAt(v));
    out.push(`<line x1="${MARGIN.left}" y1="${py}" x2="${MARGIN.left + plotW}" y2="${py}" stroke="#ddd" stroke-width="1"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${py}" text-anchor="end" dominant-baseline="middle" font-size="12">${tickLabel(v, y.step)}</text>`);
  }
  for (let k = 0, s = x.lo; s <= x.hi + x.step * 1e-6 && k < 60; k++, s = x.lo + k * x.step) {
    const px = fmt(xAt(s));
    out.push(`<line x1="${px}" y1="${MARGIN.top + plotH}" x2="${px}" y2="${MARGIN.top + plotH + 5}" stroke="#333"/>`);
    out.push(`<text x="${px}" y="${MARGIN.top + plotH + 20}" text-anchor="middle" font-size="12">${tickLabel(s, Math.max(1, x.step))}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${fmt(MARGIN.left + plotW / 2)}" y="${MARGIN.top + plotH + 40}" text-anchor="middle" font-size="13">step</text>`);
  if (o.yLabel) {
    const mid = fmt(MARGIN.top + plotH / 2);
    out.push(`<text x="16" y="${mid}" text-anchor="middle" font-size="13" transform="rotate(-90 16 ${mid})">${escapeXml(o.yLabel)}</text>`);
  }
  for (const r of refs) {
    const py = fmt(yAt(r.value));
    out.push(`<line class="reference" data-value="${r.value}" x1="${MARGIN.left}" y1="${py}" x2="${MARGIN.left + plotW}" y2="${py}" stroke="#666" stroke-width="1.5" stroke-dasharray="4 4"><title>${escapeXml(r.label)}: ${fmt(r.value)}</title></line>`);
  }
  all.forEach((s, i) => {
    const { colour, dash } = lineStyle(i);
    const dashAttr = dash ? ` stroke-dasharray="${dash}"` : '';
    // A non-finite value splits the series so no line is drawn across the gap.
    const runs: string[][] = [[]];
    for (const p of s.points) {
      if (Number.isFinite(p.value) && Number.isFinite(p.step)) runs[runs.length - 1].push(`${fmt(xAt(p.step))},${fmt(yAt(p.value))}`);
      else if (runs[runs.length - 1].length) runs.push([]);
    }
    for (const pts of runs.filter((r) => r.length)) {
      out.push(`<polyline data-series="${escapeXml(s.name)}" points="${pts.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"${dashAttr}/>`);
      if (pts.length === 1) out.push(`<circle cx="${pts[0].split(',')[0]}" cy="${pts[0].split(',')[1]}" r="3" fill="${colour}"/>`);
    }
  });
  out.push('<g class="legend">');
  const legendTop = MARGIN.top + plotH + MARGIN.bottom;
  all.forEach((s, i) => {
    const { colour, dash } = lineStyle(i);
    const ly = legendTop + i * LEGEND_ROW;
    out.push(`<line x1="${MARGIN.left}" y1="${ly}" x2="${MARGIN.left + 28}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    out.push(`<text x="${MARGIN.left + 36}" y="${ly}" dominant-baseline="middle" font-size="13">${escapeXml(s.name)}</text>`);
  });
  refs.forEach((r, j) => {
    const ly = legendTop + (all.length + j) * LEGEND_ROW;
    out.push(`<line x1="${MARGIN.left}" y1="${ly}" x2="${MARGIN.left + 28}" y2="${ly}" stroke="#666" stroke-width="1.5" stroke-dasharray="4 4"/>`);
    out.push(`<text x="${MARGIN.left + 36}" y="${ly}" dominant-baseline="middle" font-size="13">${escapeXml(`${r.label} = ${fmt(r.value)}`)}</text>`);
  });
  out.push('</g>', '</svg>', '');
  return out.join('\n');
}

export interface StageChartOptions {
  /** Batch size of the stage, for NT-Xent's chance line ln(2B − 1). */
  batchSize?: number;
}

/**
 * The charts worth drawing for a stage, from the fields its records hold:
 * the losses beside their chance level, accuracies beside 0.5, λ for dat.
 * Field names the runner writes (loss_domain) and ones a stage may add
 * (domainLoss, domainAcc, retrievalTop1, ...) are both read.
 */
export function stageCharts(stage: string, records: readonly LogRecord[], o: StageChartOptions = {}): { name: string; svg: string }[] {
  const mine = records.filter((r) => r.stage === undefined || r.stage === stage);
  const fields = [...new Set(mine.flatMap((r) => Object.keys(r).filter((k) => typeof r[k] === 'number' || r[k] === null)))];
  const get = (f: string): CurveSeries => ({ name: f, points: series(mine, f) });
  const has = (f: string): boolean => fields.includes(f);
  const charts: { name: string; svg: string }[] = [];
  const chart = (name: string, names: string[], opts: CurveChartOptions): void => {
    const list = names.filter(has).map(get).filter((s) => s.points.length);
    if (list.length) charts.push({ name, svg: renderCurves(list, opts) });
  };
  const isLoss = (f: string): boolean => f === 'loss' || f.startsWith('loss_') || /Loss$/.test(f);
  const isAcc = (f: string): boolean => /acc(uracy)?$/i.test(f) || /Acc[A-Z]?/.test(f);
  if (stage === 'pretrain') {
    const refs = o.batchSize ? [{ value: ntXentChance(o.batchSize), label: `chance ln(2B−1), B = ${o.batchSize}` }] : [];
    chart('loss', fields.filter(isLoss), { title: 'pretrain: NT-Xent', yLabel: 'NT-Xent', references: refs });
    const retrieval = fields.filter((f) => /retrieval|top1/i.test(f));
    chart('retrieval', retrieval, { title: 'pretrain: top-1 retrieval of the paired view', yLabel: 'top-1', references: o.batchSize ? [{ value: 1 / o.batchSize, label: 'chance 1/B' }] : [] });
  } else if (stage === 'domain' || stage === 'dat') {
    // dat's total loss adds the label loss to the domain loss: drawn beside its parts, against ln 2.
    chart('loss', fields.filter(isLoss), { title: `${stage}: losses`, yLabel: 'BCE', references: [{ value: LN2, label: 'domain chance ln 2' }] });
  } else {
    chart('loss', fields.filter(isLoss), { title: `${stage}: loss`, yLabel: 'BCE' });
  }
  chart('accuracy', fields.filter(isAcc), { title: `${stage}: accuracy`, yLabel: 'accuracy', references: [{ value: 0.5, label: 'chance' }] });
  if (stage === 'dat') chart('lambda', ['lambda'], { title: 'dat: gradient reversal scale λ', yLabel: 'λ' });
  return charts;
}
