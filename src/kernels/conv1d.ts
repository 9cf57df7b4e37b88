// 1-D convolution kernels (NCL, PyTorch semantics): forward, grad-input and
// grad-weight as tiled implicit GEMMs (see conv1d.wgsl). Grad-bias is a sum.
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/conv1d.wgsl';
import { grid1d } from './grid.js';
import { sumAxisKernel } from './reduce.js';

export const CONV1D = {
  name: 'conv1d',
  source,
  entries: { forward: ['x', 'w', 'bias', 'out'], grad_input: ['w', 'gy', 'gx'], grad_weight: ['x', 'gy', 'gw_partial'] },
} as const;

const TILE = 64;

export interface Conv1dGeometry {
  N: number;
  Cin: number;
  L: number;
  Cout: number;
  K: number;
  stride: number;
  padding: number;
}

export function conv1dOutputLength(L: number, K: number, stride: number, padding: number): number {
  return Math.floor((L + 2 * padding - K) / stride) + 1;
}

function uniforms(g: Conv1dGeometry, tilesM: number, tilesN: number, batches: number, hasBias: boolean, chunk = 0): Record<string, number> {
  return {
    N: g.N, Cin: g.Cin, L: g.L, Cout: g.Cout, K: g.K, Lout: conv1dOutputLength(g.L, g.K, g.stride, g.padding),
    stride: g.stride, padding: g.padding, has_bias: hasBias ? 1 : 0,
    tiles_m: tilesM, tiles_n: tilesN, batches, chunk,
  };
}

export function conv1dForwardKernel(ctx: GpuContext, g: Conv1dGeometry, x: BufferBinding, w: BufferBinding, bias: BufferBinding | null, out: BufferBinding): void {
  const Lout = conv1dOutputLength(g.L, g.K, g.stride, g.padding);
  const tilesM = Math.ceil(g.Cout / TILE);
  const tilesN = Math.ceil(Lout / TILE);
  const total = tilesM * tilesN * g.N;
  if (total === 0) return;
  ctx.dispatch(ctx.shader(CONV1D.name, CONV1D.source), 'forward', {
    // Without a bias the shader never reads it, but the binding must exist.
    bindings: { x, w, bias: bias ?? w, out },
    uniforms: uniforms(g, tilesM, tilesN, g.N, bias !== null),
    workgroups: grid1d(ctx, total),
  });
}

export function conv1dGradInputKernel(ctx: GpuContext, g: Conv1dGeometry, w: BufferBinding, gy: BufferBinding, gx: BufferBinding): void {
  const tilesM = Math.ceil(g.Cin / TILE);
  const tilesN = Math.ceil(g.L / TILE);
  const total = tilesM * tilesN * g.N;
  if (total === 0) return;
  ctx.dispatch(ctx.shader(CONV1D.name, CONV1D.source), 'grad_input', {
    bindings: { w, gy, gx },
    uniforms: uniforms(g, tilesM, tilesN, g.N, false),
    workgroups: grid1d(ctx, total),
  });
}

/**
 * How many chunks the grad-weight reduction over N·Lout is split into: enough
 * workgroups to fill a GPU (~256) when the output tiles alone are few, but
 * chunks no shorter than 256 so the partial sums stay a small fraction of work.
 */
export function gradWeightSplits(g: Conv1dGeometry): number {
  const Q = g.N * conv1dOutputLength(g.L, g.K, g.stride, g.padding);
  const tiles = Math.ceil(g.Cout / TILE) * Math.ceil((g.Cin * g.K) / TILE);
  return Math.max(1, Math.min(Math.ceil(256 / tiles), Math.floor(Q / 256), 64));
}

/** gw = Σ over (n, l); `scratch` holds splits·Cout·Cin·K floats (may be gw itself when splits = 1). */
export function conv1dGradWeightKernel(ctx: GpuContext, g: Conv1dGeometry, x: BufferBinding, gy: BufferBinding, gw: BufferBinding, scratch: BufferBinding, splits: number): void {
  const R = g.Cin * g.K;
  const Q = g.N * conv1dOutputLength(g.L, g.K, g.stride, g.padding);
  const chunk = Math.ceil(Q / splits / 16) * 16;
  const used = Math.ceil(Q / chunk);
  const tilesM = Math.ceil(g.Cout / TILE);
  const tilesN = Math.ceil(R / TILE);
  const total = tilesM * tilesN * used;
  if (total === 0) return;
  const partial = used === 1 ? gw : scratch;
  ctx.dispatch(ctx.shader(CONV1D.name, CONV1D.source), 'grad_weight', {
    bindings: { x, gy, gw_partial: partial },
    uniforms: uniforms(g, tilesM, tilesN, used, false, chunk),
    workgroups: grid1d(ctx, total),
  });
  if (used > 1) sumAxisKernel(ctx, scratch, gw, 1, used, g.Cout * R);
}
