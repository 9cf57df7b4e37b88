// The binding lists the CNN kernel modules declare (registry SHADERS) are what
// wgsl_reflect reads from the WGSL, and every entry fits the adapter's
// storage-buffer-per-stage limit (compatibility devices may offer as few as 4).
import { describe, expect, it } from 'vitest';
import { Shader } from '../../src/gpu/shader.js';
import { SHADERS } from '../../src/kernels/registry.js';
import { device } from './helpers.js';

const MINE = ['conv1d', 'maxpool', 'batchnorm', 'bce', 'ntxent'];

describe('CNN shaders in the registry', () => {
  it.each(MINE)('%s: declared bindings match the reflected ones and compile', async (name) => {
    const entry = SHADERS.find((s) => s.name === name);
    expect(entry, `${name} is missing from SHADERS`).toBeDefined();
    const shader = new Shader(entry!.name, entry!.source);
    expect([...shader.entries.keys()].sort()).toEqual(Object.keys(entry!.entries).sort());
    const ctx = await device();
    const limit = ctx.limits.maxStorageBuffersPerShaderStage;
    for (const [e, names] of Object.entries(entry!.entries)) {
      expect(shader.entry(e).storage.map((b) => b.name).sort(), `${name}:${e}`).toEqual([...names].sort());
      expect(names.length, `${name}:${e} binds ${names.length} storage buffers; the adapter allows ${limit}`).toBeLessThanOrEqual(limit);
    }
    await ctx.compile(ctx.shader(entry!.name, entry!.source));
  });
});
