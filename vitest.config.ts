import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { SWIFTSHADER_ICD } from './src/gpu/backend.js';

// WGSL files are imported as strings everywhere (esbuild's text loader in the
// bundles); this transform gives vitest the same behaviour.
const wgslAsText = {
  name: 'wgsl-as-text',
  transform(code: string, id: string) {
    if (!id.endsWith('.wgsl')) return null;
    return { code: `export default ${JSON.stringify(code)};`, map: null };
  },
};

// The kernel conformance suites (test/cnn) run once more on SwiftShader through
// Dawn's Vulkan backend, whose per-adapter kernel choices differ from llvmpipe's
// (src/kernels/conv1d.ts tuning()). Without SwiftShader that run is left out, and said so.
const swiftshader = existsSync(SWIFTSHADER_ICD) || !!process.env.VK_ICD_FILENAMES;
if (!swiftshader) console.warn(`[vitest] kernel suites on SwiftShader left out: ${SWIFTSHADER_ICD} not found (apt-get install chromium libvulkan1)`);

export default defineConfig({
  plugins: [wgslAsText],
  test: {
    projects: [
      // Different group orders: the projects run one after the other, not side by side on two cores.
      { extends: true, test: { name: 'all', include: ['test/**/*.test.ts'], sequence: { groupOrder: 0 } } },
      ...(swiftshader ? [{ extends: true, test: { name: 'cnn-swiftshader', include: ['test/cnn/**/*.test.ts'], env: { CNN_TEST_BACKEND: 'swiftshader' }, sequence: { groupOrder: 1 } } }] : []),
    ],
    // Software GPUs are slow and share two cores; one file at a time keeps
    // timings predictable and avoids two Dawn instances fighting for llvmpipe.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
