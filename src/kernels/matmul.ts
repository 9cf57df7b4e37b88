// Batched, strided matrix product with optional fused bias (see shaders/matmul.prelude.wgsl and matmul.gen.ts).
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/matmul.gen.wgsl';
import type { Tunable } from '../gpu/tuner.js';
import { trialOperands } from './trialOperands.js';

export const MATMUL = {
  name: 'matmul',
  source,
  entries: { matmul_large: ['a', 'b', 'bias', 'out'], matmul_large_v4: ['a', 'b4', 'bias', 'out'], matmul_small: ['a', 'b', 'bias', 'out'] },
} as const;

/** Output tile of one workgroup for each entry point (see shaders/matmul.gen.ts). */
const TILES = { matmul_large: [256, 128], matmul_large_v4: [256, 128], matmul_small: [64, 64] } as const;

/** A matrix operand: element (batch, row, col) is at offset + batch·s[0] + row·s[1] + col·s[2]. */
export interface MatrixOperand {
  buffer: BufferBinding;
  strides: readonly [number, number, number];
  offset: number;
}

/** bVec4: B's columns are contiguous and its offset, strides and N multiples of 4, so it can be read as vec4 (the *_v4 entry). */
interface MatmulShape { batch: number; M: number; N: number; K: number; bias: boolean; bVec4: boolean }
interface MatmulArgs { a: MatrixOperand; b: MatrixOperand; out: BufferBinding; bias: BufferBinding | null }

const entryCandidate = (entry: keyof typeof TILES, applies: (s: MatmulShape) => boolean) => ({
  name: ({ matmul_large: 'large', matmul_large_v4: 'large-v4', matmul_small: 'small' } as const)[entry],
  applies: (_: GpuContext, s: MatmulShape) => applies(s),
  run: (ctx: GpuContext, s: MatmulShape, a: MatmulArgs) => matmulEntry(ctx, entry, a.a, a.b, a.out, s.batch, s.M, s.N, s.K, a.bias),
});

/** The large tile wastes work unless it is mostly filled: it applies from 192 × 96 outputs. */
const fillsLargeTile = (s: MatmulShape): boolean => s.M >= 192 && s.N >= 96;

const pow2 = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

export const MATMUL_TUNABLE: Tunable<MatmulShape, MatmulArgs> = {
  op: 'matmul',
  candidates: [
    entryCandidate('matmul_large', fillsLargeTile),
    entryCandidate('matmul_large_v4', (s) => fillsLargeTile(s) && s.bVec4),
    entryCandidate('matmul_small', () => true),
  ],
  bucket: (s) => `${s.batch}x${pow2(s.M)}x${pow2(s.N)}x${pow2(s.K)}${s.bVec4 ? ' b4' : ''}`,
  tolerance: 1e-4,
  trial(ctx, s) {
    const o = trialOperands(ctx, { a: s.batch * s.M * s.K, b: s.batch * s.K * s.N, bias: s.N, out: s.batch * s.M * s.N });
    const args: MatmulArgs = {
      a: { buffer: o.a.buffer, strides: [s.M * s.K, s.K, 1], offset: 0 },
      b: { buffer: o.b.buffer, strides: [s.K * s.N, s.N, 1], offset: 0 },
      out: o.out.buffer,
      bias: s.bias ? o.bias.buffer : null,
    };
    return { args, output: o.out, dispose: o.dispose };
  },
};

export function matmulKernel(ctx: GpuContext, a: MatrixOperand, b: MatrixOperand, out: BufferBinding, batch: number, M: number, N: number, K: number, bias: BufferBinding | null): void {
  if (batch * M * N === 0) return;
  const bVec4 = b.strides[2] === 1 && N % 4 === 0 && b.strides[1] % 4 === 0 && b.strides[0] % 4 === 0 && b.offset % 4 === 0;
  const s = { batch, M, N, K, bias: bias !== null, bVec4 };
  ctx.tuner.choose(MATMUL_TUNABLE, s).run(ctx, s, { a, b, out, bias });
}

function matmulEntry(ctx: GpuContext, entry: keyof typeof TILES, a: MatrixOperand, b: MatrixOperand, out: BufferBinding, batch: number, M: number, N: number, K: number, bias: BufferBinding | null): void {
  const [tm, tn] = TILES[entry];
  const max = ctx.limits.maxComputeWorkgroupsPerDimension;
  const gx = Math.ceil(N / tn);
  const gy = Math.ceil(M / tm);
  if (gx > max || gy > max || batch > max) throw new Error(`matmul: [${batch}, ${M}, ${N}] needs more than ${max} workgroups in one dimension`);
  ctx.dispatch(ctx.shader(MATMUL.name, MATMUL.source), entry, {
    // Without a bias the shader never reads it, but the binding must exist (read-only, so not `out`).
    // B under the name the entry point reads it by: b, or b4 (as vec4).
    bindings: { a: a.buffer, [MATMUL.entries[entry][1]]: b.buffer, bias: bias ?? a.buffer, out },
    uniforms: {
      M, N, K, has_bias: bias ? 1 : 0,
      a_strides: [...a.strides, a.offset], b_strides: [...b.strides, b.offset],
    },
    workgroups: [gx, gy, batch],
  });
}
