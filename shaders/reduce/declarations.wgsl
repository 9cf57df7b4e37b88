// reduce.wgsl's uniforms and bindings, and the workgroup-per-output sum it
// shares with reduce-subgroups.wgsl (over workgroup_sum: the tree of
// prelude/workgroup-sum.wgsl there, subgroup operations here).

struct Params {
  outer: u32,
  n: u32,
  inner: u32,
  scale: f32,
  x_base: u32,
  out_base: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

override WG: u32 = 256;

// The first element of output o's axis in x (before x_base); its elements follow at stride inner.
fn axis_start(o: u32) -> u32 {
  return (o / p.inner) * p.n * p.inner + (o % p.inner);
}

// Output o (uniform across the workgroup; o ≥ outer·inner: nothing) from a
// grid-stride walk of its axis and a workgroup sum. Call in uniform control flow.
fn sum_axis_workgroup(o: u32, lid: u32) {
  let valid = o < p.outer * p.inner;
  var acc = 0.0;
  if (valid) {
    let base = axis_start(o);
    for (var k = lid; k < p.n; k += WG) {
      acc += x[p.x_base + base + k * p.inner];
    }
  }
  workgroup_sum(vec2<f32>(acc, 0.0), lid);
  if (valid && lid == 0u) {
    out[p.out_base + o] = workgroup_total().x * p.scale;
  }
}
