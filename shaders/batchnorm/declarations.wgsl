// batchnorm.wgsl's uniforms, bindings and per-element helpers, shared with
// batchnorm-subgroups.wgsl (the same reductions with subgroup operations).
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

// The gradient reaching the normalisation at element i: gy, masked by the fused ReLU.
fn grad_at(i: u32) -> f32 {
  let g = gy[i];
  if (p.relu != 0u && !(y_out[i] > 0.0)) { return 0.0; }
  return g;
}

// The backward sums' view of this op (batchnorm/channel-sums.wgsl): rows of L
// positions, g = grad_at, x = x.
fn sample_len() -> u32 {
  return p.L;
}

fn grad_x(n: u32, c: u32, i: u32) -> vec2<f32> {
  let j = row_start(n, c) + i;
  return vec2<f32>(grad_at(j), x[j]);
}

// The first element of row (n, c) of this chunk in the x/y/gy/gx bindings.
fn row_start(n: u32, c: u32) -> u32 {
  return p.base + (n * p.C + c) * p.L;
}

// The k-th element of channel c, k over (n, l) of this chunk.
fn at(k: u32, c: u32) -> u32 {
  return row_start(k / p.L, c) + k % p.L;
}

// Channel c's batch mean and biased variance (sq: the centred sum of squares
// over M values) into batch_stats, and the running statistics updated in place
// (running_var with the unbiased variance).
fn write_stats(c: u32, mean: f32, sq: f32, M: f32) {
  batch_stats[c] = mean;
  batch_stats[p.C + c] = sq / M;
  running_mean[c] = (1.0 - p.momentum) * running_mean[c] + p.momentum * mean;
  running_var[c] = (1.0 - p.momentum) * running_var[c] + p.momentum * sq / (M - 1.0);
}

// Channel c's (Σg, Σg·x̂) into this chunk's row of sums.
fn write_sums(c: u32, s: vec2<f32>) {
  sums[p.part_row * 2u * p.C + c] = s.x;
  sums[p.part_row * 2u * p.C + p.C + c] = s.y;
}
