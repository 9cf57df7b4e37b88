// 1-D convolution in NCL layout (PyTorch semantics: cross-correlation, zero
// padding, stride), the kernels indexed directly by the conv's geometry:
//   forward_tiled        out[n] (Cout × Lout) = W (Cout × Cin·K) · X̂[n] (Cin·K × Lout), any stride
//   grad_input (tiled)   gx[n] (Cin × L) = Wᵀ (Cin × Cout·K) · Ĝ[n] (Cout·K × L), any stride
//   grad_weight (tiled)  gw (Cout × Cin·K) = Σ_(n,l) G (Cout × N·Lout) · X̂ᵀ (N·Lout × Cin·K)
//   grad_weight_lanes    the same sum, 64 lanes along (n, l) per 8×8 channel block
//   grad_bias            gb[co] = Σ_(n,l) gy[n, co, l]
// The forward and stride-1 grad-input GEMMs are in conv1d-gemm.wgsl and the
// K = 3 kernels in the generated conv1d-k3*.gen.wgsl. X̂ and Ĝ are gathered on
// the fly while staging tiles (zero outside the signal or, for Ĝ, where a
// position is not hit by the stride). The tiled entries use the tiling of
// matmul.wgsl: a 256-thread workgroup computes a 64×64 output tile, each thread
// a 4×4 register block, staging 64×16 slices of both operands in workgroup
// memory. The grad-weight entries split the long reduction (N·Lout) into
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
  tiles_m: u32,     // tiles along the output's rows
  tiles_n: u32,     // tiles along the output's columns
  batches: u32,     // N for grad_input, number of splits for grad_weight*
  chunk: u32,       // grad_weight*: reduction length per split
  step_n: u32,      // grad_weight_lanes: (n, l) advance per 64 flattened positions
  step_l: u32,
  has_bias: u32,    // forward_tiled
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
@group(0) @binding(5) var<storage, read> gy: array<f32>;
@group(0) @binding(6) var<storage, read_write> gx: array<f32>;
@group(0) @binding(7) var<storage, read_write> gw_partial: array<f32>;

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

// The GPU-shaped forward: a 64×64 tile of out[n] per 256-thread workgroup, the
// Cin·K reduction staged through workgroup memory 16 at a time, a 4×4 register
// block per thread. Many invocations with short loops, where conv_k3_* (its
// CPU-shaped peers) have few invocations with long ones.
@compute @workgroup_size(16, 16)
fn forward_tiled(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = tile_of(wid, nwg);
  if (!t.valid) { return; }
  let n = t.batch;
  let R = p.Cin * p.K;
  var acc: array<f32, 16>;
  for (var i = 0u; i < 16u; i++) { acc[i] = 0.0; }
  for (var r0 = 0u; r0 < R; r0 += TK) {
    for (var s = 0u; s < 4u; s++) {
      let e = lid + s * THREADS;
      // W slice [co, r = (ci, kk)] = w[co, ci, kk]: rows of w are contiguous in r.
      let am = e / TK;
      let ak = e % TK;
      let co = t.row0 + am;
      let ra = r0 + ak;
      var av = 0.0;
      if (co < p.Cout && ra < R) { av = w[co * R + ra]; }
      As[ak * TILE + am] = av;
      // X̂ slice [r = (ci, kk), l] = x[n, ci, l·stride + kk − padding].
      let bk = e / TILE;
      let bn = e % TILE;
      let rb = r0 + bk;
      let l = t.col0 + bn;
      var bv = 0.0;
      if (rb < R && l < p.Lout) { bv = x_at(n, rb / p.K, l, rb % p.K); }
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
    var b = 0.0;
    if (p.has_bias != 0u) { b = bias[co]; }
    for (var j = 0u; j < 4u; j++) {
      let l = t.col0 + lid3.x + 16u * j;
      if (l >= p.Lout) { continue; }
      out[(n * p.Cout + co) * p.Lout + l] = acc[i * 4u + j] + b;
    }
  }
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
