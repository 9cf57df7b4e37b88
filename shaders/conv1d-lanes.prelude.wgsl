// conv1d grad-weight with 64 lanes along the flattened (n, l) axis per block of
// 8 output × 8 input channels and one tap (grad_weight_lanes, which
// conv1d-lanes.gen.ts appends at build time).

// #include "prelude/flat.wgsl"
// #include "conv1d/declarations.wgsl"

// grad_weight_lanes: gw[co, ci, k] = Σ_(n, l) gy[n, co, l] · x[n, ci, l·stride + k − padding].
// One workgroup per (8 co × 8 ci block, tap k, split = chunk of the flattened
// (n, l) axis); its 64 lanes walk (n, l), so both operands are read contiguously
// across lanes (within a signal), and each lane accumulates the 64 products of
// its block in named registers (unrolled as in matmul.prelude.wgsl). The lanes
// are summed once at the end through workgroup memory; the splits are summed
// by the caller (reduce.wgsl). Workgroups beyond the last split (the grid is
// rounded up) compute a clamped copy and store nothing, so the barrier stays in
// uniform control flow.
var<workgroup> red: array<f32, 4096>;
