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

struct Params {
  N: u32,
  C: u32,
  L: u32,
  momentum: f32,
  eps: f32,
  training: u32,
  n_total: u32,
  base: u32,
  part_row: u32,
  chunks: u32,
  phase: u32,
  relu: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> batch_stats: array<f32>;   // [mean × C, biased var × C]
@group(0) @binding(4) var<storage, read_write> running_mean: array<f32>;
@group(0) @binding(5) var<storage, read_write> running_var: array<f32>;
@group(0) @binding(6) var<storage, read> gamma: array<f32>;
@group(0) @binding(7) var<storage, read> beta: array<f32>;
@group(0) @binding(8) var<storage, read_write> y: array<f32>;
@group(0) @binding(9) var<storage, read> gy: array<f32>;
@group(0) @binding(10) var<storage, read> saved: array<f32>;   // the stats used: [mean × C, var × C]
@group(0) @binding(12) var<storage, read_write> sums: array<f32>;   // [Σg × C, Σg·x̂ × C]
@group(0) @binding(13) var<storage, read> sums_in: array<f32>;
@group(0) @binding(14) var<storage, read_write> gx: array<f32>;
@group(0) @binding(15) var<storage, read_write> partials: array<f32>;   // [chunks, C]
@group(0) @binding(16) var<storage, read> y_out: array<f32>;   // the fused forward's output (relu = 1); any buffer of gy's size otherwise

const WG: u32 = 256u;
var<workgroup> part_a: array<f32, WG>;
var<workgroup> part_b: array<f32, WG>;

// The gradient reaching the normalisation at element i: gy, masked by the fused ReLU.
fn grad_at(i: u32) -> f32 {
  let g = gy[i];
  if (p.relu != 0u && !(y_out[i] > 0.0)) { return 0.0; }
  return g;
}

fn at(k: u32, c: u32) -> u32 {
  // k-th element of channel c, k over (n, l) of this chunk.
  return p.base + ((k / p.L) * p.C + c) * p.L + k % p.L;
}

@compute @workgroup_size(WG)
fn stats(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = wid.x + wid.y * nwg.x;
  if (c >= p.C) { return; }
  let M = p.N * p.L;
  var s = 0.0;
  for (var k = lid; k < M; k += WG) { s += x[at(k, c)]; }
  part_a[lid] = s;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h = h / 2u) {
    if (lid < h) { part_a[lid] += part_a[lid + h]; }
    workgroupBarrier();
  }
  let m = part_a[0] / f32(M);
  var q = 0.0;
  for (var k = lid; k < M; k += WG) {
    let d = x[at(k, c)] - m;
    q += d * d;
  }
  part_b[lid] = q;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h = h / 2u) {
    if (lid < h) { part_b[lid] += part_b[lid + h]; }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let ss = part_b[0];
    batch_stats[c] = m;
    batch_stats[p.C + c] = ss / f32(M);
    running_mean[c] = (1.0 - p.momentum) * running_mean[c] + p.momentum * m;
    running_var[c] = (1.0 - p.momentum) * running_var[c] + p.momentum * ss / f32(M - 1u);
  }
}

@compute @workgroup_size(WG)
fn normalize(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;
  if (i >= p.N * p.C * p.L) { return; }
  let c = (i / p.L) % p.C;
  let inv = inverseSqrt(saved[p.C + c] + p.eps);
  let j = p.base + i;
  let v = (x[j] - saved[c]) * inv * gamma[c] + beta[c];
  y[j] = select(v, max(v, 0.0), p.relu != 0u);
}

@compute @workgroup_size(WG)
fn backward_reduce(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = wid.x + wid.y * nwg.x;
  if (c >= p.C) { return; }
  let M = p.N * p.L;
  let m = saved[c];
  let inv = inverseSqrt(saved[p.C + c] + p.eps);
  var sg = 0.0;
  var sgx = 0.0;
  for (var k = lid; k < M; k += WG) {
    let i = at(k, c);
    let g = grad_at(i);
    sg += g;
    sgx += g * (x[i] - m) * inv;
  }
  part_a[lid] = sg;
  part_b[lid] = sgx;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h = h / 2u) {
    if (lid < h) {
      part_a[lid] += part_a[lid + h];
      part_b[lid] += part_b[lid + h];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    sums[p.part_row * 2u * p.C + c] = part_a[0];
    sums[p.part_row * 2u * p.C + p.C + c] = part_b[0];
  }
}

@compute @workgroup_size(WG)
fn backward_input(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;
  if (i >= p.N * p.C * p.L) { return; }
  let c = (i / p.L) % p.C;
  let inv = inverseSqrt(saved[p.C + c] + p.eps);
  let j = p.base + i;
  let g = grad_at(j);
  if (p.training != 0u) {
    let M = f32(p.n_total * p.L);
    let xh = (x[j] - saved[c]) * inv;
    gx[j] = gamma[c] * inv / M * (M * g - sums_in[c] - xh * sums_in[p.C + c]);
  } else {
    gx[j] = g * gamma[c] * inv;
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
  let t = wid.x + wid.y * nwg.x;
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
  let c = wid.x + wid.y * nwg.x;
  if (c >= p.C) { return; }
  let M = p.N * p.L;
  var m = 0.0;
  if (p.phase == 1u) { m = batch_stats[c]; }
  var s = 0.0;
  for (var k = lid; k < M; k += WG) {
    let v = x[at(k, c)];
    s += select(v, (v - m) * (v - m), p.phase == 1u);
  }
  part_a[lid] = s;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h = h / 2u) {
    if (lid < h) { part_a[lid] += part_a[lid + h]; }
    workgroupBarrier();
  }
  if (lid == 0u) { partials[p.part_row * p.C + c] = part_a[0]; }
}

// Adds the chunks' partial sums: the mean (phase 0), or the variance and the
// running-statistics update (phase 1), exactly as `stats` ends.
@compute @workgroup_size(WG)
fn stats_finalize(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = (wid.x + wid.y * nwg.x) * WG + lid;
  if (c >= p.C) { return; }
  var s = 0.0;
  for (var k = 0u; k < p.chunks; k++) { s += partials[k * p.C + c]; }
  let M = p.n_total * p.L;
  if (p.phase == 0u) {
    batch_stats[c] = s / f32(M);
  } else {
    let m = batch_stats[c];
    batch_stats[p.C + c] = s / f32(M);
    running_mean[c] = (1.0 - p.momentum) * running_mean[c] + p.momentum * m;
    running_var[c] = (1.0 - p.momentum) * running_var[c] + p.momentum * s / f32(M - 1u);
  }
}

// Serial variants of `stats` and `backward_reduce` for software adapters: one
// invocation per channel walks its (n, l) elements in order, with no workgroup
// tree, no barrier and no per-element division (SwiftShader runs 256-wide
// workgroups with barriers slowly). Each sample's row is summed on its own and
// then added to the total, which keeps f32 rounding close to the tree's.
const SERIAL_WG: u32 = 8u;

fn row_start(n: u32, c: u32) -> u32 {
  return p.base + (n * p.C + c) * p.L;
}

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
  batch_stats[c] = m;
  batch_stats[p.C + c] = q / M;
  running_mean[c] = (1.0 - p.momentum) * running_mean[c] + p.momentum * m;
  running_var[c] = (1.0 - p.momentum) * running_var[c] + p.momentum * q / (M - 1.0);
}

@compute @workgroup_size(SERIAL_WG)
fn backward_reduce_serial(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  if (c >= p.C) { return; }
  let m = saved[c];
  let inv = inverseSqrt(saved[p.C + c] + p.eps);
  var sg = 0.0;
  var sgx = 0.0;
  for (var n = 0u; n < p.N; n++) {
    let r = row_start(n, c);
    var tg = 0.0;
    var tgx = 0.0;
    for (var l = 0u; l < p.L; l++) {
      let g = grad_at(r + l);
      tg += g;
      tgx += g * (x[r + l] - m);
    }
    sg += tg;
    sgx += tgx * inv;
  }
  sums[p.part_row * 2u * p.C + c] = sg;
  sums[p.part_row * 2u * p.C + p.C + c] = sgx;
}
