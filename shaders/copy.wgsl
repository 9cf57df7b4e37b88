// Writes into a strided region of a larger tensor (concat, and the backward of
// slice) and fills. Reads with strides are the elementwise `unary` gather.

// #include "prelude/flat.wgsl"
// #include "prelude/strided.wgsl"

struct ScatterParams {
  n: u32,                // elements of the contiguous source
  dst_offset: u32,
  src_shape: vec4<u32>,
  dst_strides: vec4<u32>,
}

struct FillParams {
  n: u32,
  value: f32,
}

@group(0) @binding(0) var<uniform> sp: ScatterParams;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
@group(0) @binding(3) var<uniform> fp: FillParams;
@group(0) @binding(4) var<storage, read_write> filled: array<f32>;

override WG: u32 = 256;

@compute @workgroup_size(WG)
fn scatter(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flat_invocation(wid, nwg, lid, WG);
  if (i >= sp.n) { return; }
  dst[sp.dst_offset + strided_offset(i, sp.src_shape, sp.dst_strides)] = src[i];
}

@compute @workgroup_size(WG)
fn fill(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flat_invocation(wid, nwg, lid, WG);
  if (i >= fp.n) { return; }
  filled[i] = fp.value;
}
