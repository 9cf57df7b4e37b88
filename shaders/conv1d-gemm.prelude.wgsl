// conv1d as a register-blocked implicit GEMM that never materialises im2col:
// the forward pass (any stride) and the stride-1 grad-input. conv1d-gemm.gen.ts
// appends the entry points, one per block shape, at build time.

struct Params {
  N: u32,           // signals
  M: u32,           // output rows
  ncol: u32,        // output columns (positions) per signal
  C: u32,           // channels reduced over
  K: u32,           // taps
  a_row: u32,       // lhs (weight) strides: per output row, per reduced channel, per tap
  a_c: u32,
  a_k: u32,
  b_n: u32,         // rhs strides: per signal, per reduced channel
  b_c: u32,
  Lin: u32,         // rhs positions that exist (0 ≤ q < Lin; others read as zero)
  col_stride: u32,  // rhs position of column j, tap k: j·col_stride + k·tap_step + tap_base
  tap_step: i32,
  tap_base: i32,
  out_n: u32,       // output stride per signal
  has_bias: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
@group(0) @binding(8) var<storage, read> lhs: array<f32>;
@group(0) @binding(9) var<storage, read> rhs: array<f32>;

// Written like matmul (see matmul.prelude.wgsl for why):
//   out[n, r, j] = Σ_(k, ch) lhs[r·a_row + ch·a_c + k·a_k] · rhs[n·b_n + ch·b_c + q(j, k)]
//   q(j, k) = j·col_stride + k·tap_step + tap_base, zero outside 0 ≤ q < Lin.
// forward:    r = co, ch = ci, lhs = w, rhs = x,  q = l·stride + k − padding
// grad_input: r = ci, ch = co, lhs = w, rhs = gy, q = i + padding − k
// Columns flatten (n, j), so short signals still fill the lanes.
// Lanes run along positions j, so rhs loads are contiguous across lanes (stride
// 1) and lhs loads are lane-uniform broadcasts. The tap loop is outside the
// channel loop, so padding is a per-tap 0/1 mask on clamped indices and the
// inner loop is loads and FMAs only.
override WG_Y: u32 = 16u;

// Flattened columns c, c+16, c+32, c+48 of one row.
fn store_gemm(row: u32, c: u32, v: vec4<f32>) {
  if (row >= p.M) { return; }
  var b = 0.0;
  if (p.has_bias != 0u) { b = bias[row]; }
  for (var j = 0u; j < 4u; j++) {
    let col = c + 16u * j;
    if (col < p.N * p.ncol) {
      let n = col / p.ncol;
      out[n * p.out_n + row * p.ncol + col - n * p.ncol] = v[j] + b;
    }
  }
}
