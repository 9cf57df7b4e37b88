// reduce.wgsl's workgroup-per-output sum with subgroup operations (adapters
// with the `subgroups` feature): sum_long_subgroup is its `sum_long`, the same
// code (reduce/declarations.wgsl) joined to prelude/subgroup-sum.wgsl instead
// of the workgroup tree.
enable subgroups;

// #include "reduce/declarations.wgsl"
// #include "prelude/flat.wgsl"
// #include "prelude/subgroup-sum.wgsl"

@compute @workgroup_size(WG)
fn sum_long_subgroup(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  sum_axis_workgroup(flat_workgroup(wid, nwg), lid);
}
