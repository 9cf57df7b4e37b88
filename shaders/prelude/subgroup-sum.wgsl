// workgroup_sum and workgroup_total of workgroup-sum.wgsl (same contract: WG
// declared by the includer, uniform control flow, the result read after the
// call) with subgroup operations, for devices with the `subgroups` feature
// (the including shader starts with `enable subgroups;`): one subgroupAdd per
// subgroup, then one pass over the per-subgroup partials, instead of a tree
// with a barrier per level. Subgroup leaders take partial slots through an
// atomic counter, so nothing assumes how invocations are laid out in
// subgroups or how large a subgroup is. The partials are added in slot order,
// which may differ between runs: the sum is exact up to f32 reassociation.
var<workgroup> subgroup_part: array<vec2<f32>, 256>;
var<workgroup> subgroup_slots: atomic<u32>;

fn workgroup_sum(v: vec2<f32>, lid: u32) {
  // The previous call's result has been read by every invocation.
  workgroupBarrier();
  if (lid == 0u) { atomicStore(&subgroup_slots, 0u); }
  workgroupBarrier();
  let s = subgroupAdd(v);
  if (subgroupElect()) { subgroup_part[atomicAdd(&subgroup_slots, 1u)] = s; }
  workgroupBarrier();
}

fn workgroup_total() -> vec2<f32> {
  var t = vec2<f32>(0.0);
  for (var i = 0u; i < atomicLoad(&subgroup_slots); i++) { t += subgroup_part[i]; }
  return t;
}
