// BatchNorm1d over [N, C, L] (L = 1 for [N, C]), PyTorch semantics.
// stats: a workgroup per channel, two tree reductions (mean, then the centred
//   sum of squares, which avoids E[x²] − E[x]² cancellation); writes the batch
//   mean and biased variance and updates the running stats in place
//   (running_var with the unbiased variance).
// normalize: y = (x − mean)·γ/√(var + eps) + β, a thread per element.
// backward_reduce: a workgroup per channel, Σg and Σg·x̂ (→ dβ, dγ).
// backward_input: training dx = γ·inv/M·(M·g − Σg − x̂·Σg·x̂); eval dx = g·γ·inv.
//
// relu = 1 fuses the ReLU that follows every BatchNorm of the models: normalize
// writes max(y, 0), and the backward entries take g = gy where the fused output
// y_out > 0, else 0 (ReLU's gradient), saving a full-size pass each way.
//
// A tensor larger than one storage binding is processed in chunks of whole
// samples: N is then the chunk's sample count, n_total the batch's (M = n_total·L),
// and `base` the elements to skip at the start of the x/y/gy/gx bindings (0
// unless the chunk could not start at an aligned offset). The batch statistics
// then take two rounds of stats_partial (Σx, then Σ(x − mean)²) each followed by
// stats_finalize, and backward_reduce writes one row of partial sums per chunk
// (`part_row`) that a sum over chunks adds.

// #include "batchnorm/declarations.wgsl"
// #include "prelude/flat.wgsl"
// #include "prelude/workgroup-sum.wgsl"
// #include "batchnorm/stats.wgsl"
// #include "batchnorm/channel-sums.wgsl"
// #include "batchnorm/backward-reduce.wgsl"

@compute @workgroup_size(WG)
fn stats(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = flat_workgroup(wid, nwg);
  if (c < p.C) { channel_stats(c, lid); }
}

// The element of a flat entry (a thread per element): its index j in the
// x/y/gy/gx bindings, its channel, 1/√(var + eps) of that channel, and whether
// it is inside the chunk.
struct Element {
  j: u32,
  c: u32,
  inv: f32,
  valid: bool,
}

fn element_of(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> Element {
  let i = flat_invocation(wid, nwg, lid, WG);
  let c = (i / p.L) % p.C;
  return Element(p.base + i, c, inverseSqrt(saved[p.C + c] + p.eps), i < p.N * p.C * p.L);
}

@compute @workgroup_size(WG)
fn normalize(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = element_of(wid, nwg, lid);
  if (!e.valid) { return; }
  let v = (x[e.j] - saved[e.c]) * e.inv * gamma[e.c] + beta[e.c];
  y[e.j] = select(v, max(v, 0.0), p.relu != 0u);
}

@compute @workgroup_size(WG)
fn backward_input(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = element_of(wid, nwg, lid);
  if (!e.valid) { return; }
  let g = grad_at(e.j);
  if (p.training != 0u) {
    let M = f32(p.n_total * p.L);
    let xh = (x[e.j] - saved[e.c]) * e.inv;
    gx[e.j] = gamma[e.c] * e.inv / M * (M * g - sums_in[e.c] - xh * sums_in[p.C + e.c]);
  } else {
    gx[e.j] = g * gamma[e.c] * e.inv;
  }
}

// Row-tiled normalize and backward_input, for rows long enough to fill a tile
// (L ≥ 64): a workgroup covers ROW_TILE consecutive elements of one (n, c) row,
// so each invocation reads the channel's statistics and affine parameters once
// and divides no element index by L (per-element gathers of per-channel values
// and integer divisions dominate the flat entries on software adapters).
const ROW_WG: u32 = 64u;
const ROW_PER: u32 = 4u;
const ROW_TILE: u32 = ROW_WG * ROW_PER;

struct RowTile {
  start: u32,   // the row's first element in the x/y/gy/gx bindings
  l0: u32,      // this invocation's first position in the row; it covers l0 + k·ROW_WG
  c: u32,
  valid: bool,
}

fn row_tile(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> RowTile {
  let t = flat_workgroup(wid, nwg);
  let tiles = (p.L + ROW_TILE - 1u) / ROW_TILE;
  let row = t / tiles;
  return RowTile(p.base + row * p.L, (t % tiles) * ROW_TILE + lid, row % p.C, row < p.N * p.C);
}

@compute @workgroup_size(ROW_WG)
fn normalize_rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = row_tile(wid, nwg, lid);
  if (!r.valid) { return; }
  let m = saved[r.c];
  let scale = inverseSqrt(saved[p.C + r.c] + p.eps) * gamma[r.c];
  let shift = beta[r.c];
  for (var k = 0u; k < ROW_PER; k++) {
    let l = r.l0 + k * ROW_WG;
    if (l < p.L) {
      let v = (x[r.start + l] - m) * scale + shift;
      y[r.start + l] = select(v, max(v, 0.0), p.relu != 0u);
    }
  }
}

@compute @workgroup_size(ROW_WG)
fn backward_input_rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = row_tile(wid, nwg, lid);
  if (!r.valid) { return; }
  let m = saved[r.c];
  let inv = inverseSqrt(saved[p.C + r.c] + p.eps);
  let a = gamma[r.c] * inv;
  // training: dx = a·g − a·Σg/M − a·inv·Σg·x̂/M·(x − mean); eval: dx = a·g.
  var b = 0.0;
  var d = 0.0;
  if (p.training != 0u) {
    let M = f32(p.n_total * p.L);
    b = a * sums_in[r.c] / M;
    d = a * inv * sums_in[p.C + r.c] / M;
  }
  for (var k = 0u; k < ROW_PER; k++) {
    let l = r.l0 + k * ROW_WG;
    if (l < p.L) {
      let j = r.start + l;
      gx[j] = a * grad_at(j) - b - d * (x[j] - m);
    }
  }
}

// One chunk's per-channel sum into partials[part_row]: Σx (phase 0), or
// Σ(x − mean)² with the mean stats_finalize wrote to batch_stats (phase 1).
@compute @workgroup_size(WG)
fn stats_partial(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = flat_workgroup(wid, nwg);
  if (c >= p.C) { return; }
  let M = p.N * p.L;
  var m = 0.0;
  if (p.phase == 1u) { m = batch_stats[c]; }
  var s = 0.0;
  for (var k = lid; k < M; k += WG) {
    let v = x[at(k, c)];
    s += select(v, (v - m) * (v - m), p.phase == 1u);
  }
  workgroup_sum(vec2<f32>(s, 0.0), lid);
  if (lid == 0u) { partials[p.part_row * p.C + c] = workgroup_total().x; }
}

// Adds the chunks' partial sums: the mean (phase 0), or the variance and the
// running-statistics update (phase 1), exactly as `stats` ends.
@compute @workgroup_size(WG)
fn stats_finalize(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = flat_invocation(wid, nwg, lid, WG);
  if (c >= p.C) { return; }
  var s = 0.0;
  for (var k = 0u; k < p.chunks; k++) { s += partials[k * p.C + c]; }
  let M = p.n_total * p.L;
  if (p.phase == 0u) {
    batch_stats[c] = s / f32(M);
  } else {
    write_stats(c, batch_stats[c], s, f32(M));
  }
}

// The serial variant of `stats` for software adapters (backward_reduce_serial
// is in batchnorm/backward-reduce.wgsl): one invocation per channel walks its
// (n, l) elements in order, with no workgroup tree, no barrier and no
// per-element division. Each sample's row is summed on its own and then added
// to the total, which keeps f32 rounding close to the tree's.
@compute @workgroup_size(SERIAL_WG)
fn stats_serial(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  if (c >= p.C) { return; }
  let M = f32(p.N * p.L);
  var s = 0.0;
  for (var n = 0u; n < p.N; n++) {
    let r = row_start(n, c);
    var t = 0.0;
    for (var l = 0u; l < p.L; l++) { t += x[r + l]; }
    s += t;
  }
  let m = s / M;
  var q = 0.0;
  for (var n = 0u; n < p.N; n++) {
    let r = row_start(n, c);
    var t = 0.0;
    for (var l = 0u; l < p.L; l++) {
      let d = x[r + l] - m;
      t += d * d;
    }
    q += t;
  }
  write_stats(c, m, q, M);
}
