// Micro-benchmark of the conv1d kernels at a SampleCNN block size (not run by
// the tests): batch 8, 128 → 128 channels, length 2187, kernel 3, padding 1.
// Times the forward, and the backward (grad-input + grad-weight + grad-bias),
// each as the mean of a few repetitions after a warm-up, synchronised with
// ctx.sync() so the figures are GPU wall time including submission.
import { Tensor, backward, conv1d } from '../src/autograd/index.js';
import type { GpuContext } from '../src/gpu/context.js';

export interface ConvBenchResult {
  adapter: string;
  shape: string;
  forwardMs: number;
  backwardMs: number;
  forwardGflops: number;
  backwardGflops: number;
  reps: number;
}

export async function benchConv1d(ctx: GpuContext, opts: { N?: number; C?: number; L?: number; reps?: number } = {}): Promise<ConvBenchResult> {
  const N = opts.N ?? 8;
  const C = opts.C ?? 128;
  const L = opts.L ?? 2187;
  const K = 3;
  const reps = opts.reps ?? 3;
  const rand = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.5);
  const x = Tensor.fromData(ctx, rand(N * C * L), [N, C, L]);
  const w = Tensor.fromData(ctx, rand(C * C * K), [C, C, K]);
  const b = Tensor.fromData(ctx, rand(C), [C]);
  for (const t of [x, w, b]) t.requiresGrad = true;
  const gy = Tensor.fromData(ctx, rand(N * C * L), [N, C, L]);
  // One conv pass (either direction) is 2·N·Cout·Lout·Cin·K flops; backward is two.
  const flops = 2 * N * C * L * C * K;

  const step = async (): Promise<[number, number]> => {
    await ctx.sync();
    const t0 = performance.now();
    const y = conv1d(x, w, b, { padding: 1 });
    await ctx.sync();
    const t1 = performance.now();
    backward(y, gy);
    await ctx.sync();
    const t2 = performance.now();
    y.dispose();
    for (const t of [x, w, b]) {
      t.grad?.dispose();
      t.grad = null;
    }
    return [t1 - t0, t2 - t1];
  };
  await step(); // warm-up: pipelines, pool buffers
  let fwd = 0;
  let bwd = 0;
  for (let r = 0; r < reps; r++) {
    const [f, g] = await step();
    fwd += f;
    bwd += g;
  }
  fwd /= reps;
  bwd /= reps;
  for (const t of [x, w, b, gy]) t.dispose();
  return {
    adapter: `${ctx.adapter.backend} ${ctx.adapter.featureLevel} — ${ctx.adapter.description || ctx.adapter.vendor}`,
    shape: `x [${N}, ${C}, ${L}], w [${C}, ${C}, ${K}], padding 1`,
    forwardMs: fwd,
    backwardMs: bwd,
    forwardGflops: flops / (fwd * 1e6),
    backwardGflops: (2 * flops) / (bwd * 1e6),
    reps,
  };
}
