import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { GENERATED_WGSL, wgslSource } from './scripts/esbuild-plugins.mjs';
import { defineConfig } from 'vitest/config';
import { SWIFTSHADER_ICD } from './src/gpu/backend.js';

// WGSL files are imported as strings everywhere (the esbuild loaders of
// scripts/esbuild-plugins.mjs in the bundles); this plugin gives vitest the same
// behaviour through the same wgslSource, so a shader's `// #include` lines are
// joined (scripts/wgsl-include.mjs) and NAME.gen.wgsl is the output of
// NAME.gen.ts here exactly as in the bundles.
const wgslAsText = {
  name: 'wgsl-as-text',
  enforce: 'pre' as const,
  resolveId(id: string, importer: string | undefined) {
    if (!GENERATED_WGSL.test(id) || !importer) return null;
    return resolve(dirname(importer), id);
  },
  async load(this: { addWatchFile(file: string): void }, id: string) {
    if (!id.endsWith('.wgsl')) return null;
    const { text, files } = await wgslSource(id);
    for (const f of files) this.addWatchFile(f);
    return { code: `export default ${JSON.stringify(text)};`, map: null };
  },
};

// The kernel conformance suites (test/cnn) run once more on SwiftShader through
// Dawn's Vulkan backend, whose per-adapter kernel choices differ from llvmpipe's
// (the tuner measures each adapter). Without SwiftShader that run is left out, and said so.
const swiftshader = existsSync(SWIFTSHADER_ICD) || !!process.env.VK_ICD_FILENAMES;
if (!swiftshader) console.warn(`[vitest] kernel suites on SwiftShader left out: ${SWIFTSHADER_ICD} not found (apt-get install chromium libvulkan1)`);

// Kernel choices in tests are deterministic (every op's default candidate unless a
// test pins one), and nothing writes to the user's tuning cache: tests that tune
// do it in a fresh temporary folder.
const TUNE_ENV = { ROBUST_TAGGER_TUNE: 'off', ROBUST_TAGGER_CACHE_DIR: mkdtempSync(join(tmpdir(), 'robust-tagger-tune-')) };

export default defineConfig({
  plugins: [wgslAsText],
  test: {
    projects: [
      // Different group orders: the projects run one after the other, not side by side on two cores.
      { extends: true, test: { name: 'all', include: ['test/**/*.test.ts'], env: TUNE_ENV, sequence: { groupOrder: 0 } } },
      ...(swiftshader ? [{ extends: true, test: { name: 'cnn-swiftshader', include: ['test/cnn/**/*.test.ts'], env: { ...TUNE_ENV, CNN_TEST_BACKEND: 'swiftshader' }, sequence: { groupOrder: 1 } } }] : []),
    ],
    // Software GPUs are slow and share two cores; one file at a time keeps
    // timings predictable and avoids two Dawn instances fighting for llvmpipe.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
