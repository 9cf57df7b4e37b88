// Writes into a strided region of a larger tensor (concat, and the backward of
// slice) and fills. Reads with strides are the elementwise `unary` gather.

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
  let i = (wid.x + wid.y * nwg.x) * WG + lid;
  if (i >= sp.n) { return; }
  let s = sp.src_shape;
  let c3 = i % s.w;
  let r2 = i / s.w;
  let c2 = r2 % s.z;
  let r1 = r2 / s.z;
  let c1 = r1 % s.y;
  let c0 = r1 / s.y;
  let d = sp.dst_strides;
  dst[sp.dst_offset + c0 * d.x + c1 * d.y + c2 * d.z + c3 * d.w] = src[i];
}

@compute @workgroup_size(WG)
fn fill(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;
  if (i >= fp.n) { return; }
  filled[i] = fp.value;
}
