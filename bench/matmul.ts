// matmul 512×512×512: this runtime against jax-js's WebGPU backend, same adapter, same run.
import { Tensor, matmul } from '../src/autograd/index.js';
import type { GpuContext } from '../src/gpu/context.js';
import { installNavigatorGpu } from './peers.js';
import { gflops, interleaved, median } from './timing.js';
import { type RatioEstimate, pairedRatio } from '../src/eval/stats.js';

export interface BenchResult {
  name: string;
  ms: number;
  gflops: number;
  /** ratio: peer ÷ ours from the interleaved pairs of runs (pairedRatio), with its 95% interval. */
  peer?: { name: string; ms: number; gflops: number; ratio: RatioEstimate } | { name: string; error: string };
}

const N = 512;
const FLOP = 2 * N * N * N;

function randomData(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(i * 12.9898) * 0.5;
  return a;
}

async function timed(run: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

/**
 * Ours and jax-js run in turn (ABBA order, one warm-up each), so a change in
 * the machine's speed falls on both: timed one after the other in blocks, the
 * peer's median moved 120 → 139 ms between two runs on SwiftShader while ours
 * stayed at 81-85 ms.
 */
export async function benchMatmul(ctx: GpuContext, reps = 5): Promise<BenchResult> {
  const a = Tensor.fromData(ctx, randomData(N * N), [N, N]);
  const b = Tensor.fromData(ctx, randomData(N * N), [N, N]);
  const ours = async (): Promise<void> => {
    const c = matmul(a, b);
    await ctx.sync();
    c.dispose();
  };
  const name = `matmul ${N}×${N}×${N}`;
  let peer: (() => Promise<void>) | undefined;
  let peerDispose = (): void => {};
  let peerError: string | undefined;
  try {
    installNavigatorGpu(ctx);
    const jax = await import('@jax-js/jax');
    const devices = await jax.init('webgpu');
    if (!devices.includes('webgpu')) throw new Error('jax-js found no WebGPU device');
    jax.defaultDevice('webgpu');
    const np = jax.numpy;
    const ja = np.array(randomData(N * N)).reshape([N, N]);
    const jb = np.array(randomData(N * N)).reshape([N, N]);
    peer = async () => {
      const c = np.matmul(ja.ref, jb.ref);
      await c.data();
    };
    peerDispose = () => {
      ja.dispose();
      jb.dispose();
    };
  } catch (e) {
    peerError = (e as Error).message;
  }
  try {
    const runs = peer ? [ours, peer] : [ours];
    for (const r of runs) await r();
    const times = await interleaved(runs.map((r) => () => timed(r)), reps);
    const ms = median(times[0]);
    const result: BenchResult = { name, ms, gflops: gflops(FLOP, ms) };
    if (peer) {
      const peerMs = median(times[1]);
      result.peer = { name: 'jax-js', ms: peerMs, gflops: gflops(FLOP, peerMs), ratio: pairedRatio(times[0], times[1]) };
    } else {
      result.peer = { name: 'jax-js', error: peerError ?? 'not run' };
    }
    return result;
  } finally {
    peerDispose();
    a.dispose();
    b.dispose();
  }
}
