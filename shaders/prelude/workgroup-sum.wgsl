// Workgroup reductions as a tree in workgroup memory: log2(WG) halving steps,
// a barrier after each. The includer declares WG (const or override: its
// workgroup size, a power of two ≤ 256) and calls workgroup_sum (or
// workgroup_max) in uniform control flow with every invocation of the
// workgroup, then reads the result with workgroup_total(), the same in every
// invocation until the next call. subgroup-sum.wgsl has the same functions
// with subgroup operations, so a shader's reductions switch form by which
// file it includes.
//
// Why the result is read by a second function: on llvmpipe (Mesa 22.3, Dawn's
// OpenGL backend) a function that runs the barriers and returns tree_x[0]
// gave every invocation but the first a partial sum (measured: batchnorm
// statistics off by 1%), while the same read outside that function is right.
var<workgroup> tree_x: array<f32, 256>;
var<workgroup> tree_y: array<f32, 256>;

// Σ over the workgroup of both components of v (workgroup_total() after it).
fn workgroup_sum(v: vec2<f32>, lid: u32) {
  // The previous call's result has been read by every invocation.
  workgroupBarrier();
  tree_x[lid] = v.x;
  tree_y[lid] = v.y;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h = h / 2u) {
    if (lid < h) {
      tree_x[lid] += tree_x[lid + h];
      tree_y[lid] += tree_y[lid + h];
    }
    workgroupBarrier();
  }
}

// The maximum over the workgroup of v, as workgroup_total().x.
fn workgroup_max(v: f32, lid: u32) {
  workgroupBarrier();
  tree_x[lid] = v;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h = h / 2u) {
    if (lid < h) { tree_x[lid] = max(tree_x[lid], tree_x[lid + h]); }
    workgroupBarrier();
  }
}

fn workgroup_total() -> vec2<f32> {
  return vec2<f32>(tree_x[0], tree_y[0]);
}
