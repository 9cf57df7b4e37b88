// build:web and serve:web without a browser: the default model is found where
// the demo writes it (and only a checkpoint that can tag is taken), the folder
// is self-contained, and the static server stays inside it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeMeta, encodeSafetensors } from '../../src/nn/safetensors.js';

interface BuildWebModule {
  buildWeb(opts: { outDir: string; model?: string | null; quiet?: boolean }): Promise<{ model: string | null; sizes: { bundle: number; bundleGzip: number } }>;
  findDemoModel(runsDir?: string): string | null;
}
interface ServeWebModule {
  serveStatic(dir: string, opts?: { port?: number }): Promise<{ server: Server; url: string }>;
}

const root = resolve(import.meta.dirname, '../..');
const load = async <T>(p: string): Promise<T> => (await import(pathToFileURL(join(root, p)).href)) as T;

/** A checkpoint header with (or without) a label predictor; the weights do not matter here. */
function fakeCheckpoint(path: string, stage: string, withLabelPredictor: boolean): void {
  const t = { shape: [2], data: new Float32Array(2) };
  const tensors: Record<string, typeof t> = { 'sequential.0.0.weight': t };
  if (withLabelPredictor) tensors['label_predictor.0.weight'] = t;
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, encodeSafetensors(tensors, encodeMeta({ modelConfig: {}, tags: ['a', 'b'], stage })));
}

describe('build:web / serve:web', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'robust-tagger-webbuild-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the demo model: the first seed, dat first, best before last weights, else another stage with a label predictor, never a pretrain-only checkpoint', async () => {
    const { findDemoModel } = await load<BuildWebModule>('scripts/build-web.mjs');
    const runs = join(dir, 'runs-demo');
    expect(findDemoModel(runs)).toBeNull();
    fakeCheckpoint(join(runs, 'pretrain', 'model.safetensors'), 'pretrain', false);
    expect(findDemoModel(runs)).toBeNull();
    fakeCheckpoint(join(runs, 'baseline', 'model.safetensors'), 'baseline', true);
    expect(findDemoModel(runs)).toBe(join(runs, 'baseline', 'model.safetensors'));
    fakeCheckpoint(join(runs, 'dat', 'model.safetensors'), 'dat', true);
    expect(findDemoModel(runs)).toBe(join(runs, 'dat', 'model.safetensors'));
    // The demo's layout: one folder per training seed, the best-on-validation weights first.
    fakeCheckpoint(join(runs, 'seed-1', 'dat', 'best.safetensors'), 'dat', true);
    expect(findDemoModel(runs)).toBe(join(runs, 'seed-1', 'dat', 'best.safetensors'));
    fakeCheckpoint(join(runs, 'seed-0', 'baseline', 'model.safetensors'), 'baseline', true);
    expect(findDemoModel(runs)).toBe(join(runs, 'seed-0', 'baseline', 'model.safetensors'));
    fakeCheckpoint(join(runs, 'seed-0', 'dat', 'model.safetensors'), 'dat', true);
    expect(findDemoModel(runs)).toBe(join(runs, 'seed-0', 'dat', 'model.safetensors'));
    fakeCheckpoint(join(runs, 'seed-0', 'dat', 'best.safetensors'), 'dat', true);
    expect(findDemoModel(runs)).toBe(join(runs, 'seed-0', 'dat', 'best.safetensors'));
  });

  test('builds a self-contained folder, with or without a default model; the server serves it and nothing outside', async () => {
    const { buildWeb } = await load<BuildWebModule>('scripts/build-web.mjs');
    const { serveStatic } = await load<ServeWebModule>('scripts/serve-web.mjs');
    const model = join(dir, 'm', 'model.safetensors');
    fakeCheckpoint(model, 'dat', true);
    const out = join(dir, 'site');
    const built = await buildWeb({ outDir: out, model, quiet: true });
    for (const f of ['index.html', 'styles.css', 'tagger-page.js', 'manifest.json', 'model.safetensors']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toMatchObject({ defaultModel: 'model.safetensors' });
    expect(built.sizes.bundleGzip).toBeLessThan(built.sizes.bundle);
    const bundle = readFileSync(join(out, 'tagger-page.js'), 'utf8');
    expect(bundle).not.toMatch(/from\s*["']node:|require\(["']node:/);
    // Shaders are reflected at build time: the WGSL parser (wgsl_reflect) is not shipped.
    expect(bundle).toContain('carries no WGSL parser');
    expect(bundle).not.toContain('Invalid value for AssignOperator');

    const { server, url } = await serveStatic(out, { port: 0 });
    try {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect((await fetch(`${url}tagger-page.js`)).headers.get('content-type')).toMatch(/javascript/);
      expect((await fetch(`${url}nope.js`)).status).toBe(404);
      // Compression and revalidation: the bundle gzipped (fetch inflates it; the header says it was
      // compressed and content-length is the compressed size), and a repeat with the ETag is a bodiless 304.
      const js = await fetch(`${url}tagger-page.js`, { headers: { 'accept-encoding': 'gzip' } });
      expect(js.headers.get('content-encoding')).toBe('gzip');
      expect(js.headers.get('cache-control')).toBe('no-cache');
      expect(Number(js.headers.get('content-length'))).toBeLessThan(bundle.length / 3);
      expect(await js.text()).toBe(bundle);
      const etag = js.headers.get('etag');
      expect(etag).toMatch(/^(W\/)?"[^"]+"$/);
      const again = await fetch(`${url}tagger-page.js`, { headers: { 'if-none-match': etag! } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      // Weights are sent as they are: float32 barely compresses.
      const weights = await fetch(`${url}model.safetensors`, { headers: { 'accept-encoding': 'gzip' } });
      expect(weights.headers.get('content-encoding')).toBeNull();
      console.info(`[web] serve-web: tagger-page.js ${bundle.length} bytes, ${js.headers.get('content-length')} gzipped on the wire`);
      expect((await fetch(`${url}..%2F..%2Fetc%2Fpasswd`)).status).toBe(403);
    } finally {
      await new Promise<void>((ok) => server.close(() => ok()));
    }

    await expect(buildWeb({ outDir: out, model: join(dir, 'runs-demo', 'pretrain', 'model.safetensors'), quiet: true })).rejects.toThrow(/no label predictor/);
    await buildWeb({ outDir: out, model: null, quiet: true });
    expect(existsSync(join(out, 'model.safetensors'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toMatchObject({ defaultModel: null });
  });
});
