// Workload (a): one conv1d layer, batch 8, 128 → 128 channels, length 2187,
// kernel 3, padding 1, with bias: forward + grad-input + grad-weight + grad-bias,
// in this runtime, TensorFlow.js (WebGPU backend, NWC) and jax-js (WebGPU, NCL),
// each on the same Dawn adapter in the same process. Each figure is the median
// wall time of whole steps, synchronised (ours: queue drained; peers: a scalar
// read of every gradient).
import { Tensor, backward, conv1d } from '../src/autograd/index.js';
import type { GpuContext } from '../src/gpu/context.js';
import { type PeerTiming, loadJax, loadTf, measurePeer } from './peers.js';
import { timeIt } from './timing.js';

export const LAYER = { N: 8, C: 128, L: 2187, K: 3 };
/** Forward + two backward GEMMs (grad-bias is a sum). */
export const LAYER_FLOP = 3 * 2 * LAYER.N * LAYER.C * LAYER.L * LAYER.C * LAYER.K;

function fill(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin((i + seed) * 12.9898) * 0.5;
  return a;
}

export async function benchLayerOurs(ctx: GpuContext, reps: number): Promise<number> {
  const { N, C, L, K } = LAYER;
  const x = Tensor.fromData(ctx, fill(N * C * L, 1), [N, C, L]);
  const w = Tensor.fromData(ctx, fill(C * C * K, 2), [C, C, K]);
  const b = Tensor.fromData(ctx, fill(C, 3), [C]);
  const gy = Tensor.fromData(ctx, fill(N * C * L, 4), [N, C, L]);
  for (const t of [x, w, b]) t.requiresGrad = true;
  const t = await timeIt(async () => {
    const y = conv1d(x, w, b, { padding: 1 });
    backward(y, gy);
    await ctx.sync();
    y.dispose();
    for (const p of [x, w, b]) {
      p.grad?.dispose();
      p.grad = null;
    }
  }, { reps });
  for (const p of [x, w, b, gy]) p.dispose();
  return t.ms;
}

export async function benchLayerTf(ctx: GpuContext, reps: number): Promise<PeerTiming> {
  return measurePeer('tfjs-webgpu', async () => {
    const tf = await loadTf(ctx);
    const { N, C, L, K } = LAYER;
    const x = tf.tensor3d(fill(N * C * L, 1), [N, L, C]);
    const w = tf.tensor3d(fill(C * C * K, 2), [K, C, C]);
    const b = tf.tensor1d(fill(C, 3));
    const gy = tf.tensor3d(fill(N * C * L, 4), [N, L, C]);
    const f = (xx: typeof x, ww: typeof w, bb: typeof b) => tf.add(tf.conv1d(xx, ww, 1, 'same'), bb) as typeof x;
    const grads = tf.grads(f as (...a: unknown[]) => typeof x);
    const t = await timeIt(async () => {
      const gs = grads([x, w, b], gy);
      const sums = gs.map((g) => tf.sum(g));
      await Promise.all(sums.map((s) => s.data()));
      tf.dispose([...gs, ...sums]);
    }, { reps });
    tf.dispose([x, w, b, gy]);
    return t.ms;
  });
}

export async function benchLayerJax(ctx: GpuContext, reps: number): Promise<PeerTiming> {
  return measurePeer('jax-js', async () => {
    const jax = await loadJax(ctx);
    const np = jax.numpy;
    const { N, C, L, K } = LAYER;
    const x = np.array(fill(N * C * L, 1)).reshape([N, C, L]);
    const w = np.array(fill(C * C * K, 2)).reshape([C, C, K]);
    const b = np.array(fill(C, 3)).reshape([C, 1]);
    const gy = np.array(fill(N * C * L, 4)).reshape([N, C, L]);
    const f = (xx: typeof x, ww: typeof x, bb: typeof x) => jax.lax.conv(xx, ww, [1], [[1, 1]]).add(bb);
    const t = await timeIt(async () => {
      const [y, vjpFn] = jax.vjp(f, [x.ref, w.ref, b.ref]);
      const gs = vjpFn(gy.ref) as (typeof x)[];
      await jax.blockUntilReady(gs);
      y.dispose();
      vjpFn.dispose();
      for (const g of gs) g.dispose();
    }, { reps });
    for (const a of [x, w, b, gy]) a.dispose();
    return t.ms;
  });
}
