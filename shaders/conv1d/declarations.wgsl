// The uniforms and bindings of conv1d.wgsl and conv1d-lanes (one Params for
// both: src/kernels/conv1dKernels.ts geometryUniforms packs it).

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
  step_n: u32,      // grad_weight_lanes: (n, l) advance per 64 flattened positions
  step_l: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
@group(0) @binding(5) var<storage, read> gy: array<f32>;
@group(0) @binding(6) var<storage, read_write> gx: array<f32>;
@group(0) @binding(7) var<storage, read_write> gw_partial: array<f32>;
