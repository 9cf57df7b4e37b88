// Training curves: standalone SVG that an XML parser accepts, with the
// reference line at the chance level, one polyline per series, and the
// stage charts picked from the fields a log holds.
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { parseLogJsonl, renderCurves, stageCharts } from '../../src/eval/curves.js';
import { ntXentChance } from '../../src/eval/logSeries.js';

const python = spawnSync('python3', ['-c', 'import xml.etree.ElementTree'], { encoding: 'utf8' });
if (python.status !== 0) console.info('[curves] python3 xml.etree unavailable: the SVGs are checked by the regex checks only');

/** Parses with Python's XML parser (a real one) and returns its error, or null when well-formed. */
function xmlError(svg: string): string | null {
  if (python.status !== 0) return null;
  const r = spawnSync('python3', ['-c', 'import sys, xml.etree.ElementTree as E; E.fromstring(sys.stdin.buffer.read())'], { input: svg, encoding: 'utf8' });
  return r.status === 0 ? null : r.stderr.trim().split('\n').pop()!;
}

/** The y pixel of the reference line and the y pixels of a polyline's points. */
function referenceY(svg: string): number {
  return Number(/<line class="reference"[^>]* y1="([^"]+)"/.exec(svg)![1]);
}
function polylineYs(svg: string, name: string): number[] {
  const m = new RegExp(`<polyline data-series="${name}" points="([^"]*)"`).exec(svg)!;
  return m[1].split(' ').map((p) => Number(p.split(',')[1]));
}

describe('renderCurves', () => {
  test('the parser used here rejects broken XML (so the check can fail)', () => {
    if (python.status !== 0) return;
    expect(xmlError('<svg><g></svg>')).not.toBeNull();
    expect(xmlError('<svg>a & b</svg>')).not.toBeNull();
  });

  test('well-formed SVG with the reference line between a loss above and below it', () => {
    const chance = ntXentChance(16);
    const points = Array.from({ length: 20 }, (_, i) => ({ step: (i + 1) * 5, value: 4 - i * 0.1 }));
    const svg = renderCurves([{ name: 'loss', points }], { title: 'pretrain <NT-Xent> & chance', yLabel: 'NT-Xent', references: [{ value: chance, label: 'chance ln(2B−1)' }] });
    expect(xmlError(svg)).toBeNull();
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('pretrain &lt;NT-Xent&gt; &amp; chance');
    expect(svg).toContain(`data-value="${chance}"`);
    expect(svg).toContain('chance ln(2B−1) = 3.43');
    const ys = polylineYs(svg, 'loss');
    expect(ys).toHaveLength(20);
    const ref = referenceY(svg);
    // SVG y grows downward: the first point (4.0) is above the chance line, the last (2.1) below.
    expect(ys[0]).toBeLessThan(ref);
    expect(ys[19]).toBeGreaterThan(ref);
  });

  test('a non-finite value breaks the line instead of being drawn; a reference outside the data widens the axis', () => {
    const points = [1, 2, 3, 4, 5].map((s) => ({ step: s, value: s === 3 ? Number.NaN : 0.1 * s }));
    const svg = renderCurves([{ name: 'a', points }, { name: 'b', points: [{ step: 1, value: 0.2 }] }], { title: 't', references: [{ value: 2, label: 'ref' }] });
    expect(xmlError(svg)).toBeNull();
    expect(svg.match(/<polyline data-series="a"/g)).toHaveLength(2);
    expect(svg).not.toContain('NaN');
    expect(referenceY(svg)).toBeGreaterThanOrEqual(44); // inside the plot (top margin 44)
  });
});

describe('stageCharts', () => {
  const log = [
    { stage: 'dat', note: 'resuming at step 10' },
    ...Array.from({ length: 10 }, (_, i) => ({ stage: 'dat', step: i + 1, epoch: 0, loss: 1.4, loss_label: 0.6, loss_domain: 0.8 + i * 0.5, lambda: 0.005 * i, domainAcc: 0.5, snrRange: [-10, 10], clipsPerSec: 3, time: 'x' })),
  ];
  const text = `${log.map((r) => JSON.stringify(r)).join('\n')}\n{"stage":"dat","step":11,"lo`;

  test('parseLogJsonl skips a half-written last line', () => {
    expect(parseLogJsonl(text)).toHaveLength(11);
  });

  test('dat: losses against ln 2, accuracy against 0.5, and λ; no chart of throughput', () => {
    const charts = stageCharts('dat', parseLogJsonl(text));
    expect(charts.map((c) => c.name)).toEqual(['loss', 'accuracy', 'lambda']);
    const loss = charts[0].svg;
    expect(xmlError(loss)).toBeNull();
    expect([...loss.matchAll(/data-series="([^"]+)"/g)].map((m) => m[1])).toEqual(['loss', 'loss_label', 'loss_domain']);
    expect(loss).toContain(`data-value="${Math.log(2)}"`);
    expect(charts[1].svg).toContain('data-value="0.5"');
    for (const c of charts) expect(c.svg).not.toContain('clipsPerSec');
  });

  test('pretrain: NT-Xent beside ln(2B−1) when B is known', () => {
    const records = Array.from({ length: 5 }, (_, i) => ({ stage: 'pretrain', step: i + 1, loss: 3.4, retrievalTop1: 0.1 * i }));
    const charts = stageCharts('pretrain', records, { batchSize: 16 });
    expect(charts.map((c) => c.name)).toEqual(['loss', 'retrieval']);
    expect(charts[0].svg).toContain(`data-value="${Math.log(31)}"`);
    expect(charts[1].svg).toContain('data-value="0.0625"');
    expect(stageCharts('pretrain', records)[0].svg).not.toContain('class="reference"');
  });
});
