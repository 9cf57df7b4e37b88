// BCE-with-logits kernels (bce.wgsl): fused loss + denominator, and the gradient.
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/bce.wgsl';
import { threadsGrid } from './grid.js';

export const BCE = { name: 'bce', source, entries: { forward: ['logits', 'targets', 'weight', 'loss'], backward: ['logits', 'targets', 'weight', 'saved', 'grad_out', 'grad_logits'] } } as const;

export interface BceGeometry {
  n: number;
  /** 1: a weight per element; the row width: a weight per row; 0: no weight. */
  wDiv: number;
  byCount: boolean;
}

function uniforms(g: BceGeometry): Record<string, number> {
  return { n: g.n, w_div: Math.max(g.wDiv, 1), has_weight: g.wDiv > 0 ? 1 : 0, by_count: g.byCount ? 1 : 0 };
}

/** out [2] = [loss, denominator]. */
export function bceForwardKernel(ctx: GpuContext, g: BceGeometry, logits: BufferBinding, targets: BufferBinding, weight: BufferBinding | null, out: BufferBinding): void {
  ctx.dispatch(ctx.shader(BCE.name, BCE.source), 'forward', {
    bindings: { logits, targets, weight: weight ?? logits, loss: out },
    uniforms: uniforms(g),
    workgroups: [1],
  });
}

export function bceBackwardKernel(ctx: GpuContext, g: BceGeometry, logits: BufferBinding, targets: BufferBinding, weight: BufferBinding | null, saved: BufferBinding, gradOut: BufferBinding, gradLogits: BufferBinding): void {
  if (g.n === 0) return;
  ctx.dispatch(ctx.shader(BCE.name, BCE.source), 'backward', {
    bindings: { logits, targets, weight: weight ?? logits, saved, grad_out: gradOut, grad_logits: gradLogits },
    uniforms: uniforms(g),
    workgroups: threadsGrid(ctx, g.n, 256),
  });
}
