// conv1d over tensors larger than one storage binding, or batches whose grid
// exceeds the per-dimension workgroup limit: the batch is split into chunks of
// whole samples and each chunk runs the kernels of conv1d.ts unchanged, bound
// to that chunk's slices. Samples are independent in the forward and
// grad-input passes; grad-weight sums per-chunk partials (one padded row each)
// in one more reduction. When everything fits, each function makes exactly the
// call it always made: no extra dispatch, no copy.
//
// conv1d.ts's kernels index their bindings from element 0, so a slice must start
// at an aligned offset. The planner picks chunk sizes that make every slice
// aligned; when it cannot (q samples already exceed a binding), a misaligned
// slice is copied to an aligned temporary (inputs before, outputs after).
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import { type Chunk, type ElementBuffer, planFor, wholeBinding } from './batchChunks.js';
import { type Conv1dGeometry, conv1dForwardKernel, conv1dGemmMaxSamples, conv1dGradInputKernel, conv1dGradWeightKernel, conv1dOutputLength } from './conv1d.js';
import { sumAxisChunked } from './reduce.js';

export { conv1dGradBiasChunked } from './conv1d.js';

const HINT = 'one sample is larger than a storage binding; use shorter inputs or fewer channels';

const shapeOf = (g: Conv1dGeometry): number[] => [g.N, g.Cin, g.L];

/** A chunk's slice bound from element 0: in place when aligned, else through an aligned temporary. */
class SliceBinding {
  readonly binding: GPUBufferBinding;
  private temp: GPUBuffer | null = null;

  constructor(private ctx: GpuContext, private buf: ElementBuffer, private start: number, private count: number, copyIn: boolean) {
    const bytes = Math.max(count, 1) * 4;
    if ((start * 4) % ctx.limits.minStorageBufferOffsetAlignment === 0) {
      this.binding = { buffer: buf.buffer, offset: start * 4, size: bytes };
      return;
    }
    this.temp = ctx.storage.acquire(bytes, false);
    if (copyIn && count > 0) ctx.copy(buf.buffer, start * 4, this.temp, 0, count * 4);
    this.binding = { buffer: this.temp, offset: 0, size: bytes };
  }

  /** Copies an output back into place and returns the temporary to the pool. */
  finish(copyOut: boolean): void {
    if (!this.temp) return;
    if (copyOut && this.count > 0) this.ctx.copy(this.temp, 0, this.buf.buffer, this.start * 4, this.count * 4);
    this.ctx.storage.release(this.temp);
    this.temp = null;
  }
}

/** out [N, Cout, Lout] = conv1d(x [N, Cin, L], w, bias). */
export function conv1dForwardChunked(ctx: GpuContext, g: Conv1dGeometry, x: ElementBuffer, w: ElementBuffer, bias: ElementBuffer | null, out: ElementBuffer): void {
  const Lout = conv1dOutputLength(g.L, g.K, g.stride, g.padding);
  const wb = wholeBinding(ctx, w, 'conv1d (weight)', [g.Cout, g.Cin, g.K]);
  const bb = bias ? wholeBinding(ctx, bias, 'conv1d (bias)', [g.Cout]) : null;
  const plan = planFor(ctx, { op: 'conv1d', shape: shapeOf(g), items: g.N, perItem: [g.Cin * g.L, g.Cout * Lout], maxItems: conv1dGemmMaxSamples(ctx, Lout), hint: HINT });
  for (const c of plan.chunks) {
    const xs = new SliceBinding(ctx, x, c.start * g.Cin * g.L, c.count * g.Cin * g.L, true);
    const os = new SliceBinding(ctx, out, c.start * g.Cout * Lout, c.count * g.Cout * Lout, false);
    conv1dForwardKernel(ctx, { ...g, N: c.count }, xs.binding, wb, bb, os.binding);
    xs.finish(false);
    os.finish(true);
  }
}

/** gx [N, Cin, L] from gy [N, Cout, Lout]. */
export function conv1dGradInputChunked(ctx: GpuContext, g: Conv1dGeometry, w: ElementBuffer, gy: ElementBuffer, gx: ElementBuffer): void {
  const Lout = conv1dOutputLength(g.L, g.K, g.stride, g.padding);
  const wb = wholeBinding(ctx, w, 'conv1d grad-input (weight)', [g.Cout, g.Cin, g.K]);
  // Stride 1 runs the implicit GEMM over L columns per sample; other strides fold their grid into 2-D.
  const maxItems = g.stride === 1 ? conv1dGemmMaxSamples(ctx, g.L) : undefined;
  const plan = planFor(ctx, { op: 'conv1d grad-input', shape: shapeOf(g), items: g.N, perItem: [g.Cout * Lout, g.Cin * g.L], maxItems, hint: HINT });
  for (const c of plan.chunks) {
    const gys = new SliceBinding(ctx, gy, c.start * g.Cout * Lout, c.count * g.Cout * Lout, true);
    const gxs = new SliceBinding(ctx, gx, c.start * g.Cin * g.L, c.count * g.Cin * g.L, false);
    conv1dGradInputKernel(ctx, { ...g, N: c.count }, wb, gys.binding, gxs.binding);
    gys.finish(false);
    gxs.finish(true);
  }
}

function gradWeightOfChunk(ctx: GpuContext, g: Conv1dGeometry, x: ElementBuffer, gy: ElementBuffer, c: Chunk, gw: BufferBinding): void {
  const Lout = conv1dOutputLength(g.L, g.K, g.stride, g.padding);
  const xs = new SliceBinding(ctx, x, c.start * g.Cin * g.L, c.count * g.Cin * g.L, true);
  const gys = new SliceBinding(ctx, gy, c.start * g.Cout * Lout, c.count * g.Cout * Lout, true);
  conv1dGradWeightKernel(ctx, { ...g, N: c.count }, xs.binding, gys.binding, gw);
  xs.finish(false);
  gys.finish(false);
}

/** gw [Cout, Cin, K] = Σ over the batch; chunks write partial rows that one reduction adds. */
export function conv1dGradWeightChunked(ctx: GpuContext, g: Conv1dGeometry, x: ElementBuffer, gy: ElementBuffer, gw: ElementBuffer): void {
  const Lout = conv1dOutputLength(g.L, g.K, g.stride, g.padding);
  const R = g.Cout * g.Cin * g.K;
  const gwb = wholeBinding(ctx, gw, 'conv1d grad-weight', [g.Cout, g.Cin, g.K]);
  const plan = planFor(ctx, { op: 'conv1d grad-weight', shape: shapeOf(g), items: g.N, perItem: [g.Cin * g.L, g.Cout * Lout], hint: HINT });
  if (plan.chunks.length <= 1) {
    gradWeightOfChunk(ctx, g, x, gy, plan.chunks[0] ?? { start: 0, count: g.N }, gwb);
    return;
  }
  // Rows padded to the offset alignment, so each chunk's row binds at an aligned offset.
  const rowFloats = Math.ceil(R / (ctx.limits.minStorageBufferOffsetAlignment / 4)) * (ctx.limits.minStorageBufferOffsetAlignment / 4);
  const k = plan.chunks.length;
  const partials: ElementBuffer = { buffer: ctx.storage.acquire(k * rowFloats * 4, false), size: k * rowFloats };
  plan.chunks.forEach((c, i) => gradWeightOfChunk(ctx, g, x, gy, c, { buffer: partials.buffer, offset: i * rowFloats * 4, size: R * 4 }));
  const summed: ElementBuffer = { buffer: ctx.storage.acquire(rowFloats * 4, false), size: rowFloats };
  sumAxisChunked(ctx, partials, summed, 1, k, rowFloats);
  ctx.copy(summed.buffer, 0, gw.buffer, 0, R * 4);
  ctx.storage.release(summed.buffer);
  ctx.storage.release(partials.buffer);
}
