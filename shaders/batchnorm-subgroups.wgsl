// BatchNorm1d's per-channel reductions with subgroup operations (adapters with
// the `subgroups` feature): stats_subgroup and backward_reduce_subgroup are
// batchnorm.wgsl's `stats` and `backward_reduce`, the same code
// (batchnorm/stats.wgsl, batchnorm/channel-sums.wgsl) joined to prelude/subgroup-sum.wgsl instead of
// the workgroup tree: one subgroupAdd per subgroup and one pass over the
// per-subgroup partials instead of an eight-step tree with a barrier per step.
enable subgroups;

// #include "batchnorm/declarations.wgsl"
// #include "prelude/flat.wgsl"
// #include "prelude/subgroup-sum.wgsl"
// #include "batchnorm/stats.wgsl"
// #include "batchnorm/channel-sums.wgsl"

@compute @workgroup_size(WG)
fn stats_subgroup(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = flat_workgroup(wid, nwg);
  if (c < p.C) { channel_stats(c, lid); }
}

@compute @workgroup_size(WG)
fn backward_reduce_subgroup(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = flat_workgroup(wid, nwg);
  if (c < p.C) { channel_sums_workgroup(c, lid); }
}
