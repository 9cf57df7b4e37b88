// Batched, strided matrix product with optional fused bias (see matmul.wgsl).
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/matmul.wgsl';

export const MATMUL = {
  name: 'matmul',
  source,
  entries: { matmul_large: ['a', 'b', 'bias', 'out'], matmul_small: ['a', 'b', 'bias', 'out'] },
} as const;

/** Output tile of one workgroup for each entry point (see matmul.wgsl). */
const TILES = { matmul_large: [256, 128], matmul_small: [64, 64] } as const;

/** A matrix operand: element (batch, row, col) is at offset + batch·s[0] + row·s[1] + col·s[2]. */
export interface MatrixOperand {
  buffer: BufferBinding;
  strides: readonly [number, number, number];
  offset: number;
}

export function matmulKernel(ctx: GpuContext, a: MatrixOperand, b: MatrixOperand, out: BufferBinding, batch: number, M: number, N: number, K: number, bias: BufferBinding | null): void {
  if (batch * M * N === 0) return;
  // The large tile wastes work unless it is mostly filled.
  const entry = M >= 192 && N >= 96 ? 'matmul_large' : 'matmul_small';
  const [tm, tn] = TILES[entry];
  const max = ctx.limits.maxComputeWorkgroupsPerDimension;
  const gx = Math.ceil(N / tn);
  const gy = Math.ceil(M / tm);
  if (gx > max || gy > max || batch > max) throw new Error(`matmul: [${batch}, ${M}, ${N}] needs more than ${max} workgroups in one dimension`);
  ctx.dispatch(ctx.shader(MATMUL.name, MATMUL.source), entry, {
    // Without a bias the shader never reads it, but the binding must exist (read-only, so not `out`).
    bindings: { a: a.buffer, b: b.buffer, bias: bias ?? a.buffer, out },
    uniforms: {
      M, N, K, has_bias: bias ? 1 : 0,
      a_strides: [...a.strides, a.offset], b_strides: [...b.strides, b.offset],
    },
    workgroups: [gx, gy, batch],
  });
}
