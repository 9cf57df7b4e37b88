// esbuild plugins shared by the build scripts (build.mjs, build-web.mjs).
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { joinIncludes } from './wgsl-include.mjs';

/**
 * Replaces the Node device entry (src/gpu/node-gpu.ts) with a stub in browser
 * bundles, keeping Dawn and node:* modules out of them. In browsers device.ts
 * calls only its packageVersion(): the package's version, read at build time.
 */
export const stubNodeGpu = {
  name: 'stub-node-gpu',
  setup(b) {
    b.onResolve({ filter: /\/node-gpu\.js$/ }, (args) => ({ path: args.path, namespace: 'node-gpu-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'node-gpu-stub' }, async () => {
      // The package version keys the browser's tuning cache as it keys the Node one (src/gpu/tuner.ts adapterKey).
      const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
      return {
        contents: `export function nodeGpuCandidates() { throw new Error('Dawn is Node-only'); }\nexport function nodeEnv() { return {}; }\nexport function nodeTuneStore() { return null; }\nexport function packageVersion() { return ${JSON.stringify(version)}; }`,
        loader: 'js',
      };
    });
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
        const { text: source, files } = await wgslSource(args.path);
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
          watchFiles: files,
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

/**
 * The WGSL text behind a .wgsl path, its includes joined (wgsl-include.mjs):
 * the file, or the output of its .gen.ts generator, whose own .wgsl imports are
 * joined the same way; with every file the text was made from (for watchers).
 * @returns {Promise<{ text: string, files: string[] }>}
 */
export async function wgslSource(path) {
  if (!GENERATED_WGSL.test(path)) return joinIncludes(path, await readFile(path, 'utf8'));
  const generator = path.replace(/\.wgsl$/, '.ts');
  const files = [generator];
  const joinedWgsl = {
    name: 'joined-wgsl',
    setup(b) {
      b.onLoad({ filter: /\.wgsl$/ }, async (args) => {
        const joined = await joinIncludes(args.path, await readFile(args.path, 'utf8'));
        files.push(...joined.files);
        return { contents: joined.text, loader: 'text' };
      });
    },
  };
  const out = await build({
    entryPoints: [generator],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    plugins: [joinedWgsl],
    logLevel: 'warning',
  });
  const mod = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
  const source = mod.default();
  if (typeof source !== 'string' || !source.includes('@compute')) throw new Error(`${generator}: the default export must return WGSL with entry points`);
  return { text: source, files };
}

/** WGSL as text in Node bundles (build.mjs, the device bundle), generated files included. */
export const wgslText = {
  name: 'wgsl-text',
  setup(b) {
    b.onResolve({ filter: GENERATED_WGSL }, resolveGenerated);
    b.onLoad({ filter: /\.wgsl$/ }, async (args) => {
      const { text, files } = await wgslSource(args.path);
      return { contents: `export default ${JSON.stringify(text)};`, loader: 'js', watchFiles: files };
    });
  },
};
