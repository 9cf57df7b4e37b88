// conv1d's per-adapter choices: which kernel variants the dispatchers pick
// (switchable, so tests and benchmarks reach every path) and the measurements
// behind the 'auto' settings.
import type { GpuContext } from '../gpu/context.js';

/**
 * Which implementations the dispatchers may pick. The K = 3 entries are the
 * default; the switches exist so tests and benchmarks can reach (and compare)
 * every path on the same shapes. 'auto' settings follow the adapter (see tuning()).
 */
export const conv1dVariants: {
  k3Gemm: boolean;
  k3GradWeight: boolean;
  /** Lanes per workgroup of conv_k3*; 0: from the column count. */
  k3Lanes: number;
  /** conv_k3u_r16: weights in a uniform buffer. */
  k3Uniform: boolean | 'auto';
  /** Input channels per lane of grad_weight_k3s1 when Cin allows it: 16, 8 or 4. */
  gwCi: 16 | 8 | 4 | 'auto';
} = { k3Gemm: true, k3GradWeight: true, k3Lanes: 0, k3Uniform: 'auto', gwCi: 'auto' };

/**
 * Per-adapter choices, measured on layer (a) (bench --only conv1d-kernels):
 * Dawn OpenGL on llvmpipe turns every storage-buffer read into a loop over the
 * SIMD lanes but reads uniform buffers at a uniform index as one scalar, so
 * there weights go in a uniform buffer (forward 455 -> 151 ms) and grad-weight
 * takes the biggest block (16 ci: 175-223 ms vs 240 for 8). SwiftShader reads
 * both kinds per lane and prefers storage weights (517 vs 623-736 ms) and the
 * 8-ci block (672 vs 765 ms).
 * The uniform path takes one dispatch per 16 rows × 64 channels, so layers with
 * few output columns (N·Lout) lose more to dispatches than they gain: on
 * llvmpipe (2026-12-01, Intel Xeon) the thesis's 512→512 layer at length 3
 * (24 columns) ran forward in 5.2 ms with storage weights vs 18–29 ms uniform,
 * 256→256 at length 81 (648 columns) 13.5 vs 17–30 ms, while from ~2,000
 * columns up uniform stays ahead or level (32→32 at 2,187: grad-input 4.3 vs
 * 9.0 ms; layer (a): 60 vs 60 ms).
 */
const UNIFORM_MIN_COLUMNS = 1024;

export function tuning(ctx: GpuContext, columns = Infinity): { uniformWeights: boolean; gwCi: 16 | 8 | 4 } {
  const gl = ctx.adapter.backend === 'opengl';
  return {
    uniformWeights: conv1dVariants.k3Uniform === 'auto' ? gl && columns >= UNIFORM_MIN_COLUMNS : conv1dVariants.k3Uniform,
    gwCi: conv1dVariants.gwCi === 'auto' ? (gl ? 16 : 8) : conv1dVariants.gwCi,
  };
}

/** Workgroup width for `items` lanes of work: a power of two from 8 (one AVX2 vector of llvmpipe) to 64. */
export function laneWidth(items: number): number {
  let w = 8;
  while (w < 64 && w < items) w *= 2;
  return w;
}

