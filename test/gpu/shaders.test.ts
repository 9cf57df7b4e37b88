// The one binding check, and the kernel infrastructure around it: every shader
// the kernel modules register (src/kernels/registry.ts: SHADERS, and
// OPTIONAL_SHADERS, which need a device feature) is read from the source the
// runtime gets (the kernel module's .wgsl import, through the same esbuild and
// vitest loaders, generated and prelude-joined text included); each wrapper
// binds exactly the buffers the reflected entry point uses; every entry point
// in shaders/ belongs to a registered shader; each compiles on every adapter
// within its storage-buffer limit (compatibility devices may offer as few as 4).
// Compile errors carry the shader name and source line; uniforms are packed by
// name and checked.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, test } from 'vitest';
import { registerPrebuiltReflection } from '../../src/gpu/prebuilt.js';
import { reflectWgsl } from '../../src/gpu/reflect.js';
import { Shader, formatCompileMessage, packUniforms } from '../../src/gpu/shader.js';
import { OPTIONAL_SHADERS, SHADERS, type ShaderEntry } from '../../src/kernels/registry.js';
import { describeAdapters } from '../helpers/adapters.js';

const ALL: readonly (ShaderEntry & { feature?: GPUFeatureName })[] = [...SHADERS, ...OPTIONAL_SHADERS];
const EACH = ALL.map((s) => [s.name, s] as const);
const SHADER_DIR = fileURLToPath(new URL('../../shaders', import.meta.url));

describe('shader reflection', () => {
  test.each(EACH)('%s: wrapper bindings match the WGSL', (_, s) => {
    const shader = new Shader(s.name, s.source);
    expect([...shader.entries.keys()].sort()).toEqual(Object.keys(s.entries).sort());
    for (const [entry, names] of Object.entries(s.entries)) {
      expect(shader.entry(entry).storage.map((b) => b.name).sort(), `${s.name}:${entry}`).toEqual([...names].sort());
    }
  });

  test('every entry point written in shaders/ is in a registered shader', () => {
    const files = readdirSync(SHADER_DIR).filter((f) => f.endsWith('.wgsl'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(join(SHADER_DIR, f), 'utf8');
      for (const [, fn] of text.matchAll(/@compute[^\n]*\s+fn\s+(\w+)\s*\(/g)) {
        const owner = ALL.find((s) => fn in s.entries && s.source.includes(`fn ${fn}(`));
        expect(owner, `shaders/${f}: entry point ${fn} is in no shader of src/kernels/registry.ts, so nothing checks its bindings`).toBeDefined();
      }
    }
  });

  test('uniform layout follows WGSL alignment and packing is by name', () => {
    const s = new Shader('t', `
      struct P { n: u32, alpha: f32, shape: vec4<u32>, offs: array<vec4<i32>, 2> }
      @group(0) @binding(0) var<uniform> p: P;
      @group(0) @binding(1) var<storage, read_write> y: array<f32>;
      @compute @workgroup_size(1) fn main() { y[0] = f32(p.n) * p.alpha + f32(p.shape.x) + f32(p.offs[1].y); }`);
    const layout = s.entry('main').uniform!;
    expect(layout.fields.get('shape')).toMatchObject({ offset: 16, count: 4, kind: 'u32' });
    expect(layout.fields.get('offs')).toMatchObject({ offset: 32, count: 8, kind: 'i32' });
    const view = new DataView(new ArrayBuffer(layout.size));
    packUniforms('t', 'main', layout, { n: 3, alpha: 0.5, shape: [1, 2, 3, 4], offs: [0, 0, 0, 0, 0, -7] }, view, 0);
    expect(view.getUint32(0, true)).toBe(3);
    expect(view.getFloat32(4, true)).toBe(0.5);
    expect(view.getInt32(32 + 20, true)).toBe(-7);
    expect(() => packUniforms('t', 'main', layout, { n: 3, alpha: 0.5, shape: [1, 2, 3, 4] }, view, 0)).toThrow(/'offs' was not given/);
    expect(() => packUniforms('t', 'main', layout, { n: 3, alpha: 0.5, shape: [1], offs: [], typo: 1 }, view, 0)).toThrow(/no field 'typo'/);
    expect(() => packUniforms('t', 'main', layout, { n: -1, alpha: 0.5, shape: [1], offs: [] }, view, 0)).toThrow(/must be a u32/);
  });

  test.each(EACH)('%s: a build-time reflection (JSON) gives the same entries as parsing at run time', (_, s) => {
    const runtime = new Shader(s.name, s.source);
    // A source the parser cannot read proves the prebuilt reflection is what got used.
    const unparsable = `${s.source}\n@@ not wgsl`;
    expect(() => reflectWgsl(s.name, unparsable)).toThrow(/parse error/);
    registerPrebuiltReflection(unparsable, JSON.parse(JSON.stringify(reflectWgsl(s.name, s.source))));
    expect(new Shader(s.name, unparsable).entries).toEqual(runtime.entries);
  });

  test('a shader without a compute entry point is refused by name', () => {
    expect(() => new Shader('empty', 'fn helper() -> f32 { return 1.0; }')).toThrow(/shader empty: no @compute entry point/);
  });

  test('compile messages show the offending line with a caret', () => {
    const msg = formatCompileMessage('demo', 'a\nlet y = bad;\nc', { message: 'unresolved identifier', lineNum: 2, linePos: 9, type: 'error' });
    expect(msg).toBe('shader demo.wgsl:2:9: error: unresolved identifier\n  let y = bad;\n          ^');
  });
});

await describeAdapters('shaders', ({ ctx }) => {
  it.for(EACH)('%s compiles every entry point within the storage-buffer limit', async ([, s], t) => {
    if (s.feature && !ctx.device.features.has(s.feature)) t.skip(`${ctx.adapter.description}: no '${s.feature}' feature, so the kernels never use ${s.name} here`);
    const limit = ctx.limits.maxStorageBuffersPerShaderStage;
    for (const [e, names] of Object.entries(s.entries)) {
      expect(names.length, `${s.name}:${e} binds ${names.length} storage buffers; the adapter allows ${limit}`).toBeLessThanOrEqual(limit);
    }
    await ctx.compile(ctx.shader(s.name, s.source));
  });

  test('a shader that parses but fails validation reports name, message and source line', async () => {
    // wgsl_reflect accepts it; Dawn's validator rejects the type mismatch.
    const bad = ctx.shader('typo_kernel', `
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(1) fn main() {
  let x: f32 = 1u;
  y[0] = x;
}`);
    await expect(ctx.compile(bad)).rejects.toThrow(/shader typo_kernel\.wgsl:4:\d+: error: .*\n\s+let x: f32 = 1u;/);
  });

  test('a syntax error is reported with the shader name and line', async () => {
    const bad = ctx.shader('syntax_kernel', `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(1) fn main() {
  y[0] = 1.0 +;
}`);
    await expect(ctx.compile(bad)).rejects.toThrow(/shader syntax_kernel\.wgsl:3:\d+: error/);
  });

  test('dispatch checks bindings by name', () => {
    const s = ctx.shader(SHADERS[0].name, SHADERS[0].source);
    expect(() => ctx.dispatch(s, 'unary', { bindings: {}, uniforms: {}, workgroups: [1] })).toThrow();
    expect(() => ctx.dispatch(s, 'nope', { bindings: {}, workgroups: [1] })).toThrow(/no compute entry point 'nope'/);
  });
});
