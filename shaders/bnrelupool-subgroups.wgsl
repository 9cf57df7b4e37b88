// The fused BatchNorm-ReLU-MaxPool's backward sums with subgroup operations
// (adapters with the `subgroups` feature): backward_reduce_subgroup is
// bnrelupool.wgsl's `backward_reduce`, the same code (batchnorm/channel-sums.wgsl)
// joined to prelude/subgroup-sum.wgsl instead of the workgroup tree.
enable subgroups;

// #include "bnrelupool/declarations.wgsl"
// #include "prelude/flat.wgsl"
// #include "prelude/subgroup-sum.wgsl"
// #include "batchnorm/channel-sums.wgsl"

@compute @workgroup_size(WG)
fn backward_reduce_subgroup(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = flat_workgroup(wid, nwg);
  if (c < p.C) { channel_sums_workgroup(c, lid); }
}
