// The entry points of BatchNorm's backward sums over batchnorm/channel-sums.wgsl,
// the same in batchnorm.wgsl and bnrelupool.wgsl (their subgroup forms are in
// the *-subgroups.wgsl shaders): backward_reduce, a workgroup per channel
// (GPUs), and backward_reduce_serial, an invocation per channel (software
// adapters, where SwiftShader runs 256-wide workgroups with barriers slowly).

// Invocations per workgroup of the serial entries (one channel each).
const SERIAL_WG: u32 = 8u;

@compute @workgroup_size(WG)
fn backward_reduce(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = flat_workgroup(wid, nwg);
  if (c < p.C) { channel_sums_workgroup(c, lid); }
}

@compute @workgroup_size(SERIAL_WG)
fn backward_reduce_serial(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x < p.C) { channel_sums_serial(gid.x); }
}
