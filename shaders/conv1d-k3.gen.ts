// Build-time generator of the K = 3 GEMM entry points (imported as
// shaders/conv1d-k3.gen.wgsl: the WGSL loaders in scripts/esbuild-plugins.mjs
// and vitest.config.ts run it and hand the result to the kernel module like
// any .wgsl file). The bodies are unrolled on purpose, as in matmul.gen.ts: no
// dynamically indexed private arrays and no inner branches, which the software
// adapters would turn into per-lane memory traffic.
import prelude from './conv1d-k3.prelude.wgsl';
import { accumulators } from './unroll.js';

const COMPONENTS = 'xyzw';

/** Lines shared by conv_k3_r* and conv_k3u_r16 up to the channel loop: the column block and its 10-wide window. */
function windowSetup(a: (s: string) => void): void {
  a('  let cb_raw = wid.x * WG_X + lid.x;');
  a('  let valid = cb_raw < p.N * p.nblk;');
  a('  let cb = min(cb_raw, p.N * p.nblk - 1u);');
  a('  let n = cb / p.nblk;');
  a('  let j0 = (cb - n * p.nblk) * 8u;');
  a('  let lin = i32(p.Lin);');
  a('  let wb = i32(j0) + p.tap_base + p.win_shift;');
  for (let u = 0; u < 10; u++) {
    a(`  let d${u} = u32(clamp(wb + ${u}, 0, lin - 1));`);
    a(`  let m${u} = select(0.0, 1.0, wb + ${u} >= 0 && wb + ${u} < lin);`);
  }
}

/** The end of the channel loop (`iw` advanced by `iwStep`) and the rows' stores (store_k3, adding to out where `accumulate`). */
function finish(a: (s: string) => void, rows: number, iwStep: string, accumulate: string): void {
  a(`    iw += ${iwStep};`);
  a('    ib += p.b_c;');
  a('  }');
  a('  if (!valid) { return; }');
  a('  let ob = n * p.out_n + j0;');
  for (let i = 0; i < rows; i++) a(`  store_k3(r0 + ${i}u, ob, j0, acc${i}_0, acc${i}_1, ${accumulate});`);
  a('}');
}

/** The window loads and the three tap views inside the channel loop. */
function windowLoads(a: (s: string) => void): void {
  for (let u = 0; u < 10; u++) a(`    let x${u} = rhs[ib + d${u}] * m${u};`);
  a('    let t0a = vec4<f32>(x0, x1, x2, x3); let t0b = vec4<f32>(x4, x5, x6, x7);');
  a('    let t1a = vec4<f32>(x1, x2, x3, x4); let t1b = vec4<f32>(x5, x6, x7, x8);');
  a('    let t2a = vec4<f32>(x2, x3, x4, x5); let t2b = vec4<f32>(x6, x7, x8, x9);');
}

/** Row i's two accumulators += its three weights (components `c` of w0, w1, w2) times the tap views. */
const fmaRow = (i: number, c: string): string =>
  `      acc${i}_0 = fma(vec4<f32>(w2.${c}), t2a, fma(vec4<f32>(w1.${c}), t1a, fma(vec4<f32>(w0.${c}), t0a, acc${i}_0))); acc${i}_1 = fma(vec4<f32>(w2.${c}), t2b, fma(vec4<f32>(w1.${c}), t1b, fma(vec4<f32>(w0.${c}), t0b, acc${i}_1)));`;

/** conv_k3_r<rows>: rows×8 outputs per invocation, weights packed by pack_k3 (wq). */
export function convK3(rows: number): string {
  const o: string[] = [];
  const a = (s: string): void => void o.push(s);
  const groups = rows / 4;
  a(`// ${rows}×8 outputs per invocation: rows r0 … r0+${rows - 1} (from the workgroup id), columns`);
  a('// j0 … j0+7 of one signal; weights come packed by pack_k3 (wq).');
  a('@compute @workgroup_size(WG_X)');
  a(`fn conv_k3_r${rows}(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {`);
  a(`  let r0 = wid.y * ${rows}u;`);
  windowSetup(a);
  a('  let mb4 = (p.M + 3u) / 4u;');
  a(`  var iw = wid.y * ${groups}u * 3u;`);
  a('  let iw_step = mb4 * 3u;');
  a('  var ib = n * p.b_n;');
  accumulators(rows, 2).forEach(a);
  a('  for (var ch = 0u; ch < p.C; ch++) {');
  windowLoads(a);
  for (let g = 0; g < groups; g++) {
    a(`    { let w0 = wq[iw + ${3 * g}u]; let w1 = wq[iw + ${3 * g + 1}u]; let w2 = wq[iw + ${3 * g + 2}u];`);
    for (let t = 0; t < 4; t++) a(fmaRow(4 * g + t, COMPONENTS[t]));
    a('    }');
  }
  finish(a, rows, 'iw_step', 'false');
  return o.join('\n');
}

/** conv_k3u_r<rows>: as conv_k3_r<rows>, weights from the uniform buffer wu (see pack_k3u). */
export function convK3Uniform(rows = 16): string {
  const o: string[] = [];
  const a = (s: string): void => void o.push(s);
  a(`// conv_k3u_r${rows}: ${rows}×8 outputs per invocation like conv_k3_r${rows}, weights from the uniform`);
  a('// buffer wu (one row group, channels c0 … c1−1; see pack_k3u); accumulates into');
  a('// out when p.accumulate is set (channel chunks after the first).');
  a('@compute @workgroup_size(WG_X)');
  a(`fn conv_k3u_r${rows}(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {`);
  a('  let r0 = p.r_base;');
  windowSetup(a);
  a('  var ib = n * p.b_n + p.c0 * p.b_c;');
  a('  var iw = 0u;');
  accumulators(rows, 2).forEach(a);
  a('  for (var ch = p.c0; ch < p.c1; ch++) {');
  windowLoads(a);
  for (let g = 0; g < rows / 4; g++) {
    a(`    { let w0 = wu[iw + ${g}u]; let w1 = wu[iw + ${4 + g}u]; let w2 = wu[iw + ${8 + g}u];`);
    for (let t = 0; t < 4; t++) a(fmaRow(4 * g + t, COMPONENTS[t]));
    a('    }');
  }
  finish(a, rows, '12u', 'p.accumulate != 0u');
  return o.join('\n');
}

export default function generate(): string {
  return [prelude, convK3Uniform(16), convK3(16), convK3(8), convK3(4)].join('\n\n') + '\n';
}
