// Inverted dropout with a counter-based hash as the random source, so the
// backward pass regenerates the same mask from (seed, index) without storing it.
// A tensor larger than one binding is split into chunks; `first` is the global
// index of a chunk's element 0, so the mask does not depend on the split.

// #include "prelude/flat.wgsl"

struct Params {
  n: u32,
  first: u32,
  seed: u32,
  threshold: u32,   // an element is dropped when hash < threshold (= p · 2^32)
  scale: f32,       // 1 / (1 - p)
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

override WG: u32 = 256;

// PCG-style integer hash (good avalanche for consecutive indices).
fn hash(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

@compute @workgroup_size(WG)
fn apply_mask(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flat_invocation(wid, nwg, lid, WG);
  if (i >= p.n) { return; }
  let r = hash((p.first + i) ^ hash(p.seed));
  out[i] = select(x[i] * p.scale, 0.0, r < p.threshold);
}
