import { defineConfig } from 'vitest/config';

// WGSL files are imported as strings everywhere (esbuild's text loader in the
// bundles); this transform gives vitest the same behaviour.
const wgslAsText = {
  name: 'wgsl-as-text',
  transform(code: string, id: string) {
    if (!id.endsWith('.wgsl')) return null;
    return { code: `export default ${JSON.stringify(code)};`, map: null };
  },
};

export default defineConfig({
  plugins: [wgslAsText],
  test: {
    include: ['test/**/*.test.ts'],
    // Software GPUs are slow and share two cores; one file at a time keeps
    // timings predictable and avoids two Dawn instances fighting for llvmpipe.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
