// A WGSL source file and its reflection (reflect.ts): per entry point, the
// bindings it uses (by name) and the uniform struct's layout, so kernel modules
// bind buffers and pack uniforms by name instead of by hand-counted offsets.
import { prebuiltReflection } from './prebuilt.js';
import { type BindingInfo, type ScalarKind, type UniformField, reflectWgsl } from './reflect.js';

export type { BindingInfo, ScalarKind, UniformField };

export interface UniformLayout {
  bindingName: string;
  binding: number;
  size: number;
  fields: Map<string, UniformField>;
}

export interface EntryInfo {
  name: string;
  /** Buffers the caller binds (storage, and uniform arrays) that the entry point statically uses, in binding order. */
  storage: BindingInfo[];
  uniform: UniformLayout | null;
  overrides: string[];
}

export class Shader {
  readonly entries = new Map<string, EntryInfo>();

  constructor(readonly name: string, readonly source: string) {
    // The loaders join `// #include` lines (scripts/wgsl-include.mjs); one left here was never resolved.
    const include = /^\s*\/\/\s*#\s*include.*$/m.exec(source);
    if (include) throw new Error(`shader ${name}: unresolved '${include[0].trim()}': load WGSL through the loaders of scripts/esbuild-plugins.mjs (npm run build, vitest), which join includes`);
    const reflection = prebuiltReflection(source) ?? reflectWgsl(name, source);
    for (const e of reflection.entries) {
      const uniform = e.uniform && { ...e.uniform, fields: new Map(e.uniform.fields.map((f) => [f.name, f])) };
      this.entries.set(e.name, { name: e.name, storage: e.storage, uniform, overrides: e.overrides });
    }
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
