// Builds the Node CLI/benchmark bundles and the browser runtime bundle from the
// same sources. WGSL is inlined as text so neither bundle reads files at run time.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = {
  bundle: true,
  sourcemap: true,
  loader: { '.wgsl': 'text' },
  logLevel: 'warning',
  target: 'es2022',
};

const nodeEntries = { cli: 'src/cli/main.ts', bench: 'bench/main.ts' };
await build({
  ...common,
  entryPoints: Object.fromEntries(Object.entries(nodeEntries).filter(([, p]) => existsSync(p))),
  outdir: 'dist',
  platform: 'node',
  format: 'esm',
  // Native addons and packages with their own wasm/asset loading stay external.
  packages: 'external',
  banner: { js: '#!/usr/bin/env node' },
});

// The batch worker, loaded by src/data/workerScript.ts from beside the bundles.
await build({ ...common, entryPoints: { batchWorker: 'src/data/batchWorker.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' }, platform: 'node', format: 'cjs' });

// The Node device entry is never reached in a browser (device.ts checks first);
// the browser bundle gets a stub in its place so no Node module is pulled in.
const stubNodeGpu = {
  name: 'stub-node-gpu',
  setup(b) {
    b.onResolve({ filter: /\/node-gpu\.js$/ }, (args) => ({ path: args.path, namespace: 'node-gpu-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'node-gpu-stub' }, () => ({
      contents: "export function nodeGpuCandidates() { throw new Error('Dawn is Node-only'); }\nexport function nodeEnv() { return {}; }",
      loader: 'js',
    }));
  },
};

export const browserOptions = {
  ...common,
  platform: 'browser',
  format: 'esm',
  plugins: [stubNodeGpu],
};

await build({ ...browserOptions, entryPoints: { 'robust-tagger': 'src/index.browser.ts' }, outdir: 'dist/browser' });
