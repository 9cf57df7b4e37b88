// The backward sums of bnrelupool.wgsl, a workgroup per channel, over
// workgroup_sum: bnrelupool.wgsl joins it to the tree of
// prelude/workgroup-sum.wgsl, bnrelupool-subgroups.wgsl to the subgroup
// operations of prelude/subgroup-sum.wgsl. Call in uniform control flow.

// Channel c's Σg and Σg·x̂ over this chunk's windows.
fn channel_backward_sums(c: u32, lid: u32) {
  let m = saved[c];
  let inv = inverseSqrt(saved[p.C + c] + p.eps);
  var s = vec2<f32>(0.0);
  for (var k = lid; k < p.N * p.Lout; k += WG) {
    let row = (k / p.Lout) * p.C + c;
    let j = p.pbase + row * p.Lout + k % p.Lout;
    let g = window_grad(j);
    s += vec2<f32>(g, g * (x[p.base + row * p.L + saved_argmax[j]] - m) * inv);
  }
  workgroup_sum(s, lid);
  if (lid == 0u) { write_sums(c, workgroup_total()); }
}
