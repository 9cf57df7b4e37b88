// Build-time generator of the conv1d GEMM entry points (imported as
// shaders/conv1d-gemm.gen.wgsl, see conv1d-k3.gen.ts): conv1d-gemm.prelude.wgsl
// followed by one register-blocked entry point per block shape, unrolled for
// the reasons given in matmul.prelude.wgsl.
import prelude from './conv1d-gemm.prelude.wgsl';
import { accumulators, each, fmaRow, inline, offsets } from './unroll.js';

/** 8 columns of the flattened (n, position) axis, c + 16·j, as two vec4 groups. */
const COLS = 8;

/** `rows`×8 outputs per invocation: rows r0 … r0+rows−1, columns c, c+16, …, c+112. */
export function convGemmBlock(name: string, rows: number): string {
  return [
    `// ${rows}×${COLS} outputs per invocation: rows r0 … r0+${rows - 1}, columns c, c+16, …, c+112.`,
    `// The workgroup covers (${rows}·WG_Y) rows × 128 columns of the flattened (n, position) axis.`,
    '@compute @workgroup_size(16, WG_Y)',
    `fn ${name}(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {`,
    `  let r0 = (wid.y * WG_Y + lid.y) * ${rows}u;`,
    '  let c = wid.x * 128u + lid.x;',
    '  let last_m = p.M - 1u;',
    '  let last_col = p.N * p.ncol - 1u;',
    '  let lin = i32(p.Lin);',
    ...offsets('let', 'ra', rows, (r) => `min(r0 + ${r}u, last_m) * p.a_row`),
    ...each(COLS, (j) => [
      `  let n${j} = min(c + ${16 * j}u, last_col) / p.ncol;`,
      `  let pc${j} = i32((min(c + ${16 * j}u, last_col) - n${j} * p.ncol) * p.col_stride) + p.tap_base;`,
      `  let bb${j} = n${j} * p.b_n;`,
    ].join('\n')),
    ...accumulators(rows, 2),
    '  for (var k = 0u; k < p.K; k++) {',
    '    let shift = i32(k) * p.tap_step;',
    ...offsets('let', 'q', COLS, (j) => `pc${j} + shift`, '    '),
    ...each(2, (g) => {
      const q = `vec4<i32>(${each(4, (j) => `q${4 * g + j}`).join(', ')})`;
      return `    let m${g} = select(vec4<f32>(0.0), vec4<f32>(1.0), (${q} >= vec4<i32>(0)) & (${q} < vec4<i32>(lin)));`;
    }),
    ...offsets('var', 'ib', COLS, (j) => `bb${j} + u32(clamp(q${j}, 0, lin - 1))`, '    '),
    ...offsets('var', 'ia', rows, (r) => `ra${r} + k * p.a_k`, '    '),
    '    for (var ch = 0u; ch < p.C; ch++) {',
    ...each(2, (g) => `      let b${g} = vec4<f32>(${each(4, (j) => `rhs[ib${4 * g + j}]`).join(', ')}) * m${g};`),
    ...each(rows, (r) => `      ${fmaRow(r, 2, `lhs[ia${r}]`)}`),
    `      ${inline(rows, (r) => `ia${r} += p.a_c;`)}`,
    `      ${inline(COLS, (j) => `ib${j} += p.b_c;`)}`,
    '    }',
    '  }',
    ...each(rows, (r) => `  ${inline(2, (g) => `store_gemm(r0 + ${r}u, c + ${64 * g}u, acc${r}_${g});`)}`),
    '}',
  ].join('\n');
}

export default function generate(): string {
  return [prelude, convGemmBlock('conv_gemm_large', 16), convGemmBlock('conv_gemm_small', 4)].join('\n\n') + '\n';
}
