// esbuild plugins shared by the build scripts (build.mjs, build-web.mjs).

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
      contents: "export function nodeGpuCandidates() { throw new Error('Dawn is Node-only'); }\nexport function nodeEnv() { return {}; }",
      loader: 'js',
    }));
  },
};
