// Batched matrix product out[b] = A[b] · B[b] (+ bias over columns), with A and B
// read through strides so transposed operands need no copy. Tiled: a 16×16
// workgroup computes a 64×64 output tile, each thread a 4×4 register block,
// staging 64×16 slices of A and 16×64 slices of B in workgroup memory.

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

// The tile shape fixes the workgroup-memory arrays, so these are constants
// rather than overrides; 256 invocations fit every adapter we accept.
const TILE: u32 = 64u;
const TK: u32 = 16u;
const THREADS: u32 = 256u;

var<workgroup> As: array<f32, 1024>;   // [TK][TILE], k-major
var<workgroup> Bs: array<f32, 1024>;   // [TK][TILE], k-major

@compute @workgroup_size(16, 16)
fn matmul(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let batch = wid.z;
  let row0 = wid.y * TILE;
  let col0 = wid.x * TILE;
  let a_base = p.a_strides.w + batch * p.a_strides.x;
  let b_base = p.b_strides.w + batch * p.b_strides.x;
  var acc: array<f32, 16>;
  for (var i = 0u; i < 16u; i++) { acc[i] = 0.0; }

  for (var k0 = 0u; k0 < p.K; k0 += TK) {
    for (var r = 0u; r < 4u; r++) {
      let e = lid + r * THREADS;
      // A slice: consecutive threads walk k so row-major A reads are contiguous.
      let am = e / TK;
      let ak = e % TK;
      let gm = row0 + am;
      let gk = k0 + ak;
      var av = 0.0;
      if (gm < p.M && gk < p.K) { av = a[a_base + gm * p.a_strides.y + gk * p.a_strides.z]; }
      As[ak * TILE + am] = av;
      // B slice: consecutive threads walk n.
      let bk = e / TILE;
      let bn = e % TILE;
      let gk2 = k0 + bk;
      let gn = col0 + bn;
      var bv = 0.0;
      if (gk2 < p.K && gn < p.N) { bv = b[b_base + gk2 * p.b_strides.y + gn * p.b_strides.z]; }
      Bs[bk * TILE + bn] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var av4: array<f32, 4>;
      var bv4: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        av4[i] = As[kk * TILE + lid3.y + 16u * i];
        bv4[i] = Bs[kk * TILE + lid3.x + 16u * i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
          acc[i * 4u + j] = fma(av4[i], bv4[j], acc[i * 4u + j]);
        }
      }
    }
    workgroupBarrier();
  }

  let out_base = batch * p.M * p.N;
  for (var i = 0u; i < 4u; i++) {
    let gm = row0 + lid3.y + 16u * i;
    if (gm >= p.M) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let gn = col0 + lid3.x + 16u * j;
      if (gn >= p.N) { continue; }
      var v = acc[i * 4u + j];
      if (p.has_bias != 0u) { v += bias[gn]; }
      out[out_base + gm * p.N + gn] = v;
    }
  }
}
