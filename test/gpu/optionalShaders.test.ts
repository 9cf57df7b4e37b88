// Shaders that need an optional device feature (src/kernels/registry.ts
// OPTIONAL_SHADERS): their bindings match the kernel module's, and they compile
// on every adapter that has the feature; adapters without it are named.
import { describe, expect, test } from 'vitest';
import { Shader } from '../../src/gpu/shader.js';
import { OPTIONAL_SHADERS } from '../../src/kernels/registry.js';
import { adapters } from '../helpers/adapters.js';

describe('optional-feature shaders', () => {
  test.each(OPTIONAL_SHADERS.map((s) => [s.name, s] as const))('%s: wrapper bindings match the WGSL', (_, s) => {
    const shader = new Shader(s.name, s.source);
    expect([...shader.entries.keys()].sort()).toEqual(Object.keys(s.entries).sort());
    for (const [entry, names] of Object.entries(s.entries)) expect(shader.entry(entry).storage.map((b) => b.name).sort()).toEqual([...names].sort());
  });
});

describe.each(await adapters())('optional-feature shaders on $name', ({ ctx }) => {
  test.each(OPTIONAL_SHADERS.map((s) => [s.name, s] as const))('%s compiles where the device has its feature', async (_, s) => {
    if (!ctx.device.features.has(s.feature)) {
      console.info(`[optional shaders] ${s.name} not compiled on ${ctx.adapter.description}: no '${s.feature}' feature`);
      return;
    }
    await ctx.compile(ctx.shader(s.name, s.source));
  });
});
