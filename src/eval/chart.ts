// Hand-written SVG chart of grid results: two panels (ROC-AUC, PR-AUC), x
// axis the conditions from clean to SNR −10 (degradation grows to the right,
// as in the thesis tables), one line per model. No dependency: the output is
// a string a browser, a Markdown viewer or rsvg-convert can show.

import type { GridResult, NoiseSet } from './grid.js';
import { GRID_SNRS_DB } from './grid.js';
import { formatMetric, modelsOf } from './format.js';
import { findResult, tableConditions } from './report.js';

export interface ChartOptions {
  noise: NoiseSet;
  title?: string;
  /** A confidence interval per point (over seeds), drawn as a vertical bar; null where there is none. */
  interval?: (model: string, condition: string, metric: 'rocAuc' | 'prAuc') => [number, number] | null;
  snrs?: readonly number[];
}

// Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
// Dashes as a second cue when lines overlap or print in grey.
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

export function lineStyle(index: number): { colour: string; dash: string } {
  return { colour: COLOURS[index % COLOURS.length], dash: DASHES[index % DASHES.length] };
}

const PANEL_W = 420;
const PANEL_H = 300;
const MARGIN = { left: 64, right: 24, top: 56, bottom: 56 };
const GAP = 40;
const LEGEND_COLUMNS = 4;

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!);
}

/** A y range that covers the values with round ends, so the grid lines read as plain numbers. */
function niceRange(values: number[]): { lo: number; hi: number; step: number } {
  if (values.length === 0) return { lo: 0, hi: 1, step: 0.1 };
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 1e-9) {
    lo -= 0.05;
    hi += 0.05;
  }
  const span = hi - lo;
  const step = span > 0.5 ? 0.1 : span > 0.2 ? 0.05 : span > 0.08 ? 0.02 : 0.01;
  return {
    lo: Math.max(0, Math.floor(lo / step) * step),
    hi: Math.min(1, Math.ceil(hi / step) * step),
    step,
  };
}

function fmt(n: number): string {
  return Number(n.toFixed(2)).toString();
}

function conditionLabel(condition: string): string {
  if (condition === 'clean') return 'clean';
  const snr = Number(condition.split('/snr')[1]);
  return snr < 0 ? `−${-snr}` : `${snr}`;
}

function panel(
  results: readonly GridResult[],
  metric: 'rocAuc' | 'prAuc',
  label: string,
  conditions: string[],
  models: string[],
  x0: number,
  interval?: ChartOptions['interval'],
): string {
  const plotW = PANEL_W - MARGIN.left - MARGIN.right;
  const plotH = PANEL_H - MARGIN.top - MARGIN.bottom;
  const left = x0 + MARGIN.left;
  const top = MARGIN.top;
  const values = results.flatMap((r) => (conditions.includes(r.condition) && r[metric] !== null ? [r[metric]!, ...(interval?.(r.model, r.condition, metric) ?? [])] : []));
  const range = niceRange(values);
  const { lo, hi, step } = range;
  const xAt = (i: number) => left + (conditions.length === 1 ? plotW / 2 : (i * plotW) / (conditions.length - 1));
  const yAt = (v: number) => top + plotH - ((v - lo) / (hi - lo)) * plotH;

  const out: string[] = [`<g class="panel" data-metric="${metric}">`];
  out.push(`<text x="${fmt(left + plotW / 2)}" y="${top - 12}" text-anchor="middle" font-size="15" font-weight="bold">${label}</text>`);
  for (let v = lo, k = 0; v <= hi + 1e-9 && k < 50; v += step, k++) {
    const y = fmt(yAt(v));
    out.push(`<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="#ddd" stroke-width="1"/>`);
    out.push(`<text x="${left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="12">${v.toFixed(2)}</text>`);
  }
  conditions.forEach((c, i) => {
    const x = fmt(xAt(i));
    out.push(`<line x1="${x}" y1="${top + plotH}" x2="${x}" y2="${top + plotH + 5}" stroke="#333"/>`);
    out.push(`<text x="${x}" y="${top + plotH + 20}" text-anchor="middle" font-size="12">${conditionLabel(c)}</text>`);
  });
  out.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${fmt(left + plotW / 2)}" y="${top + plotH + 42}" text-anchor="middle" font-size="13">SNR (dB)</text>`);
  const yMid = fmt(top + plotH / 2);
  out.push(`<text x="${x0 + 16}" y="${yMid}" text-anchor="middle" font-size="13" transform="rotate(-90 ${x0 + 16} ${yMid})">${label}</text>`);

  models.forEach((model, m) => {
    const { colour, dash } = lineStyle(m);
    const points: string[] = [];
    const markers: string[] = [];
    conditions.forEach((c, i) => {
      const v = findResult(results, model, c)?.[metric];
      if (v === null || v === undefined) return;
      const [x, y] = [fmt(xAt(i)), fmt(yAt(v))];
      points.push(`${x},${y}`);
      const ci = interval?.(model, c, metric);
      if (ci) {
        // A t-interval from few seeds can pass 0 or 1; the bar stops at the plot's edge.
        const [lo, hi] = [fmt(yAt(Math.max(ci[0], range.lo))), fmt(yAt(Math.min(ci[1], range.hi)))];
        const cap = (yy: string) => `<line x1="${fmt(xAt(i) - 3)}" y1="${yy}" x2="${fmt(xAt(i) + 3)}" y2="${yy}" stroke="${colour}"/>`;
        markers.push(`<g class="ci"><line x1="${x}" y1="${lo}" x2="${x}" y2="${hi}" stroke="${colour}"/>${cap(lo)}${cap(hi)}</g>`);
      }
      markers.push(`<circle cx="${x}" cy="${y}" r="3" fill="${colour}"><title>${escapeXml(model)} ${conditionLabel(c)}: ${formatMetric(v)}</title></circle>`);
    });
    const dashAttr = dash ? ` stroke-dasharray="${dash}"` : '';
    out.push(`<polyline data-model="${escapeXml(model)}" points="${points.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"${dashAttr}/>`);
    out.push(...markers);
  });
  out.push('</g>');
  return out.join('\n');
}

/** The two-panel chart for one noise set. */
export function renderChart(results: readonly GridResult[], options: ChartOptions): string {
  const conditions = tableConditions(options.noise, options.snrs ?? GRID_SNRS_DB);
  const models = modelsOf(results);
  const width = 2 * PANEL_W + GAP;
  const legendRows = Math.ceil(models.length / LEGEND_COLUMNS);
  const height = PANEL_H + 20 + legendRows * 22;
  const title = options.title ?? `${options.noise === 'internal' ? 'Internal' : 'External'} noise: macro ROC-AUC and PR-AUC vs SNR`;

  const legend = models.map((model, m) => {
    const x = MARGIN.left + (m % LEGEND_COLUMNS) * 200;
    const y = PANEL_H + 14 + Math.floor(m / LEGEND_COLUMNS) * 22;
    const { colour, dash } = lineStyle(m);
    const dashAttr = dash ? ` stroke-dasharray="${dash}"` : '';
    return (
      `<line x1="${x}" y1="${y}" x2="${x + 28}" y2="${y}" stroke="${colour}" stroke-width="2"${dashAttr}/>` +
      `<text x="${x + 36}" y="${y}" dominant-baseline="middle" font-size="13">${escapeXml(model)}</text>`
    );
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    panel(results, 'rocAuc', 'ROC-AUC', conditions, models, 0, options.interval),
    panel(results, 'prAuc', 'PR-AUC', conditions, models, PANEL_W + GAP, options.interval),
    `<g class="legend">`,
    ...legend,
    `</g>`,
    `</svg>`,
    '',
  ].join('\n');
}
