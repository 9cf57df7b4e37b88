// wgsl_reflect's package "main" is CommonJS inside an ESM package, so Node can
// only load its ES module file; re-export the package's own types for that path.
declare module 'wgsl_reflect/wgsl_reflect.module.js' {
  export * from 'wgsl_reflect';
}
