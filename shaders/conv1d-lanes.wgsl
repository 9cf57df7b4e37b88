// conv1d grad-weight with 64 lanes along the flattened (n, l) axis per block of
// 8 output × 8 input channels and one tap (grad_weight_lanes, below).

// #include "prelude/flat.wgsl"

struct Params {
  N: u32,
  Cin: u32,
  L: u32,
  Cout: u32,
  K: u32,
  Lout: u32,
  stride: u32,
  padding: u32,
  tiles_m: u32,     // blocks of 8 output channels
  tiles_n: u32,     // blocks of 8 input channels
  batches: u32,     // splits of the (n, l) reduction
  chunk: u32,       // (n, l) positions per split
  step_n: u32,      // (n, l) advance per 64 flattened positions
  step_l: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(5) var<storage, read> gy: array<f32>;
@group(0) @binding(7) var<storage, read_write> gw_partial: array<f32>;

// grad_weight_lanes: gw[co, ci, k] = Σ_(n, l) gy[n, co, l] · x[n, ci, l·stride + k − padding].
// One workgroup per (8 co × 8 ci block, tap k, split = chunk of the flattened
// (n, l) axis); its 64 lanes walk (n, l), so both operands are read contiguously
// across lanes (within a signal), and each
// lane accumulates the 64 products of its block in named registers. The lanes
// are summed once at the end through workgroup memory; the splits are summed
// by the caller (reduce.wgsl). Workgroups beyond the last split (the grid is
// rounded up) compute a clamped copy and store nothing, so the barrier stays in
// uniform control flow.
var<workgroup> red: array<f32, 4096>;

@compute @workgroup_size(64)
fn grad_weight_lanes(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let flat = flat_workgroup(wid, nwg);
  let tile_ci = flat % p.tiles_n;
  let rest0 = flat / p.tiles_n;
  let tile_co = rest0 % p.tiles_m;
  let rest1 = rest0 / p.tiles_m;
  let k = rest1 % p.K;
  // Surplus workgroups of the rounded-up grid redo the last split and store nothing,
  // so the barrier below stays in uniform control flow.
  let split = min(rest1 / p.K, p.batches - 1u);
  let valid_wg = rest1 / p.K < p.batches;
  let Q = p.N * p.Lout;
  let q_begin = split * p.chunk;
  let q_end = min(q_begin + p.chunk, Q);
  let steps = (q_end - q_begin + 63u) / 64u;
  let co0 = tile_co * 8u;
  let ci0 = tile_ci * 8u;
  let last_co = p.Cout - 1u;
  let last_ci = p.Cin - 1u;
  let lin = i32(p.L);
  let go0 = min(co0 + 0u, last_co) * p.Lout;
  let go1 = min(co0 + 1u, last_co) * p.Lout;
  let go2 = min(co0 + 2u, last_co) * p.Lout;
  let go3 = min(co0 + 3u, last_co) * p.Lout;
  let go4 = min(co0 + 4u, last_co) * p.Lout;
  let go5 = min(co0 + 5u, last_co) * p.Lout;
  let go6 = min(co0 + 6u, last_co) * p.Lout;
  let go7 = min(co0 + 7u, last_co) * p.Lout;
  let xo0 = min(ci0 + 0u, last_ci) * p.L;
  let xo1 = min(ci0 + 1u, last_ci) * p.L;
  let xo2 = min(ci0 + 2u, last_ci) * p.L;
  let xo3 = min(ci0 + 3u, last_ci) * p.L;
  let xo4 = min(ci0 + 4u, last_ci) * p.L;
  let xo5 = min(ci0 + 5u, last_ci) * p.L;
  let xo6 = min(ci0 + 6u, last_ci) * p.L;
  let xo7 = min(ci0 + 7u, last_ci) * p.L;
  let g_n = p.Cout * p.Lout;
  let x_n = p.Cin * p.L;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc1_1 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc2_1 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc3_1 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc4_1 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc5_1 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc6_1 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
  var acc7_1 = vec4<f32>(0.0);
  // This lane's (n, l) = q = q_begin + t + 64·s, advanced without division.
  var q = q_begin + t;
  var n = q / p.Lout;
  var l = q - n * p.Lout;
  for (var s = 0u; s < steps; s++) {
    let ml = select(0.0, 1.0, q < q_end);
    let nc = min(n, p.N - 1u);
    let pos = i32(l * p.stride + k) - i32(p.padding);
    let mx = select(0.0, ml, pos >= 0 && pos < lin);
    let gb = nc * g_n + l;
    let xb = nc * x_n + u32(clamp(pos, 0, lin - 1));
    let gv0 = vec4<f32>(gy[gb + go0], gy[gb + go1], gy[gb + go2], gy[gb + go3]);
    let gv1 = vec4<f32>(gy[gb + go4], gy[gb + go5], gy[gb + go6], gy[gb + go7]);
    let xv0 = vec4<f32>(x[xb + xo0] * mx); acc0_0 = fma(gv0, xv0, acc0_0); acc0_1 = fma(gv1, xv0, acc0_1);
    let xv1 = vec4<f32>(x[xb + xo1] * mx); acc1_0 = fma(gv0, xv1, acc1_0); acc1_1 = fma(gv1, xv1, acc1_1);
    let xv2 = vec4<f32>(x[xb + xo2] * mx); acc2_0 = fma(gv0, xv2, acc2_0); acc2_1 = fma(gv1, xv2, acc2_1);
    let xv3 = vec4<f32>(x[xb + xo3] * mx); acc3_0 = fma(gv0, xv3, acc3_0); acc3_1 = fma(gv1, xv3, acc3_1);
    let xv4 = vec4<f32>(x[xb + xo4] * mx); acc4_0 = fma(gv0, xv4, acc4_0); acc4_1 = fma(gv1, xv4, acc4_1);
    let xv5 = vec4<f32>(x[xb + xo5] * mx); acc5_0 = fma(gv0, xv5, acc5_0); acc5_1 = fma(gv1, xv5, acc5_1);
    let xv6 = vec4<f32>(x[xb + xo6] * mx); acc6_0 = fma(gv0, xv6, acc6_0); acc6_1 = fma(gv1, xv6, acc6_1);
    let xv7 = vec4<f32>(x[xb + xo7] * mx); acc7_0 = fma(gv0, xv7, acc7_0); acc7_1 = fma(gv1, xv7, acc7_1);
    q += 64u;
    l += p.step_l;
    n += p.step_n;
    let carry = l >= p.Lout;
    l = select(l, l - p.Lout, carry);
    n += select(0u, 1u, carry);
  }
  // One reduction across the 64 lanes: red[v·64 + lane], v = ci·8 + co.
  red[0u + t] = acc0_0[0];
  red[64u + t] = acc0_0[1];
  red[128u + t] = acc0_0[2];
  red[192u + t] = acc0_0[3];
  red[256u + t] = acc0_1[0];
  red[320u + t] = acc0_1[1];
  red[384u + t] = acc0_1[2];
  red[448u + t] = acc0_1[3];
  red[512u + t] = acc1_0[0];
  red[576u + t] = acc1_0[1];
  red[640u + t] = acc1_0[2];
  red[704u + t] = acc1_0[3];
  red[768u + t] = acc1_1[0];
  red[832u + t] = acc1_1[1];
  red[896u + t] = acc1_1[2];
  red[960u + t] = acc1_1[3];
  red[1024u + t] = acc2_0[0];
  red[1088u + t] = acc2_0[1];
  red[1152u + t] = acc2_0[2];
  red[1216u + t] = acc2_0[3];
  red[1280u + t] = acc2_1[0];
  red[1344u + t] = acc2_1[1];
  red[1408u + t] = acc2_1[2];
  red[1472u + t] = acc2_1[3];
  red[1536u + t] = acc3_0[0];
  red[1600u + t] = acc3_0[1];
  red[1664u + t] = acc3_0[2];
  red[1728u + t] = acc3_0[3];
  red[1792u + t] = acc3_1[0];
  red[1856u + t] = acc3_1[1];
  red[1920u + t] = acc3_1[2];
  red[1984u + t] = acc3_1[3];
  red[2048u + t] = acc4_0[0];
  red[2112u + t] = acc4_0[1];
  red[2176u + t] = acc4_0[2];
  red[2240u + t] = acc4_0[3];
  red[2304u + t] = acc4_1[0];
  red[2368u + t] = acc4_1[1];
  red[2432u + t] = acc4_1[2];
  red[2496u + t] = acc4_1[3];
  red[2560u + t] = acc5_0[0];
  red[2624u + t] = acc5_0[1];
  red[2688u + t] = acc5_0[2];
  red[2752u + t] = acc5_0[3];
  red[2816u + t] = acc5_1[0];
  red[2880u + t] = acc5_1[1];
  red[2944u + t] = acc5_1[2];
  red[3008u + t] = acc5_1[3];
  red[3072u + t] = acc6_0[0];
  red[3136u + t] = acc6_0[1];
  red[3200u + t] = acc6_0[2];
  red[3264u + t] = acc6_0[3];
  red[3328u + t] = acc6_1[0];
  red[3392u + t] = acc6_1[1];
  red[3456u + t] = acc6_1[2];
  red[3520u + t] = acc6_1[3];
  red[3584u + t] = acc7_0[0];
  red[3648u + t] = acc7_0[1];
  red[3712u + t] = acc7_0[2];
  red[3776u + t] = acc7_0[3];
  red[3840u + t] = acc7_1[0];
  red[3904u + t] = acc7_1[1];
  red[3968u + t] = acc7_1[2];
  red[4032u + t] = acc7_1[3];
  workgroupBarrier();
  let R = p.Cin * p.K;
  for (var vv = t; vv < 64u; vv += 64u) {
    var sum = 0.0;
    for (var lane = 0u; lane < 64u; lane++) { sum += red[vv * 64u + lane]; }
    let co = co0 + vv % 8u;
    let ci = ci0 + vv / 8u;
    if (valid_wg && co < p.Cout && ci < p.Cin) { gw_partial[(split * p.Cout + co) * R + ci * p.K + k] = sum; }
  }
}
