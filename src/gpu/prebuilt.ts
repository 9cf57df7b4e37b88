// Reflections computed at build time, keyed by WGSL source. Browser bundles
// register one per shader as its module loads (scripts/esbuild-plugins.mjs), so
// Shader skips the WGSL parser there; Node and tests register none and reflect
// at run time.
import type { ShaderReflection } from './reflect.js';

const prebuilt = new Map<string, ShaderReflection>();

export function registerPrebuiltReflection(source: string, reflection: ShaderReflection): void {
  prebuilt.set(source, reflection);
}

export function prebuiltReflection(source: string): ShaderReflection | undefined {
  return prebuilt.get(source);
}
