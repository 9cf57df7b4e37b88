// Sum over the middle axis of a tensor viewed as [outer, n, inner], times a
// scale (1/n gives the mean). Two strategies: a workgroup per output for long
// axes (tree reduction in workgroup memory; reduce-subgroups.wgsl has it with
// subgroup operations), a thread per output for short ones.
// x_base and out_base skip elements at the start of the bindings: a chunk of a
// tensor larger than one binding is bound from the aligned offset below it.

// #include "reduce/declarations.wgsl"
// #include "prelude/flat.wgsl"
// #include "prelude/workgroup-sum.wgsl"

@compute @workgroup_size(WG)
fn sum_long(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  sum_axis_workgroup(flat_workgroup(wid, nwg), lid);
}

@compute @workgroup_size(WG)
fn sum_short(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = flat_invocation(wid, nwg, lid, WG);
  if (o >= p.outer * p.inner) { return; }
  let base = axis_start(o);
  var acc = 0.0;
  for (var k = 0u; k < p.n; k++) {
    acc += x[p.x_base + base + k * p.inner];
  }
  out[p.out_base + o] = acc * p.scale;
}
