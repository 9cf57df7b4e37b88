// Prelude of the K = 3 grad-weight kernels (conv1d-k3-grad-weight.gen.ts
// appends the unrolled entry points grad_weight_k3s1_ci16/8/4 and
// grad_weight_k3 to it at build time):
//   gw[co, ci, k] = Σ_(n, l) gy[n, co, l] · x[n, ci, l·stride + k − padding], K = 3.

// #include "prelude/flat.wgsl"

struct Params {
  N: u32,
  Cin: u32,
  L: u32,
  Cout: u32,
  Lout: u32,
  stride: u32,
  padding: u32,
  tiles_m: u32,     // grad_weight_k3: blocks of 16 output channels
  tiles_n: u32,     // grad_weight_k3s1_*: workgroups along the input channels per split
  batches: u32,     // splits of the (n, l) reduction
  chunk: u32,       // (n, l) positions per split
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(5) var<storage, read> gy: array<f32>;
@group(0) @binding(7) var<storage, read_write> gw_partial: array<f32>;

override WG_X: u32 = 64u;

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
