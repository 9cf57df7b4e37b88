// The tag × time heatmap: one row per tag (most probable for the file first),
// one column per model window, colour = that window's sigmoid probability.
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

export interface HeatmapOptions {
  /** Rows to draw (the file's most probable tags); all when undefined. */
  maxRows?: number;
}

interface Layout {
  rows: number[];
  left: number;
  top: number;
  cellW: number;
  cellH: number;
  plotW: number;
}

export function drawHeatmap(canvas: HTMLCanvasElement, r: TaggingResult, opts: HeatmapOptions = {}): void {
  const order = r.tags.map((t) => r.tagNames.indexOf(t.tag));
  const rows = order.slice(0, opts.maxRows ?? order.length);
  const ctx2d = canvas.getContext('2d');
  if (!ctx2d) return;
  const cssW = Math.max(320, canvas.parentElement?.clientWidth ?? 800);
  const font = '13px system-ui, -apple-system, "Segoe UI", sans-serif';
  ctx2d.font = font;
  const left = Math.ceil(Math.max(...rows.map((i) => ctx2d.measureText(r.tagNames[i]).width))) + 14;
  const top = 6;
  const bottom = 30;
  const cellH = 20;
  const plotW = cssW - left - 8;
  const n = r.timeline.length;
  const cellW = plotW / n;
  const cssH = top + rows.length * cellH + bottom;
  const dpr = globalThis.devicePixelRatio || 1;
  canvas.style.width = `${cssW}px`;
  canvas.style.height = `${cssH}px`;
  canvas.width = Math.round(cssW * dpr);
  canvas.height = Math.round(cssH * dpr);
  ctx2d.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx2d.clearRect(0, 0, cssW, cssH);
  ctx2d.font = font;
  // Cells: drawn with a little overlap so thousands of thin columns leave no seams.
  for (let w = 0; w < n; w++) {
    const probs = r.timeline[w].probabilities;
    const x = left + w * cellW;
    rows.forEach((tag, row) => {
      ctx2d.fillStyle = colourFor(probs[tag]);
      ctx2d.fillRect(x, top + row * cellH, cellW + 0.6, cellH - 1);
    });
  }
  ctx2d.fillStyle = '#1f2933';
  ctx2d.textAlign = 'right';
  ctx2d.textBaseline = 'middle';
  rows.forEach((tag, row) => ctx2d.fillText(r.tagNames[tag], left - 8, top + row * cellH + cellH / 2));
  // Time axis: about one label per 90 px, on whole seconds when the clip allows.
  ctx2d.textAlign = 'center';
  ctx2d.textBaseline = 'top';
  ctx2d.strokeStyle = '#9aa5b1';
  const end = r.timeline[n - 1].endSeconds;
  const step = niceStep(end / Math.max(1, Math.floor(plotW / 90)));
  for (let t = 0; t <= end + 1e-9; t += step) {
    const x = left + (t / end) * plotW;
    const y = top + rows.length * cellH;
    ctx2d.beginPath();
    ctx2d.moveTo(x, y);
    ctx2d.lineTo(x, y + 4);
    ctx2d.stroke();
    ctx2d.fillText(formatTime(t), Math.min(Math.max(x, left + 12), left + plotW - 12), y + 7);
  }
  (canvas as HTMLCanvasElement & { __layout?: Layout }).__layout = { rows, left, top, cellW, cellH, plotW };
}

/** The cell under a mouse position (canvas CSS pixels), for the hover read-out. */
export function cellAt(canvas: HTMLCanvasElement, r: TaggingResult, x: number, y: number): { tag: string; window: number; probability: number } | null {
  const layout = (canvas as HTMLCanvasElement & { __layout?: Layout }).__layout;
  if (!layout) return null;
  const w = Math.floor((x - layout.left) / layout.cellW);
  const row = Math.floor((y - layout.top) / layout.cellH);
  if (w < 0 || w >= r.timeline.length || row < 0 || row >= layout.rows.length) return null;
  const tag = layout.rows[row];
  return { tag: r.tagNames[tag], window: w, probability: r.timeline[w].probabilities[tag] };
}

function niceStep(raw: number): number {
  for (const s of [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600]) if (s >= raw) return s;
  return 600 * Math.ceil(raw / 600);
}

export function formatTime(s: number): string {
  const m = Math.floor(s / 60);
  const sec = s - 60 * m;
  return `${m}:${(sec < 10 ? '0' : '') + (Number.isInteger(sec) ? sec.toFixed(0) : sec.toFixed(1))}`;
}
