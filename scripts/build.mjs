// Builds the Node CLI/benchmark bundles and the browser runtime bundle from the
// same sources. WGSL is inlined as text so neither bundle reads files at run time.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prebuiltWgsl, stubNodeGpu, wgslText } from './esbuild-plugins.mjs';

const common = {
  bundle: true,
  sourcemap: true,
  loader: { '.wgsl': 'text' },
  logLevel: 'warning',
  target: 'es2022',
};

// Extra Node entries given as arguments (experiments: node scripts/build.mjs
// scripts/experiments/x.ts gives dist/x.js), built with the same WGSL loader.
const extra = process.argv.slice(2);
for (const p of extra) if (!existsSync(p)) throw new Error(`build: no entry ${p}`);
const nodeEntries = { cli: 'src/cli/main.ts', bench: 'bench/main.ts' };
await build({
  ...common,
  entryPoints: { ...Object.fromEntries(Object.entries(nodeEntries).filter(([, p]) => existsSync(p))), ...Object.fromEntries(extra.map((p) => [basename(p, '.ts'), p])) },
  outdir: 'dist',
  platform: 'node',
  format: 'esm',
  // Native addons and packages with their own wasm/asset loading stay external.
  packages: 'external',
  banner: { js: '#!/usr/bin/env node' },
  plugins: [wgslText],
});

// The batch worker, loaded by src/data/workerScript.ts from beside the bundles.
await build({ ...common, entryPoints: { batchWorker: 'src/data/batchWorker.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' }, platform: 'node', format: 'cjs' });

const browserOptions = {
  ...common,
  platform: 'browser',
  format: 'esm',
  plugins: [stubNodeGpu, prebuiltWgsl(resolve(dirname(fileURLToPath(import.meta.url)), '..'))],
};

await build({ ...browserOptions, entryPoints: { 'robust-tagger': 'src/index.browser.ts' }, outdir: 'dist/browser' });
