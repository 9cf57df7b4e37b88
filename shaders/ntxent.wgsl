// NT-Xent (SimCLR / CLMR) on z = [z_i; z_j] with R = 2N rows of width D.
// The similarity matrix zn·znᵀ in between is matmul's job (src/kernels/matmul.ts).
// normalize_rows: zn = z / max(‖z‖, 1e-8), a thread per row (norms kept).
// row_loss: a workgroup per row k over s_kj = sim_kj / τ, j ≠ k: max-subtracted
//   log-sum-exp minus the positive s_k,(k+N) mod R; also the softmax P_kj.
// grad_sim: S_ab = (A_ab + A_ba)·g / (R·τ) with A = P − onehot(positive),
//   so that d zn = S · zn (the matmul again).
// grad_normalize: dz = (dzn − zn·⟨dzn, zn⟩) / ‖z‖ (just dzn / 1e-8 where clamped).

// #include "prelude/flat.wgsl"
// #include "prelude/workgroup-sum.wgsl"

struct Params {
  R: u32,
  D: u32,
  half: u32,       // N: the positive of row k is (k + N) mod R
  inv_tau: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> z: array<f32>;
@group(0) @binding(2) var<storage, read_write> zn: array<f32>;
@group(0) @binding(3) var<storage, read_write> norms: array<f32>;
@group(0) @binding(4) var<storage, read> sim: array<f32>;
@group(0) @binding(5) var<storage, read_write> row_loss: array<f32>;
@group(0) @binding(6) var<storage, read_write> prob: array<f32>;
@group(0) @binding(7) var<storage, read> saved_prob: array<f32>;
@group(0) @binding(8) var<storage, read> grad_out: array<f32>;
@group(0) @binding(9) var<storage, read_write> grad_sim_out: array<f32>;
@group(0) @binding(10) var<storage, read> unit: array<f32>;
@group(0) @binding(11) var<storage, read> saved_norms: array<f32>;
@group(0) @binding(12) var<storage, read> dzn: array<f32>;
@group(0) @binding(13) var<storage, read_write> dz: array<f32>;

const WG: u32 = 256u;
const NORM_EPS: f32 = 1e-8;
const LOG_EPS: f32 = 1e-30;

@compute @workgroup_size(WG)
fn normalize_rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = flat_invocation(wid, nwg, lid, WG);
  if (r >= p.R) { return; }
  var s = 0.0;
  for (var d = 0u; d < p.D; d++) { s += z[r * p.D + d] * z[r * p.D + d]; }
  let n = max(sqrt(s), NORM_EPS);
  for (var d = 0u; d < p.D; d++) { zn[r * p.D + d] = z[r * p.D + d] / n; }
  norms[r] = n;
}

@compute @workgroup_size(WG)
fn row_loss_softmax(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let k = flat_workgroup(wid, nwg);
  if (k >= p.R) { return; }
  // Max over j ≠ k; −3e38 stands in for −∞ (never rely on Inf in WGSL).
  var m = -3.0e38;
  for (var j = lid; j < p.R; j += WG) {
    if (j != k) { m = max(m, sim[k * p.R + j] * p.inv_tau); }
  }
  workgroup_max(m, lid);
  let mx = workgroup_total().x;
  var s = 0.0;
  for (var j = lid; j < p.R; j += WG) {
    if (j != k) { s += exp(sim[k * p.R + j] * p.inv_tau - mx); }
  }
  workgroup_sum(vec2<f32>(s, 0.0), lid);
  let den = max(workgroup_total().x, LOG_EPS);
  for (var j = lid; j < p.R; j += WG) {
    var q = 0.0;
    if (j != k) { q = exp(sim[k * p.R + j] * p.inv_tau - mx) / den; }
    prob[k * p.R + j] = q;
  }
  if (lid == 0u) {
    let pos = (k + p.half) % p.R;
    row_loss[k] = mx + log(den) - sim[k * p.R + pos] * p.inv_tau;
  }
}

fn coeff(a: u32, b: u32) -> f32 {
  var v = saved_prob[a * p.R + b];
  if (b == (a + p.half) % p.R) { v -= 1.0; }
  return v;
}

@compute @workgroup_size(WG)
fn grad_sim(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flat_invocation(wid, nwg, lid, WG);
  if (i >= p.R * p.R) { return; }
  let a = i / p.R;
  let b = i % p.R;
  grad_sim_out[i] = (coeff(a, b) + coeff(b, a)) * grad_out[0] * p.inv_tau / f32(p.R);
}

@compute @workgroup_size(WG)
fn grad_normalize(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = flat_invocation(wid, nwg, lid, WG);
  if (r >= p.R) { return; }
  let n = saved_norms[r];
  var dot = 0.0;
  if (n > NORM_EPS) {
    for (var d = 0u; d < p.D; d++) { dot += dzn[r * p.D + d] * unit[r * p.D + d]; }
  }
  for (var d = 0u; d < p.D; d++) {
    dz[r * p.D + d] = (dzn[r * p.D + d] - unit[r * p.D + d] * dot) / n;
  }
}
