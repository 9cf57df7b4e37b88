import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { GENERATED_WGSL, wgslSource } from './scripts/esbuild-plugins.mjs';
import { defineConfig } from 'vitest/config';

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

// Kernel choices in tests are deterministic (every op's default candidate unless a
// test pins one), and nothing writes to the user's tuning cache: tests that tune
// do it in a fresh temporary folder.
const TUNE_ENV = { ROBUST_TAGGER_TUNE: 'off', ROBUST_TAGGER_CACHE_DIR: mkdtempSync(join(tmpdir(), 'robust-tagger-tune-')) };

export default defineConfig({
  plugins: [wgslAsText],
  test: {
    // Suites that check ops run on every adapter present (test/helpers/adapters.ts:
    // describeAdapters), each one in the same file; ROBUST_TAGGER_TEST_ADAPTERS narrows them.
    include: ['test/**/*.test.ts'],
    env: TUNE_ENV,
    // Software GPUs are slow and share two cores; one file at a time keeps
    // timings predictable and avoids two Dawn instances fighting for llvmpipe.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    // `npm run test:count-assertions` (scripts/count-assertions.mjs) counts the expect calls per file.
    setupFiles: process.env.ROBUST_TAGGER_COUNT_ASSERTIONS ? ['test/helpers/countAssertions.ts'] : [],
  },
});
