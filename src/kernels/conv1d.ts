// conv1d's entry points and their variants as data: each pass declares its
// candidate implementations (conv1dKernels.ts) with the geometries they apply
// to; the context's tuner picks one per shape bucket (pinned, measured, or the
// first applicable one). Candidates must agree with the first applicable one
// within each op's tolerance before they may win.
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import type { Candidate, Trial, Tunable } from '../gpu/tuner.js';
import { type ElementBuffer, wholeBinding } from './batchChunks.js';
import {
  type Conv1dGeometry, type GemmVariant, conv1dForwardGemm, conv1dForwardTiledKernel, conv1dGradBiasKernel, conv1dGradInputGemm,
  conv1dGradInputTiledKernel, conv1dOutputLength, k3Applies,
} from './conv1dKernels.js';
import { type GradWeightVariant, conv1dGradWeightVariant, gradWeightApplies } from './conv1dGradWeight.js';
import { MAX_LOOP_ITERATIONS } from './grid.js';
import { sumAxisChunked } from './reduce.js';
import { trialOperands } from './trialOperands.js';

export { CONV1D, type Conv1dGeometry, conv1dGemmMaxSamples, conv1dGradBiasKernel, conv1dOutputLength } from './conv1dKernels.js';
export { gradWeightPlan } from './conv1dGradWeight.js';

/** Columns (N·L) rounded up to a power of two: layers of one model fall in distinct buckets, batches of similar size share one. */
function bucket(g: Conv1dGeometry): string {
  const cols = 2 ** Math.ceil(Math.log2(Math.max(1, g.N * g.L)));
  return `${g.Cin}->${g.Cout} k${g.K} s${g.stride} p${g.padding} cols~${cols}`;
}

const lout = (g: Conv1dGeometry): number => conv1dOutputLength(g.L, g.K, g.stride, g.padding);

interface ForwardArgs { x: BufferBinding; w: BufferBinding; bias: BufferBinding | null; out: BufferBinding }

const gemmForward = (name: GemmVariant): Candidate<Conv1dGeometry, ForwardArgs> => ({
  name,
  applies: (ctx, g) => name === 'gemm' || k3Applies(ctx, g.K, g.stride, g.Cout, name === 'k3-uniform'),
  run: (ctx, g, a) => conv1dForwardGemm(ctx, g, a.x, a.w, a.bias, a.out, name),
});

export const CONV1D_FORWARD: Tunable<Conv1dGeometry, ForwardArgs> = {
  op: 'conv1d.forward',
  candidates: [
    gemmForward('k3-storage'), gemmForward('k3-uniform'), gemmForward('gemm'),
    // GPU-shaped: a 64×64 tile per workgroup, the reduction staged through workgroup memory.
    { name: 'tiled', applies: () => true, run: (ctx, g, a) => conv1dForwardTiledKernel(ctx, g, a.x, a.w, a.bias, a.out) },
  ],
  bucket,
  // Same products, different summation order: f32 rounding over Cin·K terms.
  tolerance: 1e-4,
  trial(ctx, g): Trial<ForwardArgs> {
    const b = trialOperands(ctx, { x: g.N * g.Cin * g.L, w: g.Cout * g.Cin * g.K, bias: g.Cout, out: g.N * g.Cout * lout(g) });
    return { args: { x: b.x.buffer, w: b.w.buffer, bias: b.bias.buffer, out: b.out.buffer }, output: b.out, dispose: b.dispose };
  },
};

interface GradInputArgs { w: BufferBinding; gy: BufferBinding; gx: BufferBinding }

const gemmGradInput = (name: GemmVariant): Candidate<Conv1dGeometry, GradInputArgs> => ({
  name,
  applies: (ctx, g) => g.stride === 1 && (name === 'gemm' || k3Applies(ctx, g.K, 1, g.Cin, name === 'k3-uniform')),
  run: (ctx, g, a) => conv1dGradInputGemm(ctx, g, a.w, a.gy, a.gx, name),
});

export const CONV1D_GRAD_INPUT: Tunable<Conv1dGeometry, GradInputArgs> = {
  op: 'conv1d.gradInput',
  candidates: [
    gemmGradInput('k3-storage'), gemmGradInput('k3-uniform'), gemmGradInput('gemm'),
    // Any stride: positions the stride skips read zero.
    { name: 'tiled', applies: () => true, run: (ctx, g, a) => conv1dGradInputTiledKernel(ctx, g, a.w, a.gy, a.gx) },
  ],
  bucket,
  tolerance: 1e-4,
  trial(ctx, g): Trial<GradInputArgs> {
    const b = trialOperands(ctx, { w: g.Cout * g.Cin * g.K, gy: g.N * g.Cout * lout(g), gx: g.N * g.Cin * g.L });
    return { args: { w: b.w.buffer, gy: b.gy.buffer, gx: b.gx.buffer }, output: b.gx, dispose: b.dispose };
  },
};

interface GradWeightArgs { x: BufferBinding; gy: BufferBinding; gw: BufferBinding }

const gradWeight = (name: GradWeightVariant): Candidate<Conv1dGeometry, GradWeightArgs> => ({
  name,
  applies: (_, g) => gradWeightApplies(g, name),
  run: (ctx, g, a) => conv1dGradWeightVariant(ctx, g, a.x, a.gy, a.gw, name),
});

export const CONV1D_GRAD_WEIGHT: Tunable<Conv1dGeometry, GradWeightArgs> = {
  op: 'conv1d.gradWeight',
  // The 8-ci block first: the middle of the three on both software adapters.
  candidates: (['k3s1-ci8', 'k3s1-ci16', 'k3s1-ci4', 'k3', 'lanes', 'tiled'] as const).map(gradWeight),
  bucket,
  // Sums over N·Lout (up to ~10^6 terms at thesis size) split differently per variant.
  tolerance: 1e-3,
  trial(ctx, g): Trial<GradWeightArgs> {
    const b = trialOperands(ctx, { x: g.N * g.Cin * g.L, gy: g.N * g.Cout * lout(g), gw: g.Cout * g.Cin * g.K });
    return { args: { x: b.x.buffer, gy: b.gy.buffer, gw: b.gw.buffer }, output: b.gw, dispose: b.dispose };
  },
};

interface GradBiasArgs { gy: ElementBuffer; gb: ElementBuffer }

export const CONV1D_GRAD_BIAS: Tunable<Conv1dGeometry, GradBiasArgs> = {
  op: 'conv1d.gradBias',
  candidates: [
    {
      // Two parallel sums (over l, then n); they split large tensors by themselves.
      name: 'two-sums',
      applies: () => true,
      run(ctx, g, a) {
        const perRow = ctx.storage.acquire(Math.max(g.N * g.Cout, 1) * 4, false);
        sumAxisChunked(ctx, a.gy, { buffer: perRow, size: g.N * g.Cout }, g.N * g.Cout, lout(g), 1);
        sumAxisChunked(ctx, { buffer: perRow, size: g.N * g.Cout }, a.gb, 1, g.N, g.Cout);
        ctx.storage.release(perRow);
      },
    },
    {
      // One serial invocation per channel (layer (a), SwiftShader: 8 ms vs 289 ms for the two sums),
      // while gy fits one binding and a channel's N·Lout values one invocation's loops.
      name: 'per-channel',
      applies: (ctx, g) => g.N * g.Cout * lout(g) * 4 <= ctx.maxBindingBytes && g.N * lout(g) <= MAX_LOOP_ITERATIONS,
      run: (ctx, g, a) => conv1dGradBiasKernel(ctx, g, wholeBinding(ctx, a.gy, 'conv1d grad-bias', [g.N, g.Cout, lout(g)]), wholeBinding(ctx, a.gb, 'conv1d grad-bias', [g.Cout])),
    },
  ],
  bucket,
  tolerance: 1e-3,
  trial(ctx, g): Trial<GradBiasArgs> {
    const b = trialOperands(ctx, { gy: g.N * g.Cout * lout(g), gb: g.Cout });
    return { args: { gy: b.gy, gb: b.gb }, output: b.gb, dispose: b.dispose };
  },
};

/** Every conv1d op with variants, for the tune command and tests that walk them all. */
export const CONV1D_TUNABLES = [CONV1D_FORWARD, CONV1D_GRAD_INPUT, CONV1D_GRAD_WEIGHT, CONV1D_GRAD_BIAS] as const;

export function conv1dForwardKernel(ctx: GpuContext, g: Conv1dGeometry, x: BufferBinding, w: BufferBinding, bias: BufferBinding | null, out: BufferBinding): void {
  if (g.N * g.Cout * lout(g) === 0) return;
  ctx.tuner.choose(CONV1D_FORWARD, g).run(ctx, g, { x, w, bias, out });
}

export function conv1dGradInputKernel(ctx: GpuContext, g: Conv1dGeometry, w: BufferBinding, gy: BufferBinding, gx: BufferBinding): void {
  if (g.N * g.Cin * g.L === 0) return;
  ctx.tuner.choose(CONV1D_GRAD_INPUT, g).run(ctx, g, { w, gy, gx });
}

/** gw [Cout, Cin, K] = Σ over (n, l); partial sums use pool scratch. */
export function conv1dGradWeightKernel(ctx: GpuContext, g: Conv1dGeometry, x: BufferBinding, gy: BufferBinding, gw: BufferBinding): void {
  ctx.tuner.choose(CONV1D_GRAD_WEIGHT, g).run(ctx, g, { x, gy, gw });
}

/** gb [Cout] = Σ over (n, l) of gy. */
export function conv1dGradBiasChunked(ctx: GpuContext, g: Conv1dGeometry, gy: ElementBuffer, gb: ElementBuffer): void {
  ctx.tuner.choose(CONV1D_GRAD_BIAS, g).run(ctx, g, { gy, gb });
}
