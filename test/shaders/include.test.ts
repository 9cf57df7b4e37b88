// The WGSL include mechanism (scripts/wgsl-include.mjs): what the loaders join,
// and the errors for includes that cannot be resolved. The joined shaders
// themselves are compiled and reflected by test/gpu/shaders.test.ts.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { joinIncludes } from '../../scripts/wgsl-include.mjs';
import { Shader } from '../../src/gpu/shader.js';
import { OPTIONAL_SHADERS, SHADERS } from '../../src/kernels/registry.js';

type Join = (path: string, source: string, read?: (p: string) => Promise<string>) => Promise<{ text: string; files: string[] }>;
const join = joinIncludes as Join;

/** A read() over in-memory files, for the resolver alone. */
const files = (fs: Record<string, string>) => async (p: string): Promise<string> => {
  if (!(p in fs)) throw Object.assign(new Error('not found'), { code: 'ENOENT' });
  return fs[p];
};

describe('WGSL includes', () => {
  it('joins included files in place, relative to the including file, each once', async () => {
    const read = files({
      '/s/prelude/a.wgsl': '// #include "b.wgsl"\nfn a() {}',
      '/s/prelude/b.wgsl': 'fn b() {}',
    });
    const { text, files: used } = await join('/s/k.wgsl', '// #include "prelude/a.wgsl"\n// #include "prelude/b.wgsl"\n@compute @workgroup_size(1) fn main() { a(); b(); }', read);
    expect(text.split('\n').filter((l) => !l.startsWith('// ----'))).toEqual(['fn b() {}', 'fn a() {}', '@compute @workgroup_size(1) fn main() { a(); b(); }']);
    expect(text).toContain('// ---- begin prelude/a.wgsl ----');
    expect(used).toEqual(['/s/k.wgsl', '/s/prelude/a.wgsl', '/s/prelude/b.wgsl']);
  });

  it('leaves out the whole-line comments of included files, not those of the shader or trailing ones', async () => {
    const read = files({ '/s/p/a.wgsl': '// About a.\n  // indented\nfn a() -> u32 { return 1u; }   // trailing\n' });
    const { text } = await join('/s/k.wgsl', '// The kernel.\n// #include "p/a.wgsl"\n// Its entry:\nfn k() {}', read);
    expect(text).toBe('// The kernel.\n// ---- begin p/a.wgsl ----\nfn a() -> u32 { return 1u; }   // trailing\n\n// ---- end p/a.wgsl ----\n// Its entry:\nfn k() {}');
  });

  it('refuses an unknown include, naming the shader, the include and the line', async () => {
    await expect(join('/s/kernel.wgsl', 'fn f() {}\n// #include "prelude/missing.wgsl"', files({}))).rejects.toThrow(/^shader kernel\.wgsl: unknown include "prelude\/missing\.wgsl" at kernel\.wgsl:2 \(no file \/s\/prelude\/missing\.wgsl: ENOENT\)$/);
    // Also from inside an included file.
    await expect(join('/s/kernel.wgsl', '// #include "p/a.wgsl"', files({ '/s/p/a.wgsl': '\n// #include "gone.wgsl"' }))).rejects.toThrow(/shader kernel\.wgsl: unknown include "gone\.wgsl" at p\/a\.wgsl:2/);
  });

  it('refuses a directive not of the form // #include "path.wgsl"', async () => {
    for (const bad of ['// #include prelude/a.wgsl', '// #include "prelude/a.txt"', '// #include "a.wgsl" extra', '//#includes "a.wgsl"']) {
      await expect(join('/s/k.wgsl', bad, files({ '/s/a.wgsl': '' })), bad).rejects.toThrow(/^shader k\.wgsl: malformed include at k\.wgsl:1/);
    }
  });

  it('Shader refuses WGSL whose includes were never joined (loaded without the loaders)', () => {
    expect(() => new Shader('raw', '// #include "prelude/flat.wgsl"\n@compute @workgroup_size(1) fn main() {}')).toThrow(/^shader raw: unresolved '\/\/ #include "prelude\/flat\.wgsl"'/);
  });

  it('every kernel module receives joined text, and the shared helpers are defined once', () => {
    for (const s of [...SHADERS, ...OPTIONAL_SHADERS]) {
      expect(s.source, s.name).not.toMatch(/^\s*\/\/\s*#include/m);
      for (const helper of ['fn flat_workgroup(', 'fn workgroup_sum(']) {
        expect(s.source.split(helper).length - 1, `${s.name}: ${helper}`).toBeLessThanOrEqual(1);
      }
    }
    const joined = (name: string): string => [...SHADERS, ...OPTIONAL_SHADERS].find((s) => s.name === name)!.source;
    expect(joined('batchnorm')).toContain('// ---- begin prelude/workgroup-sum.wgsl ----');
    expect(joined('batchnorm-subgroups')).toContain('// ---- begin prelude/subgroup-sum.wgsl ----');
    expect(joined('batchnorm-subgroups')).not.toContain('// ---- begin prelude/workgroup-sum.wgsl');
  });
});
