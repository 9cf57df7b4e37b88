// The implementations behind conv1d's variants (NCL, PyTorch semantics):
// forward and grad-input as implicit GEMMs or tiles, and the per-channel
// grad-bias; grad-weight's are in conv1dGradWeight.ts. Each function runs one named way; which one runs
// is decided in conv1d.ts (candidates, measured by the tuner).
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/conv1d.wgsl';
import gemmSource from '../../shaders/conv1d-gemm.gen.wgsl';
import lanesSource from '../../shaders/conv1d-lanes.gen.wgsl';
import k3Source from '../../shaders/conv1d-k3.gen.wgsl';
import k3GradWeightSource from '../../shaders/conv1d-k3-grad-weight.gen.wgsl';
import { grid1d } from './grid.js';

/** Workgroup width for `items` lanes of work: a power of two from 8 (one AVX2 vector of llvmpipe) to 64. */
export function laneWidth(items: number): number {
  let w = 8;
  while (w < 64 && w < items) w *= 2;
  return w;
}

const bindings3 = ['x', 'gy', 'gw_partial'] as const;
const gemmBindings = ['lhs', 'rhs', 'bias', 'out'] as const;

/** The kernels indexed by the conv's geometry: tiled grad-input and grad-weight, grad_weight_lanes, grad_bias. */
export const CONV1D = {
  name: 'conv1d',
  source,
  entries: { forward_tiled: ['x', 'w', 'bias', 'out'], grad_input: ['w', 'gy', 'gx'], grad_weight: bindings3, grad_bias: ['gy', 'out'] },
} as const;

/** grad_weight_lanes: 64 lanes along (n, l) per 8×8 channel block. */
export const CONV1D_LANES = { name: 'conv1d-lanes', source: lanesSource, entries: { grad_weight_lanes: bindings3 } } as const;

/** The register-blocked implicit GEMM (forward, stride-1 grad-input). */
export const CONV1D_GEMM = { name: 'conv1d-gemm', source: gemmSource, entries: { conv_gemm_large: gemmBindings, conv_gemm_small: gemmBindings } } as const;

/** The K = 3 GEMMs, generated at build time by shaders/conv1d-k3.gen.ts. */
export const CONV1D_K3 = {
  name: 'conv1d-k3',
  source: k3Source,
  entries: {
    pack_k3u: ['lhs', 'wq_out'],
    conv_k3u_r16: ['wu', 'rhs', 'bias', 'out'],
    pack_k3: ['lhs', 'wq_out'],
    conv_k3_r16: ['wq', 'rhs', 'bias', 'out'],
    conv_k3_r8: ['wq', 'rhs', 'bias', 'out'],
    conv_k3_r4: ['wq', 'rhs', 'bias', 'out'],
  },
} as const;

/** The K = 3 grad-weight kernels, generated at build time by shaders/conv1d-k3-grad-weight.gen.ts. */
export const CONV1D_K3_GRAD_WEIGHT = {
  name: 'conv1d-k3-grad-weight',
  source: k3GradWeightSource,
  entries: { grad_weight_k3s1_ci16: bindings3, grad_weight_k3s1_ci8: bindings3, grad_weight_k3s1_ci4: bindings3, grad_weight_k3: bindings3 },
} as const;

export const CONV1D_SHADERS = [CONV1D, CONV1D_GEMM, CONV1D_LANES, CONV1D_K3, CONV1D_K3_GRAD_WEIGHT] as const;

export const TILE = 64;

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

/** The GEMM description shared by conv1d-gemm and conv1d-k3 (see their Params in *.prelude.wgsl). */
interface GemmArgs {
  M: number; ncol: number; C: number; K: number;
  a_row: number; a_c: number; a_k: number;
  b_n: number; b_c: number; Lin: number;
  col_stride: number; tap_step: number; tap_base: number;
  out_n: number; hasBias: boolean;
}

/** The Params of conv1d.wgsl and conv1d-lanes (shaders/conv1d/declarations.wgsl). */
export function geometryUniforms(g: Conv1dGeometry, tilesM: number, tilesN: number, batches: number, chunk = 0, hasBias = false): Record<string, number> {
  const Lout = conv1dOutputLength(g.L, g.K, g.stride, g.padding);
  return {
    N: g.N, Cin: g.Cin, L: g.L, Cout: g.Cout, K: g.K, Lout,
    stride: g.stride, padding: g.padding, tiles_m: tilesM, tiles_n: tilesN, batches, chunk, has_bias: hasBias ? 1 : 0,
    // grad_weight_lanes' (n, l) step per 64 flattened positions.
    step_n: Lout > 0 ? Math.floor(64 / Lout) : 0, step_l: Lout > 0 ? 64 % Lout : 0,
  };
}


/** Output block of one invocation of each register-blocked entry: [rows, columns]. */
const GEMM_BLOCK = { conv_gemm_large: [16, 128], conv_gemm_small: [4, 128] } as const;

/**
 * out[n] (M × ncol) = Σ over taps and channels (see conv_gemm_* in conv1d.wgsl).
 * Picks the 16-row block from 16 rows up (measured ~1.9× the 4-row block at 16-32
 * channels on llvmpipe), else the 4-row one, and sizes the
 * workgroup's row count (WG_Y) to the rows so small channel counts waste little.
 */

/**
 * The implicit-GEMM forms of forward and stride-1 grad-input: the K = 3 kernels
 * with weights packed in a storage buffer (conv_k3_r*) or in a uniform buffer
 * (conv_k3u_r16), or the general register-blocked GEMM (conv_gemm_*).
 */
export type GemmVariant = 'k3-storage' | 'k3-uniform' | 'gemm';

/** Whether the K = 3 kernels apply (stride-1 columns, K = 3); conv_k3u_r16 also needs 16 rows and a uniform block. */
export function k3Applies(ctx: GpuContext, K: number, colStride: number, rows: number, uniform: boolean): boolean {
  if (K !== 3 || colStride !== 1) return false;
  return !uniform || (rows >= 16 && ctx.limits.maxUniformBufferBindingSize >= WU_BYTES);
}

function gemmDispatch(ctx: GpuContext, N: number, f: GemmArgs, g: Conv1dGeometry, lhs: BufferBinding, rhs: BufferBinding, bias: BufferBinding | null, out: BufferBinding, variant: GemmVariant): void {
  if (variant !== 'gemm') {
    if (!k3Applies(ctx, f.K, f.col_stride, f.M, variant === 'k3-uniform') || Math.abs(f.tap_step) !== 1) throw new Error(`conv1d: variant ${variant} does not apply to K ${f.K}, column stride ${f.col_stride}, ${f.M} rows`);
    gemmK3Dispatch(ctx, N, f, g, lhs, rhs, bias, out, variant === 'k3-uniform');
    return;
  }
  const entry = f.M >= 16 ? 'conv_gemm_large' : 'conv_gemm_small';
  const [rows, cols] = GEMM_BLOCK[entry];
  const wgY = Math.min(16, Math.ceil(f.M / rows));
  const gx = Math.ceil((N * f.ncol) / cols);
  const gy = Math.ceil(f.M / (rows * wgY));
  const max = ctx.limits.maxComputeWorkgroupsPerDimension;
  if (gx > max || gy > max) throw new Error(`conv1d: [${N}, ${f.M}, ${f.ncol}] needs more than ${max} workgroups in one dimension`);
  const { hasBias, ...fields } = f;
  ctx.dispatch(ctx.shader(CONV1D_GEMM.name, CONV1D_GEMM.source), entry, {
    bindings: { lhs, rhs, bias: bias ?? lhs, out },
    uniforms: { N, ...fields, has_bias: hasBias ? 1 : 0 },
    workgroups: [gx, gy],
    overrides: { WG_Y: wgY },
    profile: { flop: 2 * N * f.M * f.ncol * f.C * f.K, loops: f.C * f.K },
  });
}

/** Channels per conv_k3u dispatch and the bytes of its weight block (16 rows × 64 channels × 3 taps). */
const WU_CH = 64;
const WU_BYTES = 16 * WU_CH * 3 * 4;
const uniformWeightBuffers = new WeakMap<GpuContext, GPUBuffer>();

/**
 * The packed-weight buffer of conv_k3u (written as storage by pack_k3u, read as
 * a uniform buffer): one per context, grown on demand (doubling). Reusing it
 * across layers is safe because dispatches run in order. It lives outside the
 * tensor pool (the pool's buffers lack UNIFORM usage): at most a few MiB.
 */
function uniformWeights(ctx: GpuContext, bytes: number): GPUBuffer {
  let buf = uniformWeightBuffers.get(ctx);
  if (!buf || buf.size < bytes) {
    // The old buffer may still be used by recorded, unsubmitted dispatches: it is
    // dropped, not destroyed (Dawn keeps it alive for them; GC frees it).
    buf = ctx.device.createBuffer({ size: Math.max(bytes, 2 * (buf?.size ?? 0), 4 * WU_BYTES), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.UNIFORM, label: 'conv1d-uniform-weights' });
    uniformWeightBuffers.set(ctx, buf);
  }
  return buf;
}

/**
 * K = 3, stride-1 GEMM (conv_k3_r16 / conv_k3_r4): 8 contiguous columns per lane,
 * rows per workgroup from the workgroup id.
 */
function gemmK3Dispatch(ctx: GpuContext, N: number, f: GemmArgs, g: Conv1dGeometry, lhs: BufferBinding, rhs: BufferBinding, bias: BufferBinding | null, out: BufferBinding, useUniform: boolean): void {
  const rows = f.M >= 16 ? 16 : f.M >= 8 ? 8 : 4;
  const nblk = Math.ceil(f.ncol / 8);
  const lanes = laneWidth(N * nblk);
  const gx = Math.ceil((N * nblk) / lanes);
  const gy = Math.ceil(f.M / rows);
  const max = ctx.limits.maxComputeWorkgroupsPerDimension;
  if (gx > max || gy > max) throw new Error(`conv1d: [${N}, ${f.M}, ${f.ncol}] needs more than ${max} workgroups in one dimension`);
  const tap = (o: number): number => (f.tap_step > 0 ? o : 2 - o) * f.a_k;
  const shader = ctx.shader(CONV1D_K3.name, CONV1D_K3.source);
  const u = {
    N, M: f.M, ncol: f.ncol, C: f.C, has_bias: f.hasBias ? 1 : 0, a_row: f.a_row, a_c: f.a_c, b_n: f.b_n, b_c: f.b_c, Lin: f.Lin, tap_base: f.tap_base, out_n: f.out_n,
    nblk, win_shift: f.tap_step > 0 ? 0 : -2, k_off0: tap(0), k_off1: tap(1), k_off2: tap(2), c0: 0, c1: f.C, r_base: 0, accumulate: 0,
  };
  if (useUniform) {
    const groups = Math.ceil(f.M / 16);
    const chunks = Math.ceil(f.C / WU_CH);
    const wu = uniformWeights(ctx, groups * chunks * WU_BYTES);
    ctx.dispatch(shader, 'pack_k3u', { bindings: { lhs, wq_out: { buffer: wu, size: groups * chunks * WU_BYTES } }, uniforms: u, workgroups: grid1d(ctx, (groups * chunks * WU_BYTES) / 16 / 64) });
    for (let gi = 0; gi < groups; gi++) {
      for (let h = 0; h < chunks; h++) {
        ctx.dispatch(shader, 'conv_k3u_r16', {
          bindings: { wu: { buffer: wu, offset: (gi * chunks + h) * WU_BYTES, size: WU_BYTES }, rhs, bias: bias ?? rhs, out },
          uniforms: { ...u, c0: h * WU_CH, c1: Math.min(f.C, (h + 1) * WU_CH), r_base: gi * 16, accumulate: h > 0 ? 1 : 0 },
          workgroups: [gx, 1],
          overrides: { WG_X: lanes },
          profile: { flop: 2 * N * Math.min(16, f.M - gi * 16) * f.ncol * (Math.min(f.C, (h + 1) * WU_CH) - h * WU_CH) * 3, loops: Math.min(f.C, (h + 1) * WU_CH) - h * WU_CH },
        });
      }
    }
    return;
  }
  // Packed weights (see pack_k3): a pool buffer for this dispatch only.
  const packedBytes = f.C * Math.ceil(f.M / 4) * 3 * 16;
  const wq = ctx.storage.acquire(packedBytes, false);
  ctx.dispatch(shader, 'pack_k3', { bindings: { lhs, wq_out: { buffer: wq, size: packedBytes } }, uniforms: u, workgroups: grid1d(ctx, Math.ceil(packedBytes / 16 / 64)) });
  ctx.dispatch(shader, `conv_k3_r${rows}`, {
    bindings: { wq: { buffer: wq, size: packedBytes }, rhs, bias: bias ?? rhs, out },
    uniforms: u,
    workgroups: [gx, gy],
    overrides: { WG_X: lanes },
    profile: { flop: 2 * N * f.M * f.ncol * f.C * 3, loops: f.C },
  });
  ctx.storage.release(wq);
}

export function conv1dForwardGemm(ctx: GpuContext, g: Conv1dGeometry, x: BufferBinding, w: BufferBinding, bias: BufferBinding | null, out: BufferBinding, variant: GemmVariant): void {
  const Lout = conv1dOutputLength(g.L, g.K, g.stride, g.padding);
  if (g.N * g.Cout * Lout === 0) return;
  gemmDispatch(ctx, g.N, {
    M: g.Cout, ncol: Lout, C: g.Cin, K: g.K, hasBias: bias !== null,
    a_row: g.Cin * g.K, a_c: g.K, a_k: 1,
    b_n: g.Cin * g.L, b_c: g.L, Lin: g.L,
    col_stride: g.stride, tap_step: 1, tap_base: -g.padding,
    out_n: g.Cout * Lout,
  }, g, w, x, bias, out, variant);
}

/** Stride-1 grad-input as a GEMM over the flipped weights. */
export function conv1dGradInputGemm(ctx: GpuContext, g: Conv1dGeometry, w: BufferBinding, gy: BufferBinding, gx: BufferBinding, variant: GemmVariant): void {
  if (g.stride !== 1) throw new Error('conv1d grad-input: the GEMM forms need stride 1');
  const Lout = conv1dOutputLength(g.L, g.K, g.stride, g.padding);
  if (g.N * g.Cin * g.L === 0) return;
  gemmDispatch(ctx, g.N, {
    M: g.Cin, ncol: g.L, C: g.Cout, K: g.K, hasBias: false,
    a_row: g.K, a_c: g.Cin * g.K, a_k: 1,
    b_n: g.Cout * Lout, b_c: Lout, Lin: Lout,
    col_stride: 1, tap_step: -1, tap_base: g.padding,
    out_n: g.Cin * g.L,
  }, g, w, gy, null, gx, variant);
}

/** The tiled forward (forward_tiled): any geometry; the GPU-shaped candidate (many invocations, short loops). */
export function conv1dForwardTiledKernel(ctx: GpuContext, g: Conv1dGeometry, x: BufferBinding, w: BufferBinding, bias: BufferBinding | null, out: BufferBinding): void {
  const Lout = conv1dOutputLength(g.L, g.K, g.stride, g.padding);
  const tilesM = Math.ceil(g.Cout / TILE);
  const tilesN = Math.ceil(Lout / TILE);
  const total = tilesM * tilesN * g.N;
  if (total === 0) return;
  ctx.dispatch(ctx.shader(CONV1D.name, CONV1D.source), 'forward_tiled', {
    bindings: { x, w, bias: bias ?? w, out },
    uniforms: geometryUniforms(g, tilesM, tilesN, g.N, 0, bias !== null),
    workgroups: grid1d(ctx, total),
    profile: { flop: 2 * g.N * g.Cout * Lout * g.Cin * g.K, loops: Math.ceil((g.Cin * g.K) / 16) },
  });
}

/** The tiled grad-input: any stride (positions not hit by the stride read zero). */
export function conv1dGradInputTiledKernel(ctx: GpuContext, g: Conv1dGeometry, w: BufferBinding, gy: BufferBinding, gx: BufferBinding): void {
  const tilesM = Math.ceil(g.Cin / TILE);
  const tilesN = Math.ceil(g.L / TILE);
  const total = tilesM * tilesN * g.N;
  if (total === 0) return;
  ctx.dispatch(ctx.shader(CONV1D.name, CONV1D.source), 'grad_input', {
    bindings: { w, gy, gx },
    uniforms: geometryUniforms(g, tilesM, tilesN, g.N),
    workgroups: grid1d(ctx, total),
    profile: { flop: 2 * g.N * g.Cin * g.L * g.Cout * g.K, loops: Math.ceil((g.Cout * g.K) / 16) },
  });
}

/**
 * Most samples one GEMM dispatch with `ncol` output columns per sample may cover
 * within the per-dimension workgroup limit, whichever GEMM variant runs
 * (conv1dChunked splits batches by it before the variant is chosen).
 */
export function conv1dGemmMaxSamples(ctx: GpuContext, ncol: number): number {
  const max = ctx.limits.maxComputeWorkgroupsPerDimension;
  // gemmK3Dispatch: ⌈N·nblk / lanes⌉ workgroups, lanes = 64 once N·nblk ≥ 64 (one workgroup below).
  const k3 = Math.floor((max * 64) / Math.ceil(Math.max(ncol, 1) / 8));
  const gemm = Math.floor((max * GEMM_BLOCK.conv_gemm_large[1]) / Math.max(ncol, 1));
  return Math.min(k3, gemm);
}

/**
 * gb[co] = Σ_(n, l) gy[n, co, l] in one dispatch (see grad_bias in conv1d.wgsl).
 * Layer (a) on SwiftShader: the two sumAxisKernel passes took 289 ms of the step.
 */
export function conv1dGradBiasKernel(ctx: GpuContext, g: Conv1dGeometry, gy: BufferBinding, gb: BufferBinding): void {
  if (g.Cout === 0) return;
  ctx.dispatch(ctx.shader(CONV1D.name, CONV1D.source), 'grad_bias', {
    bindings: { gy, out: gb },
    uniforms: geometryUniforms(g, 0, 0, g.N),
    workgroups: [Math.ceil(g.Cout / 8)],
    profile: { flop: g.N * g.Cout * conv1dOutputLength(g.L, g.K, g.stride, g.padding), loops: g.N * Math.ceil(conv1dOutputLength(g.L, g.K, g.stride, g.padding) / 4) },
  });
}
