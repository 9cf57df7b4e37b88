// Build-time generator of grad_weight_lanes (imported as
// shaders/conv1d-lanes.gen.wgsl, see conv1d-k3.gen.ts): conv1d-lanes.prelude.wgsl
// followed by the entry point, its 8 ci × 8 co block of products unrolled into
// named registers acc<ci>_<co group> as described there.
import prelude from './conv1d-lanes.prelude.wgsl';
import { accumulators, each, fmaRow, offsets } from './unroll.js';

/** The block: 8 input channels (rows) × 8 output channels (two vec4 groups). */
const CI = 8;
const CO = 8;

export function gradWeightLanes(): string {
  return [
    '@compute @workgroup_size(64)',
    'fn grad_weight_lanes(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {',
    '  let flat = flat_workgroup(wid, nwg);',
    '  let tile_ci = flat % p.tiles_n;',
    '  let rest0 = flat / p.tiles_n;',
    '  let tile_co = rest0 % p.tiles_m;',
    '  let rest1 = rest0 / p.tiles_m;',
    '  let k = rest1 % p.K;',
    '  // Surplus workgroups of the rounded-up grid redo the last split and store nothing,',
    '  // so the barrier below stays in uniform control flow.',
    '  let split = min(rest1 / p.K, p.batches - 1u);',
    '  let valid_wg = rest1 / p.K < p.batches;',
    '  let Q = p.N * p.Lout;',
    '  let q_begin = split * p.chunk;',
    '  let q_end = min(q_begin + p.chunk, Q);',
    '  let steps = (q_end - q_begin + 63u) / 64u;',
    `  let co0 = tile_co * ${CO}u;`,
    `  let ci0 = tile_ci * ${CI}u;`,
    '  let last_co = p.Cout - 1u;',
    '  let last_ci = p.Cin - 1u;',
    '  let lin = i32(p.L);',
    ...offsets('let', 'go', CO, (i) => `min(co0 + ${i}u, last_co) * p.Lout`),
    ...offsets('let', 'xo', CI, (i) => `min(ci0 + ${i}u, last_ci) * p.L`),
    '  let g_n = p.Cout * p.Lout;',
    '  let x_n = p.Cin * p.L;',
    ...accumulators(CI, CO / 4),
    '  // This lane\'s (n, l) = q = q_begin + t + 64·s, advanced without division.',
    '  var q = q_begin + t;',
    '  var n = q / p.Lout;',
    '  var l = q - n * p.Lout;',
    '  for (var s = 0u; s < steps; s++) {',
    '    let ml = select(0.0, 1.0, q < q_end);',
    '    let nc = min(n, p.N - 1u);',
    '    let pos = i32(l * p.stride + k) - i32(p.padding);',
    '    let mx = select(0.0, ml, pos >= 0 && pos < lin);',
    '    let gb = nc * g_n + l;',
    '    let xb = nc * x_n + u32(clamp(pos, 0, lin - 1));',
    ...each(CO / 4, (g) => `    let gv${g} = vec4<f32>(${each(4, (j) => `gy[gb + go${4 * g + j}]`).join(', ')});`),
    ...each(CI, (r) => `    ${fmaRow(r, CO / 4, `x[xb + xo${r}] * mx`, 'xv', 'gv')}`),
    '    q += 64u;',
    '    l += p.step_l;',
    '    n += p.step_n;',
    '    let carry = l >= p.Lout;',
    '    l = select(l, l - p.Lout, carry);',
    '    n += select(0u, 1u, carry);',
    '  }',
    `  // One reduction across the 64 lanes: red[v·64 + lane], v = ci·${CO} + co.`,
    ...each(CI * CO, (v) => `  red[${64 * v}u + t] = acc${Math.floor(v / CO)}_${Math.floor((v % CO) / 4)}[${v % 4}];`),
    '  workgroupBarrier();',
    '  let R = p.Cin * p.K;',
    `  for (var vv = t; vv < ${CI * CO}u; vv += 64u) {`,
    '    var sum = 0.0;',
    '    for (var lane = 0u; lane < 64u; lane++) { sum += red[vv * 64u + lane]; }',
    `    let co = co0 + vv % ${CO}u;`,
    `    let ci = ci0 + vv / ${CO}u;`,
    '    if (valid_wg && co < p.Cout && ci < p.Cin) { gw_partial[(split * p.Cout + co) * R + ci * p.K + k] = sum; }',
    '  }',
    '}',
  ].join('\n');
}

export default function generate(): string {
  return [prelude, gradWeightLanes()].join('\n') + '\n';
}
