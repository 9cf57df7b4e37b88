// WGSL sources are imported as strings: esbuild's text loader in bundles, a small
// transform in vitest (see vitest.config.ts).
declare module '*.wgsl' {
  const source: string;
  export default source;
}
