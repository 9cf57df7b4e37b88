// Strided addressing of tensors of rank ≤ 4 (shapes padded with leading 1s,
// src/kernels/shape.ts pad4): element i of the row-major order of `shape`, at
// its coordinates dotted with `strides` (0 on a broadcast dimension).
fn strided_offset(i: u32, shape: vec4<u32>, strides: vec4<u32>) -> u32 {
  let c3 = i % shape.w;
  let r2 = i / shape.w;
  let c2 = r2 % shape.z;
  let r1 = r2 / shape.z;
  let c1 = r1 % shape.y;
  let c0 = r1 / shape.y;
  return c0 * strides.x + c1 * strides.y + c2 * strides.z + c3 * strides.w;
}
