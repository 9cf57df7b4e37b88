// Batched, strided matrix product with optional fused bias (see matmul.wgsl).
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/matmul.wgsl';

export const MATMUL = { name: 'matmul', source, entries: { matmul: ['a', 'b', 'bias', 'out'] } } as const;

const TILE = 64;

/** A matrix operand: element (batch, row, col) is at offset + batch·s[0] + row·s[1] + col·s[2]. */
export interface MatrixOperand {
  buffer: BufferBinding;
  strides: readonly [number, number, number];
  offset: number;
}

export function matmulKernel(ctx: GpuContext, a: MatrixOperand, b: MatrixOperand, out: BufferBinding, batch: number, M: number, N: number, K: number, bias: BufferBinding | null): void {
  if (batch * M * N === 0) return;
  const max = ctx.limits.maxComputeWorkgroupsPerDimension;
  const gx = Math.ceil(N / TILE);
  const gy = Math.ceil(M / TILE);
  if (gx > max || gy > max || batch > max) throw new Error(`matmul: [${batch}, ${M}, ${N}] needs more than ${max} workgroups in one dimension`);
  ctx.dispatch(ctx.shader(MATMUL.name, MATMUL.source), 'matmul', {
    // Without a bias the shader never reads it, but the binding must exist.
    bindings: { a: a.buffer, b: b.buffer, bias: bias ?? a.buffer, out },
    uniforms: {
      M, N, K, has_bias: bias ? 1 : 0,
      a_strides: [...a.strides, a.offset], b_strides: [...b.strides, b.offset],
    },
    workgroups: [gx, gy, batch],
  });
}
