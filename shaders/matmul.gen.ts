// Build-time generator of matmul's entry points (imported as
// shaders/matmul.gen.wgsl: the WGSL loaders run it, see conv1d-k3.gen.ts):
// matmul.prelude.wgsl (its Params, bindings and the column store) followed by
// one register-blocked entry point per block shape; why the blocks are
// unrolled, and how, is said in the prelude.
import prelude from './matmul.prelude.wgsl';
import { accumulators, each, fmaRow, inline, offsets } from './unroll.js';

/**
 * `rows` × (4·groups) outputs per invocation; the 16×16 workgroup covers
 * (16·rows) × (64·groups). Columns c, c+16, … (`vec4B` false: each vec4 group
 * holds 4 columns 16 apart, loaded one by one) or, with `vec4B`, groups of 4
 * contiguous columns 4·(q + 16·g) … +3, each loaded from b4 in one read.
 */
export function matmulBlock(name: string, rows: number, groups: number, vec4B = false): string {
  const cols = 4 * groups;
  const columnOffsets = vec4B
    ? offsets('var', 'ib', groups, (g) => `(b_base + min(q + ${16 * g}u, last_q) * 4u) / 4u`)
    : offsets('var', 'ib', cols, (j) => `b_base + min(c + ${16 * j}u, last_n) * p.b_strides.z`);
  const loads = vec4B
    ? each(groups, (g) => `    let b${g} = b4[ib${g}];`)
    : each(groups, (g) => `    let b${g} = vec4<f32>(${each(4, (j) => `b[ib${4 * g + j}]`).join(', ')});`);
  const stores = vec4B
    ? each(rows, (r) => `  ${inline(groups, (g) => `store4(r0 + ${r}u, 4u * (q + ${16 * g}u), acc${r}_${g}, out_base);`)}`)
    : each(rows, (r) => `  ${inline(groups, (g) => `store(r0 + ${r}u, c + ${64 * g}u, acc${r}_${g}, out_base);`)}`);
  return [
    `// ${rows}×${cols} outputs per invocation; the workgroup covers ${16 * rows}×${64 * groups}${vec4B ? ', B read as vec4 of contiguous columns' : ''}.`,
    '@compute @workgroup_size(16, 16)',
    `fn ${name}(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {`,
    '  let batch = wid.z;',
    `  let r0 = wid.y * ${16 * rows}u + lid.y * ${rows}u;`,
    vec4B ? `  let q = wid.x * ${16 * groups}u + lid.x;` : `  let c = wid.x * ${64 * groups}u + lid.x;`,
    '  let last_m = max(p.M, 1u) - 1u;',
    vec4B ? '  let last_q = max(p.N / 4u, 1u) - 1u;' : '  let last_n = max(p.N, 1u) - 1u;',
    '  let sa_k = p.a_strides.z;',
    vec4B ? '  let sb_k = p.b_strides.y / 4u;' : '  let sb_k = p.b_strides.y;',
    '  let a_base = p.a_strides.w + batch * p.a_strides.x;',
    '  let b_base = p.b_strides.w + batch * p.b_strides.x;',
    ...offsets('var', 'ia', rows, (r) => `a_base + min(r0 + ${r}u, last_m) * p.a_strides.y`),
    ...columnOffsets,
    ...accumulators(rows, groups),
    '  for (var k = 0u; k < p.K; k++) {',
    ...loads,
    ...each(rows, (r) => `    ${fmaRow(r, groups, `a[ia${r}]`)}`),
    `    ${inline(rows, (r) => `ia${r} += sa_k;`)}`,
    `    ${inline(vec4B ? groups : cols, (j) => `ib${j} += sb_k;`)}`,
    '  }',
    '  let out_base = batch * p.M * p.N;',
    ...stores,
    '}',
  ].join('\n');
}

export default function generate(): string {
  return [prelude, matmulBlock('matmul_large', 16, 2), matmulBlock('matmul_large_v4', 16, 2, true), matmulBlock('matmul_small', 4, 1)].join('\n\n') + '\n';
}
