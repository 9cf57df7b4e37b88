// Binary cross-entropy on logits with an optional weight / mask, reduced to a
// scalar Σ w·ℓ / D, where D = Σ w (masked mean, the default) or the element
// count (PyTorch's `weight`). ℓ = max(x, 0) − x·y + log1p(exp(−|x|)) never
// overflows. Weights index as w[i / w_div]: w_div = 1 for a weight per element,
// the row width for a weight per row (a row mask).
// forward: one workgroup, grid-stride sums of w·ℓ and w, tree-reduced.
// backward: dℓ/dx = w·(σ(x) − y)·g / D, a thread per element.

// #include "prelude/flat.wgsl"
// #include "prelude/workgroup-sum.wgsl"

struct Params {
  n: u32,
  w_div: u32,
  has_weight: u32,
  by_count: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<f32>;
@group(0) @binding(3) var<storage, read> weight: array<f32>;
@group(0) @binding(4) var<storage, read_write> loss: array<f32>;     // [loss, denominator]
@group(0) @binding(5) var<storage, read> saved: array<f32>;          // forward's [loss, denominator]
@group(0) @binding(6) var<storage, read> grad_out: array<f32>;       // [1]
@group(0) @binding(7) var<storage, read_write> grad_logits: array<f32>;

const WG: u32 = 256u;

fn weight_at(i: u32) -> f32 {
  if (p.has_weight == 0u) { return 1.0; }
  return weight[i / p.w_div];
}

// log(1 + u) for u in (0, 1], accurate for small u without a log1p builtin.
fn log1p_small(u: f32) -> f32 {
  let v = 1.0 + u;
  if (v == 1.0) { return u; }
  return log(v) * (u / (v - 1.0));
}

@compute @workgroup_size(WG)
fn forward(@builtin(local_invocation_index) lid: u32) {
  var sl = 0.0;
  var sw = 0.0;
  for (var i = lid; i < p.n; i += WG) {
    let x = logits[i];
    let w = weight_at(i);
    sl += w * (max(x, 0.0) - x * targets[i] + log1p_small(exp(-abs(x))));
    sw += w;
  }
  workgroup_sum(vec2<f32>(sl, sw), lid);
  let t = workgroup_total();
  if (lid == 0u) {
    var d = t.y;
    if (p.by_count != 0u) { d = f32(p.n); }
    // An all-zero mask gives loss 0 (and zero gradients), never 0/0.
    var l = 0.0;
    if (d > 0.0) { l = t.x / d; }
    loss[0] = l;
    loss[1] = d;
  }
}

@compute @workgroup_size(WG)
fn backward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flat_invocation(wid, nwg, lid, WG);
  if (i >= p.n) { return; }
  let d = saved[1];
  var g = 0.0;
  if (d > 0.0) {
    let x = logits[i];
    // σ(x) from exp(−|x|) so it never overflows.
    let e = exp(-abs(x));
    var s = 1.0 / (1.0 + e);
    if (x < 0.0) { s = e / (1.0 + e); }
    g = weight_at(i) * (s - targets[i]) * grad_out[0] / d;
  }
  grad_logits[i] = g;
}
