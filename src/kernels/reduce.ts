// Sum (times a scale) over the middle axis of [outer, n, inner].
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/reduce.wgsl';
import { grid1d, threadsGrid } from './grid.js';

export const REDUCE = { name: 'reduce', source, entries: { sum_long: ['x', 'out'], sum_short: ['x', 'out'] } } as const;

const WG = 256;
/** Below this axis length a thread per output beats a workgroup per output. */
const LONG_AXIS = 128;

export function sumAxisKernel(ctx: GpuContext, x: BufferBinding, out: BufferBinding, outer: number, n: number, inner: number, scale = 1): void {
  const outputs = outer * inner;
  if (outputs === 0) return;
  const shader = ctx.shader(REDUCE.name, REDUCE.source);
  const uniforms = { outer, n, inner, scale };
  // Few outputs with long axes need the parallel tree; many outputs already fill the GPU.
  if (n >= LONG_AXIS && outputs < 4096) {
    ctx.dispatch(shader, 'sum_long', { bindings: { x, out }, uniforms, workgroups: grid1d(ctx, outputs) });
  } else {
    ctx.dispatch(shader, 'sum_short', { bindings: { x, out }, uniforms, workgroups: threadsGrid(ctx, outputs, WG) });
  }
}
