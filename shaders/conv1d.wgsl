// 1-D convolution in NCL layout (PyTorch semantics: cross-correlation, zero
// padding, stride), the kernels indexed directly by the conv's geometry:
//   forward_tiled        out[n] (Cout × Lout) = W (Cout × Cin·K) · X̂[n] (Cin·K × Lout), any stride
//   grad_input (tiled)   gx[n] (Cin × L) = Wᵀ (Cin × Cout·K) · Ĝ[n] (Cout·K × L), any stride
//   grad_weight (tiled)  gw (Cout × Cin·K) = Σ_(n,l) G (Cout × N·Lout) · X̂ᵀ (N·Lout × Cin·K)
//   grad_bias            gb[co] = Σ_(n,l) gy[n, co, l]
// The forward and stride-1 grad-input GEMMs are in conv1d-gemm.wgsl,
// grad_weight_lanes in conv1d-lanes.wgsl and the K = 3 kernels in the
// generated conv1d-k3*.gen.wgsl. X̂ and Ĝ are gathered on
// the fly while staging tiles (zero outside the signal or, for Ĝ, where a
// position is not hit by the stride). The tiled entries use the tiling of
// matmul.wgsl: a 256-thread workgroup computes a 64×64 output tile, each thread
// a 4×4 register block, staging 64×16 slices of both operands in workgroup
// memory. grad_weight splits the long reduction (N·Lout) into
// `batches` chunks of `chunk` (n, l) pairs written to slices of gw_partial,
// which the TS side then sums.
// Tiles are enumerated on a flat (2-D folded) grid (prelude/flat.wgsl).

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
  tiles_m: u32,     // tiles along the output's rows
  tiles_n: u32,     // tiles along the output's columns
  batches: u32,     // N for forward_tiled / grad_input, number of splits for grad_weight
  chunk: u32,       // grad_weight: reduction length per split
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
  let flat = flat_workgroup(wid, nwg);
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
