// bnrelupool.wgsl's uniforms, bindings and helpers, shared with
// bnrelupool-subgroups.wgsl (its backward sums with subgroup operations).
struct Params {
  N: u32,
  C: u32,
  L: u32,
  Lout: u32,
  kernel: u32,
  eps: f32,
  training: u32,
  n_total: u32,
  base: u32,
  pbase: u32,
  part_row: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> saved: array<f32>;   // the stats used: [mean × C, var × C]
@group(0) @binding(3) var<storage, read> gamma: array<f32>;
@group(0) @binding(4) var<storage, read> beta: array<f32>;
@group(0) @binding(5) var<storage, read_write> out: array<f32>;
@group(0) @binding(6) var<storage, read_write> argmax: array<u32>;
@group(0) @binding(7) var<storage, read> gout: array<f32>;
@group(0) @binding(8) var<storage, read> saved_argmax: array<u32>;
@group(0) @binding(9) var<storage, read> pooled: array<f32>;   // the forward's output
@group(0) @binding(10) var<storage, read_write> sums: array<f32>;   // [Σg × C, Σg·x̂ × C] per chunk row
@group(0) @binding(11) var<storage, read> sums_in: array<f32>;
@group(0) @binding(12) var<storage, read_write> gx: array<f32>;

const WG: u32 = 256u;

// The gradient reaching the BatchNorm output from the window at pooled element
// j: gy at the window's argmax when its maximum passed the ReLU, else nothing.
fn window_grad(j: u32) -> f32 {
  return select(0.0, gout[j], pooled[j] > 0.0);
}

// The backward sums' view of this op (batchnorm/channel-sums.wgsl): rows of
// Lout windows, g = window_grad, x at the window's argmax.
fn sample_len() -> u32 {
  return p.Lout;
}

fn grad_x(n: u32, c: u32, w: u32) -> vec2<f32> {
  let row = n * p.C + c;
  let j = p.pbase + row * p.Lout + w;
  return vec2<f32>(window_grad(j), x[p.base + row * p.L + saved_argmax[j]]);
}

// Channel c's (Σg, Σg·x̂) into this chunk's row of sums.
fn write_sums(c: u32, s: vec2<f32>) {
  sums[p.part_row * 2u * p.C + c] = s.x;
  sums[p.part_row * 2u * p.C + p.C + c] = s.y;
}
