// Build-time generator of matmul's entry points (imported as
// shaders/matmul.gen.wgsl: the WGSL loaders run it, see conv1d-k3.gen.ts):
// matmul.prelude.wgsl (its Params, bindings and the column store) followed by
// one register-blocked entry point per block shape; why the blocks are
// unrolled, and how, is said in the prelude.
import prelude from './matmul.prelude.wgsl';
import { accumulators, each, fmaRow, inline, offsets } from './unroll.js';

/** `rows` × (4·groups) outputs per invocation (rows r0 …, columns c, c+16, …); the 16×16 workgroup covers (16·rows) × (64·groups). */
export function matmulBlock(name: string, rows: number, groups: number): string {
  const cols = 4 * groups;
  return [
    `// ${rows}×${cols} outputs per invocation; the workgroup covers ${16 * rows}×${64 * groups}.`,
    '@compute @workgroup_size(16, 16)',
    `fn ${name}(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {`,
    '  let batch = wid.z;',
    `  let r0 = wid.y * ${16 * rows}u + lid.y * ${rows}u;`,
    `  let c = wid.x * ${64 * groups}u + lid.x;`,
    '  let last_m = max(p.M, 1u) - 1u;',
    '  let last_n = max(p.N, 1u) - 1u;',
    '  let sa_k = p.a_strides.z;',
    '  let sb_k = p.b_strides.y;',
    '  let a_base = p.a_strides.w + batch * p.a_strides.x;',
    '  let b_base = p.b_strides.w + batch * p.b_strides.x;',
    ...offsets('var', 'ia', rows, (r) => `a_base + min(r0 + ${r}u, last_m) * p.a_strides.y`),
    ...offsets('var', 'ib', cols, (j) => `b_base + min(c + ${16 * j}u, last_n) * p.b_strides.z`),
    ...accumulators(rows, groups),
    '  for (var k = 0u; k < p.K; k++) {',
    ...each(groups, (g) => `    let b${g} = vec4<f32>(${each(4, (j) => `b[ib${4 * g + j}]`).join(', ')});`),
    ...each(rows, (r) => `    ${fmaRow(r, groups, `a[ia${r}]`)}`),
    `    ${inline(rows, (r) => `ia${r} += sa_k;`)}`,
    `    ${inline(cols, (j) => `ib${j} += sb_k;`)}`,
    '  }',
    '  let out_base = batch * p.M * p.N;',
    ...each(rows, (r) => `  ${inline(groups, (g) => `store(r0 + ${r}u, c + ${64 * g}u, acc${r}_${g}, out_base);`)}`),
    '}',
  ].join('\n');
}

export default function generate(): string {
  return [prelude, matmulBlock('matmul_large', 16, 2), matmulBlock('matmul_small', 4, 1)].join('\n\n') + '\n';
}
