// The adapters the GPU suites run on: llvmpipe through Dawn's OpenGL backend
// (required: CI has it), SwiftShader through Dawn's Vulkan backend, and a native
// Vulkan GPU when one exists. Each missing optional adapter is reported with why.
import { existsSync } from 'node:fs';
import { SWIFTSHADER_ICD } from '../../src/gpu/backend.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { getDevice } from '../../src/gpu/device.js';

export interface AdapterCase {
  name: string;
  ctx: GpuContext;
}

let cached: Promise<AdapterCase[]> | null = null;

async function discover(): Promise<AdapterCase[]> {
  const cases: AdapterCase[] = [];
  const only = process.env.ROBUST_TAGGER_TEST_ADAPTERS?.split(',').map((s) => s.trim());
  const want = (n: string): boolean => !only || only.includes(n);
  // Native Vulkan first, before SwiftShader's ICD is put into the environment.
  if (want('vulkan') && !process.env.VK_ICD_FILENAMES) {
    try {
      const ctx = await getDevice({ backend: 'vulkan' });
      if (/swiftshader|llvmpipe|lavapipe/i.test(`${ctx.adapter.description} ${ctx.adapter.device}`)) ctx.destroy();
      else cases.push({ name: `vulkan (${ctx.adapter.description || ctx.adapter.device})`, ctx });
    } catch {
      console.info('[adapters] no native Vulkan GPU here; running on software adapters only');
    }
  }
  if (want('opengl')) {
    // Required: a silent pass with no adapter would hide everything.
    cases.push({ name: 'opengl/llvmpipe', ctx: await getDevice({ backend: 'opengl' }) });
  }
  if (want('swiftshader')) {
    if (!existsSync(SWIFTSHADER_ICD) && !process.env.VK_ICD_FILENAMES) {
      console.warn(`[adapters] skipping vulkan/swiftshader: ${SWIFTSHADER_ICD} not found (apt-get install chromium libvulkan1)`);
    } else {
      try {
        cases.push({ name: 'vulkan/swiftshader', ctx: await getDevice({ backend: 'swiftshader' }) });
      } catch (e) {
        console.warn(`[adapters] skipping vulkan/swiftshader: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }
  if (cases.length === 0) throw new Error('no adapter selected (check ROBUST_TAGGER_TEST_ADAPTERS)');
  return cases;
}

export function adapters(): Promise<AdapterCase[]> {
  cached ??= discover();
  return cached;
}

/** The first adapter only (llvmpipe in CI): for slow end-to-end tests run once. */
export async function primaryAdapter(): Promise<AdapterCase> {
  const all = await adapters();
  return all.find((a) => a.name.startsWith('opengl')) ?? all[0];
}
