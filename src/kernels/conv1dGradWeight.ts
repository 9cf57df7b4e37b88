// The grad-weight variants of conv1d: gw[co, ci, k] = Σ over (n, l), split
// into chunks of the flattened (n, l) axis whose partial sums one more
// reduction adds. Which one runs is decided in conv1d.ts.
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import { CONV1D, CONV1D_K3_GRAD_WEIGHT, CONV1D_LANES, type Conv1dGeometry, TILE, conv1dOutputLength, geometryUniforms, laneWidth } from './conv1dKernels.js';
import { MAX_LOOP_ITERATIONS, grid1d } from './grid.js';
import { sumAxisKernel } from './reduce.js';

/** conv1d-k3-grad-weight's Params. */
function k3GradWeightUniforms(g: Conv1dGeometry, tilesM: number, tilesN: number, batches: number, chunk: number): Record<string, number> {
  const { K: _, has_bias: _b, step_n: _n, step_l: _l, ...rest } = geometryUniforms(g, tilesM, tilesN, batches, chunk);
  return rest;
}

/** Block of one grad_weight_lanes workgroup: 8 output × 8 input channels, one tap. */
const GW_BLOCK = 8;
/** Workgroups the grad-weight dispatch aims for: enough to keep every core of a software adapter (and most of a GPU) busy. */
const GW_TARGET_WORKGROUPS = 256;
/** Positions per split, at least: the lanes' final reduction stays a small part of a workgroup's work. */
const GW_MIN_CHUNK = 64 * 8;

/** Workgroups grad_weight_k3s1 aims for (each runs a long serial chunk on one core of a software adapter). */
const GW3_TARGET_WORKGROUPS = 64;
/** Invocations grad_weight_k3 (any stride) aims for. */
const GW3_TARGET_INVOCATIONS = 4096;
/** Shortest chunk of the (n, l) axis per split for grad_weight_k3s1 and grad_weight_k3. */
const GW3_MIN_CHUNK = 128;
/**
 * grad_weight_k3 (the strided first layer, Cin = 1) has few outputs; longer chunks
 * keep its split sum small (137 splits cost a 42 ms reduction on SwiftShader).
 */
const GW3_ANY_MIN_CHUNK = 1024;

/**
 * The grad-weight forms: grad_weight_k3s1 with 16, 8 or 4 input channels per
 * lane (K = 3, stride 1), grad_weight_k3 (K = 3, any stride), grad_weight_lanes
 * and the tiled grad_weight (any geometry). Each splits the (n, l) reduction
 * into chunks and sums the partial results.
 */
export type GradWeightVariant = 'k3s1-ci16' | 'k3s1-ci8' | 'k3s1-ci4' | 'k3' | 'lanes' | 'tiled';

const reduction = (g: Conv1dGeometry): number => g.N * conv1dOutputLength(g.L, g.K, g.stride, g.padding);

/**
 * Reductions shorter than this (N·Lout) leave most of grad_weight_lanes' 64 lanes
 * idle and its final lane reduction dominant; the tiled kernel does better there.
 */
const GW_LANES_MIN_Q = 256;

export function gradWeightApplies(g: Conv1dGeometry, v: GradWeightVariant): boolean {
  switch (v) {
    // A ci block fills llvmpipe's 8 SIMD lanes only with at least 8 blocks of input channels.
    case 'k3s1-ci16': return g.K === 3 && g.stride === 1 && g.Cin >= 128;
    case 'k3s1-ci8': return g.K === 3 && g.stride === 1 && g.Cin >= 64;
    case 'k3s1-ci4': return g.K === 3 && g.stride === 1;
    case 'k3': return g.K === 3;
    case 'lanes': return reduction(g) >= GW_LANES_MIN_Q;
    case 'tiled': return true;
  }
}

/** How the (n, l) reduction is split: `splits` chunks of `chunk` positions. */
export function gradWeightPlan(g: Conv1dGeometry, v: GradWeightVariant): { chunk: number; splits: number } {
  const Q = reduction(g);
  if (v === 'tiled') {
    // Enough workgroups to fill a GPU (~256) when the output tiles alone are few, chunks no shorter than 256.
    const tiles = Math.ceil(g.Cout / TILE) * Math.ceil((g.Cin * g.K) / TILE);
    const want = Math.max(1, Math.min(Math.ceil(256 / tiles), Math.floor(Q / 256), 64));
    const chunk = Math.max(16, Math.ceil(Q / want / 16) * 16);
    return { chunk, splits: Math.max(1, Math.ceil(Q / chunk)) };
  }
  if (v === 'lanes') {
    const tiles = Math.ceil(g.Cout / GW_BLOCK) * Math.ceil(g.Cin / GW_BLOCK) * g.K;
    const want = Math.max(1, Math.min(Math.ceil(GW_TARGET_WORKGROUPS / tiles), Math.ceil(Q / GW_MIN_CHUNK)));
    const chunk = Math.ceil(Q / want / 64) * 64;
    return { chunk, splits: Math.ceil(Q / chunk) };
  }
  const tilesCo = Math.ceil(g.Cout / 16);
  const s1 = v !== 'k3';
  const want = s1 ? Math.ceil(GW3_TARGET_WORKGROUPS / tilesCo) : Math.ceil(GW3_TARGET_INVOCATIONS / (tilesCo * g.Cin));
  const maxSplits = Math.max(1, Math.ceil(Q / (s1 ? GW3_MIN_CHUNK : GW3_ANY_MIN_CHUNK)));
  // Each invocation walks its chunk in an inner loop (plus an outer one per signal it
  // crosses, at most as many): at most MAX_LOOP_ITERATIONS iterations in all.
  const chunk = Math.min(Math.floor(MAX_LOOP_ITERATIONS / 2), Math.max(1, Math.ceil(Q / Math.max(1, Math.min(want, maxSplits)))));
  return { chunk, splits: Math.max(1, Math.ceil(Q / chunk)) };
}

/**
 * gw = Σ over (n, l) by variant `v`. Partial sums go to a pool scratch buffer
 * (released at once: the pool parks it until the batch is submitted) and one sum.
 */
export function conv1dGradWeightVariant(ctx: GpuContext, g: Conv1dGeometry, x: BufferBinding, gy: BufferBinding, gw: BufferBinding, v: GradWeightVariant): void {
  if (!gradWeightApplies(g, v)) throw new Error(`conv1d grad-weight: variant ${v} does not apply to ${g.Cin}→${g.Cout} k${g.K} s${g.stride}`);
  if (g.N * g.Cout * g.Cin === 0 || conv1dOutputLength(g.L, g.K, g.stride, g.padding) <= 0) return;
  const plan = gradWeightPlan(g, v);
  const R = g.Cout * g.Cin * g.K;
  const scratch = plan.splits > 1 ? ctx.storage.acquire(plan.splits * R * 4, false) : null;
  const partial: BufferBinding = scratch ? { buffer: scratch, offset: 0, size: plan.splits * R * 4 } : gw;
  const shader = ctx.shader(CONV1D.name, CONV1D.source);
  const flop = 2 * R * reduction(g);
  const k3Shader = ctx.shader(CONV1D_K3_GRAD_WEIGHT.name, CONV1D_K3_GRAD_WEIGHT.source);
  const max = ctx.limits.maxComputeWorkgroupsPerDimension;
  if (v === 'tiled' || v === 'lanes') {
    const block = v === 'tiled' ? TILE : GW_BLOCK;
    const tilesM = Math.ceil(g.Cout / block);
    const tilesN = Math.ceil((v === 'tiled' ? g.Cin * g.K : g.Cin) / block);
    const total = tilesM * tilesN * (v === 'tiled' ? 1 : g.K) * plan.splits;
    const lanes = v === 'lanes';
    ctx.dispatch(lanes ? ctx.shader(CONV1D_LANES.name, CONV1D_LANES.source) : shader, lanes ? 'grad_weight_lanes' : 'grad_weight', {
      bindings: { x, gy, gw_partial: partial },
      uniforms: geometryUniforms(g, tilesM, tilesN, plan.splits, plan.chunk),
      workgroups: grid1d(ctx, total),
      profile: { flop, loops: Math.ceil(plan.chunk / (v === 'tiled' ? 16 : 64)) },
    });
  } else if (v === 'k3') {
    const tilesCo = Math.ceil(g.Cout / 16);
    ctx.dispatch(k3Shader, 'grad_weight_k3', {
      bindings: { x, gy, gw_partial: partial },
      uniforms: k3GradWeightUniforms(g, tilesCo, 0, plan.splits, plan.chunk),
      workgroups: grid1d(ctx, Math.ceil((tilesCo * g.Cin * plan.splits) / 64)),
      profile: { flop, loops: plan.chunk },
    });
  } else {
    const ci = v === 'k3s1-ci16' ? 16 : v === 'k3s1-ci8' ? 8 : 4;
    const tilesCo = Math.ceil(g.Cout / 16);
    const ciBlocks = Math.ceil(g.Cin / ci);
    const lanes = laneWidth(ciBlocks);
    const tilesCi = Math.ceil(ciBlocks / lanes);
    const gx = tilesCi * plan.splits;
    if (gx > max || tilesCo > max) throw new Error(`conv1d grad-weight: [${g.Cout}, ${g.Cin}] × ${plan.splits} splits needs more than ${max} workgroups in one dimension`);
    ctx.dispatch(k3Shader, `grad_weight_k3s1_ci${ci}`, {
      bindings: { x, gy, gw_partial: partial },
      uniforms: k3GradWeightUniforms(g, tilesCo, tilesCi, plan.splits, plan.chunk),
      workgroups: [gx, tilesCo],
      overrides: { WG_X: lanes },
      profile: { flop, loops: plan.chunk },
    });
  }
  if (scratch) {
    sumAxisKernel(ctx, partial, gw, 1, plan.splits, R);
    ctx.storage.release(scratch);
  }
}
