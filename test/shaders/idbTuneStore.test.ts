// The browser's kernel-tuning cache (src/gpu/idbTuneStore.ts) in a real
// Chromium: records saved on one page load are there on the next, under the
// adapter key they were saved with, and a browser without usable IndexedDB
// gets no store (getDevice then keeps the cache in memory).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexedDbTuneStore } from '../../src/gpu/idbTuneStore.js';
import type { TuneRecord, TuneStore } from '../../src/gpu/tuner.js';
import { CHROMIUM, HAVE_CHROMIUM } from '../web/harness.js';

const root = resolve(import.meta.dirname, '../..');

describe('tuning cache in IndexedDB', () => {
  it('is absent where there is no IndexedDB (Node) or it refuses to open', async () => {
    expect(await indexedDbTuneStore(undefined)).toBeNull();
    const refusing = { open: () => { throw new DOMException('The operation is insecure.', 'SecurityError'); } } as unknown as IDBFactory;
    expect(await indexedDbTuneStore(refusing)).toBeNull();
  });
});

if (!HAVE_CHROMIUM) console.warn(`[idb tuning cache] Chromium test skipped: no Chromium at ${CHROMIUM} (set ROBUST_TAGGER_CHROMIUM)`);

describe.skipIf(!HAVE_CHROMIUM)('tuning cache in IndexedDB, in Chromium', () => {
  let dir: string;
  let close: () => Promise<void>;
  let url: string;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'robust-tagger-idb-'));
    await build({
      stdin: { contents: `import { indexedDbTuneStore } from './src/gpu/idbTuneStore.ts'; globalThis.indexedDbTuneStore = indexedDbTuneStore;`, resolveDir: root, loader: 'ts' },
      bundle: true, format: 'esm', platform: 'browser', outfile: join(dir, 'store.js'), logLevel: 'warning',
    });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="store.js"></script>');
    const { serveStatic } = (await import(join(root, 'scripts/serve-web.mjs'))) as { serveStatic(d: string): Promise<{ server: import('node:http').Server; url: string }> };
    const served = await serveStatic(dir);
    url = served.url;
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--headless=new', '--disable-background-networking', '--no-first-run'] });
    close = async () => {
      await browser.close();
      served.server.close();
      rmSync(dir, { recursive: true, force: true });
    };
    page = await browser.newPage();
  });
  afterAll(async () => close?.());

  type Api = { indexedDbTuneStore(): Promise<TuneStore | null> };
  const loadIn = async (key: string): Promise<Record<string, TuneRecord> | null> => page.evaluate(async (k) => {
    const store = await (globalThis as unknown as Api).indexedDbTuneStore();
    return store ? store.load(k) : null;
  }, key);

  it('keeps records across page loads, per adapter key', async () => {
    await page.goto(url);
    await page.waitForFunction(() => 'indexedDbTuneStore' in globalThis);
    const key = 'vulkan|google|swiftshader|cpu|SwiftShader Device|robust-tagger@0.1.0';
    const records: Record<string, TuneRecord> = { 'matmul M256 N256 K256': { winner: 'large', ms: { small: 3.5, large: 2.25, tiled: NaN } } };
    expect(await loadIn(key), 'an empty cache at first').toEqual({});
    await page.evaluate(async ([k, r]) => {
      const store = await (globalThis as unknown as Api).indexedDbTuneStore();
      store!.save(k as string, r as Record<string, TuneRecord>);
    }, [key, records] as const);
    // A store opened after the write reads after it (IndexedDB runs transactions in order).
    expect(await loadIn(key)).toEqual(records);
    await page.reload();
    await page.waitForFunction(() => 'indexedDbTuneStore' in globalThis);
    expect(await loadIn(key), 'after a reload').toEqual(records);
    expect(await loadIn(`${key}-other`), 'another adapter key').toEqual({});
  });
});
