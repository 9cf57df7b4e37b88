// The adapters the GPU suites run on: llvmpipe through Dawn's OpenGL backend
// (required: CI has it), SwiftShader through Dawn's Vulkan backend, and a native
// Vulkan GPU when one exists. A suite that checks ops runs on every adapter
// present with `await describeAdapters(title, ({ ctx }) => { ... })`; each
// adapter that is absent, or left out by the filter below, shows up as a
// skipped test that says why, never as a silent pass.
//
// ROBUST_TAGGER_TEST_ADAPTERS=opengl[,swiftshader,vulkan] restricts the runs to
// the named adapters (for debugging one adapter); the others are reported skipped.
import { existsSync } from 'node:fs';
import { describe, test } from 'vitest';
import { SWIFTSHADER_ICD } from '../../src/gpu/backend.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { getDevice } from '../../src/gpu/device.js';

export type TestBackend = 'vulkan' | 'opengl' | 'swiftshader';
const BACKENDS: readonly TestBackend[] = ['vulkan', 'opengl', 'swiftshader'];

export interface AdapterCase {
  name: string;
  backend: TestBackend;
  ctx: GpuContext;
}

interface Absent {
  name: string;
  why: string;
}

const FILTER = 'ROBUST_TAGGER_TEST_ADAPTERS';

function selected(): Set<TestBackend> {
  const raw = process.env[FILTER];
  if (!raw) return new Set(BACKENDS);
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !(BACKENDS as readonly string[]).includes(n));
  if (bad.length || names.length === 0) throw new Error(`${FILTER}=${raw}: unknown adapter ${bad.join(', ') || '(none named)'}; use a comma-separated list of ${BACKENDS.join(', ')}`);
  return new Set(names as TestBackend[]);
}

let cached: Promise<{ present: AdapterCase[]; absent: Absent[] }> | null = null;

async function discover(): Promise<{ present: AdapterCase[]; absent: Absent[] }> {
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const present: AdapterCase[] = [];
  const absent: Absent[] = [];
  const want = selected();
  const filtered = (name: string): void => void absent.push({ name, why: `not in ${FILTER}=${process.env[FILTER]}` });
  // Native Vulkan first, before SwiftShader's ICD is put into the environment.
  if (!want.has('vulkan')) filtered('vulkan (native GPU)');
  else if (process.env.VK_ICD_FILENAMES) absent.push({ name: 'vulkan (native GPU)', why: `VK_ICD_FILENAMES is set (${process.env.VK_ICD_FILENAMES}), so Vulkan sees only that driver` });
  else {
    try {
      const ctx = await getDevice({ backend: 'vulkan' });
      if (/swiftshader|llvmpipe|lavapipe/i.test(`${ctx.adapter.description} ${ctx.adapter.device}`)) {
        absent.push({ name: 'vulkan (native GPU)', why: `the Vulkan adapter is a software one (${ctx.adapter.description || ctx.adapter.device})` });
        ctx.destroy();
      } else present.push({ name: `vulkan (${ctx.adapter.description || ctx.adapter.device})`, backend: 'vulkan', ctx });
    } catch (e) {
      absent.push({ name: 'vulkan (native GPU)', why: `no native Vulkan GPU here (${(e as Error).message.split('\n')[0]})` });
    }
  }
  // Required: a run with no adapter at all would pass without checking anything.
  if (want.has('opengl')) present.push({ name: 'opengl/llvmpipe', backend: 'opengl', ctx: await getDevice({ backend: 'opengl' }) });
  else filtered('opengl/llvmpipe');
  if (!want.has('swiftshader')) filtered('vulkan/swiftshader');
  else if (!existsSync(SWIFTSHADER_ICD) && !process.env.VK_ICD_FILENAMES) {
    absent.push({ name: 'vulkan/swiftshader', why: `${SWIFTSHADER_ICD} not found (apt-get install chromium libvulkan1)` });
  } else {
    try {
      present.push({ name: 'vulkan/swiftshader', backend: 'swiftshader', ctx: await getDevice({ backend: 'swiftshader' }) });
    } catch (e) {
      absent.push({ name: 'vulkan/swiftshader', why: (e as Error).message.split('\n')[0] });
    }
  }
  if (present.length === 0) throw new Error(`no adapter selected (check ${FILTER})`);
  for (const a of absent) console.warn(`[adapters] skipping ${a.name}: ${a.why}`);
  return { present, absent };
}

function discovered(): Promise<{ present: AdapterCase[]; absent: Absent[] }> {
  cached ??= discover();
  return cached;
}

/** The adapters present (and selected), one context each, shared by the suites of a test file. */
export async function adapters(): Promise<AdapterCase[]> {
  return (await discovered()).present;
}

/**
 * `describe.each` over every adapter present, titled '<title> on <adapter>';
 * every adapter absent or filtered out gets a skipped test that says why. Call
 * at the top level of a test file: `await describeAdapters('conv1d', ({ ctx }) => { ... })`.
 */
export async function describeAdapters(title: string, body: (a: AdapterCase) => void): Promise<void> {
  const { present, absent } = await discovered();
  if (present.length) describe.each(present)(`${title} on $name`, body);
  for (const a of absent) {
    describe(`${title} on ${a.name}`, () => {
      test('adapter absent or left out', (t) => t.skip(`${a.name}: ${a.why}`));
    });
  }
}

/** The first adapter only (llvmpipe in CI): for slow end-to-end tests run once. */
export async function primaryAdapter(): Promise<AdapterCase> {
  const all = await adapters();
  return all.find((a) => a.backend === 'opengl') ?? all[0];
}

const lowered = new Map<string, Promise<GpuContext>>();

/**
 * A second device of the same adapter whose reported
 * maxComputeWorkgroupsPerDimension is `maxDim`: the kernel modules' 2-D grid
 * folding and batch splitting run at tiny sizes (a real 65,536-workgroup
 * dispatch takes ~40 s per kernel on llvmpipe). The device's real limit is
 * larger, so any spare workgroups a fold creates really run and must do nothing.
 */
export function loweredGridDevice(a: AdapterCase, maxDim: number): Promise<GpuContext> {
  const key = `${a.backend} ${maxDim}`;
  let p = lowered.get(key);
  if (!p) {
    p = getDevice({ backend: a.backend }).then((ctx) => {
      const limits = new Proxy(ctx.device.limits, { get: (t, k) => (k === 'maxComputeWorkgroupsPerDimension' ? maxDim : (t as unknown as Record<string | symbol, unknown>)[k]) });
      Object.defineProperty(ctx, 'limits', { get: () => limits });
      if (ctx.limits.maxComputeWorkgroupsPerDimension !== maxDim) throw new Error(`loweredGridDevice: ${a.name} still reports ${ctx.limits.maxComputeWorkgroupsPerDimension} workgroups per dimension`);
      return ctx;
    });
    lowered.set(key, p);
  }
  return p;
}
