// MaxPool1d over rows of length L (PyTorch floor mode, no padding). Forward
// keeps the argmax (position in the row, first maximum wins); backward gathers,
// a thread per input position summing the gradients of every window whose
// argmax is that position, so overlapping windows (stride < kernel) need no atomics.
// backward_tiles (stride = kernel, the SampleCNN case): the windows tile each row,
// so a thread per window writes its `kernel` positions (the row's last window
// also zeroes the tail no window covers): a third of the threads and no
// per-position division.
// A chunk of rows of a tensor larger than one binding is bound from the aligned
// offset below it; in_base / out_base skip the elements before its first row
// in the length-L (x, gx) and length-Lout (out, argmax, gy) bindings.

// #include "prelude/flat.wgsl"

struct Params {
  rows: u32,
  L: u32,
  Lout: u32,
  kernel: u32,
  stride: u32,
  in_base: u32,
  out_base: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<storage, read_write> argmax: array<u32>;
@group(0) @binding(4) var<storage, read> gy: array<f32>;
@group(0) @binding(5) var<storage, read> saved_argmax: array<u32>;
@group(0) @binding(6) var<storage, read_write> gx: array<f32>;

override WG: u32 = 256;

// Output window o (one invocation each): its row's first element in x/gx, its
// first position (windows start every `step` positions), and whether it is the
// row's last window.
struct Window {
  base: u32,
  start: u32,
  last: bool,
}

fn window_at(o: u32, step: u32) -> Window {
  let row = o / p.Lout;
  let w = o - row * p.Lout;
  return Window(p.in_base + row * p.L, w * step, w + 1u == p.Lout);
}

@compute @workgroup_size(WG)
fn forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = flat_invocation(wid, nwg, lid, WG);
  if (o >= p.rows * p.Lout) { return; }
  let win = window_at(o, p.stride);
  var best = x[win.base + win.start];
  var at = win.start;
  for (var k = 1u; k < p.kernel; k++) {
    let v = x[win.base + win.start + k];
    if (v > best) {
      best = v;
      at = win.start + k;
    }
  }
  out[p.out_base + o] = best;
  argmax[p.out_base + o] = at;
}

@compute @workgroup_size(WG)
fn backward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flat_invocation(wid, nwg, lid, WG);
  if (i >= p.rows * p.L) { return; }
  let row = i / p.L;
  let pos = i % p.L;
  // Windows o with o·stride ≤ pos < o·stride + kernel.
  var first = 0u;
  if (pos + 1u > p.kernel) { first = (pos + 1u - p.kernel + p.stride - 1u) / p.stride; }
  let last = min(pos / p.stride, p.Lout - 1u);
  var acc = 0.0;
  for (var o = first; o <= last; o++) {
    let j = p.out_base + row * p.Lout + o;
    if (saved_argmax[j] == pos) { acc += gy[j]; }
  }
  gx[p.in_base + i] = acc;
}

@compute @workgroup_size(WG)
fn backward_tiles(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = flat_invocation(wid, nwg, lid, WG);
  if (o >= p.rows * p.Lout) { return; }
  let win = window_at(o, p.kernel);
  let hit = saved_argmax[p.out_base + o];
  let g = gy[p.out_base + o];
  let end = select(win.start + p.kernel, p.L, win.last);
  for (var pos = win.start; pos < end; pos++) {
    gx[win.base + pos] = select(0.0, g, pos == hit);
  }
}
