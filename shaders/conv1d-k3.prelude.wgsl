// Prelude of the K = 3 GEMM kernels (conv1d-k3.gen.ts appends the unrolled
// entry points conv_k3_r16/r8/r4 and conv_k3u_r16 to it at build time).
//
// conv_k3_r*: the implicit GEMM of conv_gemm_* (conv1d-gemm.prelude.wgsl) for K = 3 and
// stride-1 columns, but each invocation owns 8 *contiguous* output columns of
// one signal and loads the 10-wide window of rhs they share once per channel;
// the three taps are shifted views of it. That is 10 per-lane loads per channel
// for 24 products per row instead of 24. Window element u is rhs position
// j0 + tap_base + win_shift + u; window offset o ∈ {0,1,2} pairs with lhs offset
// k_off<o> (forward: tap o; grad-input: tap 2 − o, win_shift −2). Rows come from
// the workgroup id, so weight reads are workgroup-uniform; that makes them
// cheap only from a uniform buffer on llvmpipe (conv_k3u_*), see below.
//   forward:    rows = co, channels = ci, lhs = w, rhs = x
//   grad_input: rows = ci, channels = co, lhs = w, rhs = gy

// #include "prelude/flat.wgsl"

struct Params {
  N: u32,           // signals
  M: u32,           // output rows
  ncol: u32,        // output columns (positions) per signal
  C: u32,           // channels reduced over
  has_bias: u32,
  a_row: u32,       // lhs (weight) strides: per output row, per reduced channel
  a_c: u32,
  b_n: u32,         // rhs strides: per signal, per reduced channel
  b_c: u32,
  Lin: u32,         // rhs positions that exist (others read as zero)
  tap_base: i32,    // rhs position of column 0, window offset 0, before win_shift
  out_n: u32,       // output stride per signal
  nblk: u32,        // 8-column blocks per signal: ceil(ncol / 8)
  win_shift: i32,   // window start relative to j0 + tap_base: 0 forward, −2 grad-input
  k_off0: u32,      // lhs offset of the tap paired with window offset 0, 1, 2
  k_off1: u32,
  k_off2: u32,
  c0: u32,          // conv_k3u_*: channels c0 … c1−1 of this dispatch, its first row,
  c1: u32,          // and whether it adds to out (chunks after the first)
  r_base: u32,
  accumulate: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
@group(0) @binding(8) var<storage, read> lhs: array<f32>;
@group(0) @binding(9) var<storage, read> rhs: array<f32>;

override WG_X: u32 = 64u;

// Weights for conv_k3_r*, packed so one vec4 load serves 4 rows (measured: no
// faster than scalar loads on llvmpipe, where each component still costs a
// per-lane store and reload; kept as the storage path for other adapters).
// wq[(ch·mb4 + row/4)·3 + o][row % 4] = lhs[row·a_row + ch·a_c + k_off<o>],
// zero for rows ≥ M (mb4 = ceil(M / 4)).
@group(0) @binding(10) var<storage, read_write> wq_out: array<vec4<f32>>;
@group(0) @binding(11) var<storage, read> wq: array<vec4<f32>>;
// Weights for conv_k3u_*, in a uniform buffer: llvmpipe turns uniform-buffer reads
// at a workgroup-uniform index into one scalar load and a broadcast, where a
// storage-buffer read is a per-lane loop. One binding holds 16 rows × up to
// WU_CH = 64 channels × 3 taps (12 KiB, under the 16 KiB compatibility limit):
// wu[ch_local·12 + o·4 + q][t] = weight of row r_base + 4q + t, channel c0 + ch_local,
// window offset o. pack_k3u writes all (row group, chunk) blocks at once.
@group(0) @binding(13) var<uniform> wu: array<vec4<f32>, 768>;

// The weights of rows row0 … row0+3, channel ch, window offset o (its tap:
// k_off<o>) as one vec4, zero for rows ≥ M or ch ≥ C: the packing of wq and wu.
fn four_rows(row0: u32, ch: u32, o: u32) -> vec4<f32> {
  let koff = select(select(p.k_off2, p.k_off1, o == 1u), p.k_off0, o == 0u);
  var v = vec4<f32>(0.0);
  for (var u = 0u; u < 4u; u++) {
    let row = row0 + u;
    if (row < p.M && ch < p.C) { v[u] = lhs[row * p.a_row + ch * p.a_c + koff]; }
  }
  return v;
}

@compute @workgroup_size(64)
fn pack_k3u(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let flat = flat_invocation(wid, nwg, t, 64u);
  let chunks = (p.C + 63u) / 64u;
  let groups = (p.M + 15u) / 16u;
  if (flat >= groups * chunks * 768u) { return; }
  let q = flat % 4u;
  let o = (flat / 4u) % 3u;
  let chl = (flat / 12u) % 64u;
  let gh = flat / 768u;
  let h = gh % chunks;
  let g = gh / chunks;
  wq_out[flat] = four_rows(g * 16u + q * 4u, h * 64u + chl, o);
}


@compute @workgroup_size(64)
fn pack_k3(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let flat = flat_invocation(wid, nwg, t, 64u);
  let mb4 = (p.M + 3u) / 4u;
  if (flat >= p.C * mb4 * 3u) { return; }
  let o = flat % 3u;
  let rest = flat / 3u;
  let rb = rest % mb4;
  wq_out[flat] = four_rows(rb * 4u, rest / mb4, o);
}

// Columns j0 … j0+7 of one row (v0, v1) into out at ob (the signal's first
// output), plus the bias; added to what out holds when `accumulate` (the channel
// chunks of conv_k3u_* after the first).
fn store_k3(row: u32, ob: u32, j0: u32, v0: vec4<f32>, v1: vec4<f32>, accumulate: bool) {
  if (row >= p.M) { return; }
  var b = 0.0;
  if (p.has_bias != 0u) { b = bias[row]; }
  let base = ob + row * p.ncol;
  for (var u = 0u; u < 4u; u++) {
    if (j0 + u < p.ncol) { out[base + u] = select(v0[u] + b, out[base + u] + v0[u], accumulate); }
    if (j0 + 4u + u < p.ncol) { out[base + 4u + u] = select(v1[u] + b, out[base + 4u + u] + v1[u], accumulate); }
  }
}
