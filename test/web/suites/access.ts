// Keyboard, screen readers and phones: the page used with Tab and Enter only,
// an axe-core audit of the start and results screens, and the phone layout at
// 360 and 320 px (no sideways page scroll, every heatmap window reachable,
// readable bars).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { FileChooser, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { type Harness, makeWav, settled, shot } from '../harness.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page; returns every violation, and logs a count by impact. */
async function audit(page: Page, screen: string): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  })) as AxeViolation[];
  const byImpact = violations.reduce<Record<string, number>>((m, v) => ({ ...m, [v.impact ?? 'none']: (m[v.impact ?? 'none'] ?? 0) + 1 }), {});
  console.info(`[web] axe-core on the ${screen} screen: ${violations.length} violation(s) ${JSON.stringify(byImpact)}${violations.map((v) => `\n  ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`).join('')}`);
  return violations;
}

const serious = (vs: AxeViolation[]) => vs.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);

/** Tab until `id` has the focus; returns how many presses that took (fails after 20). */
async function tabTo(page: Page, id: string): Promise<number> {
  for (let i = 1; i <= 20; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return i;
  }
  throw new Error(`#${id} never received the focus from Tab`);
}

export function accessSuite(h: Harness): void {
  test('keyboard only: Tab to the picker (visible focus ring), Enter, choose a file, results; axe finds nothing serious on either screen', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1000, height: 900 } });
    // Listen before the page loads: Playwright turns on file-chooser interception
    // when the first listener is added, without waiting for Chromium to confirm,
    // so a listener added next to the key press sometimes missed the chooser.
    const choosers: FileChooser[] = [];
    page.on('filechooser', (c) => choosers.push(c));
    try {
      await page.goto(h.url);
      await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
      const startViolations = await audit(page, 'start');
      const presses = await tabTo(page, 'audio-file');
      // The focus ring is drawn on the label people see, while the hidden input has the focus.
      const ring = await page.$eval('label[for="audio-file"]', (l) => getComputedStyle(l).outlineStyle + ' ' + getComputedStyle(l).outlineWidth);
      expect(ring).toBe('solid 3px');
      // The accessibility tree names the control (it was plain text before).
      const snapshot = await page.locator('#audio-file').ariaSnapshot();
      expect(snapshot).toMatch(/button "Choose an audio file"/);
      await shot(page, 'web-4-keyboard-focus.png', false);
      await page.keyboard.press('Enter');
      await expect.poll(() => choosers.length, { timeout: 10_000 }).toBe(1);
      await choosers[0].setFiles(h.wavPath);
      expect(await settled(page)).toBe('done');
      console.info(`[web] keyboard only: ${presses} Tab press(es) to the audio picker, Enter opened the file chooser, results shown`);
      // The progress bar and live region are there for the next job; the results are reachable by Tab.
      expect(await page.getAttribute('#progress-text', 'aria-live')).toBe('polite');
      expect(await page.getAttribute('#progress-bar', 'role')).toBe('progressbar');
      await tabTo(page, 'export-json');
      await tabTo(page, 'heatmap-scroll');
      // The table behind the heatmap: opened from the keyboard, one row per window.
      await page.focus('#table-details summary');
      await page.keyboard.press('Enter');
      const windows = await page.evaluate(() => window.__lastResult?.result.timeline.length);
      await expect.poll(() => page.$$eval('#heatmap-table tbody tr', (trs) => trs.length)).toBe(windows);
      // Each row's start time is a button that seeks the player: click-to-seek for the keyboard.
      await page.focus('#heatmap-table tbody tr:nth-child(5) button.seek');
      await page.keyboard.press('Enter');
      const seek = await page.evaluate(() => ({ at: (document.getElementById('player') as HTMLAudioElement).currentTime, want: window.__lastResult!.result.timeline[4].startSeconds }));
      expect(seek.at).toBeGreaterThanOrEqual(seek.want - 0.01);
      expect(seek.at).toBeLessThan(seek.want + 0.5);
      await page.evaluate(() => (document.getElementById('player') as HTMLAudioElement).pause());
      const resultViolations = await audit(page, 'results');
      await shot(page, 'web-5-results-table.png');
      expect(serious(startViolations)).toEqual([]);
      expect(serious(resultViolations)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('phone, 360×800 and 320×640: no sideways page scroll, every heatmap window reachable, bars wider than 80 px', async () => {
    // 40 s: 134 windows, more than fit on a phone, so the heatmap must scroll.
    const longWav = join(h.dir, 'forty-seconds.wav');
    writeFileSync(longWav, makeWav(40));
    const page = await h.browser.newPage({ viewport: { width: 360, height: 800 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      await page.goto(h.url);
      await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
      await shot(page, 'web-6-phone-start.png');
      await page.setInputFiles('#audio-file', longWav);
      expect(await settled(page, 120_000)).toBe('done');
      for (const width of [360, 320]) {
        await page.setViewportSize({ width, height: 800 });
        await page.waitForTimeout(100);
        const m = await page.evaluate(() => {
          const scroll = document.getElementById('heatmap-scroll')!;
          const plot = document.getElementById('heatmap') as HTMLCanvasElement;
          const n = window.__lastResult!.result.timeline.length;
          const box = scroll.getBoundingClientRect();
          scroll.scrollLeft = scroll.scrollWidth;
          const plotAtEnd = plot.getBoundingClientRect();
          const cell = plotAtEnd.width / n;
          return {
            pageWidth: document.documentElement.scrollWidth,
            bodyWidth: document.body.scrollWidth,
            bars: [...document.querySelectorAll('#top-tags .bar')].map((b) => b.getBoundingClientRect().width),
            windows: n,
            cellWidth: cell,
            // The last column, scrolled to, lies inside the visible box; so does the first at scrollLeft 0.
            lastColumnVisible: plotAtEnd.right - cell >= box.left - 0.5 && plotAtEnd.right <= box.right + 0.5,
            firstColumnVisibleAtStart: plotAtEnd.left + scroll.scrollLeft >= box.left - 0.5,
            scrolls: scroll.scrollWidth > scroll.clientWidth,
            overflowX: getComputedStyle(scroll).overflowX,
            hint: !document.getElementById('scroll-hint')!.hidden,
          };
        });
        console.info(`[web] phone ${width} px: page ${m.pageWidth} px wide, bars ${Math.min(...m.bars).toFixed(0)}–${Math.max(...m.bars).toFixed(0)} px, ${m.windows} heatmap columns of ${m.cellWidth.toFixed(1)} px in a sideways-scrolling box (hint shown: ${m.hint})`);
        expect(m.pageWidth).toBeLessThanOrEqual(width);
        expect(m.bodyWidth).toBeLessThanOrEqual(width);
        expect(Math.min(...m.bars)).toBeGreaterThan(80);
        expect(m.scrolls).toBe(true);
        expect(m.overflowX).toBe('auto');
        expect(m.hint).toBe(true);
        expect(m.lastColumnVisible).toBe(true);
        expect(m.firstColumnVisibleAtStart).toBe(true);
        expect(m.cellWidth).toBeGreaterThanOrEqual(8);
        await page.evaluate(() => (document.getElementById('heatmap-scroll')!.scrollLeft = 0));
        await shot(page, `web-7-phone-${width}-results.png`);
        await shot(page.locator('#top-tags'), `web-7-phone-${width}-bars.png`);
        await shot(page.locator('.heatmap'), `web-7-phone-${width}-heatmap.png`);
      }
    } finally {
      await page.close();
    }
  });
}
