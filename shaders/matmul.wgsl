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
// dropped at the store. The unrolled bodies are written out on purpose; block
// shapes were chosen by measurement (see bench/matmul.ts and the commit log).

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

// 16×8 outputs per invocation; the workgroup covers 256×128.
@compute @workgroup_size(16, 16)
fn matmul_large(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let batch = wid.z;
  let r0 = wid.y * 256u + lid.y * 16u;
  let c = wid.x * 128u + lid.x;
  let last_m = max(p.M, 1u) - 1u;
  let last_n = max(p.N, 1u) - 1u;
  let sa_k = p.a_strides.z;
  let sb_k = p.b_strides.y;
  let a_base = p.a_strides.w + batch * p.a_strides.x;
  let b_base = p.b_strides.w + batch * p.b_strides.x;
  var ia0 = a_base + min(r0, last_m) * p.a_strides.y;
  var ia1 = a_base + min(r0 + 1u, last_m) * p.a_strides.y;
  var ia2 = a_base + min(r0 + 2u, last_m) * p.a_strides.y;
  var ia3 = a_base + min(r0 + 3u, last_m) * p.a_strides.y;
  var ia4 = a_base + min(r0 + 4u, last_m) * p.a_strides.y;
  var ia5 = a_base + min(r0 + 5u, last_m) * p.a_strides.y;
  var ia6 = a_base + min(r0 + 6u, last_m) * p.a_strides.y;
  var ia7 = a_base + min(r0 + 7u, last_m) * p.a_strides.y;
  var ia8 = a_base + min(r0 + 8u, last_m) * p.a_strides.y;
  var ia9 = a_base + min(r0 + 9u, last_m) * p.a_strides.y;
  var ia10 = a_base + min(r0 + 10u, last_m) * p.a_strides.y;
  var ia11 = a_base + min(r0 + 11u, last_m) * p.a_strides.y;
  var ia12 = a_base + min(r0 + 12u, last_m) * p.a_strides.y;
  var ia13 = a_base + min(r0 + 13u, last_m) * p.a_strides.y;
  var ia14 = a_base + min(r0 + 14u, last_m) * p.a_strides.y;
  var ia15 = a_base + min(r0 + 15u, last_m) * p.a_strides.y;
  var ib0 = b_base + min(c, last_n) * p.b_strides.z;
  var ib1 = b_base + min(c + 16u, last_n) * p.b_strides.z;
  var ib2 = b_base + min(c + 32u, last_n) * p.b_strides.z;
  var ib3 = b_base + min(c + 48u, last_n) * p.b_strides.z;
  var ib4 = b_base + min(c + 64u, last_n) * p.b_strides.z;
  var ib5 = b_base + min(c + 80u, last_n) * p.b_strides.z;
  var ib6 = b_base + min(c + 96u, last_n) * p.b_strides.z;
  var ib7 = b_base + min(c + 112u, last_n) * p.b_strides.z;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc1_1 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc2_1 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc3_1 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc4_1 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc5_1 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc6_1 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
  var acc7_1 = vec4<f32>(0.0);
  var acc8_0 = vec4<f32>(0.0);
  var acc8_1 = vec4<f32>(0.0);
  var acc9_0 = vec4<f32>(0.0);
  var acc9_1 = vec4<f32>(0.0);
  var acc10_0 = vec4<f32>(0.0);
  var acc10_1 = vec4<f32>(0.0);
  var acc11_0 = vec4<f32>(0.0);
  var acc11_1 = vec4<f32>(0.0);
  var acc12_0 = vec4<f32>(0.0);
  var acc12_1 = vec4<f32>(0.0);
  var acc13_0 = vec4<f32>(0.0);
  var acc13_1 = vec4<f32>(0.0);
  var acc14_0 = vec4<f32>(0.0);
  var acc14_1 = vec4<f32>(0.0);
  var acc15_0 = vec4<f32>(0.0);
  var acc15_1 = vec4<f32>(0.0);
  for (var k = 0u; k < p.K; k++) {
    let b0 = vec4<f32>(b[ib0], b[ib1], b[ib2], b[ib3]);
    let b1 = vec4<f32>(b[ib4], b[ib5], b[ib6], b[ib7]);
    let a0 = vec4<f32>(a[ia0]); acc0_0 = fma(a0, b0, acc0_0); acc0_1 = fma(a0, b1, acc0_1);
    let a1 = vec4<f32>(a[ia1]); acc1_0 = fma(a1, b0, acc1_0); acc1_1 = fma(a1, b1, acc1_1);
    let a2 = vec4<f32>(a[ia2]); acc2_0 = fma(a2, b0, acc2_0); acc2_1 = fma(a2, b1, acc2_1);
    let a3 = vec4<f32>(a[ia3]); acc3_0 = fma(a3, b0, acc3_0); acc3_1 = fma(a3, b1, acc3_1);
    let a4 = vec4<f32>(a[ia4]); acc4_0 = fma(a4, b0, acc4_0); acc4_1 = fma(a4, b1, acc4_1);
    let a5 = vec4<f32>(a[ia5]); acc5_0 = fma(a5, b0, acc5_0); acc5_1 = fma(a5, b1, acc5_1);
    let a6 = vec4<f32>(a[ia6]); acc6_0 = fma(a6, b0, acc6_0); acc6_1 = fma(a6, b1, acc6_1);
    let a7 = vec4<f32>(a[ia7]); acc7_0 = fma(a7, b0, acc7_0); acc7_1 = fma(a7, b1, acc7_1);
    let a8 = vec4<f32>(a[ia8]); acc8_0 = fma(a8, b0, acc8_0); acc8_1 = fma(a8, b1, acc8_1);
    let a9 = vec4<f32>(a[ia9]); acc9_0 = fma(a9, b0, acc9_0); acc9_1 = fma(a9, b1, acc9_1);
    let a10 = vec4<f32>(a[ia10]); acc10_0 = fma(a10, b0, acc10_0); acc10_1 = fma(a10, b1, acc10_1);
    let a11 = vec4<f32>(a[ia11]); acc11_0 = fma(a11, b0, acc11_0); acc11_1 = fma(a11, b1, acc11_1);
    let a12 = vec4<f32>(a[ia12]); acc12_0 = fma(a12, b0, acc12_0); acc12_1 = fma(a12, b1, acc12_1);
    let a13 = vec4<f32>(a[ia13]); acc13_0 = fma(a13, b0, acc13_0); acc13_1 = fma(a13, b1, acc13_1);
    let a14 = vec4<f32>(a[ia14]); acc14_0 = fma(a14, b0, acc14_0); acc14_1 = fma(a14, b1, acc14_1);
    let a15 = vec4<f32>(a[ia15]); acc15_0 = fma(a15, b0, acc15_0); acc15_1 = fma(a15, b1, acc15_1);
    ia0 += sa_k; ia1 += sa_k; ia2 += sa_k; ia3 += sa_k; ia4 += sa_k; ia5 += sa_k; ia6 += sa_k; ia7 += sa_k; ia8 += sa_k; ia9 += sa_k; ia10 += sa_k; ia11 += sa_k; ia12 += sa_k; ia13 += sa_k; ia14 += sa_k; ia15 += sa_k;
    ib0 += sb_k; ib1 += sb_k; ib2 += sb_k; ib3 += sb_k; ib4 += sb_k; ib5 += sb_k; ib6 += sb_k; ib7 += sb_k;
  }
  let out_base = batch * p.M * p.N;
  store(r0, c, acc0_0, out_base); store(r0, c + 64u, acc0_1, out_base);
  store(r0 + 1u, c, acc1_0, out_base); store(r0 + 1u, c + 64u, acc1_1, out_base);
  store(r0 + 2u, c, acc2_0, out_base); store(r0 + 2u, c + 64u, acc2_1, out_base);
  store(r0 + 3u, c, acc3_0, out_base); store(r0 + 3u, c + 64u, acc3_1, out_base);
  store(r0 + 4u, c, acc4_0, out_base); store(r0 + 4u, c + 64u, acc4_1, out_base);
  store(r0 + 5u, c, acc5_0, out_base); store(r0 + 5u, c + 64u, acc5_1, out_base);
  store(r0 + 6u, c, acc6_0, out_base); store(r0 + 6u, c + 64u, acc6_1, out_base);
  store(r0 + 7u, c, acc7_0, out_base); store(r0 + 7u, c + 64u, acc7_1, out_base);
  store(r0 + 8u, c, acc8_0, out_base); store(r0 + 8u, c + 64u, acc8_1, out_base);
  store(r0 + 9u, c, acc9_0, out_base); store(r0 + 9u, c + 64u, acc9_1, out_base);
  store(r0 + 10u, c, acc10_0, out_base); store(r0 + 10u, c + 64u, acc10_1, out_base);
  store(r0 + 11u, c, acc11_0, out_base); store(r0 + 11u, c + 64u, acc11_1, out_base);
  store(r0 + 12u, c, acc12_0, out_base); store(r0 + 12u, c + 64u, acc12_1, out_base);
  store(r0 + 13u, c, acc13_0, out_base); store(r0 + 13u, c + 64u, acc13_1, out_base);
  store(r0 + 14u, c, acc14_0, out_base); store(r0 + 14u, c + 64u, acc14_1, out_base);
  store(r0 + 15u, c, acc15_0, out_base); store(r0 + 15u, c + 64u, acc15_1, out_base);
}

// 4×4 outputs per invocation; the workgroup covers 64×64.
@compute @workgroup_size(16, 16)
fn matmul_small(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let batch = wid.z;
  let r0 = wid.y * 64u + lid.y * 4u;
  let c = wid.x * 64u + lid.x;
  let last_m = max(p.M, 1u) - 1u;
  let last_n = max(p.N, 1u) - 1u;
  let sa_k = p.a_strides.z;
  let sb_k = p.b_strides.y;
  let a_base = p.a_strides.w + batch * p.a_strides.x;
  let b_base = p.b_strides.w + batch * p.b_strides.x;
  var ia0 = a_base + min(r0, last_m) * p.a_strides.y;
  var ia1 = a_base + min(r0 + 1u, last_m) * p.a_strides.y;
  var ia2 = a_base + min(r0 + 2u, last_m) * p.a_strides.y;
  var ia3 = a_base + min(r0 + 3u, last_m) * p.a_strides.y;
  var ib0 = b_base + min(c, last_n) * p.b_strides.z;
  var ib1 = b_base + min(c + 16u, last_n) * p.b_strides.z;
  var ib2 = b_base + min(c + 32u, last_n) * p.b_strides.z;
  var ib3 = b_base + min(c + 48u, last_n) * p.b_strides.z;
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  for (var k = 0u; k < p.K; k++) {
    let b0 = vec4<f32>(b[ib0], b[ib1], b[ib2], b[ib3]);
    let a0 = vec4<f32>(a[ia0]); acc0_0 = fma(a0, b0, acc0_0);
    let a1 = vec4<f32>(a[ia1]); acc1_0 = fma(a1, b0, acc1_0);
    let a2 = vec4<f32>(a[ia2]); acc2_0 = fma(a2, b0, acc2_0);
    let a3 = vec4<f32>(a[ia3]); acc3_0 = fma(a3, b0, acc3_0);
    ia0 += sa_k; ia1 += sa_k; ia2 += sa_k; ia3 += sa_k;
    ib0 += sb_k; ib1 += sb_k; ib2 += sb_k; ib3 += sb_k;
  }
  let out_base = batch * p.M * p.N;
  store(r0, c, acc0_0, out_base);
  store(r0 + 1u, c, acc1_0, out_base);
  store(r0 + 2u, c, acc2_0, out_base);
  store(r0 + 3u, c, acc3_0, out_base);
}
