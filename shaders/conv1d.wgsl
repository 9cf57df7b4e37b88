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
  // K = 3 entries (conv_k3_r*); see below.
  nblk: u32,        // 8-column blocks per signal: ceil(ncol / 8)
  win_shift: i32,   // window start relative to j0 + tap_base: 0 forward, −2 grad-input
  k_off0: u32,      // lhs offset of the tap paired with window offset 0, 1, 2
  k_off1: u32,
  k_off2: u32,
  c0: u32,          // conv_k3u_*: channels c0 … c1−1 of this dispatch, its first row,
  c1: u32,          // and whether it adds to out (chunks after the first)
  r_base: u32,
  accumulate: u32,
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











// ---------------------------------------------------------------------------
// grad_bias: gb[co] = Σ_(n, l) gy[n, co, l], one invocation per output channel,
// serial over (n, l) with four partial sums. No workgroup tree and no barrier:
// on the software adapters one such reduction costs less than the shared
// sum_long kernel's launch of a 256-thread workgroup per row.
@compute @workgroup_size(8)
fn grad_bias(@builtin(global_invocation_id) gid: vec3<u32>) {
  let co = gid.x;
  if (co >= p.Cout) { return; }
  var s = vec4<f32>(0.0);
  for (var n = 0u; n < p.N; n++) {
    let base = (n * p.Cout + co) * p.Lout;
    var l = 0u;
    for (; l + 4u <= p.Lout; l += 4u) {
      s += vec4<f32>(gy[base + l], gy[base + l + 1u], gy[base + l + 2u], gy[base + l + 3u]);
    }
    for (; l < p.Lout; l++) { s.x += gy[base + l]; }
  }
  out[co] = (s.x + s.y) + (s.z + s.w);
}




// ---------------------------------------------------------------------------
// K = 3, stride 1 forward and grad-input (conv_k3_r*), and K = 3 grad-weight
// (grad_weight_k3s1 for stride 1, grad_weight_k3 for any stride), generated by
// scripts/gen-conv1d-k3.py (the unrolled bodies are written out on purpose, as
// in matmul.wgsl: no dynamically indexed private arrays, no inner branches).
//
// conv_k3_r*: same GEMM as conv_gemm_* (fields M, C, a_row, a_c, b_n, b_c, Lin,
// tap_base, out_n), but each invocation owns 8 *contiguous* output columns of
// one signal and loads the 10-wide window of rhs they share once per channel;
// the three taps are shifted views of it. That is 10 per-lane loads per channel
// for 24 products per row instead of 24. Window element u is rhs position
// j0 + tap_base + win_shift + u; window offset o ∈ {0,1,2} pairs with lhs offset
// k_off<o> (forward: tap o; grad-input: tap 2 − o, win_shift −2). Rows come from
// the workgroup id, so weight reads are workgroup-uniform; that makes them
// cheap only from a uniform buffer on llvmpipe (conv_k3u_*), see below.
override WG_X: u32 = 64u;

// Weights for conv_k3_r*, packed so one vec4 load serves 4 rows (measured: no
// faster than scalar loads on llvmpipe, where each component still costs a
// per-lane store and reload; kept as the storage path for other adapters). wq[(ch·mb4 + row/4)·3 + o][row % 4] = lhs[row·a_row + ch·a_c + k_off<o>],
// zero for rows ≥ M (mb4 = ceil(M / 4)).
@group(0) @binding(10) var<storage, read_write> wq_out: array<vec4<f32>>;
@group(0) @binding(11) var<storage, read> wq: array<vec4<f32>>;
// Weights for conv_k3u_*, in a uniform buffer: llvmpipe turns uniform-buffer reads
// at a workgroup-uniform index into one scalar load and a broadcast, where a
// storage-buffer read is a per-lane loop. One binding holds 16 rows × up to
// WU_CH = 64 channels × 3 taps (12 KiB, under the 16 KiB compatibility limit):
// wu[ch_local·12 + o·4 + q][t] = weight of row r_base + 4q + t, channel c0 + ch_local,
// window offset o. pack_k3u writes all (row group, chunk) blocks at once.
@group(0) @binding(13) var<uniform> wu: array<vec4<f32>, 768>;

@compute @workgroup_size(64)
fn pack_k3u(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let flat = (wid.x + wid.y * nwg.x) * 64u + t;
  let chunks = (p.C + 63u) / 64u;
  let groups = (p.M + 15u) / 16u;
  if (flat >= groups * chunks * 768u) { return; }
  let q = flat % 4u;
  let o = (flat / 4u) % 3u;
  let chl = (flat / 12u) % 64u;
  let gh = flat / 768u;
  let h = gh % chunks;
  let g = gh / chunks;
  let ch = h * 64u + chl;
  let koff = select(select(p.k_off2, p.k_off1, o == 1u), p.k_off0, o == 0u);
  var v = vec4<f32>(0.0);
  for (var u = 0u; u < 4u; u++) {
    let row = g * 16u + q * 4u + u;
    if (row < p.M && ch < p.C) { v[u] = lhs[row * p.a_row + ch * p.a_c + koff]; }
  }
  wq_out[flat] = v;
}

fn store_k3u(row: u32, ob: u32, j0: u32, v0: vec4<f32>, v1: vec4<f32>) {
  if (row >= p.M) { return; }
  var b = 0.0;
  if (p.has_bias != 0u) { b = bias[row]; }
  let base = ob + row * p.ncol;
  let acc = p.accumulate != 0u;
  for (var u = 0u; u < 4u; u++) {
    if (j0 + u < p.ncol) { out[base + u] = select(v0[u] + b, out[base + u] + v0[u], acc); }
    if (j0 + 4u + u < p.ncol) { out[base + 4u + u] = select(v1[u] + b, out[base + 4u + u] + v1[u], acc); }
  }
}


@compute @workgroup_size(64)
fn pack_k3(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let flat = (wid.x + wid.y * nwg.x) * 64u + t;
  let mb4 = (p.M + 3u) / 4u;
  if (flat >= p.C * mb4 * 3u) { return; }
  let o = flat % 3u;
  let rest = flat / 3u;
  let rb = rest % mb4;
  let ch = rest / mb4;
  let koff = select(select(p.k_off2, p.k_off1, o == 1u), p.k_off0, o == 0u);
  var v = vec4<f32>(0.0);
  for (var u = 0u; u < 4u; u++) {
    let row = rb * 4u + u;
    if (row < p.M) { v[u] = lhs[row * p.a_row + ch * p.a_c + koff]; }
  }
  wq_out[flat] = v;
}

fn store_k3(row: u32, ob: u32, j0: u32, v0: vec4<f32>, v1: vec4<f32>) {
  if (row >= p.M) { return; }
  var b = 0.0;
  if (p.has_bias != 0u) { b = bias[row]; }
  let base = ob + row * p.ncol;
  for (var u = 0u; u < 4u; u++) {
    if (j0 + u < p.ncol) { out[base + u] = v0[u] + b; }
    if (j0 + 4u + u < p.ncol) { out[base + 4u + u] = v1[u] + b; }
  }
}

// grad-weight, K = 3: one invocation accumulates a block of (co, ci) × 3 taps
// over a contiguous chunk (split) of the flattened (n, l) axis, serially, so
// there is no cross-lane reduction; splits go to gw_partial slices, summed by
// the caller. Stride 1 keeps a sliding window of x (one new load per ci and step).
fn store_gw3(split: u32, co: u32, ci: u32, R: u32, v: vec3<f32>) {
  if (co >= p.Cout || ci >= p.Cin) { return; }
  let o = (split * p.Cout + co) * R + ci * 3u;
  gw_partial[o] = v.x;
  gw_partial[o + 1u] = v.y;
  gw_partial[o + 2u] = v.z;
}

// conv_k3u_r16: 16×8 outputs per invocation like conv_k3_r16, weights from the uniform
// buffer wu (one row group, channels c0 … c1−1; see pack_k3u); accumulates into
// out when p.accumulate is set (channel chunks after the first).
@compute @workgroup_size(WG_X)
fn conv_k3u_r16(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let r0 = p.r_base;
  let cb_raw = wid.x * WG_X + lid.x;
  let valid = cb_raw < p.N * p.nblk;
  let cb = min(cb_raw, p.N * p.nblk - 1u);
  let n = cb / p.nblk;
  let j0 = (cb - n * p.nblk) * 8u;
  let lin = i32(p.Lin);
  let wb = i32(j0) + p.tap_base + p.win_shift;
  let d0 = u32(clamp(wb + 0, 0, lin - 1));
  let m0 = select(0.0, 1.0, wb + 0 >= 0 && wb + 0 < lin);
  let d1 = u32(clamp(wb + 1, 0, lin - 1));
  let m1 = select(0.0, 1.0, wb + 1 >= 0 && wb + 1 < lin);
  let d2 = u32(clamp(wb + 2, 0, lin - 1));
  let m2 = select(0.0, 1.0, wb + 2 >= 0 && wb + 2 < lin);
  let d3 = u32(clamp(wb + 3, 0, lin - 1));
  let m3 = select(0.0, 1.0, wb + 3 >= 0 && wb + 3 < lin);
  let d4 = u32(clamp(wb + 4, 0, lin - 1));
  let m4 = select(0.0, 1.0, wb + 4 >= 0 && wb + 4 < lin);
  let d5 = u32(clamp(wb + 5, 0, lin - 1));
  let m5 = select(0.0, 1.0, wb + 5 >= 0 && wb + 5 < lin);
  let d6 = u32(clamp(wb + 6, 0, lin - 1));
  let m6 = select(0.0, 1.0, wb + 6 >= 0 && wb + 6 < lin);
  let d7 = u32(clamp(wb + 7, 0, lin - 1));
  let m7 = select(0.0, 1.0, wb + 7 >= 0 && wb + 7 < lin);
  let d8 = u32(clamp(wb + 8, 0, lin - 1));
  let m8 = select(0.0, 1.0, wb + 8 >= 0 && wb + 8 < lin);
  let d9 = u32(clamp(wb + 9, 0, lin - 1));
  let m9 = select(0.0, 1.0, wb + 9 >= 0 && wb + 9 < lin);
  var ib = n * p.b_n + p.c0 * p.b_c;
  var iw = 0u;
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
  for (var ch = p.c0; ch < p.c1; ch++) {
    let x0 = rhs[ib + d0] * m0;
    let x1 = rhs[ib + d1] * m1;
    let x2 = rhs[ib + d2] * m2;
    let x3 = rhs[ib + d3] * m3;
    let x4 = rhs[ib + d4] * m4;
    let x5 = rhs[ib + d5] * m5;
    let x6 = rhs[ib + d6] * m6;
    let x7 = rhs[ib + d7] * m7;
    let x8 = rhs[ib + d8] * m8;
    let x9 = rhs[ib + d9] * m9;
    let t0a = vec4<f32>(x0, x1, x2, x3); let t0b = vec4<f32>(x4, x5, x6, x7);
    let t1a = vec4<f32>(x1, x2, x3, x4); let t1b = vec4<f32>(x5, x6, x7, x8);
    let t2a = vec4<f32>(x2, x3, x4, x5); let t2b = vec4<f32>(x6, x7, x8, x9);
    { let w0 = wu[iw + 0u]; let w1 = wu[iw + 4u]; let w2 = wu[iw + 8u];
      acc0_0 = fma(vec4<f32>(w2.x), t2a, fma(vec4<f32>(w1.x), t1a, fma(vec4<f32>(w0.x), t0a, acc0_0))); acc0_1 = fma(vec4<f32>(w2.x), t2b, fma(vec4<f32>(w1.x), t1b, fma(vec4<f32>(w0.x), t0b, acc0_1)));
      acc1_0 = fma(vec4<f32>(w2.y), t2a, fma(vec4<f32>(w1.y), t1a, fma(vec4<f32>(w0.y), t0a, acc1_0))); acc1_1 = fma(vec4<f32>(w2.y), t2b, fma(vec4<f32>(w1.y), t1b, fma(vec4<f32>(w0.y), t0b, acc1_1)));
      acc2_0 = fma(vec4<f32>(w2.z), t2a, fma(vec4<f32>(w1.z), t1a, fma(vec4<f32>(w0.z), t0a, acc2_0))); acc2_1 = fma(vec4<f32>(w2.z), t2b, fma(vec4<f32>(w1.z), t1b, fma(vec4<f32>(w0.z), t0b, acc2_1)));
      acc3_0 = fma(vec4<f32>(w2.w), t2a, fma(vec4<f32>(w1.w), t1a, fma(vec4<f32>(w0.w), t0a, acc3_0))); acc3_1 = fma(vec4<f32>(w2.w), t2b, fma(vec4<f32>(w1.w), t1b, fma(vec4<f32>(w0.w), t0b, acc3_1)));
    }
    { let w0 = wu[iw + 1u]; let w1 = wu[iw + 5u]; let w2 = wu[iw + 9u];
      acc4_0 = fma(vec4<f32>(w2.x), t2a, fma(vec4<f32>(w1.x), t1a, fma(vec4<f32>(w0.x), t0a, acc4_0))); acc4_1 = fma(vec4<f32>(w2.x), t2b, fma(vec4<f32>(w1.x), t1b, fma(vec4<f32>(w0.x), t0b, acc4_1)));
      acc5_0 = fma(vec4<f32>(w2.y), t2a, fma(vec4<f32>(w1.y), t1a, fma(vec4<f32>(w0.y), t0a, acc5_0))); acc5_1 = fma(vec4<f32>(w2.y), t2b, fma(vec4<f32>(w1.y), t1b, fma(vec4<f32>(w0.y), t0b, acc5_1)));
      acc6_0 = fma(vec4<f32>(w2.z), t2a, fma(vec4<f32>(w1.z), t1a, fma(vec4<f32>(w0.z), t0a, acc6_0))); acc6_1 = fma(vec4<f32>(w2.z), t2b, fma(vec4<f32>(w1.z), t1b, fma(vec4<f32>(w0.z), t0b, acc6_1)));
      acc7_0 = fma(vec4<f32>(w2.w), t2a, fma(vec4<f32>(w1.w), t1a, fma(vec4<f32>(w0.w), t0a, acc7_0))); acc7_1 = fma(vec4<f32>(w2.w), t2b, fma(vec4<f32>(w1.w), t1b, fma(vec4<f32>(w0.w), t0b, acc7_1)));
    }
    { let w0 = wu[iw + 2u]; let w1 = wu[iw + 6u]; let w2 = wu[iw + 10u];
      acc8_0 = fma(vec4<f32>(w2.x), t2a, fma(vec4<f32>(w1.x), t1a, fma(vec4<f32>(w0.x), t0a, acc8_0))); acc8_1 = fma(vec4<f32>(w2.x), t2b, fma(vec4<f32>(w1.x), t1b, fma(vec4<f32>(w0.x), t0b, acc8_1)));
      acc9_0 = fma(vec4<f32>(w2.y), t2a, fma(vec4<f32>(w1.y), t1a, fma(vec4<f32>(w0.y), t0a, acc9_0))); acc9_1 = fma(vec4<f32>(w2.y), t2b, fma(vec4<f32>(w1.y), t1b, fma(vec4<f32>(w0.y), t0b, acc9_1)));
      acc10_0 = fma(vec4<f32>(w2.z), t2a, fma(vec4<f32>(w1.z), t1a, fma(vec4<f32>(w0.z), t0a, acc10_0))); acc10_1 = fma(vec4<f32>(w2.z), t2b, fma(vec4<f32>(w1.z), t1b, fma(vec4<f32>(w0.z), t0b, acc10_1)));
      acc11_0 = fma(vec4<f32>(w2.w), t2a, fma(vec4<f32>(w1.w), t1a, fma(vec4<f32>(w0.w), t0a, acc11_0))); acc11_1 = fma(vec4<f32>(w2.w), t2b, fma(vec4<f32>(w1.w), t1b, fma(vec4<f32>(w0.w), t0b, acc11_1)));
    }
    { let w0 = wu[iw + 3u]; let w1 = wu[iw + 7u]; let w2 = wu[iw + 11u];
      acc12_0 = fma(vec4<f32>(w2.x), t2a, fma(vec4<f32>(w1.x), t1a, fma(vec4<f32>(w0.x), t0a, acc12_0))); acc12_1 = fma(vec4<f32>(w2.x), t2b, fma(vec4<f32>(w1.x), t1b, fma(vec4<f32>(w0.x), t0b, acc12_1)));
      acc13_0 = fma(vec4<f32>(w2.y), t2a, fma(vec4<f32>(w1.y), t1a, fma(vec4<f32>(w0.y), t0a, acc13_0))); acc13_1 = fma(vec4<f32>(w2.y), t2b, fma(vec4<f32>(w1.y), t1b, fma(vec4<f32>(w0.y), t0b, acc13_1)));
      acc14_0 = fma(vec4<f32>(w2.z), t2a, fma(vec4<f32>(w1.z), t1a, fma(vec4<f32>(w0.z), t0a, acc14_0))); acc14_1 = fma(vec4<f32>(w2.z), t2b, fma(vec4<f32>(w1.z), t1b, fma(vec4<f32>(w0.z), t0b, acc14_1)));
      acc15_0 = fma(vec4<f32>(w2.w), t2a, fma(vec4<f32>(w1.w), t1a, fma(vec4<f32>(w0.w), t0a, acc15_0))); acc15_1 = fma(vec4<f32>(w2.w), t2b, fma(vec4<f32>(w1.w), t1b, fma(vec4<f32>(w0.w), t0b, acc15_1)));
    }
    iw += 12u;
    ib += p.b_c;
  }
  if (!valid) { return; }
  let ob = n * p.out_n + j0;
  store_k3u(r0 + 0u, ob, j0, acc0_0, acc0_1);
  store_k3u(r0 + 1u, ob, j0, acc1_0, acc1_1);
  store_k3u(r0 + 2u, ob, j0, acc2_0, acc2_1);
  store_k3u(r0 + 3u, ob, j0, acc3_0, acc3_1);
  store_k3u(r0 + 4u, ob, j0, acc4_0, acc4_1);
  store_k3u(r0 + 5u, ob, j0, acc5_0, acc5_1);
  store_k3u(r0 + 6u, ob, j0, acc6_0, acc6_1);
  store_k3u(r0 + 7u, ob, j0, acc7_0, acc7_1);
  store_k3u(r0 + 8u, ob, j0, acc8_0, acc8_1);
  store_k3u(r0 + 9u, ob, j0, acc9_0, acc9_1);
  store_k3u(r0 + 10u, ob, j0, acc10_0, acc10_1);
  store_k3u(r0 + 11u, ob, j0, acc11_0, acc11_1);
  store_k3u(r0 + 12u, ob, j0, acc12_0, acc12_1);
  store_k3u(r0 + 13u, ob, j0, acc13_0, acc13_1);
  store_k3u(r0 + 14u, ob, j0, acc14_0, acc14_1);
  store_k3u(r0 + 15u, ob, j0, acc15_0, acc15_1);
}

// 16×8 outputs per invocation: rows r0 … r0+15 (from the workgroup id), columns
// j0 … j0+7 of one signal; weights come packed by pack_k3 (wq).
@compute @workgroup_size(WG_X)
fn conv_k3_r16(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let r0 = wid.y * 16u;
  let cb_raw = wid.x * WG_X + lid.x;
  let valid = cb_raw < p.N * p.nblk;
  let cb = min(cb_raw, p.N * p.nblk - 1u);
  let n = cb / p.nblk;
  let j0 = (cb - n * p.nblk) * 8u;
  let lin = i32(p.Lin);
  let wb = i32(j0) + p.tap_base + p.win_shift;
  let d0 = u32(clamp(wb + 0, 0, lin - 1));
  let m0 = select(0.0, 1.0, wb + 0 >= 0 && wb + 0 < lin);
  let d1 = u32(clamp(wb + 1, 0, lin - 1));
  let m1 = select(0.0, 1.0, wb + 1 >= 0 && wb + 1 < lin);
  let d2 = u32(clamp(wb + 2, 0, lin - 1));
  let m2 = select(0.0, 1.0, wb + 2 >= 0 && wb + 2 < lin);
  let d3 = u32(clamp(wb + 3, 0, lin - 1));
  let m3 = select(0.0, 1.0, wb + 3 >= 0 && wb + 3 < lin);
  let d4 = u32(clamp(wb + 4, 0, lin - 1));
  let m4 = select(0.0, 1.0, wb + 4 >= 0 && wb + 4 < lin);
  let d5 = u32(clamp(wb + 5, 0, lin - 1));
  let m5 = select(0.0, 1.0, wb + 5 >= 0 && wb + 5 < lin);
  let d6 = u32(clamp(wb + 6, 0, lin - 1));
  let m6 = select(0.0, 1.0, wb + 6 >= 0 && wb + 6 < lin);
  let d7 = u32(clamp(wb + 7, 0, lin - 1));
  let m7 = select(0.0, 1.0, wb + 7 >= 0 && wb + 7 < lin);
  let d8 = u32(clamp(wb + 8, 0, lin - 1));
  let m8 = select(0.0, 1.0, wb + 8 >= 0 && wb + 8 < lin);
  let d9 = u32(clamp(wb + 9, 0, lin - 1));
  let m9 = select(0.0, 1.0, wb + 9 >= 0 && wb + 9 < lin);
  let mb4 = (p.M + 3u) / 4u;
  var iw = wid.y * 4u * 3u;
  let iw_step = mb4 * 3u;
  var ib = n * p.b_n;
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
  for (var ch = 0u; ch < p.C; ch++) {
    let x0 = rhs[ib + d0] * m0;
    let x1 = rhs[ib + d1] * m1;
    let x2 = rhs[ib + d2] * m2;
    let x3 = rhs[ib + d3] * m3;
    let x4 = rhs[ib + d4] * m4;
    let x5 = rhs[ib + d5] * m5;
    let x6 = rhs[ib + d6] * m6;
    let x7 = rhs[ib + d7] * m7;
    let x8 = rhs[ib + d8] * m8;
    let x9 = rhs[ib + d9] * m9;
    let t0a = vec4<f32>(x0, x1, x2, x3); let t0b = vec4<f32>(x4, x5, x6, x7);
    let t1a = vec4<f32>(x1, x2, x3, x4); let t1b = vec4<f32>(x5, x6, x7, x8);
    let t2a = vec4<f32>(x2, x3, x4, x5); let t2b = vec4<f32>(x6, x7, x8, x9);
    { let w0 = wq[iw + 0u]; let w1 = wq[iw + 1u]; let w2 = wq[iw + 2u];
      acc0_0 = fma(vec4<f32>(w2.x), t2a, fma(vec4<f32>(w1.x), t1a, fma(vec4<f32>(w0.x), t0a, acc0_0))); acc0_1 = fma(vec4<f32>(w2.x), t2b, fma(vec4<f32>(w1.x), t1b, fma(vec4<f32>(w0.x), t0b, acc0_1)));
      acc1_0 = fma(vec4<f32>(w2.y), t2a, fma(vec4<f32>(w1.y), t1a, fma(vec4<f32>(w0.y), t0a, acc1_0))); acc1_1 = fma(vec4<f32>(w2.y), t2b, fma(vec4<f32>(w1.y), t1b, fma(vec4<f32>(w0.y), t0b, acc1_1)));
      acc2_0 = fma(vec4<f32>(w2.z), t2a, fma(vec4<f32>(w1.z), t1a, fma(vec4<f32>(w0.z), t0a, acc2_0))); acc2_1 = fma(vec4<f32>(w2.z), t2b, fma(vec4<f32>(w1.z), t1b, fma(vec4<f32>(w0.z), t0b, acc2_1)));
      acc3_0 = fma(vec4<f32>(w2.w), t2a, fma(vec4<f32>(w1.w), t1a, fma(vec4<f32>(w0.w), t0a, acc3_0))); acc3_1 = fma(vec4<f32>(w2.w), t2b, fma(vec4<f32>(w1.w), t1b, fma(vec4<f32>(w0.w), t0b, acc3_1)));
    }
    { let w0 = wq[iw + 3u]; let w1 = wq[iw + 4u]; let w2 = wq[iw + 5u];
      acc4_0 = fma(vec4<f32>(w2.x), t2a, fma(vec4<f32>(w1.x), t1a, fma(vec4<f32>(w0.x), t0a, acc4_0))); acc4_1 = fma(vec4<f32>(w2.x), t2b, fma(vec4<f32>(w1.x), t1b, fma(vec4<f32>(w0.x), t0b, acc4_1)));
      acc5_0 = fma(vec4<f32>(w2.y), t2a, fma(vec4<f32>(w1.y), t1a, fma(vec4<f32>(w0.y), t0a, acc5_0))); acc5_1 = fma(vec4<f32>(w2.y), t2b, fma(vec4<f32>(w1.y), t1b, fma(vec4<f32>(w0.y), t0b, acc5_1)));
      acc6_0 = fma(vec4<f32>(w2.z), t2a, fma(vec4<f32>(w1.z), t1a, fma(vec4<f32>(w0.z), t0a, acc6_0))); acc6_1 = fma(vec4<f32>(w2.z), t2b, fma(vec4<f32>(w1.z), t1b, fma(vec4<f32>(w0.z), t0b, acc6_1)));
      acc7_0 = fma(vec4<f32>(w2.w), t2a, fma(vec4<f32>(w1.w), t1a, fma(vec4<f32>(w0.w), t0a, acc7_0))); acc7_1 = fma(vec4<f32>(w2.w), t2b, fma(vec4<f32>(w1.w), t1b, fma(vec4<f32>(w0.w), t0b, acc7_1)));
    }
    { let w0 = wq[iw + 6u]; let w1 = wq[iw + 7u]; let w2 = wq[iw + 8u];
      acc8_0 = fma(vec4<f32>(w2.x), t2a, fma(vec4<f32>(w1.x), t1a, fma(vec4<f32>(w0.x), t0a, acc8_0))); acc8_1 = fma(vec4<f32>(w2.x), t2b, fma(vec4<f32>(w1.x), t1b, fma(vec4<f32>(w0.x), t0b, acc8_1)));
      acc9_0 = fma(vec4<f32>(w2.y), t2a, fma(vec4<f32>(w1.y), t1a, fma(vec4<f32>(w0.y), t0a, acc9_0))); acc9_1 = fma(vec4<f32>(w2.y), t2b, fma(vec4<f32>(w1.y), t1b, fma(vec4<f32>(w0.y), t0b, acc9_1)));
      acc10_0 = fma(vec4<f32>(w2.z), t2a, fma(vec4<f32>(w1.z), t1a, fma(vec4<f32>(w0.z), t0a, acc10_0))); acc10_1 = fma(vec4<f32>(w2.z), t2b, fma(vec4<f32>(w1.z), t1b, fma(vec4<f32>(w0.z), t0b, acc10_1)));
      acc11_0 = fma(vec4<f32>(w2.w), t2a, fma(vec4<f32>(w1.w), t1a, fma(vec4<f32>(w0.w), t0a, acc11_0))); acc11_1 = fma(vec4<f32>(w2.w), t2b, fma(vec4<f32>(w1.w), t1b, fma(vec4<f32>(w0.w), t0b, acc11_1)));
    }
    { let w0 = wq[iw + 9u]; let w1 = wq[iw + 10u]; let w2 = wq[iw + 11u];
      acc12_0 = fma(vec4<f32>(w2.x), t2a, fma(vec4<f32>(w1.x), t1a, fma(vec4<f32>(w0.x), t0a, acc12_0))); acc12_1 = fma(vec4<f32>(w2.x), t2b, fma(vec4<f32>(w1.x), t1b, fma(vec4<f32>(w0.x), t0b, acc12_1)));
      acc13_0 = fma(vec4<f32>(w2.y), t2a, fma(vec4<f32>(w1.y), t1a, fma(vec4<f32>(w0.y), t0a, acc13_0))); acc13_1 = fma(vec4<f32>(w2.y), t2b, fma(vec4<f32>(w1.y), t1b, fma(vec4<f32>(w0.y), t0b, acc13_1)));
      acc14_0 = fma(vec4<f32>(w2.z), t2a, fma(vec4<f32>(w1.z), t1a, fma(vec4<f32>(w0.z), t0a, acc14_0))); acc14_1 = fma(vec4<f32>(w2.z), t2b, fma(vec4<f32>(w1.z), t1b, fma(vec4<f32>(w0.z), t0b, acc14_1)));
      acc15_0 = fma(vec4<f32>(w2.w), t2a, fma(vec4<f32>(w1.w), t1a, fma(vec4<f32>(w0.w), t0a, acc15_0))); acc15_1 = fma(vec4<f32>(w2.w), t2b, fma(vec4<f32>(w1.w), t1b, fma(vec4<f32>(w0.w), t0b, acc15_1)));
    }
    iw += iw_step;
    ib += p.b_c;
  }
  if (!valid) { return; }
  let ob = n * p.out_n + j0;
  store_k3(r0 + 0u, ob, j0, acc0_0, acc0_1);
  store_k3(r0 + 1u, ob, j0, acc1_0, acc1_1);
  store_k3(r0 + 2u, ob, j0, acc2_0, acc2_1);
  store_k3(r0 + 3u, ob, j0, acc3_0, acc3_1);
  store_k3(r0 + 4u, ob, j0, acc4_0, acc4_1);
  store_k3(r0 + 5u, ob, j0, acc5_0, acc5_1);
  store_k3(r0 + 6u, ob, j0, acc6_0, acc6_1);
  store_k3(r0 + 7u, ob, j0, acc7_0, acc7_1);
  store_k3(r0 + 8u, ob, j0, acc8_0, acc8_1);
  store_k3(r0 + 9u, ob, j0, acc9_0, acc9_1);
  store_k3(r0 + 10u, ob, j0, acc10_0, acc10_1);
  store_k3(r0 + 11u, ob, j0, acc11_0, acc11_1);
  store_k3(r0 + 12u, ob, j0, acc12_0, acc12_1);
  store_k3(r0 + 13u, ob, j0, acc13_0, acc13_1);
  store_k3(r0 + 14u, ob, j0, acc14_0, acc14_1);
  store_k3(r0 + 15u, ob, j0, acc15_0, acc15_1);
}

// 8×8 outputs per invocation: rows r0 … r0+7 (from the workgroup id), columns
// j0 … j0+7 of one signal; weights come packed by pack_k3 (wq).
@compute @workgroup_size(WG_X)
fn conv_k3_r8(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let r0 = wid.y * 8u;
  let cb_raw = wid.x * WG_X + lid.x;
  let valid = cb_raw < p.N * p.nblk;
  let cb = min(cb_raw, p.N * p.nblk - 1u);
  let n = cb / p.nblk;
  let j0 = (cb - n * p.nblk) * 8u;
  let lin = i32(p.Lin);
  let wb = i32(j0) + p.tap_base + p.win_shift;
  let d0 = u32(clamp(wb + 0, 0, lin - 1));
  let m0 = select(0.0, 1.0, wb + 0 >= 0 && wb + 0 < lin);
  let d1 = u32(clamp(wb + 1, 0, lin - 1));
  let m1 = select(0.0, 1.0, wb + 1 >= 0 && wb + 1 < lin);
  let d2 = u32(clamp(wb + 2, 0, lin - 1));
  let m2 = select(0.0, 1.0, wb + 2 >= 0 && wb + 2 < lin);
  let d3 = u32(clamp(wb + 3, 0, lin - 1));
  let m3 = select(0.0, 1.0, wb + 3 >= 0 && wb + 3 < lin);
  let d4 = u32(clamp(wb + 4, 0, lin - 1));
  let m4 = select(0.0, 1.0, wb + 4 >= 0 && wb + 4 < lin);
  let d5 = u32(clamp(wb + 5, 0, lin - 1));
  let m5 = select(0.0, 1.0, wb + 5 >= 0 && wb + 5 < lin);
  let d6 = u32(clamp(wb + 6, 0, lin - 1));
  let m6 = select(0.0, 1.0, wb + 6 >= 0 && wb + 6 < lin);
  let d7 = u32(clamp(wb + 7, 0, lin - 1));
  let m7 = select(0.0, 1.0, wb + 7 >= 0 && wb + 7 < lin);
  let d8 = u32(clamp(wb + 8, 0, lin - 1));
  let m8 = select(0.0, 1.0, wb + 8 >= 0 && wb + 8 < lin);
  let d9 = u32(clamp(wb + 9, 0, lin - 1));
  let m9 = select(0.0, 1.0, wb + 9 >= 0 && wb + 9 < lin);
  let mb4 = (p.M + 3u) / 4u;
  var iw = wid.y * 2u * 3u;
  let iw_step = mb4 * 3u;
  var ib = n * p.b_n;
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
  for (var ch = 0u; ch < p.C; ch++) {
    let x0 = rhs[ib + d0] * m0;
    let x1 = rhs[ib + d1] * m1;
    let x2 = rhs[ib + d2] * m2;
    let x3 = rhs[ib + d3] * m3;
    let x4 = rhs[ib + d4] * m4;
    let x5 = rhs[ib + d5] * m5;
    let x6 = rhs[ib + d6] * m6;
    let x7 = rhs[ib + d7] * m7;
    let x8 = rhs[ib + d8] * m8;
    let x9 = rhs[ib + d9] * m9;
    let t0a = vec4<f32>(x0, x1, x2, x3); let t0b = vec4<f32>(x4, x5, x6, x7);
    let t1a = vec4<f32>(x1, x2, x3, x4); let t1b = vec4<f32>(x5, x6, x7, x8);
    let t2a = vec4<f32>(x2, x3, x4, x5); let t2b = vec4<f32>(x6, x7, x8, x9);
    { let w0 = wq[iw + 0u]; let w1 = wq[iw + 1u]; let w2 = wq[iw + 2u];
      acc0_0 = fma(vec4<f32>(w2.x), t2a, fma(vec4<f32>(w1.x), t1a, fma(vec4<f32>(w0.x), t0a, acc0_0))); acc0_1 = fma(vec4<f32>(w2.x), t2b, fma(vec4<f32>(w1.x), t1b, fma(vec4<f32>(w0.x), t0b, acc0_1)));
      acc1_0 = fma(vec4<f32>(w2.y), t2a, fma(vec4<f32>(w1.y), t1a, fma(vec4<f32>(w0.y), t0a, acc1_0))); acc1_1 = fma(vec4<f32>(w2.y), t2b, fma(vec4<f32>(w1.y), t1b, fma(vec4<f32>(w0.y), t0b, acc1_1)));
      acc2_0 = fma(vec4<f32>(w2.z), t2a, fma(vec4<f32>(w1.z), t1a, fma(vec4<f32>(w0.z), t0a, acc2_0))); acc2_1 = fma(vec4<f32>(w2.z), t2b, fma(vec4<f32>(w1.z), t1b, fma(vec4<f32>(w0.z), t0b, acc2_1)));
      acc3_0 = fma(vec4<f32>(w2.w), t2a, fma(vec4<f32>(w1.w), t1a, fma(vec4<f32>(w0.w), t0a, acc3_0))); acc3_1 = fma(vec4<f32>(w2.w), t2b, fma(vec4<f32>(w1.w), t1b, fma(vec4<f32>(w0.w), t0b, acc3_1)));
    }
    { let w0 = wq[iw + 3u]; let w1 = wq[iw + 4u]; let w2 = wq[iw + 5u];
      acc4_0 = fma(vec4<f32>(w2.x), t2a, fma(vec4<f32>(w1.x), t1a, fma(vec4<f32>(w0.x), t0a, acc4_0))); acc4_1 = fma(vec4<f32>(w2.x), t2b, fma(vec4<f32>(w1.x), t1b, fma(vec4<f32>(w0.x), t0b, acc4_1)));
      acc5_0 = fma(vec4<f32>(w2.y), t2a, fma(vec4<f32>(w1.y), t1a, fma(vec4<f32>(w0.y), t0a, acc5_0))); acc5_1 = fma(vec4<f32>(w2.y), t2b, fma(vec4<f32>(w1.y), t1b, fma(vec4<f32>(w0.y), t0b, acc5_1)));
      acc6_0 = fma(vec4<f32>(w2.z), t2a, fma(vec4<f32>(w1.z), t1a, fma(vec4<f32>(w0.z), t0a, acc6_0))); acc6_1 = fma(vec4<f32>(w2.z), t2b, fma(vec4<f32>(w1.z), t1b, fma(vec4<f32>(w0.z), t0b, acc6_1)));
      acc7_0 = fma(vec4<f32>(w2.w), t2a, fma(vec4<f32>(w1.w), t1a, fma(vec4<f32>(w0.w), t0a, acc7_0))); acc7_1 = fma(vec4<f32>(w2.w), t2b, fma(vec4<f32>(w1.w), t1b, fma(vec4<f32>(w0.w), t0b, acc7_1)));
    }
    iw += iw_step;
    ib += p.b_c;
  }
  if (!valid) { return; }
  let ob = n * p.out_n + j0;
  store_k3(r0 + 0u, ob, j0, acc0_0, acc0_1);
  store_k3(r0 + 1u, ob, j0, acc1_0, acc1_1);
  store_k3(r0 + 2u, ob, j0, acc2_0, acc2_1);
  store_k3(r0 + 3u, ob, j0, acc3_0, acc3_1);
  store_k3(r0 + 4u, ob, j0, acc4_0, acc4_1);
  store_k3(r0 + 5u, ob, j0, acc5_0, acc5_1);
  store_k3(r0 + 6u, ob, j0, acc6_0, acc6_1);
  store_k3(r0 + 7u, ob, j0, acc7_0, acc7_1);
}

// 4×8 outputs per invocation: rows r0 … r0+3 (from the workgroup id), columns
// j0 … j0+7 of one signal; weights come packed by pack_k3 (wq).
@compute @workgroup_size(WG_X)
fn conv_k3_r4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let r0 = wid.y * 4u;
  let cb_raw = wid.x * WG_X + lid.x;
  let valid = cb_raw < p.N * p.nblk;
  let cb = min(cb_raw, p.N * p.nblk - 1u);
  let n = cb / p.nblk;
  let j0 = (cb - n * p.nblk) * 8u;
  let lin = i32(p.Lin);
  let wb = i32(j0) + p.tap_base + p.win_shift;
  let d0 = u32(clamp(wb + 0, 0, lin - 1));
  let m0 = select(0.0, 1.0, wb + 0 >= 0 && wb + 0 < lin);
  let d1 = u32(clamp(wb + 1, 0, lin - 1));
  let m1 = select(0.0, 1.0, wb + 1 >= 0 && wb + 1 < lin);
  let d2 = u32(clamp(wb + 2, 0, lin - 1));
  let m2 = select(0.0, 1.0, wb + 2 >= 0 && wb + 2 < lin);
  let d3 = u32(clamp(wb + 3, 0, lin - 1));
  let m3 = select(0.0, 1.0, wb + 3 >= 0 && wb + 3 < lin);
  let d4 = u32(clamp(wb + 4, 0, lin - 1));
  let m4 = select(0.0, 1.0, wb + 4 >= 0 && wb + 4 < lin);
  let d5 = u32(clamp(wb + 5, 0, lin - 1));
  let m5 = select(0.0, 1.0, wb + 5 >= 0 && wb + 5 < lin);
  let d6 = u32(clamp(wb + 6, 0, lin - 1));
  let m6 = select(0.0, 1.0, wb + 6 >= 0 && wb + 6 < lin);
  let d7 = u32(clamp(wb + 7, 0, lin - 1));
  let m7 = select(0.0, 1.0, wb + 7 >= 0 && wb + 7 < lin);
  let d8 = u32(clamp(wb + 8, 0, lin - 1));
  let m8 = select(0.0, 1.0, wb + 8 >= 0 && wb + 8 < lin);
  let d9 = u32(clamp(wb + 9, 0, lin - 1));
  let m9 = select(0.0, 1.0, wb + 9 >= 0 && wb + 9 < lin);
  let mb4 = (p.M + 3u) / 4u;
  var iw = wid.y * 1u * 3u;
  let iw_step = mb4 * 3u;
  var ib = n * p.b_n;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc1_1 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc2_1 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc3_1 = vec4<f32>(0.0);
  for (var ch = 0u; ch < p.C; ch++) {
    let x0 = rhs[ib + d0] * m0;
    let x1 = rhs[ib + d1] * m1;
    let x2 = rhs[ib + d2] * m2;
    let x3 = rhs[ib + d3] * m3;
    let x4 = rhs[ib + d4] * m4;
    let x5 = rhs[ib + d5] * m5;
    let x6 = rhs[ib + d6] * m6;
    let x7 = rhs[ib + d7] * m7;
    let x8 = rhs[ib + d8] * m8;
    let x9 = rhs[ib + d9] * m9;
    let t0a = vec4<f32>(x0, x1, x2, x3); let t0b = vec4<f32>(x4, x5, x6, x7);
    let t1a = vec4<f32>(x1, x2, x3, x4); let t1b = vec4<f32>(x5, x6, x7, x8);
    let t2a = vec4<f32>(x2, x3, x4, x5); let t2b = vec4<f32>(x6, x7, x8, x9);
    { let w0 = wq[iw + 0u]; let w1 = wq[iw + 1u]; let w2 = wq[iw + 2u];
      acc0_0 = fma(vec4<f32>(w2.x), t2a, fma(vec4<f32>(w1.x), t1a, fma(vec4<f32>(w0.x), t0a, acc0_0))); acc0_1 = fma(vec4<f32>(w2.x), t2b, fma(vec4<f32>(w1.x), t1b, fma(vec4<f32>(w0.x), t0b, acc0_1)));
      acc1_0 = fma(vec4<f32>(w2.y), t2a, fma(vec4<f32>(w1.y), t1a, fma(vec4<f32>(w0.y), t0a, acc1_0))); acc1_1 = fma(vec4<f32>(w2.y), t2b, fma(vec4<f32>(w1.y), t1b, fma(vec4<f32>(w0.y), t0b, acc1_1)));
      acc2_0 = fma(vec4<f32>(w2.z), t2a, fma(vec4<f32>(w1.z), t1a, fma(vec4<f32>(w0.z), t0a, acc2_0))); acc2_1 = fma(vec4<f32>(w2.z), t2b, fma(vec4<f32>(w1.z), t1b, fma(vec4<f32>(w0.z), t0b, acc2_1)));
      acc3_0 = fma(vec4<f32>(w2.w), t2a, fma(vec4<f32>(w1.w), t1a, fma(vec4<f32>(w0.w), t0a, acc3_0))); acc3_1 = fma(vec4<f32>(w2.w), t2b, fma(vec4<f32>(w1.w), t1b, fma(vec4<f32>(w0.w), t0b, acc3_1)));
    }
    iw += iw_step;
    ib += p.b_c;
  }
  if (!valid) { return; }
  let ob = n * p.out_n + j0;
  store_k3(r0 + 0u, ob, j0, acc0_0, acc0_1);
  store_k3(r0 + 1u, ob, j0, acc1_0, acc1_1);
  store_k3(r0 + 2u, ob, j0, acc2_0, acc2_1);
  store_k3(r0 + 3u, ob, j0, acc3_0, acc3_1);
}

// grad_weight_k3s1_ci16: 16 co (workgroup-uniform) × 16 ci (per lane) × 3 taps per invocation.
@compute @workgroup_size(WG_X)
fn grad_weight_k3s1_ci16(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let split = wid.x / p.tiles_n;
  let cib_raw = (wid.x - split * p.tiles_n) * WG_X + lid.x;
  let ci0 = cib_raw * 16u;
  let co0 = wid.y * 16u;
  let last_ci = p.Cin - 1u;
  let last_co = p.Cout - 1u;
  let Q = p.N * p.Lout;
  let q_begin = split * p.chunk;
  let q_end = min(q_begin + p.chunk, Q);
  let lin = i32(p.L);
  let pad = i32(p.padding);
  let xo0 = min(ci0 + 0u, last_ci) * p.L;
  let xo1 = min(ci0 + 1u, last_ci) * p.L;
  let xo2 = min(ci0 + 2u, last_ci) * p.L;
  let xo3 = min(ci0 + 3u, last_ci) * p.L;
  let xo4 = min(ci0 + 4u, last_ci) * p.L;
  let xo5 = min(ci0 + 5u, last_ci) * p.L;
  let xo6 = min(ci0 + 6u, last_ci) * p.L;
  let xo7 = min(ci0 + 7u, last_ci) * p.L;
  let xo8 = min(ci0 + 8u, last_ci) * p.L;
  let xo9 = min(ci0 + 9u, last_ci) * p.L;
  let xo10 = min(ci0 + 10u, last_ci) * p.L;
  let xo11 = min(ci0 + 11u, last_ci) * p.L;
  let xo12 = min(ci0 + 12u, last_ci) * p.L;
  let xo13 = min(ci0 + 13u, last_ci) * p.L;
  let xo14 = min(ci0 + 14u, last_ci) * p.L;
  let xo15 = min(ci0 + 15u, last_ci) * p.L;
  let go0 = min(co0 + 0u, last_co) * p.Lout;
  let go1 = min(co0 + 1u, last_co) * p.Lout;
  let go2 = min(co0 + 2u, last_co) * p.Lout;
  let go3 = min(co0 + 3u, last_co) * p.Lout;
  let go4 = min(co0 + 4u, last_co) * p.Lout;
  let go5 = min(co0 + 5u, last_co) * p.Lout;
  let go6 = min(co0 + 6u, last_co) * p.Lout;
  let go7 = min(co0 + 7u, last_co) * p.Lout;
  let go8 = min(co0 + 8u, last_co) * p.Lout;
  let go9 = min(co0 + 9u, last_co) * p.Lout;
  let go10 = min(co0 + 10u, last_co) * p.Lout;
  let go11 = min(co0 + 11u, last_co) * p.Lout;
  let go12 = min(co0 + 12u, last_co) * p.Lout;
  let go13 = min(co0 + 13u, last_co) * p.Lout;
  let go14 = min(co0 + 14u, last_co) * p.Lout;
  let go15 = min(co0 + 15u, last_co) * p.Lout;
  var acc0_0 = vec3<f32>(0.0);
  var acc0_1 = vec3<f32>(0.0);
  var acc0_2 = vec3<f32>(0.0);
  var acc0_3 = vec3<f32>(0.0);
  var acc0_4 = vec3<f32>(0.0);
  var acc0_5 = vec3<f32>(0.0);
  var acc0_6 = vec3<f32>(0.0);
  var acc0_7 = vec3<f32>(0.0);
  var acc0_8 = vec3<f32>(0.0);
  var acc0_9 = vec3<f32>(0.0);
  var acc0_10 = vec3<f32>(0.0);
  var acc0_11 = vec3<f32>(0.0);
  var acc0_12 = vec3<f32>(0.0);
  var acc0_13 = vec3<f32>(0.0);
  var acc0_14 = vec3<f32>(0.0);
  var acc0_15 = vec3<f32>(0.0);
  var acc1_0 = vec3<f32>(0.0);
  var acc1_1 = vec3<f32>(0.0);
  var acc1_2 = vec3<f32>(0.0);
  var acc1_3 = vec3<f32>(0.0);
  var acc1_4 = vec3<f32>(0.0);
  var acc1_5 = vec3<f32>(0.0);
  var acc1_6 = vec3<f32>(0.0);
  var acc1_7 = vec3<f32>(0.0);
  var acc1_8 = vec3<f32>(0.0);
  var acc1_9 = vec3<f32>(0.0);
  var acc1_10 = vec3<f32>(0.0);
  var acc1_11 = vec3<f32>(0.0);
  var acc1_12 = vec3<f32>(0.0);
  var acc1_13 = vec3<f32>(0.0);
  var acc1_14 = vec3<f32>(0.0);
  var acc1_15 = vec3<f32>(0.0);
  var acc2_0 = vec3<f32>(0.0);
  var acc2_1 = vec3<f32>(0.0);
  var acc2_2 = vec3<f32>(0.0);
  var acc2_3 = vec3<f32>(0.0);
  var acc2_4 = vec3<f32>(0.0);
  var acc2_5 = vec3<f32>(0.0);
  var acc2_6 = vec3<f32>(0.0);
  var acc2_7 = vec3<f32>(0.0);
  var acc2_8 = vec3<f32>(0.0);
  var acc2_9 = vec3<f32>(0.0);
  var acc2_10 = vec3<f32>(0.0);
  var acc2_11 = vec3<f32>(0.0);
  var acc2_12 = vec3<f32>(0.0);
  var acc2_13 = vec3<f32>(0.0);
  var acc2_14 = vec3<f32>(0.0);
  var acc2_15 = vec3<f32>(0.0);
  var acc3_0 = vec3<f32>(0.0);
  var acc3_1 = vec3<f32>(0.0);
  var acc3_2 = vec3<f32>(0.0);
  var acc3_3 = vec3<f32>(0.0);
  var acc3_4 = vec3<f32>(0.0);
  var acc3_5 = vec3<f32>(0.0);
  var acc3_6 = vec3<f32>(0.0);
  var acc3_7 = vec3<f32>(0.0);
  var acc3_8 = vec3<f32>(0.0);
  var acc3_9 = vec3<f32>(0.0);
  var acc3_10 = vec3<f32>(0.0);
  var acc3_11 = vec3<f32>(0.0);
  var acc3_12 = vec3<f32>(0.0);
  var acc3_13 = vec3<f32>(0.0);
  var acc3_14 = vec3<f32>(0.0);
  var acc3_15 = vec3<f32>(0.0);
  var acc4_0 = vec3<f32>(0.0);
  var acc4_1 = vec3<f32>(0.0);
  var acc4_2 = vec3<f32>(0.0);
  var acc4_3 = vec3<f32>(0.0);
  var acc4_4 = vec3<f32>(0.0);
  var acc4_5 = vec3<f32>(0.0);
  var acc4_6 = vec3<f32>(0.0);
  var acc4_7 = vec3<f32>(0.0);
  var acc4_8 = vec3<f32>(0.0);
  var acc4_9 = vec3<f32>(0.0);
  var acc4_10 = vec3<f32>(0.0);
  var acc4_11 = vec3<f32>(0.0);
  var acc4_12 = vec3<f32>(0.0);
  var acc4_13 = vec3<f32>(0.0);
  var acc4_14 = vec3<f32>(0.0);
  var acc4_15 = vec3<f32>(0.0);
  var acc5_0 = vec3<f32>(0.0);
  var acc5_1 = vec3<f32>(0.0);
  var acc5_2 = vec3<f32>(0.0);
  var acc5_3 = vec3<f32>(0.0);
  var acc5_4 = vec3<f32>(0.0);
  var acc5_5 = vec3<f32>(0.0);
  var acc5_6 = vec3<f32>(0.0);
  var acc5_7 = vec3<f32>(0.0);
  var acc5_8 = vec3<f32>(0.0);
  var acc5_9 = vec3<f32>(0.0);
  var acc5_10 = vec3<f32>(0.0);
  var acc5_11 = vec3<f32>(0.0);
  var acc5_12 = vec3<f32>(0.0);
  var acc5_13 = vec3<f32>(0.0);
  var acc5_14 = vec3<f32>(0.0);
  var acc5_15 = vec3<f32>(0.0);
  var acc6_0 = vec3<f32>(0.0);
  var acc6_1 = vec3<f32>(0.0);
  var acc6_2 = vec3<f32>(0.0);
  var acc6_3 = vec3<f32>(0.0);
  var acc6_4 = vec3<f32>(0.0);
  var acc6_5 = vec3<f32>(0.0);
  var acc6_6 = vec3<f32>(0.0);
  var acc6_7 = vec3<f32>(0.0);
  var acc6_8 = vec3<f32>(0.0);
  var acc6_9 = vec3<f32>(0.0);
  var acc6_10 = vec3<f32>(0.0);
  var acc6_11 = vec3<f32>(0.0);
  var acc6_12 = vec3<f32>(0.0);
  var acc6_13 = vec3<f32>(0.0);
  var acc6_14 = vec3<f32>(0.0);
  var acc6_15 = vec3<f32>(0.0);
  var acc7_0 = vec3<f32>(0.0);
  var acc7_1 = vec3<f32>(0.0);
  var acc7_2 = vec3<f32>(0.0);
  var acc7_3 = vec3<f32>(0.0);
  var acc7_4 = vec3<f32>(0.0);
  var acc7_5 = vec3<f32>(0.0);
  var acc7_6 = vec3<f32>(0.0);
  var acc7_7 = vec3<f32>(0.0);
  var acc7_8 = vec3<f32>(0.0);
  var acc7_9 = vec3<f32>(0.0);
  var acc7_10 = vec3<f32>(0.0);
  var acc7_11 = vec3<f32>(0.0);
  var acc7_12 = vec3<f32>(0.0);
  var acc7_13 = vec3<f32>(0.0);
  var acc7_14 = vec3<f32>(0.0);
  var acc7_15 = vec3<f32>(0.0);
  var acc8_0 = vec3<f32>(0.0);
  var acc8_1 = vec3<f32>(0.0);
  var acc8_2 = vec3<f32>(0.0);
  var acc8_3 = vec3<f32>(0.0);
  var acc8_4 = vec3<f32>(0.0);
  var acc8_5 = vec3<f32>(0.0);
  var acc8_6 = vec3<f32>(0.0);
  var acc8_7 = vec3<f32>(0.0);
  var acc8_8 = vec3<f32>(0.0);
  var acc8_9 = vec3<f32>(0.0);
  var acc8_10 = vec3<f32>(0.0);
  var acc8_11 = vec3<f32>(0.0);
  var acc8_12 = vec3<f32>(0.0);
  var acc8_13 = vec3<f32>(0.0);
  var acc8_14 = vec3<f32>(0.0);
  var acc8_15 = vec3<f32>(0.0);
  var acc9_0 = vec3<f32>(0.0);
  var acc9_1 = vec3<f32>(0.0);
  var acc9_2 = vec3<f32>(0.0);
  var acc9_3 = vec3<f32>(0.0);
  var acc9_4 = vec3<f32>(0.0);
  var acc9_5 = vec3<f32>(0.0);
  var acc9_6 = vec3<f32>(0.0);
  var acc9_7 = vec3<f32>(0.0);
  var acc9_8 = vec3<f32>(0.0);
  var acc9_9 = vec3<f32>(0.0);
  var acc9_10 = vec3<f32>(0.0);
  var acc9_11 = vec3<f32>(0.0);
  var acc9_12 = vec3<f32>(0.0);
  var acc9_13 = vec3<f32>(0.0);
  var acc9_14 = vec3<f32>(0.0);
  var acc9_15 = vec3<f32>(0.0);
  var acc10_0 = vec3<f32>(0.0);
  var acc10_1 = vec3<f32>(0.0);
  var acc10_2 = vec3<f32>(0.0);
  var acc10_3 = vec3<f32>(0.0);
  var acc10_4 = vec3<f32>(0.0);
  var acc10_5 = vec3<f32>(0.0);
  var acc10_6 = vec3<f32>(0.0);
  var acc10_7 = vec3<f32>(0.0);
  var acc10_8 = vec3<f32>(0.0);
  var acc10_9 = vec3<f32>(0.0);
  var acc10_10 = vec3<f32>(0.0);
  var acc10_11 = vec3<f32>(0.0);
  var acc10_12 = vec3<f32>(0.0);
  var acc10_13 = vec3<f32>(0.0);
  var acc10_14 = vec3<f32>(0.0);
  var acc10_15 = vec3<f32>(0.0);
  var acc11_0 = vec3<f32>(0.0);
  var acc11_1 = vec3<f32>(0.0);
  var acc11_2 = vec3<f32>(0.0);
  var acc11_3 = vec3<f32>(0.0);
  var acc11_4 = vec3<f32>(0.0);
  var acc11_5 = vec3<f32>(0.0);
  var acc11_6 = vec3<f32>(0.0);
  var acc11_7 = vec3<f32>(0.0);
  var acc11_8 = vec3<f32>(0.0);
  var acc11_9 = vec3<f32>(0.0);
  var acc11_10 = vec3<f32>(0.0);
  var acc11_11 = vec3<f32>(0.0);
  var acc11_12 = vec3<f32>(0.0);
  var acc11_13 = vec3<f32>(0.0);
  var acc11_14 = vec3<f32>(0.0);
  var acc11_15 = vec3<f32>(0.0);
  var acc12_0 = vec3<f32>(0.0);
  var acc12_1 = vec3<f32>(0.0);
  var acc12_2 = vec3<f32>(0.0);
  var acc12_3 = vec3<f32>(0.0);
  var acc12_4 = vec3<f32>(0.0);
  var acc12_5 = vec3<f32>(0.0);
  var acc12_6 = vec3<f32>(0.0);
  var acc12_7 = vec3<f32>(0.0);
  var acc12_8 = vec3<f32>(0.0);
  var acc12_9 = vec3<f32>(0.0);
  var acc12_10 = vec3<f32>(0.0);
  var acc12_11 = vec3<f32>(0.0);
  var acc12_12 = vec3<f32>(0.0);
  var acc12_13 = vec3<f32>(0.0);
  var acc12_14 = vec3<f32>(0.0);
  var acc12_15 = vec3<f32>(0.0);
  var acc13_0 = vec3<f32>(0.0);
  var acc13_1 = vec3<f32>(0.0);
  var acc13_2 = vec3<f32>(0.0);
  var acc13_3 = vec3<f32>(0.0);
  var acc13_4 = vec3<f32>(0.0);
  var acc13_5 = vec3<f32>(0.0);
  var acc13_6 = vec3<f32>(0.0);
  var acc13_7 = vec3<f32>(0.0);
  var acc13_8 = vec3<f32>(0.0);
  var acc13_9 = vec3<f32>(0.0);
  var acc13_10 = vec3<f32>(0.0);
  var acc13_11 = vec3<f32>(0.0);
  var acc13_12 = vec3<f32>(0.0);
  var acc13_13 = vec3<f32>(0.0);
  var acc13_14 = vec3<f32>(0.0);
  var acc13_15 = vec3<f32>(0.0);
  var acc14_0 = vec3<f32>(0.0);
  var acc14_1 = vec3<f32>(0.0);
  var acc14_2 = vec3<f32>(0.0);
  var acc14_3 = vec3<f32>(0.0);
  var acc14_4 = vec3<f32>(0.0);
  var acc14_5 = vec3<f32>(0.0);
  var acc14_6 = vec3<f32>(0.0);
  var acc14_7 = vec3<f32>(0.0);
  var acc14_8 = vec3<f32>(0.0);
  var acc14_9 = vec3<f32>(0.0);
  var acc14_10 = vec3<f32>(0.0);
  var acc14_11 = vec3<f32>(0.0);
  var acc14_12 = vec3<f32>(0.0);
  var acc14_13 = vec3<f32>(0.0);
  var acc14_14 = vec3<f32>(0.0);
  var acc14_15 = vec3<f32>(0.0);
  var acc15_0 = vec3<f32>(0.0);
  var acc15_1 = vec3<f32>(0.0);
  var acc15_2 = vec3<f32>(0.0);
  var acc15_3 = vec3<f32>(0.0);
  var acc15_4 = vec3<f32>(0.0);
  var acc15_5 = vec3<f32>(0.0);
  var acc15_6 = vec3<f32>(0.0);
  var acc15_7 = vec3<f32>(0.0);
  var acc15_8 = vec3<f32>(0.0);
  var acc15_9 = vec3<f32>(0.0);
  var acc15_10 = vec3<f32>(0.0);
  var acc15_11 = vec3<f32>(0.0);
  var acc15_12 = vec3<f32>(0.0);
  var acc15_13 = vec3<f32>(0.0);
  var acc15_14 = vec3<f32>(0.0);
  var acc15_15 = vec3<f32>(0.0);
  var q = q_begin;
  while (q < q_end) {
    let n = q / p.Lout;
    let l0 = q - n * p.Lout;
    let l1 = min(p.Lout, l0 + (q_end - q));
    let xb = n * p.Cin * p.L;
    let gb = n * p.Cout * p.Lout;
    // Sliding window over positions l − pad + {0, 1, 2}: one new x per ci and step.
    let pa = i32(l0) - pad;
    let ma = select(0.0, 1.0, pa >= 0 && pa < lin);
    let mb = select(0.0, 1.0, pa + 1 >= 0 && pa + 1 < lin);
    let ia = xb + u32(clamp(pa, 0, lin - 1));
    let ib = xb + u32(clamp(pa + 1, 0, lin - 1));
    var xa0 = x[ia + xo0] * ma;
    var xb0 = x[ib + xo0] * mb;
    var xa1 = x[ia + xo1] * ma;
    var xb1 = x[ib + xo1] * mb;
    var xa2 = x[ia + xo2] * ma;
    var xb2 = x[ib + xo2] * mb;
    var xa3 = x[ia + xo3] * ma;
    var xb3 = x[ib + xo3] * mb;
    var xa4 = x[ia + xo4] * ma;
    var xb4 = x[ib + xo4] * mb;
    var xa5 = x[ia + xo5] * ma;
    var xb5 = x[ib + xo5] * mb;
    var xa6 = x[ia + xo6] * ma;
    var xb6 = x[ib + xo6] * mb;
    var xa7 = x[ia + xo7] * ma;
    var xb7 = x[ib + xo7] * mb;
    var xa8 = x[ia + xo8] * ma;
    var xb8 = x[ib + xo8] * mb;
    var xa9 = x[ia + xo9] * ma;
    var xb9 = x[ib + xo9] * mb;
    var xa10 = x[ia + xo10] * ma;
    var xb10 = x[ib + xo10] * mb;
    var xa11 = x[ia + xo11] * ma;
    var xb11 = x[ib + xo11] * mb;
    var xa12 = x[ia + xo12] * ma;
    var xb12 = x[ib + xo12] * mb;
    var xa13 = x[ia + xo13] * ma;
    var xb13 = x[ib + xo13] * mb;
    var xa14 = x[ia + xo14] * ma;
    var xb14 = x[ib + xo14] * mb;
    var xa15 = x[ia + xo15] * ma;
    var xb15 = x[ib + xo15] * mb;
    for (var l = l0; l < l1; l++) {
      let pc = i32(l) - pad + 2;
      let mc = select(0.0, 1.0, pc >= 0 && pc < lin);
      let ic = xb + u32(clamp(pc, 0, lin - 1));
      let xc0 = x[ic + xo0] * mc;
      let v0 = vec3<f32>(xa0, xb0, xc0);
      let xc1 = x[ic + xo1] * mc;
      let v1 = vec3<f32>(xa1, xb1, xc1);
      let xc2 = x[ic + xo2] * mc;
      let v2 = vec3<f32>(xa2, xb2, xc2);
      let xc3 = x[ic + xo3] * mc;
      let v3 = vec3<f32>(xa3, xb3, xc3);
      let xc4 = x[ic + xo4] * mc;
      let v4 = vec3<f32>(xa4, xb4, xc4);
      let xc5 = x[ic + xo5] * mc;
      let v5 = vec3<f32>(xa5, xb5, xc5);
      let xc6 = x[ic + xo6] * mc;
      let v6 = vec3<f32>(xa6, xb6, xc6);
      let xc7 = x[ic + xo7] * mc;
      let v7 = vec3<f32>(xa7, xb7, xc7);
      let xc8 = x[ic + xo8] * mc;
      let v8 = vec3<f32>(xa8, xb8, xc8);
      let xc9 = x[ic + xo9] * mc;
      let v9 = vec3<f32>(xa9, xb9, xc9);
      let xc10 = x[ic + xo10] * mc;
      let v10 = vec3<f32>(xa10, xb10, xc10);
      let xc11 = x[ic + xo11] * mc;
      let v11 = vec3<f32>(xa11, xb11, xc11);
      let xc12 = x[ic + xo12] * mc;
      let v12 = vec3<f32>(xa12, xb12, xc12);
      let xc13 = x[ic + xo13] * mc;
      let v13 = vec3<f32>(xa13, xb13, xc13);
      let xc14 = x[ic + xo14] * mc;
      let v14 = vec3<f32>(xa14, xb14, xc14);
      let xc15 = x[ic + xo15] * mc;
      let v15 = vec3<f32>(xa15, xb15, xc15);
      let g0 = vec3<f32>(gy[gb + go0 + l]);
      acc0_0 = fma(g0, v0, acc0_0); acc0_1 = fma(g0, v1, acc0_1); acc0_2 = fma(g0, v2, acc0_2); acc0_3 = fma(g0, v3, acc0_3); acc0_4 = fma(g0, v4, acc0_4); acc0_5 = fma(g0, v5, acc0_5); acc0_6 = fma(g0, v6, acc0_6); acc0_7 = fma(g0, v7, acc0_7); acc0_8 = fma(g0, v8, acc0_8); acc0_9 = fma(g0, v9, acc0_9); acc0_10 = fma(g0, v10, acc0_10); acc0_11 = fma(g0, v11, acc0_11); acc0_12 = fma(g0, v12, acc0_12); acc0_13 = fma(g0, v13, acc0_13); acc0_14 = fma(g0, v14, acc0_14); acc0_15 = fma(g0, v15, acc0_15);
      let g1 = vec3<f32>(gy[gb + go1 + l]);
      acc1_0 = fma(g1, v0, acc1_0); acc1_1 = fma(g1, v1, acc1_1); acc1_2 = fma(g1, v2, acc1_2); acc1_3 = fma(g1, v3, acc1_3); acc1_4 = fma(g1, v4, acc1_4); acc1_5 = fma(g1, v5, acc1_5); acc1_6 = fma(g1, v6, acc1_6); acc1_7 = fma(g1, v7, acc1_7); acc1_8 = fma(g1, v8, acc1_8); acc1_9 = fma(g1, v9, acc1_9); acc1_10 = fma(g1, v10, acc1_10); acc1_11 = fma(g1, v11, acc1_11); acc1_12 = fma(g1, v12, acc1_12); acc1_13 = fma(g1, v13, acc1_13); acc1_14 = fma(g1, v14, acc1_14); acc1_15 = fma(g1, v15, acc1_15);
      let g2 = vec3<f32>(gy[gb + go2 + l]);
      acc2_0 = fma(g2, v0, acc2_0); acc2_1 = fma(g2, v1, acc2_1); acc2_2 = fma(g2, v2, acc2_2); acc2_3 = fma(g2, v3, acc2_3); acc2_4 = fma(g2, v4, acc2_4); acc2_5 = fma(g2, v5, acc2_5); acc2_6 = fma(g2, v6, acc2_6); acc2_7 = fma(g2, v7, acc2_7); acc2_8 = fma(g2, v8, acc2_8); acc2_9 = fma(g2, v9, acc2_9); acc2_10 = fma(g2, v10, acc2_10); acc2_11 = fma(g2, v11, acc2_11); acc2_12 = fma(g2, v12, acc2_12); acc2_13 = fma(g2, v13, acc2_13); acc2_14 = fma(g2, v14, acc2_14); acc2_15 = fma(g2, v15, acc2_15);
      let g3 = vec3<f32>(gy[gb + go3 + l]);
      acc3_0 = fma(g3, v0, acc3_0); acc3_1 = fma(g3, v1, acc3_1); acc3_2 = fma(g3, v2, acc3_2); acc3_3 = fma(g3, v3, acc3_3); acc3_4 = fma(g3, v4, acc3_4); acc3_5 = fma(g3, v5, acc3_5); acc3_6 = fma(g3, v6, acc3_6); acc3_7 = fma(g3, v7, acc3_7); acc3_8 = fma(g3, v8, acc3_8); acc3_9 = fma(g3, v9, acc3_9); acc3_10 = fma(g3, v10, acc3_10); acc3_11 = fma(g3, v11, acc3_11); acc3_12 = fma(g3, v12, acc3_12); acc3_13 = fma(g3, v13, acc3_13); acc3_14 = fma(g3, v14, acc3_14); acc3_15 = fma(g3, v15, acc3_15);
      let g4 = vec3<f32>(gy[gb + go4 + l]);
      acc4_0 = fma(g4, v0, acc4_0); acc4_1 = fma(g4, v1, acc4_1); acc4_2 = fma(g4, v2, acc4_2); acc4_3 = fma(g4, v3, acc4_3); acc4_4 = fma(g4, v4, acc4_4); acc4_5 = fma(g4, v5, acc4_5); acc4_6 = fma(g4, v6, acc4_6); acc4_7 = fma(g4, v7, acc4_7); acc4_8 = fma(g4, v8, acc4_8); acc4_9 = fma(g4, v9, acc4_9); acc4_10 = fma(g4, v10, acc4_10); acc4_11 = fma(g4, v11, acc4_11); acc4_12 = fma(g4, v12, acc4_12); acc4_13 = fma(g4, v13, acc4_13); acc4_14 = fma(g4, v14, acc4_14); acc4_15 = fma(g4, v15, acc4_15);
      let g5 = vec3<f32>(gy[gb + go5 + l]);
      acc5_0 = fma(g5, v0, acc5_0); acc5_1 = fma(g5, v1, acc5_1); acc5_2 = fma(g5, v2, acc5_2); acc5_3 = fma(g5, v3, acc5_3); acc5_4 = fma(g5, v4, acc5_4); acc5_5 = fma(g5, v5, acc5_5); acc5_6 = fma(g5, v6, acc5_6); acc5_7 = fma(g5, v7, acc5_7); acc5_8 = fma(g5, v8, acc5_8); acc5_9 = fma(g5, v9, acc5_9); acc5_10 = fma(g5, v10, acc5_10); acc5_11 = fma(g5, v11, acc5_11); acc5_12 = fma(g5, v12, acc5_12); acc5_13 = fma(g5, v13, acc5_13); acc5_14 = fma(g5, v14, acc5_14); acc5_15 = fma(g5, v15, acc5_15);
      let g6 = vec3<f32>(gy[gb + go6 + l]);
      acc6_0 = fma(g6, v0, acc6_0); acc6_1 = fma(g6, v1, acc6_1); acc6_2 = fma(g6, v2, acc6_2); acc6_3 = fma(g6, v3, acc6_3); acc6_4 = fma(g6, v4, acc6_4); acc6_5 = fma(g6, v5, acc6_5); acc6_6 = fma(g6, v6, acc6_6); acc6_7 = fma(g6, v7, acc6_7); acc6_8 = fma(g6, v8, acc6_8); acc6_9 = fma(g6, v9, acc6_9); acc6_10 = fma(g6, v10, acc6_10); acc6_11 = fma(g6, v11, acc6_11); acc6_12 = fma(g6, v12, acc6_12); acc6_13 = fma(g6, v13, acc6_13); acc6_14 = fma(g6, v14, acc6_14); acc6_15 = fma(g6, v15, acc6_15);
      let g7 = vec3<f32>(gy[gb + go7 + l]);
      acc7_0 = fma(g7, v0, acc7_0); acc7_1 = fma(g7, v1, acc7_1); acc7_2 = fma(g7, v2, acc7_2); acc7_3 = fma(g7, v3, acc7_3); acc7_4 = fma(g7, v4, acc7_4); acc7_5 = fma(g7, v5, acc7_5); acc7_6 = fma(g7, v6, acc7_6); acc7_7 = fma(g7, v7, acc7_7); acc7_8 = fma(g7, v8, acc7_8); acc7_9 = fma(g7, v9, acc7_9); acc7_10 = fma(g7, v10, acc7_10); acc7_11 = fma(g7, v11, acc7_11); acc7_12 = fma(g7, v12, acc7_12); acc7_13 = fma(g7, v13, acc7_13); acc7_14 = fma(g7, v14, acc7_14); acc7_15 = fma(g7, v15, acc7_15);
      let g8 = vec3<f32>(gy[gb + go8 + l]);
      acc8_0 = fma(g8, v0, acc8_0); acc8_1 = fma(g8, v1, acc8_1); acc8_2 = fma(g8, v2, acc8_2); acc8_3 = fma(g8, v3, acc8_3); acc8_4 = fma(g8, v4, acc8_4); acc8_5 = fma(g8, v5, acc8_5); acc8_6 = fma(g8, v6, acc8_6); acc8_7 = fma(g8, v7, acc8_7); acc8_8 = fma(g8, v8, acc8_8); acc8_9 = fma(g8, v9, acc8_9); acc8_10 = fma(g8, v10, acc8_10); acc8_11 = fma(g8, v11, acc8_11); acc8_12 = fma(g8, v12, acc8_12); acc8_13 = fma(g8, v13, acc8_13); acc8_14 = fma(g8, v14, acc8_14); acc8_15 = fma(g8, v15, acc8_15);
      let g9 = vec3<f32>(gy[gb + go9 + l]);
      acc9_0 = fma(g9, v0, acc9_0); acc9_1 = fma(g9, v1, acc9_1); acc9_2 = fma(g9, v2, acc9_2); acc9_3 = fma(g9, v3, acc9_3); acc9_4 = fma(g9, v4, acc9_4); acc9_5 = fma(g9, v5, acc9_5); acc9_6 = fma(g9, v6, acc9_6); acc9_7 = fma(g9, v7, acc9_7); acc9_8 = fma(g9, v8, acc9_8); acc9_9 = fma(g9, v9, acc9_9); acc9_10 = fma(g9, v10, acc9_10); acc9_11 = fma(g9, v11, acc9_11); acc9_12 = fma(g9, v12, acc9_12); acc9_13 = fma(g9, v13, acc9_13); acc9_14 = fma(g9, v14, acc9_14); acc9_15 = fma(g9, v15, acc9_15);
      let g10 = vec3<f32>(gy[gb + go10 + l]);
      acc10_0 = fma(g10, v0, acc10_0); acc10_1 = fma(g10, v1, acc10_1); acc10_2 = fma(g10, v2, acc10_2); acc10_3 = fma(g10, v3, acc10_3); acc10_4 = fma(g10, v4, acc10_4); acc10_5 = fma(g10, v5, acc10_5); acc10_6 = fma(g10, v6, acc10_6); acc10_7 = fma(g10, v7, acc10_7); acc10_8 = fma(g10, v8, acc10_8); acc10_9 = fma(g10, v9, acc10_9); acc10_10 = fma(g10, v10, acc10_10); acc10_11 = fma(g10, v11, acc10_11); acc10_12 = fma(g10, v12, acc10_12); acc10_13 = fma(g10, v13, acc10_13); acc10_14 = fma(g10, v14, acc10_14); acc10_15 = fma(g10, v15, acc10_15);
      let g11 = vec3<f32>(gy[gb + go11 + l]);
      acc11_0 = fma(g11, v0, acc11_0); acc11_1 = fma(g11, v1, acc11_1); acc11_2 = fma(g11, v2, acc11_2); acc11_3 = fma(g11, v3, acc11_3); acc11_4 = fma(g11, v4, acc11_4); acc11_5 = fma(g11, v5, acc11_5); acc11_6 = fma(g11, v6, acc11_6); acc11_7 = fma(g11, v7, acc11_7); acc11_8 = fma(g11, v8, acc11_8); acc11_9 = fma(g11, v9, acc11_9); acc11_10 = fma(g11, v10, acc11_10); acc11_11 = fma(g11, v11, acc11_11); acc11_12 = fma(g11, v12, acc11_12); acc11_13 = fma(g11, v13, acc11_13); acc11_14 = fma(g11, v14, acc11_14); acc11_15 = fma(g11, v15, acc11_15);
      let g12 = vec3<f32>(gy[gb + go12 + l]);
      acc12_0 = fma(g12, v0, acc12_0); acc12_1 = fma(g12, v1, acc12_1); acc12_2 = fma(g12, v2, acc12_2); acc12_3 = fma(g12, v3, acc12_3); acc12_4 = fma(g12, v4, acc12_4); acc12_5 = fma(g12, v5, acc12_5); acc12_6 = fma(g12, v6, acc12_6); acc12_7 = fma(g12, v7, acc12_7); acc12_8 = fma(g12, v8, acc12_8); acc12_9 = fma(g12, v9, acc12_9); acc12_10 = fma(g12, v10, acc12_10); acc12_11 = fma(g12, v11, acc12_11); acc12_12 = fma(g12, v12, acc12_12); acc12_13 = fma(g12, v13, acc12_13); acc12_14 = fma(g12, v14, acc12_14); acc12_15 = fma(g12, v15, acc12_15);
      let g13 = vec3<f32>(gy[gb + go13 + l]);
      acc13_0 = fma(g13, v0, acc13_0); acc13_1 = fma(g13, v1, acc13_1); acc13_2 = fma(g13, v2, acc13_2); acc13_3 = fma(g13, v3, acc13_3); acc13_4 = fma(g13, v4, acc13_4); acc13_5 = fma(g13, v5, acc13_5); acc13_6 = fma(g13, v6, acc13_6); acc13_7 = fma(g13, v7, acc13_7); acc13_8 = fma(g13, v8, acc13_8); acc13_9 = fma(g13, v9, acc13_9); acc13_10 = fma(g13, v10, acc13_10); acc13_11 = fma(g13, v11, acc13_11); acc13_12 = fma(g13, v12, acc13_12); acc13_13 = fma(g13, v13, acc13_13); acc13_14 = fma(g13, v14, acc13_14); acc13_15 = fma(g13, v15, acc13_15);
      let g14 = vec3<f32>(gy[gb + go14 + l]);
      acc14_0 = fma(g14, v0, acc14_0); acc14_1 = fma(g14, v1, acc14_1); acc14_2 = fma(g14, v2, acc14_2); acc14_3 = fma(g14, v3, acc14_3); acc14_4 = fma(g14, v4, acc14_4); acc14_5 = fma(g14, v5, acc14_5); acc14_6 = fma(g14, v6, acc14_6); acc14_7 = fma(g14, v7, acc14_7); acc14_8 = fma(g14, v8, acc14_8); acc14_9 = fma(g14, v9, acc14_9); acc14_10 = fma(g14, v10, acc14_10); acc14_11 = fma(g14, v11, acc14_11); acc14_12 = fma(g14, v12, acc14_12); acc14_13 = fma(g14, v13, acc14_13); acc14_14 = fma(g14, v14, acc14_14); acc14_15 = fma(g14, v15, acc14_15);
      let g15 = vec3<f32>(gy[gb + go15 + l]);
      acc15_0 = fma(g15, v0, acc15_0); acc15_1 = fma(g15, v1, acc15_1); acc15_2 = fma(g15, v2, acc15_2); acc15_3 = fma(g15, v3, acc15_3); acc15_4 = fma(g15, v4, acc15_4); acc15_5 = fma(g15, v5, acc15_5); acc15_6 = fma(g15, v6, acc15_6); acc15_7 = fma(g15, v7, acc15_7); acc15_8 = fma(g15, v8, acc15_8); acc15_9 = fma(g15, v9, acc15_9); acc15_10 = fma(g15, v10, acc15_10); acc15_11 = fma(g15, v11, acc15_11); acc15_12 = fma(g15, v12, acc15_12); acc15_13 = fma(g15, v13, acc15_13); acc15_14 = fma(g15, v14, acc15_14); acc15_15 = fma(g15, v15, acc15_15);
      xa0 = xb0; xb0 = xc0; xa1 = xb1; xb1 = xc1; xa2 = xb2; xb2 = xc2; xa3 = xb3; xb3 = xc3; xa4 = xb4; xb4 = xc4; xa5 = xb5; xb5 = xc5; xa6 = xb6; xb6 = xc6; xa7 = xb7; xb7 = xc7; xa8 = xb8; xb8 = xc8; xa9 = xb9; xb9 = xc9; xa10 = xb10; xb10 = xc10; xa11 = xb11; xb11 = xc11; xa12 = xb12; xb12 = xc12; xa13 = xb13; xb13 = xc13; xa14 = xb14; xb14 = xc14; xa15 = xb15; xb15 = xc15;
    }
    q += l1 - l0;
  }
  if (cib_raw * 16u >= p.Cin) { return; }
  let R = p.Cin * 3u;
  store_gw3(split, co0 + 0u, ci0 + 0u, R, acc0_0);
  store_gw3(split, co0 + 0u, ci0 + 1u, R, acc0_1);
  store_gw3(split, co0 + 0u, ci0 + 2u, R, acc0_2);
  store_gw3(split, co0 + 0u, ci0 + 3u, R, acc0_3);
  store_gw3(split, co0 + 0u, ci0 + 4u, R, acc0_4);
  store_gw3(split, co0 + 0u, ci0 + 5u, R, acc0_5);
  store_gw3(split, co0 + 0u, ci0 + 6u, R, acc0_6);
  store_gw3(split, co0 + 0u, ci0 + 7u, R, acc0_7);
  store_gw3(split, co0 + 0u, ci0 + 8u, R, acc0_8);
  store_gw3(split, co0 + 0u, ci0 + 9u, R, acc0_9);
  store_gw3(split, co0 + 0u, ci0 + 10u, R, acc0_10);
  store_gw3(split, co0 + 0u, ci0 + 11u, R, acc0_11);
  store_gw3(split, co0 + 0u, ci0 + 12u, R, acc0_12);
  store_gw3(split, co0 + 0u, ci0 + 13u, R, acc0_13);
  store_gw3(split, co0 + 0u, ci0 + 14u, R, acc0_14);
  store_gw3(split, co0 + 0u, ci0 + 15u, R, acc0_15);
  store_gw3(split, co0 + 1u, ci0 + 0u, R, acc1_0);
  store_gw3(split, co0 + 1u, ci0 + 1u, R, acc1_1);
  store_gw3(split, co0 + 1u, ci0 + 2u, R, acc1_2);
  store_gw3(split, co0 + 1u, ci0 + 3u, R, acc1_3);
  store_gw3(split, co0 + 1u, ci0 + 4u, R, acc1_4);
  store_gw3(split, co0 + 1u, ci0 + 5u, R, acc1_5);
  store_gw3(split, co0 + 1u, ci0 + 6u, R, acc1_6);
  store_gw3(split, co0 + 1u, ci0 + 7u, R, acc1_7);
  store_gw3(split, co0 + 1u, ci0 + 8u, R, acc1_8);
  store_gw3(split, co0 + 1u, ci0 + 9u, R, acc1_9);
  store_gw3(split, co0 + 1u, ci0 + 10u, R, acc1_10);
  store_gw3(split, co0 + 1u, ci0 + 11u, R, acc1_11);
  store_gw3(split, co0 + 1u, ci0 + 12u, R, acc1_12);
  store_gw3(split, co0 + 1u, ci0 + 13u, R, acc1_13);
  store_gw3(split, co0 + 1u, ci0 + 14u, R, acc1_14);
  store_gw3(split, co0 + 1u, ci0 + 15u, R, acc1_15);
  store_gw3(split, co0 + 2u, ci0 + 0u, R, acc2_0);
  store_gw3(split, co0 + 2u, ci0 + 1u, R, acc2_1);
  store_gw3(split, co0 + 2u, ci0 + 2u, R, acc2_2);
  store_gw3(split, co0 + 2u, ci0 + 3u, R, acc2_3);
  store_gw3(split, co0 + 2u, ci0 + 4u, R, acc2_4);
  store_gw3(split, co0 + 2u, ci0 + 5u, R, acc2_5);
  store_gw3(split, co0 + 2u, ci0 + 6u, R, acc2_6);
  store_gw3(split, co0 + 2u, ci0 + 7u, R, acc2_7);
  store_gw3(split, co0 + 2u, ci0 + 8u, R, acc2_8);
  store_gw3(split, co0 + 2u, ci0 + 9u, R, acc2_9);
  store_gw3(split, co0 + 2u, ci0 + 10u, R, acc2_10);
  store_gw3(split, co0 + 2u, ci0 + 11u, R, acc2_11);
  store_gw3(split, co0 + 2u, ci0 + 12u, R, acc2_12);
  store_gw3(split, co0 + 2u, ci0 + 13u, R, acc2_13);
  store_gw3(split, co0 + 2u, ci0 + 14u, R, acc2_14);
  store_gw3(split, co0 + 2u, ci0 + 15u, R, acc2_15);
  store_gw3(split, co0 + 3u, ci0 + 0u, R, acc3_0);
  store_gw3(split, co0 + 3u, ci0 + 1u, R, acc3_1);
  store_gw3(split, co0 + 3u, ci0 + 2u, R, acc3_2);
  store_gw3(split, co0 + 3u, ci0 + 3u, R, acc3_3);
  store_gw3(split, co0 + 3u, ci0 + 4u, R, acc3_4);
  store_gw3(split, co0 + 3u, ci0 + 5u, R, acc3_5);
  store_gw3(split, co0 + 3u, ci0 + 6u, R, acc3_6);
  store_gw3(split, co0 + 3u, ci0 + 7u, R, acc3_7);
  store_gw3(split, co0 + 3u, ci0 + 8u, R, acc3_8);
  store_gw3(split, co0 + 3u, ci0 + 9u, R, acc3_9);
  store_gw3(split, co0 + 3u, ci0 + 10u, R, acc3_10);
  store_gw3(split, co0 + 3u, ci0 + 11u, R, acc3_11);
  store_gw3(split, co0 + 3u, ci0 + 12u, R, acc3_12);
  store_gw3(split, co0 + 3u, ci0 + 13u, R, acc3_13);
  store_gw3(split, co0 + 3u, ci0 + 14u, R, acc3_14);
  store_gw3(split, co0 + 3u, ci0 + 15u, R, acc3_15);
  store_gw3(split, co0 + 4u, ci0 + 0u, R, acc4_0);
  store_gw3(split, co0 + 4u, ci0 + 1u, R, acc4_1);
  store_gw3(split, co0 + 4u, ci0 + 2u, R, acc4_2);
  store_gw3(split, co0 + 4u, ci0 + 3u, R, acc4_3);
  store_gw3(split, co0 + 4u, ci0 + 4u, R, acc4_4);
  store_gw3(split, co0 + 4u, ci0 + 5u, R, acc4_5);
  store_gw3(split, co0 + 4u, ci0 + 6u, R, acc4_6);
  store_gw3(split, co0 + 4u, ci0 + 7u, R, acc4_7);
  store_gw3(split, co0 + 4u, ci0 + 8u, R, acc4_8);
  store_gw3(split, co0 + 4u, ci0 + 9u, R, acc4_9);
  store_gw3(split, co0 + 4u, ci0 + 10u, R, acc4_10);
  store_gw3(split, co0 + 4u, ci0 + 11u, R, acc4_11);
  store_gw3(split, co0 + 4u, ci0 + 12u, R, acc4_12);
  store_gw3(split, co0 + 4u, ci0 + 13u, R, acc4_13);
  store_gw3(split, co0 + 4u, ci0 + 14u, R, acc4_14);
  store_gw3(split, co0 + 4u, ci0 + 15u, R, acc4_15);
  store_gw3(split, co0 + 5u, ci0 + 0u, R, acc5_0);
  store_gw3(split, co0 + 5u, ci0 + 1u, R, acc5_1);
  store_gw3(split, co0 + 5u, ci0 + 2u, R, acc5_2);
  store_gw3(split, co0 + 5u, ci0 + 3u, R, acc5_3);
  store_gw3(split, co0 + 5u, ci0 + 4u, R, acc5_4);
  store_gw3(split, co0 + 5u, ci0 + 5u, R, acc5_5);
  store_gw3(split, co0 + 5u, ci0 + 6u, R, acc5_6);
  store_gw3(split, co0 + 5u, ci0 + 7u, R, acc5_7);
  store_gw3(split, co0 + 5u, ci0 + 8u, R, acc5_8);
  store_gw3(split, co0 + 5u, ci0 + 9u, R, acc5_9);
  store_gw3(split, co0 + 5u, ci0 + 10u, R, acc5_10);
  store_gw3(split, co0 + 5u, ci0 + 11u, R, acc5_11);
  store_gw3(split, co0 + 5u, ci0 + 12u, R, acc5_12);
  store_gw3(split, co0 + 5u, ci0 + 13u, R, acc5_13);
  store_gw3(split, co0 + 5u, ci0 + 14u, R, acc5_14);
  store_gw3(split, co0 + 5u, ci0 + 15u, R, acc5_15);
  store_gw3(split, co0 + 6u, ci0 + 0u, R, acc6_0);
  store_gw3(split, co0 + 6u, ci0 + 1u, R, acc6_1);
  store_gw3(split, co0 + 6u, ci0 + 2u, R, acc6_2);
  store_gw3(split, co0 + 6u, ci0 + 3u, R, acc6_3);
  store_gw3(split, co0 + 6u, ci0 + 4u, R, acc6_4);
  store_gw3(split, co0 + 6u, ci0 + 5u, R, acc6_5);
  store_gw3(split, co0 + 6u, ci0 + 6u, R, acc6_6);
  store_gw3(split, co0 + 6u, ci0 + 7u, R, acc6_7);
  store_gw3(split, co0 + 6u, ci0 + 8u, R, acc6_8);
  store_gw3(split, co0 + 6u, ci0 + 9u, R, acc6_9);
  store_gw3(split, co0 + 6u, ci0 + 10u, R, acc6_10);
  store_gw3(split, co0 + 6u, ci0 + 11u, R, acc6_11);
  store_gw3(split, co0 + 6u, ci0 + 12u, R, acc6_12);
  store_gw3(split, co0 + 6u, ci0 + 13u, R, acc6_13);
  store_gw3(split, co0 + 6u, ci0 + 14u, R, acc6_14);
  store_gw3(split, co0 + 6u, ci0 + 15u, R, acc6_15);
  store_gw3(split, co0 + 7u, ci0 + 0u, R, acc7_0);
  store_gw3(split, co0 + 7u, ci0 + 1u, R, acc7_1);
  store_gw3(split, co0 + 7u, ci0 + 2u, R, acc7_2);
  store_gw3(split, co0 + 7u, ci0 + 3u, R, acc7_3);
  store_gw3(split, co0 + 7u, ci0 + 4u, R, acc7_4);
  store_gw3(split, co0 + 7u, ci0 + 5u, R, acc7_5);
  store_gw3(split, co0 + 7u, ci0 + 6u, R, acc7_6);
  store_gw3(split, co0 + 7u, ci0 + 7u, R, acc7_7);
  store_gw3(split, co0 + 7u, ci0 + 8u, R, acc7_8);
  store_gw3(split, co0 + 7u, ci0 + 9u, R, acc7_9);
  store_gw3(split, co0 + 7u, ci0 + 10u, R, acc7_10);
  store_gw3(split, co0 + 7u, ci0 + 11u, R, acc7_11);
  store_gw3(split, co0 + 7u, ci0 + 12u, R, acc7_12);
  store_gw3(split, co0 + 7u, ci0 + 13u, R, acc7_13);
  store_gw3(split, co0 + 7u, ci0 + 14u, R, acc7_14);
  store_gw3(split, co0 + 7u, ci0 + 15u, R, acc7_15);
  store_gw3(split, co0 + 8u, ci0 + 0u, R, acc8_0);
  store_gw3(split, co0 + 8u, ci0 + 1u, R, acc8_1);
  store_gw3(split, co0 + 8u, ci0 + 2u, R, acc8_2);
  store_gw3(split, co0 + 8u, ci0 + 3u, R, acc8_3);
  store_gw3(split, co0 + 8u, ci0 + 4u, R, acc8_4);
  store_gw3(split, co0 + 8u, ci0 + 5u, R, acc8_5);
  store_gw3(split, co0 + 8u, ci0 + 6u, R, acc8_6);
  store_gw3(split, co0 + 8u, ci0 + 7u, R, acc8_7);
  store_gw3(split, co0 + 8u, ci0 + 8u, R, acc8_8);
  store_gw3(split, co0 + 8u, ci0 + 9u, R, acc8_9);
  store_gw3(split, co0 + 8u, ci0 + 10u, R, acc8_10);
  store_gw3(split, co0 + 8u, ci0 + 11u, R, acc8_11);
  store_gw3(split, co0 + 8u, ci0 + 12u, R, acc8_12);
  store_gw3(split, co0 + 8u, ci0 + 13u, R, acc8_13);
  store_gw3(split, co0 + 8u, ci0 + 14u, R, acc8_14);
  store_gw3(split, co0 + 8u, ci0 + 15u, R, acc8_15);
  store_gw3(split, co0 + 9u, ci0 + 0u, R, acc9_0);
  store_gw3(split, co0 + 9u, ci0 + 1u, R, acc9_1);
  store_gw3(split, co0 + 9u, ci0 + 2u, R, acc9_2);
  store_gw3(split, co0 + 9u, ci0 + 3u, R, acc9_3);
  store_gw3(split, co0 + 9u, ci0 + 4u, R, acc9_4);
  store_gw3(split, co0 + 9u, ci0 + 5u, R, acc9_5);
  store_gw3(split, co0 + 9u, ci0 + 6u, R, acc9_6);
  store_gw3(split, co0 + 9u, ci0 + 7u, R, acc9_7);
  store_gw3(split, co0 + 9u, ci0 + 8u, R, acc9_8);
  store_gw3(split, co0 + 9u, ci0 + 9u, R, acc9_9);
  store_gw3(split, co0 + 9u, ci0 + 10u, R, acc9_10);
  store_gw3(split, co0 + 9u, ci0 + 11u, R, acc9_11);
  store_gw3(split, co0 + 9u, ci0 + 12u, R, acc9_12);
  store_gw3(split, co0 + 9u, ci0 + 13u, R, acc9_13);
  store_gw3(split, co0 + 9u, ci0 + 14u, R, acc9_14);
  store_gw3(split, co0 + 9u, ci0 + 15u, R, acc9_15);
  store_gw3(split, co0 + 10u, ci0 + 0u, R, acc10_0);
  store_gw3(split, co0 + 10u, ci0 + 1u, R, acc10_1);
  store_gw3(split, co0 + 10u, ci0 + 2u, R, acc10_2);
  store_gw3(split, co0 + 10u, ci0 + 3u, R, acc10_3);
  store_gw3(split, co0 + 10u, ci0 + 4u, R, acc10_4);
  store_gw3(split, co0 + 10u, ci0 + 5u, R, acc10_5);
  store_gw3(split, co0 + 10u, ci0 + 6u, R, acc10_6);
  store_gw3(split, co0 + 10u, ci0 + 7u, R, acc10_7);
  store_gw3(split, co0 + 10u, ci0 + 8u, R, acc10_8);
  store_gw3(split, co0 + 10u, ci0 + 9u, R, acc10_9);
  store_gw3(split, co0 + 10u, ci0 + 10u, R, acc10_10);
  store_gw3(split, co0 + 10u, ci0 + 11u, R, acc10_11);
  store_gw3(split, co0 + 10u, ci0 + 12u, R, acc10_12);
  store_gw3(split, co0 + 10u, ci0 + 13u, R, acc10_13);
  store_gw3(split, co0 + 10u, ci0 + 14u, R, acc10_14);
  store_gw3(split, co0 + 10u, ci0 + 15u, R, acc10_15);
  store_gw3(split, co0 + 11u, ci0 + 0u, R, acc11_0);
  store_gw3(split, co0 + 11u, ci0 + 1u, R, acc11_1);
  store_gw3(split, co0 + 11u, ci0 + 2u, R, acc11_2);
  store_gw3(split, co0 + 11u, ci0 + 3u, R, acc11_3);
  store_gw3(split, co0 + 11u, ci0 + 4u, R, acc11_4);
  store_gw3(split, co0 + 11u, ci0 + 5u, R, acc11_5);
  store_gw3(split, co0 + 11u, ci0 + 6u, R, acc11_6);
  store_gw3(split, co0 + 11u, ci0 + 7u, R, acc11_7);
  store_gw3(split, co0 + 11u, ci0 + 8u, R, acc11_8);
  store_gw3(split, co0 + 11u, ci0 + 9u, R, acc11_9);
  store_gw3(split, co0 + 11u, ci0 + 10u, R, acc11_10);
  store_gw3(split, co0 + 11u, ci0 + 11u, R, acc11_11);
  store_gw3(split, co0 + 11u, ci0 + 12u, R, acc11_12);
  store_gw3(split, co0 + 11u, ci0 + 13u, R, acc11_13);
  store_gw3(split, co0 + 11u, ci0 + 14u, R, acc11_14);
  store_gw3(split, co0 + 11u, ci0 + 15u, R, acc11_15);
  store_gw3(split, co0 + 12u, ci0 + 0u, R, acc12_0);
  store_gw3(split, co0 + 12u, ci0 + 1u, R, acc12_1);
  store_gw3(split, co0 + 12u, ci0 + 2u, R, acc12_2);
  store_gw3(split, co0 + 12u, ci0 + 3u, R, acc12_3);
  store_gw3(split, co0 + 12u, ci0 + 4u, R, acc12_4);
  store_gw3(split, co0 + 12u, ci0 + 5u, R, acc12_5);
  store_gw3(split, co0 + 12u, ci0 + 6u, R, acc12_6);
  store_gw3(split, co0 + 12u, ci0 + 7u, R, acc12_7);
  store_gw3(split, co0 + 12u, ci0 + 8u, R, acc12_8);
  store_gw3(split, co0 + 12u, ci0 + 9u, R, acc12_9);
  store_gw3(split, co0 + 12u, ci0 + 10u, R, acc12_10);
  store_gw3(split, co0 + 12u, ci0 + 11u, R, acc12_11);
  store_gw3(split, co0 + 12u, ci0 + 12u, R, acc12_12);
  store_gw3(split, co0 + 12u, ci0 + 13u, R, acc12_13);
  store_gw3(split, co0 + 12u, ci0 + 14u, R, acc12_14);
  store_gw3(split, co0 + 12u, ci0 + 15u, R, acc12_15);
  store_gw3(split, co0 + 13u, ci0 + 0u, R, acc13_0);
  store_gw3(split, co0 + 13u, ci0 + 1u, R, acc13_1);
  store_gw3(split, co0 + 13u, ci0 + 2u, R, acc13_2);
  store_gw3(split, co0 + 13u, ci0 + 3u, R, acc13_3);
  store_gw3(split, co0 + 13u, ci0 + 4u, R, acc13_4);
  store_gw3(split, co0 + 13u, ci0 + 5u, R, acc13_5);
  store_gw3(split, co0 + 13u, ci0 + 6u, R, acc13_6);
  store_gw3(split, co0 + 13u, ci0 + 7u, R, acc13_7);
  store_gw3(split, co0 + 13u, ci0 + 8u, R, acc13_8);
  store_gw3(split, co0 + 13u, ci0 + 9u, R, acc13_9);
  store_gw3(split, co0 + 13u, ci0 + 10u, R, acc13_10);
  store_gw3(split, co0 + 13u, ci0 + 11u, R, acc13_11);
  store_gw3(split, co0 + 13u, ci0 + 12u, R, acc13_12);
  store_gw3(split, co0 + 13u, ci0 + 13u, R, acc13_13);
  store_gw3(split, co0 + 13u, ci0 + 14u, R, acc13_14);
  store_gw3(split, co0 + 13u, ci0 + 15u, R, acc13_15);
  store_gw3(split, co0 + 14u, ci0 + 0u, R, acc14_0);
  store_gw3(split, co0 + 14u, ci0 + 1u, R, acc14_1);
  store_gw3(split, co0 + 14u, ci0 + 2u, R, acc14_2);
  store_gw3(split, co0 + 14u, ci0 + 3u, R, acc14_3);
  store_gw3(split, co0 + 14u, ci0 + 4u, R, acc14_4);
  store_gw3(split, co0 + 14u, ci0 + 5u, R, acc14_5);
  store_gw3(split, co0 + 14u, ci0 + 6u, R, acc14_6);
  store_gw3(split, co0 + 14u, ci0 + 7u, R, acc14_7);
  store_gw3(split, co0 + 14u, ci0 + 8u, R, acc14_8);
  store_gw3(split, co0 + 14u, ci0 + 9u, R, acc14_9);
  store_gw3(split, co0 + 14u, ci0 + 10u, R, acc14_10);
  store_gw3(split, co0 + 14u, ci0 + 11u, R, acc14_11);
  store_gw3(split, co0 + 14u, ci0 + 12u, R, acc14_12);
  store_gw3(split, co0 + 14u, ci0 + 13u, R, acc14_13);
  store_gw3(split, co0 + 14u, ci0 + 14u, R, acc14_14);
  store_gw3(split, co0 + 14u, ci0 + 15u, R, acc14_15);
  store_gw3(split, co0 + 15u, ci0 + 0u, R, acc15_0);
  store_gw3(split, co0 + 15u, ci0 + 1u, R, acc15_1);
  store_gw3(split, co0 + 15u, ci0 + 2u, R, acc15_2);
  store_gw3(split, co0 + 15u, ci0 + 3u, R, acc15_3);
  store_gw3(split, co0 + 15u, ci0 + 4u, R, acc15_4);
  store_gw3(split, co0 + 15u, ci0 + 5u, R, acc15_5);
  store_gw3(split, co0 + 15u, ci0 + 6u, R, acc15_6);
  store_gw3(split, co0 + 15u, ci0 + 7u, R, acc15_7);
  store_gw3(split, co0 + 15u, ci0 + 8u, R, acc15_8);
  store_gw3(split, co0 + 15u, ci0 + 9u, R, acc15_9);
  store_gw3(split, co0 + 15u, ci0 + 10u, R, acc15_10);
  store_gw3(split, co0 + 15u, ci0 + 11u, R, acc15_11);
  store_gw3(split, co0 + 15u, ci0 + 12u, R, acc15_12);
  store_gw3(split, co0 + 15u, ci0 + 13u, R, acc15_13);
  store_gw3(split, co0 + 15u, ci0 + 14u, R, acc15_14);
  store_gw3(split, co0 + 15u, ci0 + 15u, R, acc15_15);
}

// grad_weight_k3s1_ci8: 16 co (workgroup-uniform) × 8 ci (per lane) × 3 taps per invocation.
@compute @workgroup_size(WG_X)
fn grad_weight_k3s1_ci8(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let split = wid.x / p.tiles_n;
  let cib_raw = (wid.x - split * p.tiles_n) * WG_X + lid.x;
  let ci0 = cib_raw * 8u;
  let co0 = wid.y * 16u;
  let last_ci = p.Cin - 1u;
  let last_co = p.Cout - 1u;
  let Q = p.N * p.Lout;
  let q_begin = split * p.chunk;
  let q_end = min(q_begin + p.chunk, Q);
  let lin = i32(p.L);
  let pad = i32(p.padding);
  let xo0 = min(ci0 + 0u, last_ci) * p.L;
  let xo1 = min(ci0 + 1u, last_ci) * p.L;
  let xo2 = min(ci0 + 2u, last_ci) * p.L;
  let xo3 = min(ci0 + 3u, last_ci) * p.L;
  let xo4 = min(ci0 + 4u, last_ci) * p.L;
  let xo5 = min(ci0 + 5u, last_ci) * p.L;
  let xo6 = min(ci0 + 6u, last_ci) * p.L;
  let xo7 = min(ci0 + 7u, last_ci) * p.L;
  let go0 = min(co0 + 0u, last_co) * p.Lout;
  let go1 = min(co0 + 1u, last_co) * p.Lout;
  let go2 = min(co0 + 2u, last_co) * p.Lout;
  let go3 = min(co0 + 3u, last_co) * p.Lout;
  let go4 = min(co0 + 4u, last_co) * p.Lout;
  let go5 = min(co0 + 5u, last_co) * p.Lout;
  let go6 = min(co0 + 6u, last_co) * p.Lout;
  let go7 = min(co0 + 7u, last_co) * p.Lout;
  let go8 = min(co0 + 8u, last_co) * p.Lout;
  let go9 = min(co0 + 9u, last_co) * p.Lout;
  let go10 = min(co0 + 10u, last_co) * p.Lout;
  let go11 = min(co0 + 11u, last_co) * p.Lout;
  let go12 = min(co0 + 12u, last_co) * p.Lout;
  let go13 = min(co0 + 13u, last_co) * p.Lout;
  let go14 = min(co0 + 14u, last_co) * p.Lout;
  let go15 = min(co0 + 15u, last_co) * p.Lout;
  var acc0_0 = vec3<f32>(0.0);
  var acc0_1 = vec3<f32>(0.0);
  var acc0_2 = vec3<f32>(0.0);
  var acc0_3 = vec3<f32>(0.0);
  var acc0_4 = vec3<f32>(0.0);
  var acc0_5 = vec3<f32>(0.0);
  var acc0_6 = vec3<f32>(0.0);
  var acc0_7 = vec3<f32>(0.0);
  var acc1_0 = vec3<f32>(0.0);
  var acc1_1 = vec3<f32>(0.0);
  var acc1_2 = vec3<f32>(0.0);
  var acc1_3 = vec3<f32>(0.0);
  var acc1_4 = vec3<f32>(0.0);
  var acc1_5 = vec3<f32>(0.0);
  var acc1_6 = vec3<f32>(0.0);
  var acc1_7 = vec3<f32>(0.0);
  var acc2_0 = vec3<f32>(0.0);
  var acc2_1 = vec3<f32>(0.0);
  var acc2_2 = vec3<f32>(0.0);
  var acc2_3 = vec3<f32>(0.0);
  var acc2_4 = vec3<f32>(0.0);
  var acc2_5 = vec3<f32>(0.0);
  var acc2_6 = vec3<f32>(0.0);
  var acc2_7 = vec3<f32>(0.0);
  var acc3_0 = vec3<f32>(0.0);
  var acc3_1 = vec3<f32>(0.0);
  var acc3_2 = vec3<f32>(0.0);
  var acc3_3 = vec3<f32>(0.0);
  var acc3_4 = vec3<f32>(0.0);
  var acc3_5 = vec3<f32>(0.0);
  var acc3_6 = vec3<f32>(0.0);
  var acc3_7 = vec3<f32>(0.0);
  var acc4_0 = vec3<f32>(0.0);
  var acc4_1 = vec3<f32>(0.0);
  var acc4_2 = vec3<f32>(0.0);
  var acc4_3 = vec3<f32>(0.0);
  var acc4_4 = vec3<f32>(0.0);
  var acc4_5 = vec3<f32>(0.0);
  var acc4_6 = vec3<f32>(0.0);
  var acc4_7 = vec3<f32>(0.0);
  var acc5_0 = vec3<f32>(0.0);
  var acc5_1 = vec3<f32>(0.0);
  var acc5_2 = vec3<f32>(0.0);
  var acc5_3 = vec3<f32>(0.0);
  var acc5_4 = vec3<f32>(0.0);
  var acc5_5 = vec3<f32>(0.0);
  var acc5_6 = vec3<f32>(0.0);
  var acc5_7 = vec3<f32>(0.0);
  var acc6_0 = vec3<f32>(0.0);
  var acc6_1 = vec3<f32>(0.0);
  var acc6_2 = vec3<f32>(0.0);
  var acc6_3 = vec3<f32>(0.0);
  var acc6_4 = vec3<f32>(0.0);
  var acc6_5 = vec3<f32>(0.0);
  var acc6_6 = vec3<f32>(0.0);
  var acc6_7 = vec3<f32>(0.0);
  var acc7_0 = vec3<f32>(0.0);
  var acc7_1 = vec3<f32>(0.0);
  var acc7_2 = vec3<f32>(0.0);
  var acc7_3 = vec3<f32>(0.0);
  var acc7_4 = vec3<f32>(0.0);
  var acc7_5 = vec3<f32>(0.0);
  var acc7_6 = vec3<f32>(0.0);
  var acc7_7 = vec3<f32>(0.0);
  var acc8_0 = vec3<f32>(0.0);
  var acc8_1 = vec3<f32>(0.0);
  var acc8_2 = vec3<f32>(0.0);
  var acc8_3 = vec3<f32>(0.0);
  var acc8_4 = vec3<f32>(0.0);
  var acc8_5 = vec3<f32>(0.0);
  var acc8_6 = vec3<f32>(0.0);
  var acc8_7 = vec3<f32>(0.0);
  var acc9_0 = vec3<f32>(0.0);
  var acc9_1 = vec3<f32>(0.0);
  var acc9_2 = vec3<f32>(0.0);
  var acc9_3 = vec3<f32>(0.0);
  var acc9_4 = vec3<f32>(0.0);
  var acc9_5 = vec3<f32>(0.0);
  var acc9_6 = vec3<f32>(0.0);
  var acc9_7 = vec3<f32>(0.0);
  var acc10_0 = vec3<f32>(0.0);
  var acc10_1 = vec3<f32>(0.0);
  var acc10_2 = vec3<f32>(0.0);
  var acc10_3 = vec3<f32>(0.0);
  var acc10_4 = vec3<f32>(0.0);
  var acc10_5 = vec3<f32>(0.0);
  var acc10_6 = vec3<f32>(0.0);
  var acc10_7 = vec3<f32>(0.0);
  var acc11_0 = vec3<f32>(0.0);
  var acc11_1 = vec3<f32>(0.0);
  var acc11_2 = vec3<f32>(0.0);
  var acc11_3 = vec3<f32>(0.0);
  var acc11_4 = vec3<f32>(0.0);
  var acc11_5 = vec3<f32>(0.0);
  var acc11_6 = vec3<f32>(0.0);
  var acc11_7 = vec3<f32>(0.0);
  var acc12_0 = vec3<f32>(0.0);
  var acc12_1 = vec3<f32>(0.0);
  var acc12_2 = vec3<f32>(0.0);
  var acc12_3 = vec3<f32>(0.0);
  var acc12_4 = vec3<f32>(0.0);
  var acc12_5 = vec3<f32>(0.0);
  var acc12_6 = vec3<f32>(0.0);
  var acc12_7 = vec3<f32>(0.0);
  var acc13_0 = vec3<f32>(0.0);
  var acc13_1 = vec3<f32>(0.0);
  var acc13_2 = vec3<f32>(0.0);
  var acc13_3 = vec3<f32>(0.0);
  var acc13_4 = vec3<f32>(0.0);
  var acc13_5 = vec3<f32>(0.0);
  var acc13_6 = vec3<f32>(0.0);
  var acc13_7 = vec3<f32>(0.0);
  var acc14_0 = vec3<f32>(0.0);
  var acc14_1 = vec3<f32>(0.0);
  var acc14_2 = vec3<f32>(0.0);
  var acc14_3 = vec3<f32>(0.0);
  var acc14_4 = vec3<f32>(0.0);
  var acc14_5 = vec3<f32>(0.0);
  var acc14_6 = vec3<f32>(0.0);
  var acc14_7 = vec3<f32>(0.0);
  var acc15_0 = vec3<f32>(0.0);
  var acc15_1 = vec3<f32>(0.0);
  var acc15_2 = vec3<f32>(0.0);
  var acc15_3 = vec3<f32>(0.0);
  var acc15_4 = vec3<f32>(0.0);
  var acc15_5 = vec3<f32>(0.0);
  var acc15_6 = vec3<f32>(0.0);
  var acc15_7 = vec3<f32>(0.0);
  var q = q_begin;
  while (q < q_end) {
    let n = q / p.Lout;
    let l0 = q - n * p.Lout;
    let l1 = min(p.Lout, l0 + (q_end - q));
    let xb = n * p.Cin * p.L;
    let gb = n * p.Cout * p.Lout;
    // Sliding window over positions l − pad + {0, 1, 2}: one new x per ci and step.
    let pa = i32(l0) - pad;
    let ma = select(0.0, 1.0, pa >= 0 && pa < lin);
    let mb = select(0.0, 1.0, pa + 1 >= 0 && pa + 1 < lin);
    let ia = xb + u32(clamp(pa, 0, lin - 1));
    let ib = xb + u32(clamp(pa + 1, 0, lin - 1));
    var xa0 = x[ia + xo0] * ma;
    var xb0 = x[ib + xo0] * mb;
    var xa1 = x[ia + xo1] * ma;
    var xb1 = x[ib + xo1] * mb;
    var xa2 = x[ia + xo2] * ma;
    var xb2 = x[ib + xo2] * mb;
    var xa3 = x[ia + xo3] * ma;
    var xb3 = x[ib + xo3] * mb;
    var xa4 = x[ia + xo4] * ma;
    var xb4 = x[ib + xo4] * mb;
    var xa5 = x[ia + xo5] * ma;
    var xb5 = x[ib + xo5] * mb;
    var xa6 = x[ia + xo6] * ma;
    var xb6 = x[ib + xo6] * mb;
    var xa7 = x[ia + xo7] * ma;
    var xb7 = x[ib + xo7] * mb;
    for (var l = l0; l < l1; l++) {
      let pc = i32(l) - pad + 2;
      let mc = select(0.0, 1.0, pc >= 0 && pc < lin);
      let ic = xb + u32(clamp(pc, 0, lin - 1));
      let xc0 = x[ic + xo0] * mc;
      let v0 = vec3<f32>(xa0, xb0, xc0);
      let xc1 = x[ic + xo1] * mc;
      let v1 = vec3<f32>(xa1, xb1, xc1);
      let xc2 = x[ic + xo2] * mc;
      let v2 = vec3<f32>(xa2, xb2, xc2);
      let xc3 = x[ic + xo3] * mc;
      let v3 = vec3<f32>(xa3, xb3, xc3);
      let xc4 = x[ic + xo4] * mc;
      let v4 = vec3<f32>(xa4, xb4, xc4);
      let xc5 = x[ic + xo5] * mc;
      let v5 = vec3<f32>(xa5, xb5, xc5);
      let xc6 = x[ic + xo6] * mc;
      let v6 = vec3<f32>(xa6, xb6, xc6);
      let xc7 = x[ic + xo7] * mc;
      let v7 = vec3<f32>(xa7, xb7, xc7);
      let g0 = vec3<f32>(gy[gb + go0 + l]);
      acc0_0 = fma(g0, v0, acc0_0); acc0_1 = fma(g0, v1, acc0_1); acc0_2 = fma(g0, v2, acc0_2); acc0_3 = fma(g0, v3, acc0_3); acc0_4 = fma(g0, v4, acc0_4); acc0_5 = fma(g0, v5, acc0_5); acc0_6 = fma(g0, v6, acc0_6); acc0_7 = fma(g0, v7, acc0_7);
      let g1 = vec3<f32>(gy[gb + go1 + l]);
      acc1_0 = fma(g1, v0, acc1_0); acc1_1 = fma(g1, v1, acc1_1); acc1_2 = fma(g1, v2, acc1_2); acc1_3 = fma(g1, v3, acc1_3); acc1_4 = fma(g1, v4, acc1_4); acc1_5 = fma(g1, v5, acc1_5); acc1_6 = fma(g1, v6, acc1_6); acc1_7 = fma(g1, v7, acc1_7);
      let g2 = vec3<f32>(gy[gb + go2 + l]);
      acc2_0 = fma(g2, v0, acc2_0); acc2_1 = fma(g2, v1, acc2_1); acc2_2 = fma(g2, v2, acc2_2); acc2_3 = fma(g2, v3, acc2_3); acc2_4 = fma(g2, v4, acc2_4); acc2_5 = fma(g2, v5, acc2_5); acc2_6 = fma(g2, v6, acc2_6); acc2_7 = fma(g2, v7, acc2_7);
      let g3 = vec3<f32>(gy[gb + go3 + l]);
      acc3_0 = fma(g3, v0, acc3_0); acc3_1 = fma(g3, v1, acc3_1); acc3_2 = fma(g3, v2, acc3_2); acc3_3 = fma(g3, v3, acc3_3); acc3_4 = fma(g3, v4, acc3_4); acc3_5 = fma(g3, v5, acc3_5); acc3_6 = fma(g3, v6, acc3_6); acc3_7 = fma(g3, v7, acc3_7);
      let g4 = vec3<f32>(gy[gb + go4 + l]);
      acc4_0 = fma(g4, v0, acc4_0); acc4_1 = fma(g4, v1, acc4_1); acc4_2 = fma(g4, v2, acc4_2); acc4_3 = fma(g4, v3, acc4_3); acc4_4 = fma(g4, v4, acc4_4); acc4_5 = fma(g4, v5, acc4_5); acc4_6 = fma(g4, v6, acc4_6); acc4_7 = fma(g4, v7, acc4_7);
      let g5 = vec3<f32>(gy[gb + go5 + l]);
      acc5_0 = fma(g5, v0, acc5_0); acc5_1 = fma(g5, v1, acc5_1); acc5_2 = fma(g5, v2, acc5_2); acc5_3 = fma(g5, v3, acc5_3); acc5_4 = fma(g5, v4, acc5_4); acc5_5 = fma(g5, v5, acc5_5); acc5_6 = fma(g5, v6, acc5_6); acc5_7 = fma(g5, v7, acc5_7);
      let g6 = vec3<f32>(gy[gb + go6 + l]);
      acc6_0 = fma(g6, v0, acc6_0); acc6_1 = fma(g6, v1, acc6_1); acc6_2 = fma(g6, v2, acc6_2); acc6_3 = fma(g6, v3, acc6_3); acc6_4 = fma(g6, v4, acc6_4); acc6_5 = fma(g6, v5, acc6_5); acc6_6 = fma(g6, v6, acc6_6); acc6_7 = fma(g6, v7, acc6_7);
      let g7 = vec3<f32>(gy[gb + go7 + l]);
      acc7_0 = fma(g7, v0, acc7_0); acc7_1 = fma(g7, v1, acc7_1); acc7_2 = fma(g7, v2, acc7_2); acc7_3 = fma(g7, v3, acc7_3); acc7_4 = fma(g7, v4, acc7_4); acc7_5 = fma(g7, v5, acc7_5); acc7_6 = fma(g7, v6, acc7_6); acc7_7 = fma(g7, v7, acc7_7);
      let g8 = vec3<f32>(gy[gb + go8 + l]);
      acc8_0 = fma(g8, v0, acc8_0); acc8_1 = fma(g8, v1, acc8_1); acc8_2 = fma(g8, v2, acc8_2); acc8_3 = fma(g8, v3, acc8_3); acc8_4 = fma(g8, v4, acc8_4); acc8_5 = fma(g8, v5, acc8_5); acc8_6 = fma(g8, v6, acc8_6); acc8_7 = fma(g8, v7, acc8_7);
      let g9 = vec3<f32>(gy[gb + go9 + l]);
      acc9_0 = fma(g9, v0, acc9_0); acc9_1 = fma(g9, v1, acc9_1); acc9_2 = fma(g9, v2, acc9_2); acc9_3 = fma(g9, v3, acc9_3); acc9_4 = fma(g9, v4, acc9_4); acc9_5 = fma(g9, v5, acc9_5); acc9_6 = fma(g9, v6, acc9_6); acc9_7 = fma(g9, v7, acc9_7);
      let g10 = vec3<f32>(gy[gb + go10 + l]);
      acc10_0 = fma(g10, v0, acc10_0); acc10_1 = fma(g10, v1, acc10_1); acc10_2 = fma(g10, v2, acc10_2); acc10_3 = fma(g10, v3, acc10_3); acc10_4 = fma(g10, v4, acc10_4); acc10_5 = fma(g10, v5, acc10_5); acc10_6 = fma(g10, v6, acc10_6); acc10_7 = fma(g10, v7, acc10_7);
      let g11 = vec3<f32>(gy[gb + go11 + l]);
      acc11_0 = fma(g11, v0, acc11_0); acc11_1 = fma(g11, v1, acc11_1); acc11_2 = fma(g11, v2, acc11_2); acc11_3 = fma(g11, v3, acc11_3); acc11_4 = fma(g11, v4, acc11_4); acc11_5 = fma(g11, v5, acc11_5); acc11_6 = fma(g11, v6, acc11_6); acc11_7 = fma(g11, v7, acc11_7);
      let g12 = vec3<f32>(gy[gb + go12 + l]);
      acc12_0 = fma(g12, v0, acc12_0); acc12_1 = fma(g12, v1, acc12_1); acc12_2 = fma(g12, v2, acc12_2); acc12_3 = fma(g12, v3, acc12_3); acc12_4 = fma(g12, v4, acc12_4); acc12_5 = fma(g12, v5, acc12_5); acc12_6 = fma(g12, v6, acc12_6); acc12_7 = fma(g12, v7, acc12_7);
      let g13 = vec3<f32>(gy[gb + go13 + l]);
      acc13_0 = fma(g13, v0, acc13_0); acc13_1 = fma(g13, v1, acc13_1); acc13_2 = fma(g13, v2, acc13_2); acc13_3 = fma(g13, v3, acc13_3); acc13_4 = fma(g13, v4, acc13_4); acc13_5 = fma(g13, v5, acc13_5); acc13_6 = fma(g13, v6, acc13_6); acc13_7 = fma(g13, v7, acc13_7);
      let g14 = vec3<f32>(gy[gb + go14 + l]);
      acc14_0 = fma(g14, v0, acc14_0); acc14_1 = fma(g14, v1, acc14_1); acc14_2 = fma(g14, v2, acc14_2); acc14_3 = fma(g14, v3, acc14_3); acc14_4 = fma(g14, v4, acc14_4); acc14_5 = fma(g14, v5, acc14_5); acc14_6 = fma(g14, v6, acc14_6); acc14_7 = fma(g14, v7, acc14_7);
      let g15 = vec3<f32>(gy[gb + go15 + l]);
      acc15_0 = fma(g15, v0, acc15_0); acc15_1 = fma(g15, v1, acc15_1); acc15_2 = fma(g15, v2, acc15_2); acc15_3 = fma(g15, v3, acc15_3); acc15_4 = fma(g15, v4, acc15_4); acc15_5 = fma(g15, v5, acc15_5); acc15_6 = fma(g15, v6, acc15_6); acc15_7 = fma(g15, v7, acc15_7);
      xa0 = xb0; xb0 = xc0; xa1 = xb1; xb1 = xc1; xa2 = xb2; xb2 = xc2; xa3 = xb3; xb3 = xc3; xa4 = xb4; xb4 = xc4; xa5 = xb5; xb5 = xc5; xa6 = xb6; xb6 = xc6; xa7 = xb7; xb7 = xc7;
    }
    q += l1 - l0;
  }
  if (cib_raw * 8u >= p.Cin) { return; }
  let R = p.Cin * 3u;
  store_gw3(split, co0 + 0u, ci0 + 0u, R, acc0_0);
  store_gw3(split, co0 + 0u, ci0 + 1u, R, acc0_1);
  store_gw3(split, co0 + 0u, ci0 + 2u, R, acc0_2);
  store_gw3(split, co0 + 0u, ci0 + 3u, R, acc0_3);
  store_gw3(split, co0 + 0u, ci0 + 4u, R, acc0_4);
  store_gw3(split, co0 + 0u, ci0 + 5u, R, acc0_5);
  store_gw3(split, co0 + 0u, ci0 + 6u, R, acc0_6);
  store_gw3(split, co0 + 0u, ci0 + 7u, R, acc0_7);
  store_gw3(split, co0 + 1u, ci0 + 0u, R, acc1_0);
  store_gw3(split, co0 + 1u, ci0 + 1u, R, acc1_1);
  store_gw3(split, co0 + 1u, ci0 + 2u, R, acc1_2);
  store_gw3(split, co0 + 1u, ci0 + 3u, R, acc1_3);
  store_gw3(split, co0 + 1u, ci0 + 4u, R, acc1_4);
  store_gw3(split, co0 + 1u, ci0 + 5u, R, acc1_5);
  store_gw3(split, co0 + 1u, ci0 + 6u, R, acc1_6);
  store_gw3(split, co0 + 1u, ci0 + 7u, R, acc1_7);
  store_gw3(split, co0 + 2u, ci0 + 0u, R, acc2_0);
  store_gw3(split, co0 + 2u, ci0 + 1u, R, acc2_1);
  store_gw3(split, co0 + 2u, ci0 + 2u, R, acc2_2);
  store_gw3(split, co0 + 2u, ci0 + 3u, R, acc2_3);
  store_gw3(split, co0 + 2u, ci0 + 4u, R, acc2_4);
  store_gw3(split, co0 + 2u, ci0 + 5u, R, acc2_5);
  store_gw3(split, co0 + 2u, ci0 + 6u, R, acc2_6);
  store_gw3(split, co0 + 2u, ci0 + 7u, R, acc2_7);
  store_gw3(split, co0 + 3u, ci0 + 0u, R, acc3_0);
  store_gw3(split, co0 + 3u, ci0 + 1u, R, acc3_1);
  store_gw3(split, co0 + 3u, ci0 + 2u, R, acc3_2);
  store_gw3(split, co0 + 3u, ci0 + 3u, R, acc3_3);
  store_gw3(split, co0 + 3u, ci0 + 4u, R, acc3_4);
  store_gw3(split, co0 + 3u, ci0 + 5u, R, acc3_5);
  store_gw3(split, co0 + 3u, ci0 + 6u, R, acc3_6);
  store_gw3(split, co0 + 3u, ci0 + 7u, R, acc3_7);
  store_gw3(split, co0 + 4u, ci0 + 0u, R, acc4_0);
  store_gw3(split, co0 + 4u, ci0 + 1u, R, acc4_1);
  store_gw3(split, co0 + 4u, ci0 + 2u, R, acc4_2);
  store_gw3(split, co0 + 4u, ci0 + 3u, R, acc4_3);
  store_gw3(split, co0 + 4u, ci0 + 4u, R, acc4_4);
  store_gw3(split, co0 + 4u, ci0 + 5u, R, acc4_5);
  store_gw3(split, co0 + 4u, ci0 + 6u, R, acc4_6);
  store_gw3(split, co0 + 4u, ci0 + 7u, R, acc4_7);
  store_gw3(split, co0 + 5u, ci0 + 0u, R, acc5_0);
  store_gw3(split, co0 + 5u, ci0 + 1u, R, acc5_1);
  store_gw3(split, co0 + 5u, ci0 + 2u, R, acc5_2);
  store_gw3(split, co0 + 5u, ci0 + 3u, R, acc5_3);
  store_gw3(split, co0 + 5u, ci0 + 4u, R, acc5_4);
  store_gw3(split, co0 + 5u, ci0 + 5u, R, acc5_5);
  store_gw3(split, co0 + 5u, ci0 + 6u, R, acc5_6);
  store_gw3(split, co0 + 5u, ci0 + 7u, R, acc5_7);
  store_gw3(split, co0 + 6u, ci0 + 0u, R, acc6_0);
  store_gw3(split, co0 + 6u, ci0 + 1u, R, acc6_1);
  store_gw3(split, co0 + 6u, ci0 + 2u, R, acc6_2);
  store_gw3(split, co0 + 6u, ci0 + 3u, R, acc6_3);
  store_gw3(split, co0 + 6u, ci0 + 4u, R, acc6_4);
  store_gw3(split, co0 + 6u, ci0 + 5u, R, acc6_5);
  store_gw3(split, co0 + 6u, ci0 + 6u, R, acc6_6);
  store_gw3(split, co0 + 6u, ci0 + 7u, R, acc6_7);
  store_gw3(split, co0 + 7u, ci0 + 0u, R, acc7_0);
  store_gw3(split, co0 + 7u, ci0 + 1u, R, acc7_1);
  store_gw3(split, co0 + 7u, ci0 + 2u, R, acc7_2);
  store_gw3(split, co0 + 7u, ci0 + 3u, R, acc7_3);
  store_gw3(split, co0 + 7u, ci0 + 4u, R, acc7_4);
  store_gw3(split, co0 + 7u, ci0 + 5u, R, acc7_5);
  store_gw3(split, co0 + 7u, ci0 + 6u, R, acc7_6);
  store_gw3(split, co0 + 7u, ci0 + 7u, R, acc7_7);
  store_gw3(split, co0 + 8u, ci0 + 0u, R, acc8_0);
  store_gw3(split, co0 + 8u, ci0 + 1u, R, acc8_1);
  store_gw3(split, co0 + 8u, ci0 + 2u, R, acc8_2);
  store_gw3(split, co0 + 8u, ci0 + 3u, R, acc8_3);
  store_gw3(split, co0 + 8u, ci0 + 4u, R, acc8_4);
  store_gw3(split, co0 + 8u, ci0 + 5u, R, acc8_5);
  store_gw3(split, co0 + 8u, ci0 + 6u, R, acc8_6);
  store_gw3(split, co0 + 8u, ci0 + 7u, R, acc8_7);
  store_gw3(split, co0 + 9u, ci0 + 0u, R, acc9_0);
  store_gw3(split, co0 + 9u, ci0 + 1u, R, acc9_1);
  store_gw3(split, co0 + 9u, ci0 + 2u, R, acc9_2);
  store_gw3(split, co0 + 9u, ci0 + 3u, R, acc9_3);
  store_gw3(split, co0 + 9u, ci0 + 4u, R, acc9_4);
  store_gw3(split, co0 + 9u, ci0 + 5u, R, acc9_5);
  store_gw3(split, co0 + 9u, ci0 + 6u, R, acc9_6);
  store_gw3(split, co0 + 9u, ci0 + 7u, R, acc9_7);
  store_gw3(split, co0 + 10u, ci0 + 0u, R, acc10_0);
  store_gw3(split, co0 + 10u, ci0 + 1u, R, acc10_1);
  store_gw3(split, co0 + 10u, ci0 + 2u, R, acc10_2);
  store_gw3(split, co0 + 10u, ci0 + 3u, R, acc10_3);
  store_gw3(split, co0 + 10u, ci0 + 4u, R, acc10_4);
  store_gw3(split, co0 + 10u, ci0 + 5u, R, acc10_5);
  store_gw3(split, co0 + 10u, ci0 + 6u, R, acc10_6);
  store_gw3(split, co0 + 10u, ci0 + 7u, R, acc10_7);
  store_gw3(split, co0 + 11u, ci0 + 0u, R, acc11_0);
  store_gw3(split, co0 + 11u, ci0 + 1u, R, acc11_1);
  store_gw3(split, co0 + 11u, ci0 + 2u, R, acc11_2);
  store_gw3(split, co0 + 11u, ci0 + 3u, R, acc11_3);
  store_gw3(split, co0 + 11u, ci0 + 4u, R, acc11_4);
  store_gw3(split, co0 + 11u, ci0 + 5u, R, acc11_5);
  store_gw3(split, co0 + 11u, ci0 + 6u, R, acc11_6);
  store_gw3(split, co0 + 11u, ci0 + 7u, R, acc11_7);
  store_gw3(split, co0 + 12u, ci0 + 0u, R, acc12_0);
  store_gw3(split, co0 + 12u, ci0 + 1u, R, acc12_1);
  store_gw3(split, co0 + 12u, ci0 + 2u, R, acc12_2);
  store_gw3(split, co0 + 12u, ci0 + 3u, R, acc12_3);
  store_gw3(split, co0 + 12u, ci0 + 4u, R, acc12_4);
  store_gw3(split, co0 + 12u, ci0 + 5u, R, acc12_5);
  store_gw3(split, co0 + 12u, ci0 + 6u, R, acc12_6);
  store_gw3(split, co0 + 12u, ci0 + 7u, R, acc12_7);
  store_gw3(split, co0 + 13u, ci0 + 0u, R, acc13_0);
  store_gw3(split, co0 + 13u, ci0 + 1u, R, acc13_1);
  store_gw3(split, co0 + 13u, ci0 + 2u, R, acc13_2);
  store_gw3(split, co0 + 13u, ci0 + 3u, R, acc13_3);
  store_gw3(split, co0 + 13u, ci0 + 4u, R, acc13_4);
  store_gw3(split, co0 + 13u, ci0 + 5u, R, acc13_5);
  store_gw3(split, co0 + 13u, ci0 + 6u, R, acc13_6);
  store_gw3(split, co0 + 13u, ci0 + 7u, R, acc13_7);
  store_gw3(split, co0 + 14u, ci0 + 0u, R, acc14_0);
  store_gw3(split, co0 + 14u, ci0 + 1u, R, acc14_1);
  store_gw3(split, co0 + 14u, ci0 + 2u, R, acc14_2);
  store_gw3(split, co0 + 14u, ci0 + 3u, R, acc14_3);
  store_gw3(split, co0 + 14u, ci0 + 4u, R, acc14_4);
  store_gw3(split, co0 + 14u, ci0 + 5u, R, acc14_5);
  store_gw3(split, co0 + 14u, ci0 + 6u, R, acc14_6);
  store_gw3(split, co0 + 14u, ci0 + 7u, R, acc14_7);
  store_gw3(split, co0 + 15u, ci0 + 0u, R, acc15_0);
  store_gw3(split, co0 + 15u, ci0 + 1u, R, acc15_1);
  store_gw3(split, co0 + 15u, ci0 + 2u, R, acc15_2);
  store_gw3(split, co0 + 15u, ci0 + 3u, R, acc15_3);
  store_gw3(split, co0 + 15u, ci0 + 4u, R, acc15_4);
  store_gw3(split, co0 + 15u, ci0 + 5u, R, acc15_5);
  store_gw3(split, co0 + 15u, ci0 + 6u, R, acc15_6);
  store_gw3(split, co0 + 15u, ci0 + 7u, R, acc15_7);
}

// grad_weight_k3s1_ci4: 16 co (workgroup-uniform) × 4 ci (per lane) × 3 taps per invocation.
@compute @workgroup_size(WG_X)
fn grad_weight_k3s1_ci4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let split = wid.x / p.tiles_n;
  let cib_raw = (wid.x - split * p.tiles_n) * WG_X + lid.x;
  let ci0 = cib_raw * 4u;
  let co0 = wid.y * 16u;
  let last_ci = p.Cin - 1u;
  let last_co = p.Cout - 1u;
  let Q = p.N * p.Lout;
  let q_begin = split * p.chunk;
  let q_end = min(q_begin + p.chunk, Q);
  let lin = i32(p.L);
  let pad = i32(p.padding);
  let xo0 = min(ci0 + 0u, last_ci) * p.L;
  let xo1 = min(ci0 + 1u, last_ci) * p.L;
  let xo2 = min(ci0 + 2u, last_ci) * p.L;
  let xo3 = min(ci0 + 3u, last_ci) * p.L;
  let go0 = min(co0 + 0u, last_co) * p.Lout;
  let go1 = min(co0 + 1u, last_co) * p.Lout;
  let go2 = min(co0 + 2u, last_co) * p.Lout;
  let go3 = min(co0 + 3u, last_co) * p.Lout;
  let go4 = min(co0 + 4u, last_co) * p.Lout;
  let go5 = min(co0 + 5u, last_co) * p.Lout;
  let go6 = min(co0 + 6u, last_co) * p.Lout;
  let go7 = min(co0 + 7u, last_co) * p.Lout;
  let go8 = min(co0 + 8u, last_co) * p.Lout;
  let go9 = min(co0 + 9u, last_co) * p.Lout;
  let go10 = min(co0 + 10u, last_co) * p.Lout;
  let go11 = min(co0 + 11u, last_co) * p.Lout;
  let go12 = min(co0 + 12u, last_co) * p.Lout;
  let go13 = min(co0 + 13u, last_co) * p.Lout;
  let go14 = min(co0 + 14u, last_co) * p.Lout;
  let go15 = min(co0 + 15u, last_co) * p.Lout;
  var acc0_0 = vec3<f32>(0.0);
  var acc0_1 = vec3<f32>(0.0);
  var acc0_2 = vec3<f32>(0.0);
  var acc0_3 = vec3<f32>(0.0);
  var acc1_0 = vec3<f32>(0.0);
  var acc1_1 = vec3<f32>(0.0);
  var acc1_2 = vec3<f32>(0.0);
  var acc1_3 = vec3<f32>(0.0);
  var acc2_0 = vec3<f32>(0.0);
  var acc2_1 = vec3<f32>(0.0);
  var acc2_2 = vec3<f32>(0.0);
  var acc2_3 = vec3<f32>(0.0);
  var acc3_0 = vec3<f32>(0.0);
  var acc3_1 = vec3<f32>(0.0);
  var acc3_2 = vec3<f32>(0.0);
  var acc3_3 = vec3<f32>(0.0);
  var acc4_0 = vec3<f32>(0.0);
  var acc4_1 = vec3<f32>(0.0);
  var acc4_2 = vec3<f32>(0.0);
  var acc4_3 = vec3<f32>(0.0);
  var acc5_0 = vec3<f32>(0.0);
  var acc5_1 = vec3<f32>(0.0);
  var acc5_2 = vec3<f32>(0.0);
  var acc5_3 = vec3<f32>(0.0);
  var acc6_0 = vec3<f32>(0.0);
  var acc6_1 = vec3<f32>(0.0);
  var acc6_2 = vec3<f32>(0.0);
  var acc6_3 = vec3<f32>(0.0);
  var acc7_0 = vec3<f32>(0.0);
  var acc7_1 = vec3<f32>(0.0);
  var acc7_2 = vec3<f32>(0.0);
  var acc7_3 = vec3<f32>(0.0);
  var acc8_0 = vec3<f32>(0.0);
  var acc8_1 = vec3<f32>(0.0);
  var acc8_2 = vec3<f32>(0.0);
  var acc8_3 = vec3<f32>(0.0);
  var acc9_0 = vec3<f32>(0.0);
  var acc9_1 = vec3<f32>(0.0);
  var acc9_2 = vec3<f32>(0.0);
  var acc9_3 = vec3<f32>(0.0);
  var acc10_0 = vec3<f32>(0.0);
  var acc10_1 = vec3<f32>(0.0);
  var acc10_2 = vec3<f32>(0.0);
  var acc10_3 = vec3<f32>(0.0);
  var acc11_0 = vec3<f32>(0.0);
  var acc11_1 = vec3<f32>(0.0);
  var acc11_2 = vec3<f32>(0.0);
  var acc11_3 = vec3<f32>(0.0);
  var acc12_0 = vec3<f32>(0.0);
  var acc12_1 = vec3<f32>(0.0);
  var acc12_2 = vec3<f32>(0.0);
  var acc12_3 = vec3<f32>(0.0);
  var acc13_0 = vec3<f32>(0.0);
  var acc13_1 = vec3<f32>(0.0);
  var acc13_2 = vec3<f32>(0.0);
  var acc13_3 = vec3<f32>(0.0);
  var acc14_0 = vec3<f32>(0.0);
  var acc14_1 = vec3<f32>(0.0);
  var acc14_2 = vec3<f32>(0.0);
  var acc14_3 = vec3<f32>(0.0);
  var acc15_0 = vec3<f32>(0.0);
  var acc15_1 = vec3<f32>(0.0);
  var acc15_2 = vec3<f32>(0.0);
  var acc15_3 = vec3<f32>(0.0);
  var q = q_begin;
  while (q < q_end) {
    let n = q / p.Lout;
    let l0 = q - n * p.Lout;
    let l1 = min(p.Lout, l0 + (q_end - q));
    let xb = n * p.Cin * p.L;
    let gb = n * p.Cout * p.Lout;
    // Sliding window over positions l − pad + {0, 1, 2}: one new x per ci and step.
    let pa = i32(l0) - pad;
    let ma = select(0.0, 1.0, pa >= 0 && pa < lin);
    let mb = select(0.0, 1.0, pa + 1 >= 0 && pa + 1 < lin);
    let ia = xb + u32(clamp(pa, 0, lin - 1));
    let ib = xb + u32(clamp(pa + 1, 0, lin - 1));
    var xa0 = x[ia + xo0] * ma;
    var xb0 = x[ib + xo0] * mb;
    var xa1 = x[ia + xo1] * ma;
    var xb1 = x[ib + xo1] * mb;
    var xa2 = x[ia + xo2] * ma;
    var xb2 = x[ib + xo2] * mb;
    var xa3 = x[ia + xo3] * ma;
    var xb3 = x[ib + xo3] * mb;
    for (var l = l0; l < l1; l++) {
      let pc = i32(l) - pad + 2;
      let mc = select(0.0, 1.0, pc >= 0 && pc < lin);
      let ic = xb + u32(clamp(pc, 0, lin - 1));
      let xc0 = x[ic + xo0] * mc;
      let v0 = vec3<f32>(xa0, xb0, xc0);
      let xc1 = x[ic + xo1] * mc;
      let v1 = vec3<f32>(xa1, xb1, xc1);
      let xc2 = x[ic + xo2] * mc;
      let v2 = vec3<f32>(xa2, xb2, xc2);
      let xc3 = x[ic + xo3] * mc;
      let v3 = vec3<f32>(xa3, xb3, xc3);
      let g0 = vec3<f32>(gy[gb + go0 + l]);
      acc0_0 = fma(g0, v0, acc0_0); acc0_1 = fma(g0, v1, acc0_1); acc0_2 = fma(g0, v2, acc0_2); acc0_3 = fma(g0, v3, acc0_3);
      let g1 = vec3<f32>(gy[gb + go1 + l]);
      acc1_0 = fma(g1, v0, acc1_0); acc1_1 = fma(g1, v1, acc1_1); acc1_2 = fma(g1, v2, acc1_2); acc1_3 = fma(g1, v3, acc1_3);
      let g2 = vec3<f32>(gy[gb + go2 + l]);
      acc2_0 = fma(g2, v0, acc2_0); acc2_1 = fma(g2, v1, acc2_1); acc2_2 = fma(g2, v2, acc2_2); acc2_3 = fma(g2, v3, acc2_3);
      let g3 = vec3<f32>(gy[gb + go3 + l]);
      acc3_0 = fma(g3, v0, acc3_0); acc3_1 = fma(g3, v1, acc3_1); acc3_2 = fma(g3, v2, acc3_2); acc3_3 = fma(g3, v3, acc3_3);
      let g4 = vec3<f32>(gy[gb + go4 + l]);
      acc4_0 = fma(g4, v0, acc4_0); acc4_1 = fma(g4, v1, acc4_1); acc4_2 = fma(g4, v2, acc4_2); acc4_3 = fma(g4, v3, acc4_3);
      let g5 = vec3<f32>(gy[gb + go5 + l]);
      acc5_0 = fma(g5, v0, acc5_0); acc5_1 = fma(g5, v1, acc5_1); acc5_2 = fma(g5, v2, acc5_2); acc5_3 = fma(g5, v3, acc5_3);
      let g6 = vec3<f32>(gy[gb + go6 + l]);
      acc6_0 = fma(g6, v0, acc6_0); acc6_1 = fma(g6, v1, acc6_1); acc6_2 = fma(g6, v2, acc6_2); acc6_3 = fma(g6, v3, acc6_3);
      let g7 = vec3<f32>(gy[gb + go7 + l]);
      acc7_0 = fma(g7, v0, acc7_0); acc7_1 = fma(g7, v1, acc7_1); acc7_2 = fma(g7, v2, acc7_2); acc7_3 = fma(g7, v3, acc7_3);
      let g8 = vec3<f32>(gy[gb + go8 + l]);
      acc8_0 = fma(g8, v0, acc8_0); acc8_1 = fma(g8, v1, acc8_1); acc8_2 = fma(g8, v2, acc8_2); acc8_3 = fma(g8, v3, acc8_3);
      let g9 = vec3<f32>(gy[gb + go9 + l]);
      acc9_0 = fma(g9, v0, acc9_0); acc9_1 = fma(g9, v1, acc9_1); acc9_2 = fma(g9, v2, acc9_2); acc9_3 = fma(g9, v3, acc9_3);
      let g10 = vec3<f32>(gy[gb + go10 + l]);
      acc10_0 = fma(g10, v0, acc10_0); acc10_1 = fma(g10, v1, acc10_1); acc10_2 = fma(g10, v2, acc10_2); acc10_3 = fma(g10, v3, acc10_3);
      let g11 = vec3<f32>(gy[gb + go11 + l]);
      acc11_0 = fma(g11, v0, acc11_0); acc11_1 = fma(g11, v1, acc11_1); acc11_2 = fma(g11, v2, acc11_2); acc11_3 = fma(g11, v3, acc11_3);
      let g12 = vec3<f32>(gy[gb + go12 + l]);
      acc12_0 = fma(g12, v0, acc12_0); acc12_1 = fma(g12, v1, acc12_1); acc12_2 = fma(g12, v2, acc12_2); acc12_3 = fma(g12, v3, acc12_3);
      let g13 = vec3<f32>(gy[gb + go13 + l]);
      acc13_0 = fma(g13, v0, acc13_0); acc13_1 = fma(g13, v1, acc13_1); acc13_2 = fma(g13, v2, acc13_2); acc13_3 = fma(g13, v3, acc13_3);
      let g14 = vec3<f32>(gy[gb + go14 + l]);
      acc14_0 = fma(g14, v0, acc14_0); acc14_1 = fma(g14, v1, acc14_1); acc14_2 = fma(g14, v2, acc14_2); acc14_3 = fma(g14, v3, acc14_3);
      let g15 = vec3<f32>(gy[gb + go15 + l]);
      acc15_0 = fma(g15, v0, acc15_0); acc15_1 = fma(g15, v1, acc15_1); acc15_2 = fma(g15, v2, acc15_2); acc15_3 = fma(g15, v3, acc15_3);
      xa0 = xb0; xb0 = xc0; xa1 = xb1; xb1 = xc1; xa2 = xb2; xb2 = xc2; xa3 = xb3; xb3 = xc3;
    }
    q += l1 - l0;
  }
  if (cib_raw * 4u >= p.Cin) { return; }
  let R = p.Cin * 3u;
  store_gw3(split, co0 + 0u, ci0 + 0u, R, acc0_0);
  store_gw3(split, co0 + 0u, ci0 + 1u, R, acc0_1);
  store_gw3(split, co0 + 0u, ci0 + 2u, R, acc0_2);
  store_gw3(split, co0 + 0u, ci0 + 3u, R, acc0_3);
  store_gw3(split, co0 + 1u, ci0 + 0u, R, acc1_0);
  store_gw3(split, co0 + 1u, ci0 + 1u, R, acc1_1);
  store_gw3(split, co0 + 1u, ci0 + 2u, R, acc1_2);
  store_gw3(split, co0 + 1u, ci0 + 3u, R, acc1_3);
  store_gw3(split, co0 + 2u, ci0 + 0u, R, acc2_0);
  store_gw3(split, co0 + 2u, ci0 + 1u, R, acc2_1);
  store_gw3(split, co0 + 2u, ci0 + 2u, R, acc2_2);
  store_gw3(split, co0 + 2u, ci0 + 3u, R, acc2_3);
  store_gw3(split, co0 + 3u, ci0 + 0u, R, acc3_0);
  store_gw3(split, co0 + 3u, ci0 + 1u, R, acc3_1);
  store_gw3(split, co0 + 3u, ci0 + 2u, R, acc3_2);
  store_gw3(split, co0 + 3u, ci0 + 3u, R, acc3_3);
  store_gw3(split, co0 + 4u, ci0 + 0u, R, acc4_0);
  store_gw3(split, co0 + 4u, ci0 + 1u, R, acc4_1);
  store_gw3(split, co0 + 4u, ci0 + 2u, R, acc4_2);
  store_gw3(split, co0 + 4u, ci0 + 3u, R, acc4_3);
  store_gw3(split, co0 + 5u, ci0 + 0u, R, acc5_0);
  store_gw3(split, co0 + 5u, ci0 + 1u, R, acc5_1);
  store_gw3(split, co0 + 5u, ci0 + 2u, R, acc5_2);
  store_gw3(split, co0 + 5u, ci0 + 3u, R, acc5_3);
  store_gw3(split, co0 + 6u, ci0 + 0u, R, acc6_0);
  store_gw3(split, co0 + 6u, ci0 + 1u, R, acc6_1);
  store_gw3(split, co0 + 6u, ci0 + 2u, R, acc6_2);
  store_gw3(split, co0 + 6u, ci0 + 3u, R, acc6_3);
  store_gw3(split, co0 + 7u, ci0 + 0u, R, acc7_0);
  store_gw3(split, co0 + 7u, ci0 + 1u, R, acc7_1);
  store_gw3(split, co0 + 7u, ci0 + 2u, R, acc7_2);
  store_gw3(split, co0 + 7u, ci0 + 3u, R, acc7_3);
  store_gw3(split, co0 + 8u, ci0 + 0u, R, acc8_0);
  store_gw3(split, co0 + 8u, ci0 + 1u, R, acc8_1);
  store_gw3(split, co0 + 8u, ci0 + 2u, R, acc8_2);
  store_gw3(split, co0 + 8u, ci0 + 3u, R, acc8_3);
  store_gw3(split, co0 + 9u, ci0 + 0u, R, acc9_0);
  store_gw3(split, co0 + 9u, ci0 + 1u, R, acc9_1);
  store_gw3(split, co0 + 9u, ci0 + 2u, R, acc9_2);
  store_gw3(split, co0 + 9u, ci0 + 3u, R, acc9_3);
  store_gw3(split, co0 + 10u, ci0 + 0u, R, acc10_0);
  store_gw3(split, co0 + 10u, ci0 + 1u, R, acc10_1);
  store_gw3(split, co0 + 10u, ci0 + 2u, R, acc10_2);
  store_gw3(split, co0 + 10u, ci0 + 3u, R, acc10_3);
  store_gw3(split, co0 + 11u, ci0 + 0u, R, acc11_0);
  store_gw3(split, co0 + 11u, ci0 + 1u, R, acc11_1);
  store_gw3(split, co0 + 11u, ci0 + 2u, R, acc11_2);
  store_gw3(split, co0 + 11u, ci0 + 3u, R, acc11_3);
  store_gw3(split, co0 + 12u, ci0 + 0u, R, acc12_0);
  store_gw3(split, co0 + 12u, ci0 + 1u, R, acc12_1);
  store_gw3(split, co0 + 12u, ci0 + 2u, R, acc12_2);
  store_gw3(split, co0 + 12u, ci0 + 3u, R, acc12_3);
  store_gw3(split, co0 + 13u, ci0 + 0u, R, acc13_0);
  store_gw3(split, co0 + 13u, ci0 + 1u, R, acc13_1);
  store_gw3(split, co0 + 13u, ci0 + 2u, R, acc13_2);
  store_gw3(split, co0 + 13u, ci0 + 3u, R, acc13_3);
  store_gw3(split, co0 + 14u, ci0 + 0u, R, acc14_0);
  store_gw3(split, co0 + 14u, ci0 + 1u, R, acc14_1);
  store_gw3(split, co0 + 14u, ci0 + 2u, R, acc14_2);
  store_gw3(split, co0 + 14u, ci0 + 3u, R, acc14_3);
  store_gw3(split, co0 + 15u, ci0 + 0u, R, acc15_0);
  store_gw3(split, co0 + 15u, ci0 + 1u, R, acc15_1);
  store_gw3(split, co0 + 15u, ci0 + 2u, R, acc15_2);
  store_gw3(split, co0 + 15u, ci0 + 3u, R, acc15_3);
}

// grad_weight_k3: 16 co × 1 ci × 3 taps per invocation, any stride and padding.
// Invocation i: co block (fastest), then ci, then split; every load is per lane.
@compute @workgroup_size(64)
fn grad_weight_k3(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let flat = (wid.x + wid.y * nwg.x) * 64u + t;
  let cob = flat % p.tiles_m;
  let rest = flat / p.tiles_m;
  let ci = rest % p.Cin;
  let split = rest / p.Cin;
  if (split >= p.batches) { return; }
  let co0 = cob * 16u;
  let last_co = p.Cout - 1u;
  let Q = p.N * p.Lout;
  let q_begin = split * p.chunk;
  let q_end = min(q_begin + p.chunk, Q);
  let lin = i32(p.L);
  let pad = i32(p.padding);
  let go0 = min(co0 + 0u, last_co) * p.Lout;
  var acc0 = vec3<f32>(0.0);
  let go1 = min(co0 + 1u, last_co) * p.Lout;
  var acc1 = vec3<f32>(0.0);
  let go2 = min(co0 + 2u, last_co) * p.Lout;
  var acc2 = vec3<f32>(0.0);
  let go3 = min(co0 + 3u, last_co) * p.Lout;
  var acc3 = vec3<f32>(0.0);
  let go4 = min(co0 + 4u, last_co) * p.Lout;
  var acc4 = vec3<f32>(0.0);
  let go5 = min(co0 + 5u, last_co) * p.Lout;
  var acc5 = vec3<f32>(0.0);
  let go6 = min(co0 + 6u, last_co) * p.Lout;
  var acc6 = vec3<f32>(0.0);
  let go7 = min(co0 + 7u, last_co) * p.Lout;
  var acc7 = vec3<f32>(0.0);
  let go8 = min(co0 + 8u, last_co) * p.Lout;
  var acc8 = vec3<f32>(0.0);
  let go9 = min(co0 + 9u, last_co) * p.Lout;
  var acc9 = vec3<f32>(0.0);
  let go10 = min(co0 + 10u, last_co) * p.Lout;
  var acc10 = vec3<f32>(0.0);
  let go11 = min(co0 + 11u, last_co) * p.Lout;
  var acc11 = vec3<f32>(0.0);
  let go12 = min(co0 + 12u, last_co) * p.Lout;
  var acc12 = vec3<f32>(0.0);
  let go13 = min(co0 + 13u, last_co) * p.Lout;
  var acc13 = vec3<f32>(0.0);
  let go14 = min(co0 + 14u, last_co) * p.Lout;
  var acc14 = vec3<f32>(0.0);
  let go15 = min(co0 + 15u, last_co) * p.Lout;
  var acc15 = vec3<f32>(0.0);
  var q = q_begin;
  while (q < q_end) {
    let n = q / p.Lout;
    let l0 = q - n * p.Lout;
    let l1 = min(p.Lout, l0 + (q_end - q));
    let xb = (n * p.Cin + ci) * p.L;
    let gb = n * p.Cout * p.Lout;
    for (var l = l0; l < l1; l++) {
      let pa = i32(l * p.stride) - pad;
      let v = vec3<f32>(
        select(0.0, x[xb + u32(clamp(pa, 0, lin - 1))], pa >= 0 && pa < lin),
        select(0.0, x[xb + u32(clamp(pa + 1, 0, lin - 1))], pa + 1 >= 0 && pa + 1 < lin),
        select(0.0, x[xb + u32(clamp(pa + 2, 0, lin - 1))], pa + 2 >= 0 && pa + 2 < lin));
      acc0 = fma(vec3<f32>(gy[gb + go0 + l]), v, acc0);
      acc1 = fma(vec3<f32>(gy[gb + go1 + l]), v, acc1);
      acc2 = fma(vec3<f32>(gy[gb + go2 + l]), v, acc2);
      acc3 = fma(vec3<f32>(gy[gb + go3 + l]), v, acc3);
      acc4 = fma(vec3<f32>(gy[gb + go4 + l]), v, acc4);
      acc5 = fma(vec3<f32>(gy[gb + go5 + l]), v, acc5);
      acc6 = fma(vec3<f32>(gy[gb + go6 + l]), v, acc6);
      acc7 = fma(vec3<f32>(gy[gb + go7 + l]), v, acc7);
      acc8 = fma(vec3<f32>(gy[gb + go8 + l]), v, acc8);
      acc9 = fma(vec3<f32>(gy[gb + go9 + l]), v, acc9);
      acc10 = fma(vec3<f32>(gy[gb + go10 + l]), v, acc10);
      acc11 = fma(vec3<f32>(gy[gb + go11 + l]), v, acc11);
      acc12 = fma(vec3<f32>(gy[gb + go12 + l]), v, acc12);
      acc13 = fma(vec3<f32>(gy[gb + go13 + l]), v, acc13);
      acc14 = fma(vec3<f32>(gy[gb + go14 + l]), v, acc14);
      acc15 = fma(vec3<f32>(gy[gb + go15 + l]), v, acc15);
    }
    q += l1 - l0;
  }
  let R = p.Cin * 3u;
  store_gw3(split, co0 + 0u, ci, R, acc0);
  store_gw3(split, co0 + 1u, ci, R, acc1);
  store_gw3(split, co0 + 2u, ci, R, acc2);
  store_gw3(split, co0 + 3u, ci, R, acc3);
  store_gw3(split, co0 + 4u, ci, R, acc4);
  store_gw3(split, co0 + 5u, ci, R, acc5);
  store_gw3(split, co0 + 6u, ci, R, acc6);
  store_gw3(split, co0 + 7u, ci, R, acc7);
  store_gw3(split, co0 + 8u, ci, R, acc8);
  store_gw3(split, co0 + 9u, ci, R, acc9);
  store_gw3(split, co0 + 10u, ci, R, acc10);
  store_gw3(split, co0 + 11u, ci, R, acc11);
  store_gw3(split, co0 + 12u, ci, R, acc12);
  store_gw3(split, co0 + 13u, ci, R, acc13);
  store_gw3(split, co0 + 14u, ci, R, acc14);
  store_gw3(split, co0 + 15u, ci, R, acc15);
}
