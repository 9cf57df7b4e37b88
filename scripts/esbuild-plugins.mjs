// esbuild plugins shared by the build scripts (build.mjs, build-web.mjs).
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

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
      b.onLoad({ filter: /\.wgsl$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const reflection = reflectWgsl(basename(args.path, '.wgsl'), source);
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
