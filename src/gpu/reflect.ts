// What a WGSL source declares, read with wgsl_reflect: per compute entry point,
// the storage bindings it uses, its uniform struct's layout and its override
// constants. The result is plain data so browser bundles can compute it at build
// time (scripts/esbuild-plugins.mjs) and ship without the WGSL parser.
import { WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';

export type ScalarKind = 'f32' | 'u32' | 'i32';

export interface UniformField {
  name: string;
  offset: number;
  /** Number of scalars (1 for a scalar, 4 for vec4, 4·n for array<vec4<…>, n>). */
  count: number;
  kind: ScalarKind;
}

export interface BindingInfo {
  name: string;
  binding: number;
  kind: 'uniform' | 'storage' | 'read-only-storage';
}

export interface UniformReflection {
  bindingName: string;
  binding: number;
  size: number;
  fields: UniformField[];
}

export interface EntryReflection {
  name: string;
  /** Buffers the caller binds (storage, and uniform arrays) that the entry point statically uses, in binding order. */
  storage: BindingInfo[];
  uniform: UniformReflection | null;
  overrides: string[];
}

export interface ShaderReflection {
  entries: EntryReflection[];
}

const SCALARS: Record<string, ScalarKind> = { f32: 'f32', u32: 'u32', i32: 'i32' };

function scalarOf(typeName: string, shader: string, field: string): ScalarKind {
  // vec4<u32>, vec4u, array<vec4<u32>, 2>: the scalar kind is the innermost one.
  const m = /(f32|u32|i32)|vec[234]([fui])/.exec(typeName);
  if (m?.[1]) return SCALARS[m[1]];
  if (m?.[2]) return ({ f: 'f32', u: 'u32', i: 'i32' } as const)[m[2] as 'f' | 'u' | 'i'];
  throw new Error(`${shader}: uniform field '${field}' has type ${typeName}; only f32/u32/i32 scalars, vectors and arrays of them are supported`);
}

type Member = { name: string; offset: number; size: number; type: { getTypeName(): string } };

function uniformOf(shader: string, bindingName: string, binding: number, members: Member[], size: number): UniformReflection {
  const fields = members.map((m) => ({ name: m.name, offset: m.offset, count: m.size / 4, kind: scalarOf(m.type.getTypeName(), shader, m.name) }));
  return { bindingName, binding, size, fields };
}

/** Reflects `source` (named `name` in errors); throws on a parse error or an unsupported layout. */
export function reflectWgsl(name: string, source: string): ShaderReflection {
  let reflect: WgslReflect;
  try {
    reflect = new WgslReflect(source);
  } catch (e) {
    throw new Error(`shader ${name}: WGSL parse error: ${(e as Error).message}`);
  }
  const entries: EntryReflection[] = [];
  for (const fn of reflect.entry.compute) {
    const storage: BindingInfo[] = [];
    let uniform: UniformReflection | null = null;
    for (const res of fn.resources) {
      if (res.group !== 0) throw new Error(`shader ${name}: ${res.name} uses group ${res.group}; kernels use group 0 only`);
      const isUniform = reflect.uniforms.some((u) => u.name === res.name);
      // The parameter struct is packed by name into the uniform arena; a uniform
      // that is not a struct (e.g. an array of weights) is a buffer the caller binds.
      if (isUniform && res.members) {
        uniform = uniformOf(name, res.name, res.binding, res.members as Member[], res.size);
      } else if (isUniform) {
        storage.push({ name: res.name, binding: res.binding, kind: 'uniform' });
      } else {
        storage.push({ name: res.name, binding: res.binding, kind: res.access === 'read' ? 'read-only-storage' : 'storage' });
      }
    }
    storage.sort((a, b) => a.binding - b.binding);
    entries.push({ name: fn.name, storage, uniform, overrides: fn.overrides.map((o) => o.name) });
  }
  if (entries.length === 0) throw new Error(`shader ${name}: no @compute entry point`);
  return { entries };
}
