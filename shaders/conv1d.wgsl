// 1-D convolution in NCL layout (PyTorch semantics: cross-correlation, zero
// padding, stride), as implicit GEMMs that never materialise im2col. The fast
// paths are the register-blocked entries at the end of this file (conv_gemm_*,
// grad_weight_lanes); the tiled entries below remain for grad-input with
// stride > 1 and for very short grad-weight reductions:
//   forward      out[n]  (Cout × Lout) = W (Cout × Cin·K) · X̂[n] (Cin·K × Lout)
//   grad_input   gx[n]   (Cin × L)     = Wᵀ (Cin × Cout·K) · Ĝ[n] (Cout·K × L)
//   grad_weight  gw      (Cout × Cin·K) = Σ_(n,l) G (Cout × N·Lout) · X̂ᵀ (N·Lout × Cin·K)
// X̂ and Ĝ are gathered on the fly while staging tiles (zero outside the signal
// or, for Ĝ, where a position is not hit by the stride). Every entry uses the
// same tiling as matmul.wgsl: a 256-thread workgroup computes a 64×64 output
// tile, each thread a 4×4 register block, staging 64×16 slices of both operands
// in workgroup memory. grad_weight also splits its long reduction (N·Lout) into
// `batches` chunks of `chunk` (n, l) pairs written to slices of gw_partial,
// which the TS side then sums.
// Tiles are enumerated on a flat (2-D folded) grid: flat = wid.x + wid.y·nwg.x.

struct Params {
  N: u32,
  Cin: u32,
  L: u32,
  Cout: u32,
  K: u32,
  Lout: u32,
  stride: u32,
  padding: u32,
  has_bias: u32,
  tiles_m: u32,     // tiles along the output's rows
  tiles_n: u32,     // tiles along the output's columns
  batches: u32,     // N for forward / grad_input, number of splits for grad_weight
  chunk: u32,       // grad_weight: reduction length per split
  // Register-blocked entries (conv_gemm_*, grad_weight_lanes); see below.
  M: u32,           // output rows
  ncol: u32,        // output columns (positions)
  C: u32,           // channels reduced over
  a_row: u32,       // lhs (weight) strides: per output row, per reduced channel, per tap
  a_c: u32,
  a_k: u32,
  b_n: u32,         // rhs strides: per batch item, per reduced channel
  b_c: u32,
  Lin: u32,         // rhs positions that exist (0 ≤ q < Lin; others read as zero)
  col_stride: u32,  // rhs position of column j, tap k: j·col_stride + k·tap_step + tap_base
  tap_step: i32,
  tap_base: i32,
  out_n: u32,       // output stride per batch item
  step_n: u32,      // grad_weight_lanes: (n, l) advance per 64 flattened positions
  step_l: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
@group(0) @binding(5) var<storage, read> gy: array<f32>;
@group(0) @binding(6) var<storage, read_write> gx: array<f32>;
@group(0) @binding(7) var<storage, read_write> gw_partial: array<f32>;
@group(0) @binding(8) var<storage, read> lhs: array<f32>;
@group(0) @binding(9) var<storage, read> rhs: array<f32>;

const TILE: u32 = 64u;
const TK: u32 = 16u;
const THREADS: u32 = 256u;

var<workgroup> As: array<f32, 1024>;   // [TK][TILE]: the row operand, k-major
var<workgroup> Bs: array<f32, 1024>;   // [TK][TILE]: the column operand, k-major

struct Tile {
  valid: bool,
  batch: u32,
  row0: u32,
  col0: u32,
}

fn tile_of(wid: vec3<u32>, nwg: vec3<u32>) -> Tile {
  let flat = wid.x + wid.y * nwg.x;
  let tn = flat % p.tiles_n;
  let rest = flat / p.tiles_n;
  let tm = rest % p.tiles_m;
  let b = rest / p.tiles_m;
  return Tile(b < p.batches, b, tm * TILE, tn * TILE);
}

// Input sample x[n, ci, pos] seen by output position l through tap kk (zero padding).
fn x_at(n: u32, ci: u32, l: u32, kk: u32) -> f32 {
  let pos = i32(l * p.stride + kk) - i32(p.padding);
  if (pos < 0 || pos >= i32(p.L)) { return 0.0; }
  return x[(n * p.Cin + ci) * p.L + u32(pos)];
}

@compute @workgroup_size(16, 16)
fn grad_input(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = tile_of(wid, nwg);
  if (!t.valid) { return; }
  let n = t.batch;
  let R = p.Cout * p.K;
  var acc: array<f32, 16>;
  for (var i = 0u; i < 16u; i++) { acc[i] = 0.0; }
  for (var r0 = 0u; r0 < R; r0 += TK) {
    for (var s = 0u; s < 4u; s++) {
      let e = lid + s * THREADS;
      // Wᵀ slice [ci, r = (co, kk)] = w[co, ci, kk].
      let am = e / TK;
      let ak = e % TK;
      let ci = t.row0 + am;
      let ra = r0 + ak;
      var av = 0.0;
      if (ci < p.Cin && ra < R) {
        let co = ra / p.K;
        av = w[(co * p.Cin + ci) * p.K + ra % p.K];
      }
      As[ak * TILE + am] = av;
      // Ĝ slice [r = (co, kk), i]: gy[n, co, l] where l·stride + kk − padding = i.
      let bk = e / TILE;
      let bn = e % TILE;
      let rb = r0 + bk;
      let i = t.col0 + bn;
      var bv = 0.0;
      if (rb < R && i < p.L) {
        let co = rb / p.K;
        let tap = i32(i + p.padding) - i32(rb % p.K);
        if (tap >= 0) {
          let l = u32(tap) / p.stride;
          if (u32(tap) % p.stride == 0u && l < p.Lout) { bv = gy[(n * p.Cout + co) * p.Lout + l]; }
        }
      }
      Bs[bk * TILE + bn] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var a4: array<f32, 4>;
      var b4: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        a4[i] = As[kk * TILE + lid3.y + 16u * i];
        b4[i] = Bs[kk * TILE + lid3.x + 16u * i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
          acc[i * 4u + j] = fma(a4[i], b4[j], acc[i * 4u + j]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let ci = t.row0 + lid3.y + 16u * i;
    if (ci >= p.Cin) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let pos = t.col0 + lid3.x + 16u * j;
      if (pos >= p.L) { continue; }
      gx[(n * p.Cin + ci) * p.L + pos] = acc[i * 4u + j];
    }
  }
}

@compute @workgroup_size(16, 16)
fn grad_weight(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = tile_of(wid, nwg);
  if (!t.valid) { return; }
  let split = t.batch;
  let R = p.Cin * p.K;
  let Q = p.N * p.Lout;
  let q_begin = split * p.chunk;
  let q_end = min(q_begin + p.chunk, Q);
  var acc: array<f32, 16>;
  for (var i = 0u; i < 16u; i++) { acc[i] = 0.0; }
  for (var q0 = q_begin; q0 < q_end; q0 += TK) {
    for (var s = 0u; s < 4u; s++) {
      let e = lid + s * THREADS;
      // G slice [co, q = (n, l)]: consecutive threads walk l.
      let am = e / TK;
      let ak = e % TK;
      let co = t.row0 + am;
      let qa = q0 + ak;
      var av = 0.0;
      if (co < p.Cout && qa < q_end) {
        av = gy[((qa / p.Lout) * p.Cout + co) * p.Lout + qa % p.Lout];
      }
      As[ak * TILE + am] = av;
      // X̂ᵀ slice [q, r = (ci, kk)].
      let bk = e / TILE;
      let bn = e % TILE;
      let qb = q0 + bk;
      let r = t.col0 + bn;
      var bv = 0.0;
      if (qb < q_end && r < R) { bv = x_at(qb / p.Lout, r / p.K, qb % p.Lout, r % p.K); }
      Bs[bk * TILE + bn] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var a4: array<f32, 4>;
      var b4: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        a4[i] = As[kk * TILE + lid3.y + 16u * i];
        b4[i] = Bs[kk * TILE + lid3.x + 16u * i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
          acc[i * 4u + j] = fma(a4[i], b4[j], acc[i * 4u + j]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let co = t.row0 + lid3.y + 16u * i;
    if (co >= p.Cout) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let r = t.col0 + lid3.x + 16u * j;
      if (r >= R) { continue; }
      gw_partial[(split * p.Cout + co) * R + r] = acc[i * 4u + j];
    }
  }
}

// ---------------------------------------------------------------------------
// Register-blocked implicit GEMM for the forward pass (any stride) and the
// stride-1 grad-input, written like matmul.wgsl (see its header for why):
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


// ---------------------------------------------------------------------------
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
  let flat = wid.x + wid.y * nwg.x;
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
