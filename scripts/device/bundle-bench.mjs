// The device bundle of the benchmarks (and the tune command): every dependency
// inlined except Dawn (a native addon) and the JavaScript WebGPU peers (loaded
// on demand; absent on the GPU machine, they report "not measured"). WGSL,
// generated files included, goes through the same loader as the other bundles.
// Usage: node scripts/device/bundle-bench.mjs OUTFILE
import { build } from 'esbuild';
import { wgslText } from '../esbuild-plugins.mjs';

await build({
  entryPoints: ['bench/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'es2022',
  outfile: process.argv[2],
  logLevel: 'warning',
  external: ['webgpu', '@jax-js/jax', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [wgslText],
});
