// BatchNorm's batch statistics with a workgroup per channel, over
// workgroup_sum: batchnorm.wgsl joins them to the tree of
// prelude/workgroup-sum.wgsl, batchnorm-subgroups.wgsl to the subgroup
// operations of prelude/subgroup-sum.wgsl. Call in uniform control flow.

// Channel c's statistics: the mean, then the centred sum of squares around it
// (which avoids E[x²] − E[x]² cancellation).
fn channel_stats(c: u32, lid: u32) {
  let M = p.N * p.L;
  var s = 0.0;
  for (var k = lid; k < M; k += WG) { s += x[at(k, c)]; }
  workgroup_sum(vec2<f32>(s, 0.0), lid);
  let m = workgroup_total().x / f32(M);
  var q = 0.0;
  for (var k = lid; k < M; k += WG) {
    let d = x[at(k, c)] - m;
    q += d * d;
  }
  workgroup_sum(vec2<f32>(q, 0.0), lid);
  if (lid == 0u) { write_stats(c, m, workgroup_total().x, f32(M)); }
}
