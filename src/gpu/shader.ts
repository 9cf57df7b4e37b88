// A WGSL source file and what wgsl_reflect reads from it: per entry point, the
// bindings it uses (by name) and the uniform struct's layout, so kernel modules
// bind buffers and pack uniforms by name instead of by hand-counted offsets.
import { WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';

export type ScalarKind = 'f32' | 'u32' | 'i32';

export interface UniformField {
  name: string;
  offset: number;
  /** Number of scalars (1 for a scalar, 4 for vec4, 4·n for array<vec4<…>, n>). */
  count: number;
  kind: ScalarKind;
}

export interface UniformLayout {
  bindingName: string;
  binding: number;
  size: number;
  fields: Map<string, UniformField>;
}

export interface BindingInfo {
  name: string;
  binding: number;
  kind: 'uniform' | 'storage' | 'read-only-storage';
}

export interface EntryInfo {
  name: string;
  /** Storage bindings the entry point statically uses, in binding order. */
  storage: BindingInfo[];
  uniform: UniformLayout | null;
  overrides: string[];
}

const SCALARS: Record<string, ScalarKind> = { f32: 'f32', u32: 'u32', i32: 'i32' };

function scalarOf(typeName: string, shader: string, field: string): ScalarKind {
  // vec4<u32>, vec4u, array<vec4<u32>, 2>: the scalar kind is the innermost one.
  const m = /(f32|u32|i32)|vec[234]([fui])/.exec(typeName);
  if (m?.[1]) return SCALARS[m[1]];
  if (m?.[2]) return ({ f: 'f32', u: 'u32', i: 'i32' } as const)[m[2] as 'f' | 'u' | 'i'];
  throw new Error(`${shader}: uniform field '${field}' has type ${typeName}; only f32/u32/i32 scalars, vectors and arrays of them are supported`);
}

export class Shader {
  readonly entries = new Map<string, EntryInfo>();

  constructor(readonly name: string, readonly source: string) {
    let reflect: WgslReflect;
    try {
      reflect = new WgslReflect(source);
    } catch (e) {
      throw new Error(`shader ${name}: WGSL parse error: ${(e as Error).message}`);
    }
    for (const fn of reflect.entry.compute) {
      const storage: BindingInfo[] = [];
      let uniform: UniformLayout | null = null;
      for (const res of fn.resources) {
        if (res.group !== 0) throw new Error(`shader ${name}: ${res.name} uses group ${res.group}; kernels use group 0 only`);
        const isUniform = reflect.uniforms.some((u) => u.name === res.name);
        // The parameter struct is packed by name into the uniform arena; a uniform
        // that is not a struct (e.g. an array of weights) is a buffer the caller binds.
        if (isUniform && res.members) {
          uniform = this.layoutOf(res.name, res.binding, res.members, res.size);
        } else if (isUniform) {
          storage.push({ name: res.name, binding: res.binding, kind: 'uniform' });
        } else {
          storage.push({ name: res.name, binding: res.binding, kind: res.access === 'read' ? 'read-only-storage' : 'storage' });
        }
      }
      storage.sort((a, b) => a.binding - b.binding);
      this.entries.set(fn.name, { name: fn.name, storage, uniform, overrides: fn.overrides.map((o) => o.name) });
    }
    if (this.entries.size === 0) throw new Error(`shader ${name}: no @compute entry point`);
  }

  private layoutOf(bindingName: string, binding: number, members: { name: string; offset: number; size: number; type: { name: string; getTypeName(): string } }[], size: number): UniformLayout {
    const fields = new Map<string, UniformField>();
    for (const m of members) {
      const typeName = m.type.getTypeName();
      fields.set(m.name, { name: m.name, offset: m.offset, count: m.size / 4, kind: scalarOf(typeName, this.name, m.name) });
    }
    return { bindingName, binding, size, fields };
  }

  entry(name: string): EntryInfo {
    const e = this.entries.get(name);
    if (!e) throw new Error(`shader ${this.name}: no compute entry point '${name}' (has ${[...this.entries.keys()].join(', ')})`);
    return e;
  }
}

/** Writes uniform values into `view` at `base` by field name; every field must be given. */
export function packUniforms(shader: string, entry: string, layout: UniformLayout, values: Record<string, number | readonly number[]>, view: DataView, base: number): void {
  for (const key of Object.keys(values)) {
    if (!layout.fields.has(key)) throw new Error(`${shader}:${entry}: uniform has no field '${key}' (fields: ${[...layout.fields.keys()].join(', ')})`);
  }
  for (const f of layout.fields.values()) {
    const v = values[f.name];
    if (v === undefined) throw new Error(`${shader}:${entry}: uniform field '${f.name}' was not given a value`);
    const arr = typeof v === 'number' ? [v] : v;
    if (arr.length > f.count) throw new Error(`${shader}:${entry}: uniform field '${f.name}' holds ${f.count} values, got ${arr.length}`);
    for (let i = 0; i < arr.length; i++) {
      const at = base + f.offset + 4 * i;
      const x = arr[i];
      if (f.kind === 'f32') view.setFloat32(at, x, true);
      else if (f.kind === 'u32') {
        if (!Number.isInteger(x) || x < 0 || x > 0xffffffff) throw new Error(`${shader}:${entry}: uniform '${f.name}' must be a u32, got ${x}`);
        view.setUint32(at, x, true);
      } else {
        if (!Number.isInteger(x) || x < -0x80000000 || x > 0x7fffffff) throw new Error(`${shader}:${entry}: uniform '${f.name}' must be an i32, got ${x}`);
        view.setInt32(at, x, true);
      }
    }
  }
}

/** Formats a compilation message with the offending source line, for errors users can act on. */
export function formatCompileMessage(shader: string, source: string, msg: { message: string; lineNum: number; linePos: number; type: string }): string {
  const lines = source.split('\n');
  const line = msg.lineNum > 0 ? lines[msg.lineNum - 1] ?? '' : '';
  const caret = msg.linePos > 0 ? ' '.repeat(msg.linePos - 1) + '^' : '';
  return `shader ${shader}.wgsl:${msg.lineNum}:${msg.linePos}: ${msg.type}: ${msg.message}` + (line ? `\n  ${line}\n  ${caret}` : '');
}
