// Fused optimizer updates, in place on parameters and state, PyTorch semantics.

// #include "prelude/flat.wgsl"

struct AdamParams {
  n: u32,
  decoupled: u32,       // 1 = AdamW (decay the weights), 0 = Adam (L2 added to the gradient)
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  weight_decay: f32,
  bias_correction1: f32,   // 1 - beta1^t
  bias_correction2: f32,   // 1 - beta2^t
}

struct SgdParams {
  n: u32,
  first_step: u32,      // PyTorch seeds the momentum buffer with the first gradient
  nesterov: u32,
  lr: f32,
  momentum: f32,
  dampening: f32,
  weight_decay: f32,
}

@group(0) @binding(0) var<uniform> ap: AdamParams;
@group(0) @binding(1) var<storage, read_write> param: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;
@group(0) @binding(5) var<uniform> sp: SgdParams;

override WG: u32 = 256;

@compute @workgroup_size(WG)
fn adam(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flat_invocation(wid, nwg, lid, WG);
  if (i >= ap.n) { return; }
  var w = param[i];
  var g = grad[i];
  if (ap.decoupled != 0u) {
    w = w * (1.0 - ap.lr * ap.weight_decay);
  } else {
    g = g + ap.weight_decay * w;
  }
  let mi = ap.beta1 * m[i] + (1.0 - ap.beta1) * g;
  let vi = ap.beta2 * v[i] + (1.0 - ap.beta2) * g * g;
  m[i] = mi;
  v[i] = vi;
  let denom = sqrt(vi / ap.bias_correction2) + ap.eps;
  param[i] = w - ap.lr * (mi / ap.bias_correction1) / denom;
}

@compute @workgroup_size(WG)
fn sgd(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flat_invocation(wid, nwg, lid, WG);
  if (i >= sp.n) { return; }
  let w = param[i];
  var g = grad[i] + sp.weight_decay * w;
  if (sp.momentum != 0.0) {
    var buf: f32;
    if (sp.first_step != 0u) {
      buf = g;
    } else {
      buf = sp.momentum * m[i] + (1.0 - sp.dampening) * g;
    }
    m[i] = buf;
    if (sp.nesterov != 0u) {
      g = g + sp.momentum * buf;
    } else {
      g = buf;
    }
  }
  param[i] = w - sp.lr * g;
}
