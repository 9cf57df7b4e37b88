// BatchNorm1d's per-channel reductions with subgroup operations (adapters with
// the `subgroups` feature): stats_subgroup as batchnorm.wgsl's `stats` (a
// workgroup per channel, mean then the centred sum of squares, running stats
// updated in place) and backward_reduce_subgroup as its `backward_reduce`
// (Σg and Σg·x̂, g masked by the fused ReLU, one row of sums per chunk), but
// each reduction is one subgroupAdd per subgroup and one pass over the
// per-subgroup partials instead of an eight-step workgroup tree with a barrier
// per step. Subgroup leaders take partial slots through an atomic counter, so
// nothing assumes how invocations are laid out in subgroups.
enable subgroups;

struct Params {
  N: u32,
  C: u32,
  L: u32,
  momentum: f32,
  eps: f32,
  base: u32,
  part_row: u32,
  relu: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> batch_stats: array<f32>;   // [mean × C, biased var × C]
@group(0) @binding(4) var<storage, read_write> running_mean: array<f32>;
@group(0) @binding(5) var<storage, read_write> running_var: array<f32>;
@group(0) @binding(9) var<storage, read> gy: array<f32>;
@group(0) @binding(10) var<storage, read> saved: array<f32>;   // the stats used: [mean × C, var × C]
@group(0) @binding(12) var<storage, read_write> sums: array<f32>;   // [Σg × C, Σg·x̂ × C] per chunk row
@group(0) @binding(16) var<storage, read> y_out: array<f32>;   // the fused forward's output (relu = 1)

const WG: u32 = 256u;
var<workgroup> partial: array<f32, WG>;
var<workgroup> slots: atomic<u32>;

fn at(k: u32, c: u32) -> u32 {
  return p.base + ((k / p.L) * p.C + c) * p.L + k % p.L;
}

// The workgroup's sum of v, the same in every invocation. Called in uniform control flow.
fn workgroup_sum(v: f32, lid: u32, sg_lane: u32) -> f32 {
  if (lid == 0u) { atomicStore(&slots, 0u); }
  workgroupBarrier();
  let s = subgroupAdd(v);
  if (sg_lane == 0u) { partial[atomicAdd(&slots, 1u)] = s; }
  workgroupBarrier();
  let n = atomicLoad(&slots);
  var t = 0.0;
  for (var i = 0u; i < n; i++) { t += partial[i]; }
  workgroupBarrier();
  return t;
}

@compute @workgroup_size(WG)
fn stats_subgroup(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(subgroup_invocation_id) sg_lane: u32) {
  let c = wid.x + wid.y * nwg.x;
  if (c >= p.C) { return; }
  let M = p.N * p.L;
  var s = 0.0;
  for (var k = lid; k < M; k += WG) { s += x[at(k, c)]; }
  let m = workgroup_sum(s, lid, sg_lane) / f32(M);
  var q = 0.0;
  for (var k = lid; k < M; k += WG) {
    let d = x[at(k, c)] - m;
    q += d * d;
  }
  let ss = workgroup_sum(q, lid, sg_lane);
  if (lid == 0u) {
    batch_stats[c] = m;
    batch_stats[p.C + c] = ss / f32(M);
    running_mean[c] = (1.0 - p.momentum) * running_mean[c] + p.momentum * m;
    running_var[c] = (1.0 - p.momentum) * running_var[c] + p.momentum * ss / f32(M - 1u);
  }
}

@compute @workgroup_size(WG)
fn backward_reduce_subgroup(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(subgroup_invocation_id) sg_lane: u32) {
  let c = wid.x + wid.y * nwg.x;
  if (c >= p.C) { return; }
  let M = p.N * p.L;
  let m = saved[c];
  let inv = inverseSqrt(saved[p.C + c] + p.eps);
  var sg = 0.0;
  var sgx = 0.0;
  for (var k = lid; k < M; k += WG) {
    let i = at(k, c);
    let g = select(gy[i], 0.0, p.relu != 0u && !(y_out[i] > 0.0));
    sg += g;
    sgx += g * (x[i] - m) * inv;
  }
  let a = workgroup_sum(sg, lid, sg_lane);
  let b = workgroup_sum(sgx, lid, sg_lane);
  if (lid == 0u) {
    sums[p.part_row * 2u * p.C + c] = a;
    sums[p.part_row * 2u * p.C + p.C + c] = b;
  }
}
