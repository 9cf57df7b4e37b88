import { describe, expect, it } from 'vitest';
import { renderChart } from '../../src/eval/chart.js';
import type { GridResult } from '../../src/eval/grid.js';
import { buildReport, markdownReport, markdownTable, reportJson } from '../../src/eval/report.js';
import { thesisResults } from './thesis_results.js';

/** Parse a Markdown table back into {model → {column title → cell}}. */
function parseTable(md: string): Map<string, Map<string, string>> {
  const lines = md.trim().split('\n');
  const split = (l: string) => l.replace(/^\|\s*|\s*\|$/g, '').split(/\s*\|\s*/);
  const titles = split(lines[0]).slice(1);
  const out = new Map<string, Map<string, string>>();
  for (const line of lines.slice(2)) {
    const [model, ...cells] = split(line);
    out.set(model, new Map(titles.map((t, i) => [t, cells[i]])));
  }
  return out;
}

const TITLE_TO_SNR: Record<string, number> = { 'SNR 10': 10, 'SNR 5': 5, 'SNR 0': 0, 'SNR −5': -5, 'SNR −10': -10 };

describe('Markdown report', () => {
  const results = thesisResults();
  const json = JSON.parse(reportJson(results)) as ReturnType<typeof buildReport>;

  for (const noise of ['internal', 'external'] as const) {
    it(`${noise} table cells equal the JSON numbers to 3 decimals`, () => {
      const table = parseTable(markdownTable(results, noise));
      expect([...table.keys()]).toEqual(['Baseline', 'Fully supervised', 'DAT α≠1', 'DAT α=1']);
      let cells = 0;
      for (const [model, row] of table) {
        for (const [title, cell] of row) {
          const condition = title === 'clean' ? 'clean' : `${noise}/snr${TITLE_TO_SNR[title]}`;
          const r = json.results.find((x) => x.model === model && x.condition === condition)!;
          expect(cell).toBe(`${r.rocAuc!.toFixed(3)} / ${r.prAuc!.toFixed(3)}`);
          cells++;
        }
      }
      expect(cells).toBe(4 * 6);
    });
  }

  it('matches the thesis layout for a known cell (Fig. 4.7, DAT α≠1, SNR 0)', () => {
    const table = parseTable(markdownTable(results, 'internal'));
    expect(table.get('DAT α≠1')!.get('SNR 0')).toBe('0.754 / 0.231');
    expect(table.get('Baseline')!.get('clean')).toBe('0.870 / 0.366');
  });

  it('shows missing cells as dashes, lists excluded tags, and refuses duplicate cells', () => {
    const partial: GridResult[] = [
      {
        model: 'a|b', condition: 'clean', rocAuc: 0.5, prAuc: null, clips: 3, perTag: [],
        excluded: [{ tag: 'choral', metric: 'prAuc', reason: 'no positives' }],
      },
    ];
    const md = markdownReport(partial);
    expect(md).toContain('| a\\|b | 0.500 / — | — / — |');
    expect(md).toContain('- choral — no positives (excluded from PR-AUC): every model and condition');
    expect(() => reportJson([...partial, ...partial])).toThrow(/two results for model "a\|b"/);
  });
});

/** Minimal XML well-formedness check: every tag closes in order, no stray '<' or '&'. */
function checkWellFormed(xml: string): void {
  const stack: string[] = [];
  const tagRe = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tagRe.exec(xml); m; m = tagRe.exec(xml)) {
    const between = xml.slice(last, m.index);
    if (/[<>]/.test(between)) throw new Error(`stray markup near: ${between.slice(0, 60)}`);
    if (/&(?!(lt|gt|amp|quot|apos);)/.test(between)) throw new Error(`bare & in text: ${between.slice(0, 60)}`);
    last = tagRe.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else stack.push(name);
  }
  if (/[<>]/.test(xml.slice(last))) throw new Error('stray markup at end');
  if (stack.length) throw new Error(`unclosed: ${stack.join(', ')}`);
}

describe('SVG chart', () => {
  const results = thesisResults();

  it('the checker itself rejects broken XML', () => {
    expect(() => checkWellFormed('<svg><g></svg>')).toThrow(/closes/);
    expect(() => checkWellFormed('<svg><g>')).toThrow(/unclosed/);
    expect(() => checkWellFormed('<svg>a & b</svg>')).toThrow(/bare &/);
  });

  for (const noise of ['internal', 'external'] as const) {
    it(`${noise}: well-formed, one polyline per model per panel`, () => {
      const svg = renderChart(results, { noise });
      checkWellFormed(svg);
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      const panels = svg.split('<g class="panel"').slice(1);
      expect(panels).toHaveLength(2);
      for (const p of panels) {
        const models = [...p.matchAll(/<polyline data-model="([^"]*)" points="([^"]*)"/g)];
        expect(models.map((m) => m[1])).toEqual(['Baseline', 'Fully supervised', 'DAT α≠1', 'DAT α=1']);
        // Six conditions → six points per line.
        for (const m of models) expect(m[2].trim().split(' ')).toHaveLength(6);
      }
      for (const label of ['ROC-AUC', 'PR-AUC', 'SNR (dB)', 'clean', '−10']) expect(svg).toContain(label);
    });
  }

  it('escapes model names and higher values sit higher', () => {
    const rs: GridResult[] = [
      { model: 'A<&>', condition: 'clean', rocAuc: 0.9, prAuc: 0.4, perTag: [], excluded: [], clips: 1 },
      { model: 'A<&>', condition: 'internal/snr10', rocAuc: 0.6, prAuc: 0.2, perTag: [], excluded: [], clips: 1 },
    ];
    const svg = renderChart(rs, { noise: 'internal' });
    checkWellFormed(svg);
    expect(svg).toContain('A&lt;&amp;&gt;');
    const pts = /points="([^"]*)"/.exec(svg)![1].split(' ').map((p) => p.split(',').map(Number));
    expect(pts).toHaveLength(2);
    expect(pts[0][1]).toBeLessThan(pts[1][1]); // SVG y grows downwards
    expect(pts[0][0]).toBeLessThan(pts[1][0]); // clean left of SNR 10
  });
});

describe('reportFiles', () => {
  it('bundles JSON, Markdown and both charts', async () => {
    const { reportFiles } = await import('../../src/eval/report_files.js');
    const files = reportFiles(thesisResults());
    expect(Object.keys(files).sort()).toEqual(['chart-external.svg', 'chart-internal.svg', 'results.json', 'results.md']);
    expect(JSON.parse(files['results.json']).models).toHaveLength(4);
    expect(files['chart-external.svg']).toContain('External noise');
  });
});

describe('reportFiles over seeds', () => {
  it('charts the mean over seeds with its interval as a bar inside the plot', async () => {
    const { reportFiles } = await import('../../src/eval/report_files.js');
    const base = thesisResults().filter((r) => r.model === 'Baseline');
    // Three seeds around the thesis value, far enough apart that the interval passes 1 at the clean cell.
    const seeds = [-0.1, 0, 0.1].flatMap((d, seed) => base.map((r) => ({ ...r, seed, rocAuc: r.rocAuc! + d })));
    const svg = reportFiles(seeds)['chart-internal.svg'];
    checkWellFormed(svg);
    const bars = [...svg.matchAll(/<g class="ci"><line x1="[^"]*" y1="([^"]*)" x2="[^"]*" y2="([^"]*)"/g)];
    // 6 conditions with a spread in ROC-AUC; PR-AUC is identical across seeds (zero-width bars).
    expect(bars).toHaveLength(12);
    for (const [, y1, y2] of bars) {
      for (const y of [Number(y1), Number(y2)]) {
        expect(y).toBeGreaterThanOrEqual(56 - 1e-9); // top margin of the plot
        expect(y).toBeLessThanOrEqual(300 - 56 + 1e-9);
      }
    }
    const mean = /<polyline data-model="Baseline" points="([^"]*)"/.exec(svg)![1].split(' ');
    expect(mean).toHaveLength(6);
    expect(reportFiles(base)['chart-internal.svg']).not.toContain('class="ci"');
  });
});
