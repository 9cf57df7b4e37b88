// Build-time generator of the K = 3 grad-weight entry points (imported as
// shaders/conv1d-k3-grad-weight.gen.wgsl; see conv1d-k3.gen.ts for how).
// One invocation owns a block of (co, ci) × 3 taps in named registers and walks
// its chunk of (n, l) serially: no cross-lane reduction.
import prelude from './conv1d-k3-grad-weight.prelude.wgsl';
import { each } from './unroll.js';

/** Both kernels' split of the flattened (n, l) axis, q_begin … q_end−1, and the bounds they clamp to. */
const SPLIT_RANGE = [
  '  let last_co = p.Cout - 1u;',
  '  let Q = p.N * p.Lout;',
  '  let q_begin = split * p.chunk;',
  '  let q_end = min(q_begin + p.chunk, Q);',
  '  let lin = i32(p.L);',
  '  let pad = i32(p.padding);',
];

/** grad_weight_k3s1_ci<ci>: stride 1, `co` output channels (workgroup-uniform) × `ci` input channels (per lane). */
export function gradWeightK3s1(co: number, ci: number): string {
  const o: string[] = [];
  const a = (s: string): void => void o.push(s);
  a(`// grad_weight_k3s1_ci${ci}: ${co} co (workgroup-uniform) × ${ci} ci (per lane) × 3 taps per invocation.`);
  a('@compute @workgroup_size(WG_X)');
  a(`fn grad_weight_k3s1_ci${ci}(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {`);
  a('  let split = wid.x / p.tiles_n;');
  a('  let cib_raw = (wid.x - split * p.tiles_n) * WG_X + lid.x;');
  a(`  let ci0 = cib_raw * ${ci}u;`);
  a(`  let co0 = wid.y * ${co}u;`);
  a('  let last_ci = p.Cin - 1u;');
  SPLIT_RANGE.forEach(a);
  each(ci, (c) => `  let xo${c} = min(ci0 + ${c}u, last_ci) * p.L;`).forEach(a);
  each(co, (i) => `  let go${i} = min(co0 + ${i}u, last_co) * p.Lout;`).forEach(a);
  for (let i = 0; i < co; i++) each(ci, (c) => `  var acc${i}_${c} = vec3<f32>(0.0);`).forEach(a);
  a('  var q = q_begin;');
  a('  while (q < q_end) {');
  a('    let n = q / p.Lout;');
  a('    let l0 = q - n * p.Lout;');
  a('    let l1 = min(p.Lout, l0 + (q_end - q));');
  a('    let xb = n * p.Cin * p.L;');
  a('    let gb = n * p.Cout * p.Lout;');
  a('    // Sliding window over positions l − pad + {0, 1, 2}: one new x per ci and step.');
  a('    let pa = i32(l0) - pad;');
  a('    let ma = select(0.0, 1.0, pa >= 0 && pa < lin);');
  a('    let mb = select(0.0, 1.0, pa + 1 >= 0 && pa + 1 < lin);');
  a('    let ia = xb + u32(clamp(pa, 0, lin - 1));');
  a('    let ib = xb + u32(clamp(pa + 1, 0, lin - 1));');
  each(ci, (c) => `    var xa${c} = x[ia + xo${c}] * ma;\n    var xb${c} = x[ib + xo${c}] * mb;`).forEach(a);
  a('    for (var l = l0; l < l1; l++) {');
  a('      let pc = i32(l) - pad + 2;');
  a('      let mc = select(0.0, 1.0, pc >= 0 && pc < lin);');
  a('      let ic = xb + u32(clamp(pc, 0, lin - 1));');
  each(ci, (c) => `      let xc${c} = x[ic + xo${c}] * mc;\n      let v${c} = vec3<f32>(xa${c}, xb${c}, xc${c});`).forEach(a);
  for (let i = 0; i < co; i++) {
    a(`      let g${i} = vec3<f32>(gy[gb + go${i} + l]);`);
    a(`      ${each(ci, (c) => `acc${i}_${c} = fma(g${i}, v${c}, acc${i}_${c});`).join(' ')}`);
  }
  a(`      ${each(ci, (c) => `xa${c} = xb${c}; xb${c} = xc${c};`).join(' ')}`);
  a('    }');
  a('    q += l1 - l0;');
  a('  }');
  a(`  if (cib_raw * ${ci}u >= p.Cin) { return; }`);
  a('  let R = p.Cin * 3u;');
  for (let i = 0; i < co; i++) each(ci, (c) => `  store_gw3(split, co0 + ${i}u, ci0 + ${c}u, R, acc${i}_${c});`).forEach(a);
  a('}');
  return o.join('\n');
}

/** grad_weight_k3: `co` output channels × 1 input channel × 3 taps per invocation, any stride and padding. */
export function gradWeightK3(co: number): string {
  const o: string[] = [];
  const a = (s: string): void => void o.push(s);
  a(`// grad_weight_k3: ${co} co × 1 ci × 3 taps per invocation, any stride and padding.`);
  a('// Invocation i: co block (fastest), then ci, then split; every load is per lane.');
  a('@compute @workgroup_size(64)');
  a('fn grad_weight_k3(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {');
  a('  let flat = flat_invocation(wid, nwg, t, 64u);');
  a('  let cob = flat % p.tiles_m;');
  a('  let rest = flat / p.tiles_m;');
  a('  let ci = rest % p.Cin;');
  a('  let split = rest / p.Cin;');
  a('  if (split >= p.batches) { return; }');
  a(`  let co0 = cob * ${co}u;`);
  SPLIT_RANGE.forEach(a);
  for (let i = 0; i < co; i++) a(`  let go${i} = min(co0 + ${i}u, last_co) * p.Lout;\n  var acc${i} = vec3<f32>(0.0);`);
  a('  var q = q_begin;');
  a('  while (q < q_end) {');
  a('    let n = q / p.Lout;');
  a('    let l0 = q - n * p.Lout;');
  a('    let l1 = min(p.Lout, l0 + (q_end - q));');
  a('    let xb = (n * p.Cin + ci) * p.L;');
  a('    let gb = n * p.Cout * p.Lout;');
  a('    for (var l = l0; l < l1; l++) {');
  a('      let pa = i32(l * p.stride) - pad;');
  a('      let v = vec3<f32>(');
  a('        select(0.0, x[xb + u32(clamp(pa, 0, lin - 1))], pa >= 0 && pa < lin),');
  a('        select(0.0, x[xb + u32(clamp(pa + 1, 0, lin - 1))], pa + 1 >= 0 && pa + 1 < lin),');
  a('        select(0.0, x[xb + u32(clamp(pa + 2, 0, lin - 1))], pa + 2 >= 0 && pa + 2 < lin));');
  for (let i = 0; i < co; i++) a(`      acc${i} = fma(vec3<f32>(gy[gb + go${i} + l]), v, acc${i});`);
  a('    }');
  a('    q += l1 - l0;');
  a('  }');
  a('  let R = p.Cin * 3u;');
  for (let i = 0; i < co; i++) a(`  store_gw3(split, co0 + ${i}u, ci, R, acc${i});`);
  a('}');
  return o.join('\n');
}

export default function generate(): string {
  return [prelude, gradWeightK3s1(16, 16), gradWeightK3s1(16, 8), gradWeightK3s1(16, 4), gradWeightK3(16)].join('\n\n') + '\n';
}
