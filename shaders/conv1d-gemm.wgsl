// conv1d as a register-blocked implicit GEMM that never materialises im2col:
// the forward pass (any stride) and the stride-1 grad-input.

struct Params {
  N: u32,           // signals
  M: u32,           // output rows
  ncol: u32,        // output columns (positions) per signal
  C: u32,           // channels reduced over
  K: u32,           // taps
  a_row: u32,       // lhs (weight) strides: per output row, per reduced channel, per tap
  a_c: u32,
  a_k: u32,
  b_n: u32,         // rhs strides: per signal, per reduced channel
  b_c: u32,
  Lin: u32,         // rhs positions that exist (0 ≤ q < Lin; others read as zero)
  col_stride: u32,  // rhs position of column j, tap k: j·col_stride + k·tap_step + tap_base
  tap_step: i32,
  tap_base: i32,
  out_n: u32,       // output stride per signal
  has_bias: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
@group(0) @binding(8) var<storage, read> lhs: array<f32>;
@group(0) @binding(9) var<storage, read> rhs: array<f32>;

// Written like matmul.wgsl (see its header for why):
//   out[n, r, j] = Σ_(k, ch) lhs[r·a_row + ch·a_c + k·a_k] · rhs[n·b_n + ch·b_c + q(j, k)]
//   q(j, k) = j·col_stride + k·tap_step + tap_base, zero outside 0 ≤ q < Lin.
// forward:    r = co, ch = ci, lhs = w, rhs = x,  q = l·stride + k − padding
// grad_input: r = ci, ch = co, lhs = w, rhs = gy, q = i + padding − k
// Columns flatten (n, j), so short signals still fill the lanes.
// Lanes run along positions j, so rhs loads are contiguous across lanes (stride
// 1) and lhs loads are lane-uniform broadcasts. The tap loop is outside the
// channel loop, so padding is a per-tap 0/1 mask on clamped indices and the
// inner loop is loads and FMAs only.
override WG_Y: u32 = 16u;

// Columns c, c+16, c+32, c+48 of one row.
// Flattened columns c, c+16, c+32, c+48 of one row.
fn store_gemm(row: u32, c: u32, v: vec4<f32>) {
  if (row >= p.M) { return; }
  var b = 0.0;
  if (p.has_bias != 0u) { b = bias[row]; }
  for (var j = 0u; j < 4u; j++) {
    let col = c + 16u * j;
    if (col < p.N * p.ncol) {
      let n = col / p.ncol;
      out[n * p.out_n + row * p.ncol + col - n * p.ncol] = v[j] + b;
    }
  }
}

// 16×8 outputs per invocation: rows r0 … r0+15, columns c, c+16, …, c+112.
// The workgroup covers (16·WG_Y) rows × 128 columns of the flattened (n, position) axis.
@compute @workgroup_size(16, WG_Y)
fn conv_gemm_large(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let r0 = (wid.y * WG_Y + lid.y) * 16u;
  let c = wid.x * 128u + lid.x;
  let last_m = p.M - 1u;
  let last_col = p.N * p.ncol - 1u;
  let lin = i32(p.Lin);
  let ra0 = min(r0 + 0u, last_m) * p.a_row;
  let ra1 = min(r0 + 1u, last_m) * p.a_row;
  let ra2 = min(r0 + 2u, last_m) * p.a_row;
  let ra3 = min(r0 + 3u, last_m) * p.a_row;
  let ra4 = min(r0 + 4u, last_m) * p.a_row;
  let ra5 = min(r0 + 5u, last_m) * p.a_row;
  let ra6 = min(r0 + 6u, last_m) * p.a_row;
  let ra7 = min(r0 + 7u, last_m) * p.a_row;
  let ra8 = min(r0 + 8u, last_m) * p.a_row;
  let ra9 = min(r0 + 9u, last_m) * p.a_row;
  let ra10 = min(r0 + 10u, last_m) * p.a_row;
  let ra11 = min(r0 + 11u, last_m) * p.a_row;
  let ra12 = min(r0 + 12u, last_m) * p.a_row;
  let ra13 = min(r0 + 13u, last_m) * p.a_row;
  let ra14 = min(r0 + 14u, last_m) * p.a_row;
  let ra15 = min(r0 + 15u, last_m) * p.a_row;
  let n0 = min(c + 0u, last_col) / p.ncol;
  let pc0 = i32((min(c + 0u, last_col) - n0 * p.ncol) * p.col_stride) + p.tap_base;
  let bb0 = n0 * p.b_n;
  let n1 = min(c + 16u, last_col) / p.ncol;
  let pc1 = i32((min(c + 16u, last_col) - n1 * p.ncol) * p.col_stride) + p.tap_base;
  let bb1 = n1 * p.b_n;
  let n2 = min(c + 32u, last_col) / p.ncol;
  let pc2 = i32((min(c + 32u, last_col) - n2 * p.ncol) * p.col_stride) + p.tap_base;
  let bb2 = n2 * p.b_n;
  let n3 = min(c + 48u, last_col) / p.ncol;
  let pc3 = i32((min(c + 48u, last_col) - n3 * p.ncol) * p.col_stride) + p.tap_base;
  let bb3 = n3 * p.b_n;
  let n4 = min(c + 64u, last_col) / p.ncol;
  let pc4 = i32((min(c + 64u, last_col) - n4 * p.ncol) * p.col_stride) + p.tap_base;
  let bb4 = n4 * p.b_n;
  let n5 = min(c + 80u, last_col) / p.ncol;
  let pc5 = i32((min(c + 80u, last_col) - n5 * p.ncol) * p.col_stride) + p.tap_base;
  let bb5 = n5 * p.b_n;
  let n6 = min(c + 96u, last_col) / p.ncol;
  let pc6 = i32((min(c + 96u, last_col) - n6 * p.ncol) * p.col_stride) + p.tap_base;
  let bb6 = n6 * p.b_n;
  let n7 = min(c + 112u, last_col) / p.ncol;
  let pc7 = i32((min(c + 112u, last_col) - n7 * p.ncol) * p.col_stride) + p.tap_base;
  let bb7 = n7 * p.b_n;
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
  var acc8_0 = vec4<f32>(0.0);
  var acc8_1 = vec4<f32>(0.0);
  var acc9_0 = vec4<f32>(0.0);
  var acc9_1 = vec4<f32>(0.0);
  var acc10_0 = vec4<f32>(0.0);
  var acc10_1 = vec4<f32>(0.0);
  var acc11_0 = vec4<f32>(0.0);
  var acc11_1 = vec4<f32>(0.0);
  var acc12_0 = vec4<f32>(0.0);
  var acc12_1 = vec4<f32>(0.0);
  var acc13_0 = vec4<f32>(0.0);
  var acc13_1 = vec4<f32>(0.0);
  var acc14_0 = vec4<f32>(0.0);
  var acc14_1 = vec4<f32>(0.0);
  var acc15_0 = vec4<f32>(0.0);
  var acc15_1 = vec4<f32>(0.0);
  for (var k = 0u; k < p.K; k++) {
    let shift = i32(k) * p.tap_step;
    let q0 = pc0 + shift;
    let q1 = pc1 + shift;
    let q2 = pc2 + shift;
    let q3 = pc3 + shift;
    let q4 = pc4 + shift;
    let q5 = pc5 + shift;
    let q6 = pc6 + shift;
    let q7 = pc7 + shift;
    let m0 = select(vec4<f32>(0.0), vec4<f32>(1.0), (vec4<i32>(q0, q1, q2, q3) >= vec4<i32>(0)) & (vec4<i32>(q0, q1, q2, q3) < vec4<i32>(lin)));
    let m1 = select(vec4<f32>(0.0), vec4<f32>(1.0), (vec4<i32>(q4, q5, q6, q7) >= vec4<i32>(0)) & (vec4<i32>(q4, q5, q6, q7) < vec4<i32>(lin)));
    var ib0 = bb0 + u32(clamp(q0, 0, lin - 1));
    var ib1 = bb1 + u32(clamp(q1, 0, lin - 1));
    var ib2 = bb2 + u32(clamp(q2, 0, lin - 1));
    var ib3 = bb3 + u32(clamp(q3, 0, lin - 1));
    var ib4 = bb4 + u32(clamp(q4, 0, lin - 1));
    var ib5 = bb5 + u32(clamp(q5, 0, lin - 1));
    var ib6 = bb6 + u32(clamp(q6, 0, lin - 1));
    var ib7 = bb7 + u32(clamp(q7, 0, lin - 1));
    var ia0 = ra0 + k * p.a_k;
    var ia1 = ra1 + k * p.a_k;
    var ia2 = ra2 + k * p.a_k;
    var ia3 = ra3 + k * p.a_k;
    var ia4 = ra4 + k * p.a_k;
    var ia5 = ra5 + k * p.a_k;
    var ia6 = ra6 + k * p.a_k;
    var ia7 = ra7 + k * p.a_k;
    var ia8 = ra8 + k * p.a_k;
    var ia9 = ra9 + k * p.a_k;
    var ia10 = ra10 + k * p.a_k;
    var ia11 = ra11 + k * p.a_k;
    var ia12 = ra12 + k * p.a_k;
    var ia13 = ra13 + k * p.a_k;
    var ia14 = ra14 + k * p.a_k;
    var ia15 = ra15 + k * p.a_k;
    for (var ch = 0u; ch < p.C; ch++) {
      let b0 = vec4<f32>(rhs[ib0], rhs[ib1], rhs[ib2], rhs[ib3]) * m0;
      let b1 = vec4<f32>(rhs[ib4], rhs[ib5], rhs[ib6], rhs[ib7]) * m1;
      let a0 = vec4<f32>(lhs[ia0]); acc0_0 = fma(a0, b0, acc0_0); acc0_1 = fma(a0, b1, acc0_1);
      let a1 = vec4<f32>(lhs[ia1]); acc1_0 = fma(a1, b0, acc1_0); acc1_1 = fma(a1, b1, acc1_1);
      let a2 = vec4<f32>(lhs[ia2]); acc2_0 = fma(a2, b0, acc2_0); acc2_1 = fma(a2, b1, acc2_1);
      let a3 = vec4<f32>(lhs[ia3]); acc3_0 = fma(a3, b0, acc3_0); acc3_1 = fma(a3, b1, acc3_1);
      let a4 = vec4<f32>(lhs[ia4]); acc4_0 = fma(a4, b0, acc4_0); acc4_1 = fma(a4, b1, acc4_1);
      let a5 = vec4<f32>(lhs[ia5]); acc5_0 = fma(a5, b0, acc5_0); acc5_1 = fma(a5, b1, acc5_1);
      let a6 = vec4<f32>(lhs[ia6]); acc6_0 = fma(a6, b0, acc6_0); acc6_1 = fma(a6, b1, acc6_1);
      let a7 = vec4<f32>(lhs[ia7]); acc7_0 = fma(a7, b0, acc7_0); acc7_1 = fma(a7, b1, acc7_1);
      let a8 = vec4<f32>(lhs[ia8]); acc8_0 = fma(a8, b0, acc8_0); acc8_1 = fma(a8, b1, acc8_1);
      let a9 = vec4<f32>(lhs[ia9]); acc9_0 = fma(a9, b0, acc9_0); acc9_1 = fma(a9, b1, acc9_1);
      let a10 = vec4<f32>(lhs[ia10]); acc10_0 = fma(a10, b0, acc10_0); acc10_1 = fma(a10, b1, acc10_1);
      let a11 = vec4<f32>(lhs[ia11]); acc11_0 = fma(a11, b0, acc11_0); acc11_1 = fma(a11, b1, acc11_1);
      let a12 = vec4<f32>(lhs[ia12]); acc12_0 = fma(a12, b0, acc12_0); acc12_1 = fma(a12, b1, acc12_1);
      let a13 = vec4<f32>(lhs[ia13]); acc13_0 = fma(a13, b0, acc13_0); acc13_1 = fma(a13, b1, acc13_1);
      let a14 = vec4<f32>(lhs[ia14]); acc14_0 = fma(a14, b0, acc14_0); acc14_1 = fma(a14, b1, acc14_1);
      let a15 = vec4<f32>(lhs[ia15]); acc15_0 = fma(a15, b0, acc15_0); acc15_1 = fma(a15, b1, acc15_1);
      ia0 += p.a_c; ia1 += p.a_c; ia2 += p.a_c; ia3 += p.a_c; ia4 += p.a_c; ia5 += p.a_c; ia6 += p.a_c; ia7 += p.a_c; ia8 += p.a_c; ia9 += p.a_c; ia10 += p.a_c; ia11 += p.a_c; ia12 += p.a_c; ia13 += p.a_c; ia14 += p.a_c; ia15 += p.a_c;
      ib0 += p.b_c; ib1 += p.b_c; ib2 += p.b_c; ib3 += p.b_c; ib4 += p.b_c; ib5 += p.b_c; ib6 += p.b_c; ib7 += p.b_c;
    }
  }
  store_gemm(r0 + 0u, c + 0u, acc0_0); store_gemm(r0 + 0u, c + 64u, acc0_1);
  store_gemm(r0 + 1u, c + 0u, acc1_0); store_gemm(r0 + 1u, c + 64u, acc1_1);
  store_gemm(r0 + 2u, c + 0u, acc2_0); store_gemm(r0 + 2u, c + 64u, acc2_1);
  store_gemm(r0 + 3u, c + 0u, acc3_0); store_gemm(r0 + 3u, c + 64u, acc3_1);
  store_gemm(r0 + 4u, c + 0u, acc4_0); store_gemm(r0 + 4u, c + 64u, acc4_1);
  store_gemm(r0 + 5u, c + 0u, acc5_0); store_gemm(r0 + 5u, c + 64u, acc5_1);
  store_gemm(r0 + 6u, c + 0u, acc6_0); store_gemm(r0 + 6u, c + 64u, acc6_1);
  store_gemm(r0 + 7u, c + 0u, acc7_0); store_gemm(r0 + 7u, c + 64u, acc7_1);
  store_gemm(r0 + 8u, c + 0u, acc8_0); store_gemm(r0 + 8u, c + 64u, acc8_1);
  store_gemm(r0 + 9u, c + 0u, acc9_0); store_gemm(r0 + 9u, c + 64u, acc9_1);
  store_gemm(r0 + 10u, c + 0u, acc10_0); store_gemm(r0 + 10u, c + 64u, acc10_1);
  store_gemm(r0 + 11u, c + 0u, acc11_0); store_gemm(r0 + 11u, c + 64u, acc11_1);
  store_gemm(r0 + 12u, c + 0u, acc12_0); store_gemm(r0 + 12u, c + 64u, acc12_1);
  store_gemm(r0 + 13u, c + 0u, acc13_0); store_gemm(r0 + 13u, c + 64u, acc13_1);
  store_gemm(r0 + 14u, c + 0u, acc14_0); store_gemm(r0 + 14u, c + 64u, acc14_1);
  store_gemm(r0 + 15u, c + 0u, acc15_0); store_gemm(r0 + 15u, c + 64u, acc15_1);
}


// 4×8 outputs per invocation: rows r0 … r0+3, columns c, c+16, …, c+112.
// The workgroup covers (4·WG_Y) rows × 128 columns of the flattened (n, position) axis.
@compute @workgroup_size(16, WG_Y)
fn conv_gemm_small(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let r0 = (wid.y * WG_Y + lid.y) * 4u;
  let c = wid.x * 128u + lid.x;
  let last_m = p.M - 1u;
  let last_col = p.N * p.ncol - 1u;
  let lin = i32(p.Lin);
  let ra0 = min(r0 + 0u, last_m) * p.a_row;
  let ra1 = min(r0 + 1u, last_m) * p.a_row;
  let ra2 = min(r0 + 2u, last_m) * p.a_row;
  let ra3 = min(r0 + 3u, last_m) * p.a_row;
  let n0 = min(c + 0u, last_col) / p.ncol;
  let pc0 = i32((min(c + 0u, last_col) - n0 * p.ncol) * p.col_stride) + p.tap_base;
  let bb0 = n0 * p.b_n;
  let n1 = min(c + 16u, last_col) / p.ncol;
  let pc1 = i32((min(c + 16u, last_col) - n1 * p.ncol) * p.col_stride) + p.tap_base;
  let bb1 = n1 * p.b_n;
  let n2 = min(c + 32u, last_col) / p.ncol;
  let pc2 = i32((min(c + 32u, last_col) - n2 * p.ncol) * p.col_stride) + p.tap_base;
  let bb2 = n2 * p.b_n;
  let n3 = min(c + 48u, last_col) / p.ncol;
  let pc3 = i32((min(c + 48u, last_col) - n3 * p.ncol) * p.col_stride) + p.tap_base;
  let bb3 = n3 * p.b_n;
  let n4 = min(c + 64u, last_col) / p.ncol;
  let pc4 = i32((min(c + 64u, last_col) - n4 * p.ncol) * p.col_stride) + p.tap_base;
  let bb4 = n4 * p.b_n;
  let n5 = min(c + 80u, last_col) / p.ncol;
  let pc5 = i32((min(c + 80u, last_col) - n5 * p.ncol) * p.col_stride) + p.tap_base;
  let bb5 = n5 * p.b_n;
  let n6 = min(c + 96u, last_col) / p.ncol;
  let pc6 = i32((min(c + 96u, last_col) - n6 * p.ncol) * p.col_stride) + p.tap_base;
  let bb6 = n6 * p.b_n;
  let n7 = min(c + 112u, last_col) / p.ncol;
  let pc7 = i32((min(c + 112u, last_col) - n7 * p.ncol) * p.col_stride) + p.tap_base;
  let bb7 = n7 * p.b_n;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc1_1 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc2_1 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc3_1 = vec4<f32>(0.0);
  for (var k = 0u; k < p.K; k++) {
    let shift = i32(k) * p.tap_step;
    let q0 = pc0 + shift;
    let q1 = pc1 + shift;
    let q2 = pc2 + shift;
    let q3 = pc3 + shift;
    let q4 = pc4 + shift;
    let q5 = pc5 + shift;
    let q6 = pc6 + shift;
    let q7 = pc7 + shift;
    let m0 = select(vec4<f32>(0.0), vec4<f32>(1.0), (vec4<i32>(q0, q1, q2, q3) >= vec4<i32>(0)) & (vec4<i32>(q0, q1, q2, q3) < vec4<i32>(lin)));
    let m1 = select(vec4<f32>(0.0), vec4<f32>(1.0), (vec4<i32>(q4, q5, q6, q7) >= vec4<i32>(0)) & (vec4<i32>(q4, q5, q6, q7) < vec4<i32>(lin)));
    var ib0 = bb0 + u32(clamp(q0, 0, lin - 1));
    var ib1 = bb1 + u32(clamp(q1, 0, lin - 1));
    var ib2 = bb2 + u32(clamp(q2, 0, lin - 1));
    var ib3 = bb3 + u32(clamp(q3, 0, lin - 1));
    var ib4 = bb4 + u32(clamp(q4, 0, lin - 1));
    var ib5 = bb5 + u32(clamp(q5, 0, lin - 1));
    var ib6 = bb6 + u32(clamp(q6, 0, lin - 1));
    var ib7 = bb7 + u32(clamp(q7, 0, lin - 1));
    var ia0 = ra0 + k * p.a_k;
    var ia1 = ra1 + k * p.a_k;
    var ia2 = ra2 + k * p.a_k;
    var ia3 = ra3 + k * p.a_k;
    for (var ch = 0u; ch < p.C; ch++) {
      let b0 = vec4<f32>(rhs[ib0], rhs[ib1], rhs[ib2], rhs[ib3]) * m0;
      let b1 = vec4<f32>(rhs[ib4], rhs[ib5], rhs[ib6], rhs[ib7]) * m1;
      let a0 = vec4<f32>(lhs[ia0]); acc0_0 = fma(a0, b0, acc0_0); acc0_1 = fma(a0, b1, acc0_1);
      let a1 = vec4<f32>(lhs[ia1]); acc1_0 = fma(a1, b0, acc1_0); acc1_1 = fma(a1, b1, acc1_1);
      let a2 = vec4<f32>(lhs[ia2]); acc2_0 = fma(a2, b0, acc2_0); acc2_1 = fma(a2, b1, acc2_1);
      let a3 = vec4<f32>(lhs[ia3]); acc3_0 = fma(a3, b0, acc3_0); acc3_1 = fma(a3, b1, acc3_1);
      ia0 += p.a_c; ia1 += p.a_c; ia2 += p.a_c; ia3 += p.a_c;
      ib0 += p.b_c; ib1 += p.b_c; ib2 += p.b_c; ib3 += p.b_c; ib4 += p.b_c; ib5 += p.b_c; ib6 += p.b_c; ib7 += p.b_c;
    }
  }
  store_gemm(r0 + 0u, c + 0u, acc0_0); store_gemm(r0 + 0u, c + 64u, acc0_1);
  store_gemm(r0 + 1u, c + 0u, acc1_0); store_gemm(r0 + 1u, c + 64u, acc1_1);
  store_gemm(r0 + 2u, c + 0u, acc2_0); store_gemm(r0 + 2u, c + 64u, acc2_1);
  store_gemm(r0 + 3u, c + 0u, acc3_0); store_gemm(r0 + 3u, c + 64u, acc3_1);
}
