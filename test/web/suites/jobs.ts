// Big files and job control: a file over the limit refused before it is read,
// a read error shown, Cancel stopping a long job (and the page working after),
// a new pick replacing the job in progress, drops outside the zone caught.
import { closeSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { encodeWav } from '../../../src/data/wav.js';
import { type Harness, makeWav, settled, shot } from '../harness.js';

const LONG_SECONDS = 150;

export function jobSuite(h: Harness): void {
  test('a file above the size limit is refused at once with a message, and the results on screen stay', async () => {
    const { page } = h;
    const before = await page.evaluate(() => window.__lastResult?.file);
    // 3.2 GB, sparse: no disk used, and the page must not read it.
    const huge = join(h.dir, 'huge-3.2GB.wav');
    const fd = openSync(huge, 'w');
    ftruncateSync(fd, 3.2e9);
    closeSync(fd);
    const t0 = Date.now();
    await page.setInputFiles('#audio-file', huge);
    await expect.poll(() => page.textContent('#error'), { timeout: 10_000 }).toMatch(/huge-3\.2GB\.wav is 3\.0 GB; this page tags files up to 300 MB/);
    const ms = Date.now() - t0;
    console.info(`[web] a 3.2 GB file refused in ${ms} ms: ${await page.textContent('#error')}`);
    expect(await page.isVisible('#error')).toBe(true);
    expect(await page.evaluate(() => document.body.dataset.state)).not.toBe('working');
    expect(await page.evaluate(() => window.__lastResult?.file)).toBe(before);
    await shot(page, 'web-8-too-large.png');
  });

  test('Cancel stops a long job within a second; a new pick replaces a running job; the page works afterwards', async () => {
    const { page } = h;
    const longWav = join(h.dir, 'long.wav');
    writeFileSync(longWav, makeWav(LONG_SECONDS));
    await page.setInputFiles('#audio-file', longWav);
    await page.waitForFunction(() => /^Tagging: window \d+ of \d+$/.test(document.getElementById('progress-text')?.textContent ?? ''), undefined, { timeout: 60_000 });
    // While working: the old results are dimmed, the bar reports its value, Cancel is there.
    const working = await page.evaluate(() => ({
      opacity: getComputedStyle(document.getElementById('results')!).opacity,
      now: document.getElementById('progress-bar')!.getAttribute('aria-valuenow'),
      busy: document.getElementById('results')!.getAttribute('aria-busy'),
    }));
    expect(working.busy).toBe('true');
    expect(working.now).not.toBeNull();
    await shot(page, 'web-10-working.png');
    const t0 = Date.now();
    await page.click('#cancel');
    await page.waitForSelector('body:not([data-state="working"])', { timeout: 5_000 });
    const stopMs = Date.now() - t0;
    const progressAtCancel = await page.textContent('#progress-text');
    expect(progressAtCancel).toBe('Cancelled.');
    expect(await page.isHidden('#progress')).toBe(true);
    // Its result never arrives later: wait, and the last result is still the previous file.
    await page.waitForTimeout(3000);
    expect(await page.evaluate(() => window.__lastResult?.file)).not.toBe('long.wav');
    expect(await page.evaluate(() => document.body.dataset.state)).not.toBe('working');
    // …and the status line still says why the job ended, after the job has unwound.
    expect(await page.textContent('#progress-text')).toBe('Cancelled.');
    console.info(`[web] Cancel: the ${LONG_SECONDS} s job (${Math.floor((LONG_SECONDS * 22050) / 6561)} windows) stopped ${stopMs} ms after the click; dimmed results at opacity ${working.opacity}`);
    expect(Number(working.opacity)).toBeLessThan(0.6);
    expect(stopMs).toBeLessThan(1500);

    // A new pick while the long job runs: the new file wins, the long one is dropped.
    await page.setInputFiles('#audio-file', longWav);
    await page.waitForFunction(() => /^Tagging: window/.test(document.getElementById('progress-text')?.textContent ?? ''), undefined, { timeout: 60_000 });
    await page.setInputFiles('#audio-file', h.wavPath);
    expect(await settled(page)).toBe('done');
    await page.waitForTimeout(2000);
    expect(await page.evaluate(() => window.__lastResult?.file)).toBe('chords-22050-mono-f32.wav');
    expect(await page.isHidden('#error')).toBe(true);
  });

  test('a file dropped outside the drop zone is caught, so the page is not replaced by it', async () => {
    const prevented = await h.page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['RIFF'], 'stray.wav', { type: 'audio/wav' }));
      const over = new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt });
      const drop = new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt });
      document.querySelector('footer')!.dispatchEvent(over);
      document.querySelector('footer')!.dispatchEvent(drop);
      return { over: over.defaultPrevented, drop: drop.defaultPrevented, state: document.body.dataset.state };
    });
    expect(prevented).toEqual({ over: true, drop: true, state: 'done' });
  });

  test('a read error is caught and shown (not an uncaught page error)', async () => {
    const { page } = h;
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // A dropped file whose bytes cannot be read, as when it was deleted after being chosen.
    await page.evaluate(() => {
      const bad = new File(['x'.repeat(100)], 'vanished.wav');
      Object.defineProperty(bad, 'stream', {
        value: () => new ReadableStream({ pull: (c) => c.error(new DOMException('A requested file or directory could not be found', 'NotFoundError')) }),
      });
      const zone = document.getElementById('drop')!;
      const ev = new Event('drop', { bubbles: true, cancelable: true });
      Object.defineProperty(ev, 'dataTransfer', { value: { files: [bad] } });
      zone.dispatchEvent(ev);
    });
    await page.waitForSelector('body[data-state="error"]', { timeout: 10_000 });
    expect(await page.textContent('#error')).toMatch(/vanished\.wav could not be read .*choose it again/);
    expect(pageErrors).toEqual([]);
  });

  // The page used to keep the file's bytes (to re-tag on a model change) and its samples: about 1.3 GB
  // after a 1-hour file. Now it keeps the File (disk-backed) and the result, nothing else.
  test('memory stays bounded: after a 31 MB file is tagged, the page holds well under a tenth of it', async () => {
    const seconds = 10;
    const rate = 96000;
    const channels = Array.from({ length: 8 }, (_, c) => new Float32Array(rate * seconds).map((_, i) => 0.1 * Math.sin((2 * Math.PI * (110 + 20 * c) * i) / rate)));
    const path = join(h.dir, 'eight-channels-96k.wav');
    const wav = encodeWav({ channels, sampleRate: rate }, 'float32');
    writeFileSync(path, wav);
    const page = await h.browser.newPage();
    try {
      await page.goto(h.url);
      await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
      await page.setInputFiles('#audio-file', path);
      expect(await settled(page)).toBe('done');
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
      const held = heap.backingStorageSize ?? NaN;
      console.info(`[web] memory after tagging a ${(wav.length / 1e6).toFixed(1)} MB file (8 ch, 96 kHz, ${seconds} s): ${(held / 1e6).toFixed(2)} MB of array buffers, ${(heap.usedSize / 1e6).toFixed(1)} MB of JS heap`);
      expect(await page.textContent('#results-meta')).toMatch(/8 channels → mono · 96000 → 22050 Hz/);
      expect(held).toBeLessThan(wav.length / 10);
    } finally {
      await page.close();
    }
  });
}
