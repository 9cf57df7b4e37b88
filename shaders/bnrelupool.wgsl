// BatchNorm1d → ReLU → MaxPool1d(kernel, stride = kernel) as one op, the block
// every SampleCNN layer after the first ends with. The normalised and rectified
// activation is never stored: forward writes only the pooled output and its
// argmax, and backward rebuilds the gradient at the BatchNorm output from them
// (gy at the argmax of each window whose maximum is > 0, the ReLU's gradient,
// 0 elsewhere). The batch statistics come from batchnorm.wgsl's `stats`
// entries; the formulas are those of batchnorm.wgsl and maxpool.wgsl:
//   v = max((x − mean)·γ/√(var + eps) + β, 0); out = max over the window, the
//   first maximum's position in argmax (as PyTorch, ties to the first).
//   dx = a·g − a·Σg/M − a·inv·Σg·x̂/M·(x − mean) in training, a·g in eval,
//   with a = γ·inv, inv = 1/√(var + eps), M = n_total·L.
// Windows tile each row from position 0; positions after the last window (L
// not a multiple of the kernel) get g = 0 but still their BatchNorm gradient.
//
// A tensor larger than one storage binding is processed in chunks of whole
// samples: N is then the chunk's sample count and n_total the batch's; `base`
// and `pbase` are the elements to skip at the start of the length-L bindings
// (x, gx) and of the length-Lout ones (out, argmax, gout, pooled).

// #include "bnrelupool/declarations.wgsl"
// #include "prelude/flat.wgsl"
// #include "prelude/workgroup-sum.wgsl"
// #include "batchnorm/channel-sums.wgsl"
// #include "batchnorm/backward-reduce.wgsl"

// Output window o of the flat grid (forward and backward_input run one
// invocation per window): its channel, first position, the row's first element
// in x/gx, and whether o is inside the chunk.
struct Window {
  o: u32,
  c: u32,
  start: u32,
  last: bool,   // the row's last window, which also owns the uncovered tail
  r: u32,
  valid: bool,
}

fn window_of(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> Window {
  let o = flat_invocation(wid, nwg, lid, WG);
  let row = o / p.Lout;
  let w = o - row * p.Lout;
  return Window(o, row % p.C, w * p.kernel, w + 1u == p.Lout, p.base + row * p.L, o < p.N * p.C * p.Lout);
}

@compute @workgroup_size(WG)
fn forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let win = window_of(wid, nwg, lid);
  if (!win.valid) { return; }
  let c = win.c;
  let start = win.start;
  let r = win.r;
  let m = saved[c];
  let scale = inverseSqrt(saved[p.C + c] + p.eps) * gamma[c];
  let shift = beta[c];
  var best = max((x[r + start] - m) * scale + shift, 0.0);
  var at = start;
  for (var k = 1u; k < p.kernel; k++) {
    let v = max((x[r + start + k] - m) * scale + shift, 0.0);
    if (v > best) {
      best = v;
      at = start + k;
    }
  }
  out[p.pbase + win.o] = best;
  argmax[p.pbase + win.o] = at;
}

// gx for the positions of one window, one invocation per window; the row's
// last window also writes the tail no window covers.
@compute @workgroup_size(WG)
fn backward_input(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let win = window_of(wid, nwg, lid);
  if (!win.valid) { return; }
  let c = win.c;
  let m = saved[c];
  let inv = inverseSqrt(saved[p.C + c] + p.eps);
  let a = gamma[c] * inv;
  var b = 0.0;
  var d = 0.0;
  if (p.training != 0u) {
    let M = f32(p.n_total * p.L);
    b = a * sums_in[c] / M;
    d = a * inv * sums_in[p.C + c] / M;
  }
  let j = p.pbase + win.o;
  let g = window_grad(j);
  let hit = saved_argmax[j];
  let end = select(win.start + p.kernel, p.L, win.last);
  for (var pos = win.start; pos < end; pos++) {
    gx[win.r + pos] = a * select(0.0, g, pos == hit) - b - d * (x[win.r + pos] - m);
  }
}
