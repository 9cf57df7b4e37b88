// Batched matrix product out[b] = A[b] · B[b] (+ bias over columns), with A and B
// read through strides so transposed operands need no copy.
//
// Register blocking without workgroup memory. Each invocation of a 16×16
// workgroup accumulates a block of rows × (4·groups) outputs in named vec4
// registers: rows r0.., columns c, c+16, c+32, ... Neighbouring invocations
// along x read neighbouring columns of B and the same elements of A, which
// SIMD-over-invocations implementations (llvmpipe, SwiftShader) turn into
// contiguous vector loads and broadcasts. No barriers, no dynamically indexed
// private arrays (CPU backends spill those to the stack), and no branches in the
// inner loop: out-of-range rows/columns read a clamped valid element and are
// dropped at the store. The bodies are unrolled on purpose, by matmul.gen.ts,
// which appends one entry point per block shape at build time; block shapes
// were chosen by measurement (see bench/matmul.ts and the commit log).

struct Params {
  M: u32,
  N: u32,
  K: u32,
  has_bias: u32,
  a_strides: vec4<u32>,   // batch, row (m), column (k), element offset
  b_strides: vec4<u32>,   // batch, row (k), column (n), element offset
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
// B again, four columns an element, for the *_v4 entry points: they need B's
// columns contiguous and its rows, batches, offset and N multiples of 4
// (src/kernels/matmul.ts checks). A lane then reads 4 neighbouring columns in
// one load instead of 4 loads 16 columns apart: 10-16% faster at 512³ on
// llvmpipe and SwiftShader, with the same sums in the same order.
@group(0) @binding(5) var<storage, read> b4: array<vec4<f32>>;

// Columns c, c+16, c+32, c+48 of one row.
fn store(row: u32, c: u32, v: vec4<f32>, out_base: u32) {
  if (row >= p.M) { return; }
  for (var j = 0u; j < 4u; j++) {
    let n = c + 16u * j;
    if (n < p.N) {
      var x = v[j];
      if (p.has_bias != 0u) { x += bias[n]; }
      out[out_base + row * p.N + n] = x;
    }
  }
}

// Columns c … c+3 of one row (c and N multiples of 4).
fn store4(row: u32, c: u32, v: vec4<f32>, out_base: u32) {
  if (row >= p.M || c >= p.N) { return; }
  var x = v;
  if (p.has_bias != 0u) { x += vec4<f32>(bias[c], bias[c + 1u], bias[c + 2u], bias[c + 3u]); }
  let o = out_base + row * p.N + c;
  out[o] = x.x;
  out[o + 1u] = x.y;
  out[o + 2u] = x.z;
  out[o + 3u] = x.w;
}
