// 1-D convolution in NCL layout (PyTorch semantics: cross-correlation, zero
// padding, stride), the kernels indexed directly by the conv's geometry:
//   forward_tiled        out[n] (Cout × Lout) = W (Cout × Cin·K) · X̂[n] (Cin·K × Lout), any stride
//   grad_input (tiled)   gx[n] (Cin × L) = Wᵀ (Cin × Cout·K) · Ĝ[n] (Cout·K × L), any stride
//   grad_weight (tiled)  gw (Cout × Cin·K) = Σ_(n,l) G (Cout × N·Lout) · X̂ᵀ (N·Lout × Cin·K)
//   grad_bias            gb[co] = Σ_(n,l) gy[n, co, l]
// The forward and stride-1 grad-input GEMMs are in conv1d-gemm.gen.wgsl,
// grad_weight_lanes in conv1d-lanes.gen.wgsl and the K = 3 kernels in the
// generated conv1d-k3*.gen.wgsl. X̂ and Ĝ are gathered on
// the fly while staging tiles (zero outside the signal or, for Ĝ, where a
// position is not hit by the stride). The tiled entries: a 256-thread
// workgroup computes a 64×64 output tile, each thread a 4×4 register block,
// staging 64×16 slices of both operands in workgroup memory (stage, tile_fma).
// grad_weight splits the long reduction (N·Lout) into `batches` chunks of
// `chunk` (n, l) pairs written to slices of gw_partial, which the TS side then sums.
// Tiles are enumerated on a flat (2-D folded) grid (prelude/flat.wgsl).

// #include "prelude/flat.wgsl"
// #include "conv1d/declarations.wgsl"

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

// The three tiled GEMMs, out = A·B over 64×64 tiles, share the staging and the
// block product; each gathers its own A and B from the conv's tensors (the
// loads stay in the entry points, so each binds only the buffers it reads).
// Staging: 4 rounds of the 256 threads each write one element of both 64×16
// slices. Element e of a round: As[ak·TILE + am] = A[row0 + am, r0 + ak] and
// Bs[bk·TILE + bn] = B[r0 + bk, col0 + bn].
struct Slot {
  am: u32,
  ak: u32,
  bk: u32,
  bn: u32,
}

fn slot_of(lid: u32, round: u32) -> Slot {
  let e = lid + round * THREADS;
  return Slot(e / TK, e % TK, e / TILE, e % TILE);
}

fn stage(e: Slot, a: f32, b: f32) {
  As[e.ak * TILE + e.am] = a;
  Bs[e.bk * TILE + e.bn] = b;
}

// Thread (lid3.x, lid3.y)'s 4×4 block (acc[i] at block_at(i)) += the product of
// the staged slices, between the barriers that let the staging finish and
// then the next one start. Uniform control flow.
fn tile_fma(acc: ptr<function, array<f32, 16>>, lid3: vec3<u32>) {
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
        (*acc)[i * 4u + j] = fma(a4[i], b4[j], (*acc)[i * 4u + j]);
      }
    }
  }
  workgroupBarrier();
}

// Element i = 4·bi + bj of the thread's block: its (row, column) in the output matrix.
fn block_at(t: Tile, lid3: vec3<u32>, i: u32) -> vec2<u32> {
  return vec2<u32>(t.row0 + lid3.y + 16u * (i / 4u), t.col0 + lid3.x + 16u * (i % 4u));
}

// The GPU-shaped forward: a 64×64 tile of out[n] per 256-thread workgroup, the
// Cin·K reduction staged through workgroup memory 16 at a time, a 4×4 register
// block per thread. Many invocations with short loops, where conv_k3_* (its
// CPU-shaped peers) have few invocations with long ones.
@compute @workgroup_size(16, 16)
fn forward_tiled(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = tile_of(wid, nwg);
  if (!t.valid) { return; }
  let R = p.Cin * p.K;
  var acc: array<f32, 16>;   // zero-initialised
  for (var r0 = 0u; r0 < R; r0 += TK) {
    for (var round = 0u; round < 4u; round++) {
      let e = slot_of(lid, round);
      // A = W [Cout × R]: w[co, ci, kk], rows contiguous in r = (ci, kk).
      var a = 0.0;
      if (t.row0 + e.am < p.Cout && r0 + e.ak < R) { a = w[(t.row0 + e.am) * R + r0 + e.ak]; }
      // B = X̂[n] [R × Lout]: x[n, ci, l·stride + kk − padding].
      let rb = r0 + e.bk;
      var b = 0.0;
      if (rb < R && t.col0 + e.bn < p.Lout) { b = x_at(t.batch, rb / p.K, t.col0 + e.bn, rb % p.K); }
      stage(e, a, b);
    }
    tile_fma(&acc, lid3);
  }
  for (var i = 0u; i < 16u; i++) {
    let o = block_at(t, lid3, i);   // (co, l)
    if (o.x < p.Cout && o.y < p.Lout) {
      var bias_v = 0.0;
      if (p.has_bias != 0u) { bias_v = bias[o.x]; }
      out[(t.batch * p.Cout + o.x) * p.Lout + o.y] = acc[i] + bias_v;
    }
  }
}

@compute @workgroup_size(16, 16)
fn grad_input(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = tile_of(wid, nwg);
  if (!t.valid) { return; }
  let R = p.Cout * p.K;
  var acc: array<f32, 16>;
  for (var r0 = 0u; r0 < R; r0 += TK) {
    for (var round = 0u; round < 4u; round++) {
      let e = slot_of(lid, round);
      // A = Wᵀ [Cin × R]: w[co, ci, kk], r = (co, kk).
      let ra = r0 + e.ak;
      var a = 0.0;
      if (t.row0 + e.am < p.Cin && ra < R) { a = w[((ra / p.K) * p.Cin + t.row0 + e.am) * p.K + ra % p.K]; }
      // B = Ĝ[n] [R × L]: gy[n, co, l] where l·stride + kk − padding = i.
      let rb = r0 + e.bk;
      let i = t.col0 + e.bn;
      var b = 0.0;
      if (rb < R && i < p.L) {
        let tap = i32(i + p.padding) - i32(rb % p.K);
        if (tap >= 0) {
          let l = u32(tap) / p.stride;
          if (u32(tap) % p.stride == 0u && l < p.Lout) { b = gy[(t.batch * p.Cout + rb / p.K) * p.Lout + l]; }
        }
      }
      stage(e, a, b);
    }
    tile_fma(&acc, lid3);
  }
  for (var i = 0u; i < 16u; i++) {
    let o = block_at(t, lid3, i);   // (ci, position)
    if (o.x < p.Cin && o.y < p.L) { gx[(t.batch * p.Cin + o.x) * p.L + o.y] = acc[i]; }
  }
}

// One split (t.batch) of the N·Lout reduction into its slice of gw_partial.
@compute @workgroup_size(16, 16)
fn grad_weight(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = tile_of(wid, nwg);
  if (!t.valid) { return; }
  let R = p.Cin * p.K;
  let q_begin = t.batch * p.chunk;
  let q_end = min(q_begin + p.chunk, p.N * p.Lout);
  var acc: array<f32, 16>;
  for (var q0 = q_begin; q0 < q_end; q0 += TK) {
    for (var round = 0u; round < 4u; round++) {
      let e = slot_of(lid, round);
      // A = G [Cout × N·Lout]: gy[n, co, l], q = (n, l); consecutive threads walk l.
      let qa = q0 + e.ak;
      var a = 0.0;
      if (t.row0 + e.am < p.Cout && qa < q_end) { a = gy[((qa / p.Lout) * p.Cout + t.row0 + e.am) * p.Lout + qa % p.Lout]; }
      // B = X̂ᵀ [N·Lout × R], r = (ci, kk).
      let qb = q0 + e.bk;
      let r = t.col0 + e.bn;
      var b = 0.0;
      if (qb < q_end && r < R) { b = x_at(qb / p.Lout, r / p.K, qb % p.Lout, r % p.K); }
      stage(e, a, b);
    }
    tile_fma(&acc, lid3);
  }
  for (var i = 0u; i < 16u; i++) {
    let o = block_at(t, lid3, i);   // (co, r = (ci, kk))
    if (o.x < p.Cout && o.y < R) { gw_partial[(t.batch * p.Cout + o.x) * R + o.y] = acc[i]; }
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
