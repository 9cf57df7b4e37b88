// Flat indices on the folded 2-D grids of src/kernels/grid.ts (grid1d,
// threadsGrid): a dispatch wider than maxComputeWorkgroupsPerDimension
// continues on the y axis, so workgroup (x, y) is number x + y·nwg.x.
fn flat_workgroup(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return wid.x + wid.y * nwg.x;
}

// Invocation `lid` of that workgroup, for workgroups of `wg` invocations.
fn flat_invocation(wid: vec3<u32>, nwg: vec3<u32>, lid: u32, wg: u32) -> u32 {
  return flat_workgroup(wid, nwg) * wg + lid;
}
