// The tag × time heatmap: one row per tag (most probable for the file first),
// one column per model window, colour = that window's sigmoid probability.
// Two canvases: the tag names stay put while the plot scrolls sideways, so on a
// phone every window can be reached without losing which row is which.
import type { TaggingResult } from '../src/eval/tagging.js';

/** Viridis at five stops: perceptually even, readable in greyscale and by most colour-blind readers. */
const STOPS: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

export function colourFor(p: number): string {
  const x = Math.min(1, Math.max(0, p)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [STOPS[i], STOPS[i + 1]];
  const c = a.map((v, k) => Math.round(v + (b[k] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Columns narrower than this are hard to see and to tap; below it the plot scrolls instead of shrinking. */
const MIN_CELL_CSS_PX = 8;
/** Browsers refuse canvases much wider than 32k device pixels; very long files get thinner columns instead. */
const MAX_CANVAS_PX = 16384;
const CELL_H = 20;
const TOP = 6;
const BOTTOM = 30;
const FONT = '13px system-ui, -apple-system, "Segoe UI", sans-serif';

export interface HeatmapLayout {
  rows: number[];
  cellW: number;
  plotW: number;
  height: number;
  /** Seconds at the right edge of the last column. */
  end: number;
}

/** The tags drawn, most probable for the file first. */
export function heatmapRows(r: TaggingResult, maxRows: number): number[] {
  return r.tags.slice(0, maxRows).map((t) => r.tagNames.indexOf(t.tag));
}

/** Draws both canvases; `visibleWidth` is the width of the scroll box the plot sits in. */
export function drawHeatmap(labels: HTMLCanvasElement, plot: HTMLCanvasElement, r: TaggingResult, maxRows: number, visibleWidth: number): HeatmapLayout {
  const rows = heatmapRows(r, maxRows);
  const dpr = globalThis.devicePixelRatio || 1;
  const height = TOP + rows.length * CELL_H + BOTTOM;
  const n = r.timeline.length;
  const plotW = Math.min(Math.max(visibleWidth - 4, n * MIN_CELL_CSS_PX), Math.floor(MAX_CANVAS_PX / dpr));
  const cellW = plotW / n;
  const end = r.timeline[n - 1].endSeconds;

  const lctx = sized(labels, 1, height, dpr);
  lctx.font = FONT;
  const labelW = Math.ceil(Math.max(...rows.map((i) => lctx.measureText(r.tagNames[i]).width))) + 10;
  const l = sized(labels, labelW, height, dpr);
  l.font = FONT;
  l.fillStyle = '#1f2933';
  l.textAlign = 'right';
  l.textBaseline = 'middle';
  rows.forEach((tag, row) => l.fillText(r.tagNames[tag], labelW - 6, TOP + row * CELL_H + CELL_H / 2));

  const p = sized(plot, plotW, height, dpr);
  // Cells: drawn with a little overlap so thousands of thin columns leave no seams.
  for (let w = 0; w < n; w++) {
    const probs = r.timeline[w].probabilities;
    rows.forEach((tag, row) => {
      p.fillStyle = colourFor(probs[tag]);
      p.fillRect(w * cellW, TOP + row * CELL_H, cellW + 0.6, CELL_H - 1);
    });
  }
  // Time axis: about one label per 90 px, on whole seconds when the clip allows.
  p.font = FONT;
  p.fillStyle = '#1f2933';
  p.textAlign = 'center';
  p.textBaseline = 'top';
  p.strokeStyle = '#7b8794';
  const y = TOP + rows.length * CELL_H;
  const step = niceStep(end / Math.max(1, Math.floor(plotW / 90)));
  for (let t = 0; t <= end + 1e-9; t += step) {
    const x = (t / end) * plotW;
    p.beginPath();
    p.moveTo(x, y);
    p.lineTo(x, y + 4);
    p.stroke();
    p.fillText(formatTime(t), Math.min(Math.max(x, 16), plotW - 16), y + 7);
  }
  return { rows, cellW, plotW, height, end };
}

function sized(c: HTMLCanvasElement, w: number, h: number, dpr: number): CanvasRenderingContext2D {
  c.style.width = `${w}px`;
  c.style.height = `${h}px`;
  c.width = Math.round(w * dpr);
  c.height = Math.round(h * dpr);
  const ctx = c.getContext('2d');
  if (!ctx) throw new Error('this browser gave no 2D canvas');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return ctx;
}

/** The cell under a point of the plot canvas (CSS pixels), for the hover read-out and click-to-seek. */
export function cellAt(layout: HeatmapLayout, r: TaggingResult, x: number, y: number): { tag: string; window: number; probability: number | null } | null {
  const w = Math.floor(x / layout.cellW);
  if (w < 0 || w >= r.timeline.length) return null;
  const row = Math.floor((y - TOP) / CELL_H);
  const tag = row >= 0 && row < layout.rows.length ? layout.rows[row] : -1;
  return { tag: tag >= 0 ? r.tagNames[tag] : '', window: w, probability: tag >= 0 ? r.timeline[w].probabilities[tag] : null };
}

/** The playhead's x for a time, or null past the last window (the tail shorter than a window is not tagged). */
export function xForTime(layout: HeatmapLayout, t: number): number | null {
  return t >= 0 && t <= layout.end ? (t / layout.end) * layout.plotW : null;
}

function niceStep(raw: number): number {
  for (const s of [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600]) if (s >= raw) return s;
  return 3600 * Math.ceil(raw / 3600);
}

/** m:ss under an hour, h:mm:ss from an hour (a 1-hour file is "1:00:00", not "60:00"). */
export function formatTime(s: number): string {
  // Tenths only where a time falls between whole seconds (short clips, window edges); rounded first so 2.97 s is 0:03.
  const tenths = Math.round(s * 10);
  const whole = Math.floor(tenths / 10);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const sec = whole % 60;
  const ss = `${sec < 10 ? '0' : ''}${sec}${tenths % 10 ? `.${tenths % 10}` : ''}`;
  return h > 0 ? `${h}:${m < 10 ? '0' : ''}${m}:${ss}` : `${m}:${ss}`;
}
