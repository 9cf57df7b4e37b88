// matmul 512×512×512: this runtime against jax-js's WebGPU backend, same adapter, same run.
import { Tensor, matmul } from '../src/autograd/index.js';
import type { GpuContext } from '../src/gpu/context.js';
import { installNavigatorGpu } from './peers.js';
import { gflops, timeIt } from './timing.js';

export interface BenchResult {
  name: string;
  ms: number;
  gflops: number;
  peer?: { name: string; ms: number; gflops: number } | { name: string; error: string };
}

const N = 512;
const FLOP = 2 * N * N * N;

function randomData(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(i * 12.9898) * 0.5;
  return a;
}

export async function benchMatmul(ctx: GpuContext, reps = 5): Promise<BenchResult> {
  const a = Tensor.fromData(ctx, randomData(N * N), [N, N]);
  const b = Tensor.fromData(ctx, randomData(N * N), [N, N]);
  const ours = await timeIt(async () => {
    const c = matmul(a, b);
    await ctx.sync();
    c.dispose();
  }, { reps });
  a.dispose();
  b.dispose();
  const result: BenchResult = { name: `matmul ${N}×${N}×${N}`, ms: ours.ms, gflops: gflops(FLOP, ours.ms) };
  try {
    installNavigatorGpu(ctx);
    const jax = await import('@jax-js/jax');
    const devices = await jax.init('webgpu');
    if (!devices.includes('webgpu')) throw new Error('jax-js found no WebGPU device');
    jax.defaultDevice('webgpu');
    const np = jax.numpy;
    const ja = np.array(randomData(N * N)).reshape([N, N]);
    const jb = np.array(randomData(N * N)).reshape([N, N]);
    const peer = await timeIt(async () => {
      const c = np.matmul(ja.ref, jb.ref);
      await c.data();
    }, { reps });
    ja.dispose();
    jb.dispose();
    result.peer = { name: 'jax-js', ms: peer.ms, gflops: gflops(FLOP, peer.ms) };
  } catch (e) {
    result.peer = { name: 'jax-js', error: (e as Error).message };
  }
  return result;
}
