// Node 20 cannot run TypeScript in a worker, and the CLI is one esbuild
// bundle with no separate worker file. So the worker's source is bundled on
// demand with esbuild (a dev dependency that `npm ci` installs) into one
// CommonJS string and started with `eval: true`. Callers fall back to the
// main thread when that is impossible.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: Promise<string> | null = null;

export function batchWorkerSource(): Promise<string> {
  cached ??= bundle();
  return cached;
}

async function bundle(): Promise<string> {
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
