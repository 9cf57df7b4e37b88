// Sum over the middle axis of a tensor viewed as [outer, n, inner], times a
// scale (1/n gives the mean). Two strategies: a workgroup per output for long
// axes (tree reduction in workgroup memory), a thread per output for short ones.
// x_base and out_base skip elements at the start of the bindings: a chunk of a
// tensor larger than one binding is bound from the aligned offset below it.

struct Params {
  outer: u32,
  n: u32,
  inner: u32,
  scale: f32,
  x_base: u32,
  out_base: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

override WG: u32 = 256;
const MAX_WG: u32 = 256u;
var<workgroup> partial: array<f32, MAX_WG>;

@compute @workgroup_size(WG)
fn sum_long(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.x + wid.y * nwg.x;   // uniform across the workgroup
  let valid = o < p.outer * p.inner;
  var acc = 0.0;
  if (valid) {
    let base = (o / p.inner) * p.n * p.inner + (o % p.inner);
    for (var k = lid; k < p.n; k += WG) {
      acc += x[p.x_base + base + k * p.inner];
    }
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) {
      partial[lid] += partial[lid + stride];
    }
    workgroupBarrier();
  }
  if (valid && lid == 0u) {
    out[p.out_base + o] = partial[0] * p.scale;
  }
}

@compute @workgroup_size(WG)
fn sum_short(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = (wid.x + wid.y * nwg.x) * WG + lid;
  if (o >= p.outer * p.inner) { return; }
  let base = (o / p.inner) * p.n * p.inner + (o % p.inner);
  var acc = 0.0;
  for (var k = 0u; k < p.n; k++) {
    acc += x[p.x_base + base + k * p.inner];
  }
  out[p.out_base + o] = acc * p.scale;
}
