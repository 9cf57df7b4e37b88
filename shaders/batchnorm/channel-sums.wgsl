// BatchNorm's backward sums Σg and Σg·x̂ of channel c over this chunk, shared
// by batchnorm.wgsl (g: the output gradient, masked by the fused ReLU) and
// bnrelupool.wgsl (g: the pooled gradient routed back through the argmax and
// the ReLU), and their subgroup forms. The includer defines what g and x are:
//   sample_len() -> u32: the positions of one (n, c) row that carry a gradient;
//   grad_x(n, c, i) -> vec2<f32>: (g, x) at position i of row (n, c);
// and saved, p.N, p.C, p.eps, write_sums and WG.

// One invocation per channel walking the rows in order (software adapters:
// no workgroup tree, no barrier, no per-element division). Each sample's row is
// summed on its own and then added to the total, which keeps f32 rounding
// close to the tree's.
fn channel_sums_serial(c: u32) {
  let m = saved[c];
  let inv = inverseSqrt(saved[p.C + c] + p.eps);
  let len = sample_len();
  var s = vec2<f32>(0.0);
  for (var n = 0u; n < p.N; n++) {
    var t = vec2<f32>(0.0);
    for (var i = 0u; i < len; i++) {
      let v = grad_x(n, c, i);
      t += vec2<f32>(v.x, v.x * (v.y - m));
    }
    s += vec2<f32>(t.x, t.y * inv);
  }
  write_sums(c, s);
}

// A workgroup per channel, through workgroup_sum: the tree of
// prelude/workgroup-sum.wgsl or the subgroup operations of
// prelude/subgroup-sum.wgsl, whichever the shader includes. Uniform control flow.
fn channel_sums_workgroup(c: u32, lid: u32) {
  let m = saved[c];
  let inv = inverseSqrt(saved[p.C + c] + p.eps);
  let len = sample_len();
  var s = vec2<f32>(0.0);
  for (var k = lid; k < p.N * len; k += WG) {
    let v = grad_x(k / len, c, k % len);
    s += vec2<f32>(v.x, v.x * (v.y - m) * inv);
  }
  workgroup_sum(s, lid);
  if (lid == 0u) { write_sums(c, workgroup_total()); }
}
