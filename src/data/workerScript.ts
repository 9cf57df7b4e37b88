// Node 20 cannot run TypeScript in a worker. `npm run build` writes the worker
// as dist/batchWorker.cjs beside the CLI bundle; when running from source
// (vitest) the worker is bundled on demand with esbuild (a dev dependency)
// into one CommonJS string. Either is started with `eval: true`. Callers fall
// back to the main thread when neither is possible.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: Promise<string> | null = null;

export function batchWorkerSource(): Promise<string> {
  cached ??= bundle();
  return cached;
}

async function bundle(): Promise<string> {
  const prebuilt = fileURLToPath(new URL('./batchWorker.cjs', import.meta.url));
  if (existsSync(prebuilt)) return readFileSync(prebuilt, 'utf8');
  // From src/data (vitest, tsx) or from dist/*.js (the esbuild bundles).
  const candidates = ['./batchWorker.ts', '../src/data/batchWorker.ts', '../../src/data/batchWorker.ts'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  const entry = candidates.find((p) => existsSync(p));
  if (!entry) throw new Error(`batch worker source not found (looked at ${candidates.join(', ')})`);
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
