// Elementwise ops over tensors of rank <= 4 with numpy broadcasting. Inputs are
// read through strides (0 on a broadcast dim) and an element offset, so the same
// `unary` entry also serves as gather: copy, transpose, slice and broadcast_to.
// Tensors larger than one storage binding are processed in chunks: `out_base`
// is the chunk's first output element, and `a_bind`/`b_bind` the element at
// which an input's binding starts (0 when bound whole).

// #include "prelude/flat.wgsl"
// #include "prelude/strided.wgsl"

struct Params {
  n: u32,            // number of output elements
  op: u32,           // which operation (see the constants below)
  alpha: f32,        // op parameter (affine scale, log clamp)
  beta: f32,         // op parameter (affine shift)
  out_shape: vec4<u32>,
  a_strides: vec4<u32>,
  b_strides: vec4<u32>,
  a_offset: u32,
  b_offset: u32,
  out_base: u32,
  a_bind: u32,
  b_bind: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

override WG: u32 = 256;

const AFFINE: u32 = 0u;   // alpha * a + beta (copy/gather when alpha = 1, beta = 0)
const RELU: u32 = 1u;
const SIGMOID: u32 = 2u;
const EXP: u32 = 3u;
const LOG: u32 = 4u;      // log(max(a, alpha)): the clamp keeps log finite

const ADD: u32 = 0u;
const SUB: u32 = 1u;
const MUL: u32 = 2u;
const DIV: u32 = 3u;
const RELU_GRAD: u32 = 4u;     // a = relu input, b = upstream gradient
const SIGMOID_GRAD: u32 = 5u;  // a = sigmoid output, b = upstream gradient
const LOG_GRAD: u32 = 6u;      // a = log input, b = upstream gradient, alpha = clamp

fn source_index(local: u32, strides: vec4<u32>, offset: u32, bind: u32) -> u32 {
  return offset + strided_offset(local + p.out_base, p.out_shape, strides) - bind;
}

fn sigmoid(x: f32) -> f32 {
  // Two branches so exp never overflows for large |x|.
  if (x >= 0.0) {
    return 1.0 / (1.0 + exp(-x));
  }
  let e = exp(x);
  return e / (1.0 + e);
}

fn flat_id(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
  return flat_invocation(wid, nwg, lid, WG);
}

@compute @workgroup_size(WG)
fn unary(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flat_id(wid, nwg, lid);
  if (i >= p.n) { return; }
  let x = a[source_index(i, p.a_strides, p.a_offset, p.a_bind)];
  var y: f32;
  switch p.op {
    case RELU: { y = max(x, 0.0); }
    case SIGMOID: { y = sigmoid(x); }
    case EXP: { y = exp(min(x, 88.0)); }
    case LOG: { y = log(max(x, p.alpha)); }
    default: { y = p.alpha * x + p.beta; }
  }
  out[i] = y;
}

@compute @workgroup_size(WG)
fn binary(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flat_id(wid, nwg, lid);
  if (i >= p.n) { return; }
  let x = a[source_index(i, p.a_strides, p.a_offset, p.a_bind)];
  let g = b[source_index(i, p.b_strides, p.b_offset, p.b_bind)];
  var y: f32;
  switch p.op {
    case SUB: { y = x - g; }
    case MUL: { y = x * g; }
    case DIV: { y = x / g; }
    case RELU_GRAD: { y = select(0.0, g, x > 0.0); }
    case SIGMOID_GRAD: { y = g * x * (1.0 - x); }
    case LOG_GRAD: { y = g / max(x, p.alpha); }
    default: { y = x + g; }
  }
  out[i] = y;
}
