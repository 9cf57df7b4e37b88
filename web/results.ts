// The results card: the file's top tags, the heatmap with its playhead and
// click-to-seek, the table behind the heatmap, and the exports. The exported
// JSON is the `robust-tagger tag --json` document, built by the same function.
import { type TaggingResult, taggingCsv, taggingDocument } from '../src/eval/tagging.js';
import type { DecodedAudio } from './audio.js';
import { type HeatmapLayout, cellAt, colourFor, drawHeatmap, formatTime, xForTime } from './heatmap.js';
import { $ } from './dom.js';

/** The last run, on `window` for tests and for the curious (devtools). */
export interface PageResult {
  file: string;
  model: string;
  adapter: string;
  audio: Omit<DecodedAudio, 'samples'> & { samples: number };
  result: TaggingResult;
  timings: { readMs: number; decodeMs: number; tagMs: number };
}

export const TOP_K = 10;
const HEATMAP_ROWS = 20;
/** The table is built only when opened, and only this many windows: beyond that the CSV export is the better tool. */
const TABLE_MAX_WINDOWS = 1000;


const ui = {
  results: $('results'),
  title: $('results-title'),
  meta: $('results-meta'),
  player: $<HTMLAudioElement>('player'),
  topTags: $<HTMLOListElement>('top-tags'),
  labels: $<HTMLCanvasElement>('heatmap-labels'),
  plot: $<HTMLCanvasElement>('heatmap'),
  scroll: $('heatmap-scroll'),
  playhead: $('playhead'),
  note: $('heatmap-note'),
  hint: $('scroll-hint'),
  hover: $('hover'),
  tableDetails: $<HTMLDetailsElement>('table-details'),
  table: $<HTMLTableElement>('heatmap-table'),
  tableNote: $('table-note'),
  exportJson: $('export-json'),
  exportCsv: $('export-csv'),
};

let shown: PageResult | null = null;
let layout: HeatmapLayout | null = null;
let audioUrl: string | null = null;

export function hideResults(): void {
  ui.results.hidden = true;
  shown = null;
}

/** `audio` is what the player plays: the picked File or the recording, never a copy of its bytes. */
export function showResults(r: PageResult, audio: Blob): void {
  shown = r;
  const { result } = r;
  ui.results.hidden = false;
  ui.title.textContent = r.file;
  const rate = r.audio.sourceRate === null ? `resampled to ${r.audio.sampleRate} Hz` : r.audio.sourceRate !== r.audio.sampleRate ? `${r.audio.sourceRate} → ${r.audio.sampleRate} Hz` : `${r.audio.sampleRate} Hz`;
  const secs = (ms: number) => (ms / 1000).toFixed(2);
  ui.meta.textContent =
    `${formatTime(result.durationSeconds)} · ${r.audio.channels === 1 ? 'mono' : `${r.audio.channels} channels → mono`} · ${rate} · ` +
    `${result.timeline.length} windows of ${result.windowSeconds.toFixed(2)} s · read in ${secs(r.timings.readMs)} s, decoded in ${secs(r.timings.decodeMs)} s, tagged in ${secs(r.timings.tagMs)} s`;
  if (audioUrl) URL.revokeObjectURL(audioUrl);
  audioUrl = URL.createObjectURL(audio);
  ui.player.src = audioUrl;
  ui.topTags.replaceChildren(...result.tags.slice(0, TOP_K).map(tagRow));
  const rows = Math.min(HEATMAP_ROWS, result.tagNames.length);
  ui.note.textContent = `${rows < result.tagNames.length ? `The ${rows} most probable of ${result.tagNames.length} tags` : 'Every tag'}, one column per ${result.windowSeconds.toFixed(2)} s window (${result.timeline.length} windows). Click a column to play from there.`;
  ui.plot.setAttribute('aria-label', `Heatmap of ${rows} tags over ${result.timeline.length} windows; the same numbers are in the table below.`);
  ui.hover.textContent = '\u00a0';
  redraw();
  ui.scroll.scrollLeft = 0;
  ui.table.replaceChildren();
  ui.tableNote.textContent = '';
  if (ui.tableDetails.open) buildTable();
}

function tagRow(t: { tag: string; probability: number }): HTMLLIElement {
  const li = document.createElement('li');
  li.dataset.tag = t.tag;
  const label = document.createElement('span');
  label.className = 'tag';
  label.textContent = t.tag;
  label.title = t.tag;
  const bar = document.createElement('span');
  bar.className = 'bar';
  bar.setAttribute('aria-hidden', 'true');
  const fill = document.createElement('span');
  fill.style.width = `${(t.probability * 100).toFixed(1)}%`;
  fill.style.background = colourFor(t.probability);
  bar.append(fill);
  const value = document.createElement('span');
  value.className = 'value';
  value.textContent = t.probability.toFixed(3);
  li.append(label, bar, value);
  return li;
}

function redraw(): void {
  if (!shown || ui.results.hidden) return;
  const r = shown.result;
  layout = drawHeatmap(ui.labels, ui.plot, r, Math.min(HEATMAP_ROWS, r.tagNames.length), ui.scroll.clientWidth);
  ui.playhead.style.height = `${layout.height - 30}px`;
  movePlayhead();
  // The hint appears only when the plot really is wider than its box.
  ui.hint.hidden = ui.scroll.scrollWidth <= ui.scroll.clientWidth + 1;
}

function movePlayhead(): void {
  const x = layout && ui.player.src ? xForTime(layout, ui.player.currentTime) : null;
  ui.playhead.hidden = x === null || (ui.player.paused && ui.player.currentTime === 0);
  if (x !== null) ui.playhead.style.left = `${x}px`;
}

/** Windows as rows (what a screen reader walks through line by line), the drawn tags as columns. */
function buildTable(): void {
  if (!shown || !layout) return;
  const r = shown.result;
  const head = document.createElement('thead');
  const hr = head.insertRow();
  for (const text of ['Window', 'Start', 'End', ...layout.rows.map((i) => r.tagNames[i])]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    hr.append(th);
  }
  const body = document.createElement('tbody');
  const n = Math.min(r.timeline.length, TABLE_MAX_WINDOWS);
  for (let w = 0; w < n; w++) {
    const win = r.timeline[w];
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = String(w + 1);
    tr.append(th);
    // The start is a button that plays from there: the keyboard's way to do what a click on a column does.
    const play = document.createElement('button');
    play.type = 'button';
    play.className = 'seek';
    play.textContent = formatTime(win.startSeconds);
    play.setAttribute('aria-label', `Play from ${formatTime(win.startSeconds)}`);
    play.dataset.seconds = String(win.startSeconds);
    tr.insertCell().append(play);
    for (const text of [formatTime(win.endSeconds), ...layout.rows.map((i) => win.probabilities[i].toFixed(3))]) tr.insertCell().textContent = text;
  }
  const caption = document.createElement('caption');
  caption.className = 'visually-hidden';
  caption.textContent = 'Tag probability per window';
  ui.table.replaceChildren(caption, head, body);
  ui.tableNote.textContent = n < r.timeline.length ? `The first ${n} of ${r.timeline.length} windows; download the CSV for all of them.` : '';
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The export's base name: the audio's name without its extension. */
const baseName = (file: string) => file.replace(/\.[^.]+$/, '') || 'tags';

/** The `--json` document for the result on screen (also used by the tests). */
export function exportDocument(): ReturnType<typeof taggingDocument> | null {
  return shown ? taggingDocument(shown.model, [{ file: shown.file, result: shown.result }], TOP_K) : null;
}

ui.exportJson.addEventListener('click', () => {
  const doc = exportDocument();
  if (shown && doc) download(`${baseName(shown.file)}.tags.json`, 'application/json', `${JSON.stringify(doc, null, 2)}\n`);
});
ui.exportCsv.addEventListener('click', () => {
  if (shown) download(`${baseName(shown.file)}.tags.csv`, 'text/csv', taggingCsv([{ file: shown.file, result: shown.result }]));
});

ui.plot.addEventListener('mousemove', (ev) => {
  const r = shown?.result;
  const cell = r && layout && cellAt(layout, r, ev.offsetX, ev.offsetY);
  if (!r || !cell) {
    ui.hover.textContent = '\u00a0';
    return;
  }
  const w = r.timeline[cell.window];
  const when = `${formatTime(w.startSeconds)}–${formatTime(w.endSeconds)}`;
  ui.hover.textContent = cell.probability === null ? when : `${cell.tag} at ${when}: ${cell.probability.toFixed(3)}`;
});

ui.plot.addEventListener('click', (ev) => {
  const r = shown?.result;
  const cell = r && layout && cellAt(layout, r, ev.offsetX, ev.offsetY);
  if (!r || !cell) return;
  ui.player.currentTime = r.timeline[cell.window].startSeconds;
  movePlayhead();
  ui.playhead.hidden = false;
});

// timeupdate comes about four times a second: too jerky for a playhead, so follow frames while playing.
function followPlayback(): void {
  movePlayhead();
  if (!ui.player.paused) requestAnimationFrame(followPlayback);
}
ui.player.addEventListener('play', () => requestAnimationFrame(followPlayback));
ui.player.addEventListener('timeupdate', movePlayhead);
ui.table.addEventListener('click', (ev) => {
  const seconds = (ev.target as HTMLElement).closest<HTMLButtonElement>('button.seek')?.dataset.seconds;
  if (seconds === undefined) return;
  ui.player.currentTime = Number(seconds);
  void ui.player.play().catch(() => {});
});
// MediaRecorder's WebM has no duration in its header, so Chromium reports Infinity and the player
// cannot seek; asking for a time far past the end makes it scan the file and find the real duration.
ui.player.addEventListener('loadedmetadata', () => {
  if (ui.player.duration !== Infinity) return;
  ui.player.addEventListener('durationchange', () => (ui.player.currentTime = 0), { once: true });
  ui.player.currentTime = 1e101;
});
ui.player.addEventListener('seeked', movePlayhead);
ui.tableDetails.addEventListener('toggle', () => {
  if (ui.tableDetails.open && !ui.table.rows.length) buildTable();
});
window.addEventListener('resize', redraw);
