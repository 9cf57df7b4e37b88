// esbuild plugins shared by the build scripts (build.mjs, build-web.mjs).
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Replaces the Node device entry (src/gpu/node-gpu.ts) with a stub in browser
 * bundles. device.ts only reaches it under Node, so the stub never runs; it
 * keeps Dawn and node:* modules out of the bundle.
 */
export const stubNodeGpu = {
  name: 'stub-node-gpu',
  setup(b) {
    b.onResolve({ filter: /\/node-gpu\.js$/ }, (args) => ({ path: args.path, namespace: 'node-gpu-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'node-gpu-stub' }, () => ({
      contents: "export function nodeGpuCandidates() { throw new Error('Dawn is Node-only'); }\nexport function nodeEnv() { return {}; }\nexport function nodeTuneStore() { return null; }\nexport function packageVersion() { return 'browser'; }",
      loader: 'js',
    }));
  },
};

/**
 * Reflects every WGSL file at build time and registers the result beside its
 * source (src/gpu/prebuilt.ts), then stubs out wgsl_reflect: browser bundles
 * ship the reflection as data instead of a WGSL parser (about 70% of the page
 * bundle before this). Node bundles and tests still reflect at run time.
 * @param {string} root the repository root
 */
export function prebuiltWgsl(root) {
  return {
    name: 'prebuilt-wgsl',
    async setup(b) {
      const { reflectWgsl } = await loadReflector(root);
      const prebuiltModule = join(root, 'src', 'gpu', 'prebuilt.ts');
      b.onResolve({ filter: GENERATED_WGSL }, resolveGenerated);
      b.onLoad({ filter: /\.wgsl$/ }, async (args) => {
        const source = await wgslSource(args.path);
        const reflection = reflectWgsl(basename(args.path, '.wgsl').replace(/\.gen$/, ''), source);
        return {
          contents: [
            `import { registerPrebuiltReflection } from ${JSON.stringify(prebuiltModule)};`,
            `const source = ${JSON.stringify(source)};`,
            `registerPrebuiltReflection(source, ${JSON.stringify(reflection)});`,
            'export default source;',
          ].join('\n'),
          loader: 'js',
          resolveDir: dirname(args.path),
        };
      });
      b.onResolve({ filter: /^wgsl_reflect(\/|$)/ }, (args) => ({ path: args.path, namespace: 'wgsl-reflect-stub' }));
      b.onLoad({ filter: /.*/, namespace: 'wgsl-reflect-stub' }, () => ({
        contents: "export class WgslReflect { constructor() { throw new Error('this bundle reflects its shaders at build time and carries no WGSL parser; a shader without a prebuilt reflection cannot be loaded here'); } }",
        loader: 'js',
      }));
    },
  };
}

/** src/gpu/reflect.ts bundled for Node in memory and imported, so the build uses the runtime's own reflection code. */
async function loadReflector(root) {
  const out = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'src', 'gpu', 'reflect.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/**
 * Imports of `NAME.gen.wgsl` name WGSL generated at build time by the
 * TypeScript module `NAME.gen.ts` beside them (its default export returns the
 * source). There is no such file on disk, so these hooks resolve the path
 * themselves; the loaders below then treat the result like any .wgsl file.
 */
export const GENERATED_WGSL = /\.gen\.wgsl$/;

function resolveGenerated(args) {
  return { path: resolve(args.resolveDir, args.path) };
}

/** The WGSL text behind a .wgsl path: the file, or the output of its .gen.ts generator. */
export async function wgslSource(path) {
  if (!GENERATED_WGSL.test(path)) return readFile(path, 'utf8');
  const generator = path.replace(/\.wgsl$/, '.ts');
  const out = await build({
    entryPoints: [generator],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    loader: { '.wgsl': 'text' },
    logLevel: 'warning',
  });
  const mod = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
  const source = mod.default();
  if (typeof source !== 'string' || !source.includes('@compute')) throw new Error(`${generator}: the default export must return WGSL with entry points`);
  return source;
}

/** WGSL as text in Node bundles (build.mjs, the device bundle), generated files included. */
export const wgslText = {
  name: 'wgsl-text',
  setup(b) {
    b.onResolve({ filter: GENERATED_WGSL }, resolveGenerated);
    b.onLoad({ filter: /\.wgsl$/ }, async (args) => ({ contents: `export default ${JSON.stringify(await wgslSource(args.path))};`, loader: 'js' }));
  },
};
