// Workload (b): one training step of a scaled-down SampleCNN, input 3^8 = 6561,
// channel widths ÷ 4 (scaledModelConfig(8, 4)), batch 8, BCE with logits on 50
// outputs, Adam (lr 1e-3): forward, backward, update, synchronised. Dropout is
// set to 0 so the three implementations compute the same network:
//   conv(1→32, k3, s3) BN ReLU, then per block conv(k3, p1) BN ReLU maxpool(3)
//   with widths 32 32 64 64 64 64 128, then conv(128→128, k1) BN ReLU, fc 128→50.
// BatchNorm uses batch statistics (training mode) everywhere; the peers skip the
// running-statistics update (a few hundred floats).
import { Tensor, bceWithLogits } from '../src/autograd/index.js';
import type { GpuContext } from '../src/gpu/context.js';
import { type ModelConfig, buildModels, sampleCnnConvs, scaledModelConfig } from '../src/models/index.js';
import { Adam, Random } from '../src/nn/index.js';
import { optimizerStep } from '../src/train/runner.js';
import { type PeerTiming, loadJax, loadTf, measurePeer } from './peers.js';
import { timeIt } from './timing.js';

export const STEP_BATCH = 8;

export function stepConfig(): ModelConfig {
  const cfg = scaledModelConfig(8, 4);
  return { ...cfg, sampleCnn: { ...cfg.sampleCnn, dropout: 0 } };
}

function fill(n: number, seed: number, scale = 0.5): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin((i + seed) * 12.9898) * scale;
  return a;
}

const targetsData = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => ((i * 7) % 5 === 0 ? 1 : 0));

/** One BCE training step (forward, backward, update) through the runner's optimizerStep. Returns the loss. */
export function supervisedStep(model: { forward(x: Tensor): Tensor }, opt: { zeroGrad(): void; step(): void }, x: Tensor, y: Tensor): Tensor {
  return optimizerStep(opt, () => ({ loss: bceWithLogits(model.forward(x), y) })).loss;
}

export async function benchStepOurs(ctx: GpuContext, reps: number): Promise<{ ms: number; peakBytes: number }> {
  const cfg = stepConfig();
  const model = buildModels(ctx, cfg, 'supervised', new Random(1)).supervised!;
  model.train();
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const L = cfg.sampleCnn.inputLength;
  const x = Tensor.fromData(ctx, fill(STEP_BATCH * L, 1), [STEP_BATCH, L]);
  const y = Tensor.fromData(ctx, targetsData(STEP_BATCH * cfg.sampleCnn.numClasses), [STEP_BATCH, cfg.sampleCnn.numClasses]);
  const t = await timeIt(async () => {
    const loss = supervisedStep(model, opt, x, y);
    await loss.read();
    loss.dispose();
  }, { reps });
  const peakBytes = ctx.poolStats().peakBytes;
  x.dispose();
  y.dispose();
  model.dispose();
  for (const m of [...opt.m.values(), ...opt.v.values()]) m.dispose();
  return { ms: t.ms, peakBytes };
}

export async function benchStepTf(ctx: GpuContext, reps: number): Promise<PeerTiming> {
  return measurePeer('tfjs-webgpu', async () => {
    const tf = await loadTf(ctx);
    const cfg = stepConfig();
    const plan = sampleCnnConvs(cfg.sampleCnn);
    const nc = cfg.sampleCnn.numClasses;
    const vars = plan.map(({ Cin, Cout, K }, i) => ({
      w: tf.variable(tf.tensor3d(fill(K * Cin * Cout, 10 + i, 1 / Math.sqrt(Cin * K)), [K, Cin, Cout])),
      b: tf.variable(tf.zeros([Cout])),
      gamma: tf.variable(tf.ones([Cout])),
      beta: tf.variable(tf.zeros([Cout])),
    }));
    const last = plan[plan.length - 1].Cout;
    const fcW = tf.variable(tf.tensor2d(fill(last * nc, 99, 1 / Math.sqrt(last)), [last, nc]));
    const fcB = tf.variable(tf.zeros([nc]));
    const L = cfg.sampleCnn.inputLength;
    const x = tf.tensor3d(fill(STEP_BATCH * L, 1), [STEP_BATCH, L, 1]);
    const y = tf.tensor2d(targetsData(STEP_BATCH * nc), [STEP_BATCH, nc]);
    const opt = tf.train.adam(1e-3);
    const lossFn = () => {
      let h = x as import('@tensorflow/tfjs').Tensor3D;
      plan.forEach(({ stride, padding: pad }, i) => {
        const v = vars[i];
        h = tf.add(tf.conv1d(h, v.w, stride, pad === 0 ? 'valid' : 'same'), v.b);
        const { mean, variance } = tf.moments(h, [0, 1]);
        h = tf.relu(tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5))), v.gamma), v.beta));
        if (i > 0 && i < plan.length - 1) {
          const [n, len, c] = h.shape;
          h = tf.max(tf.reshape(h, [n, len / 3, 3, c]), 2) as typeof h;
        }
      });
      const logits = tf.add(tf.matMul(tf.reshape(h, [STEP_BATCH, last]), fcW), fcB);
      return tf.mean(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))))) as import('@tensorflow/tfjs').Scalar;
    };
    const t = await timeIt(async () => {
      const cost = opt.minimize(lossFn, true)!;
      await cost.data();
      cost.dispose();
    }, { reps });
    opt.dispose();
    tf.dispose([x, y, fcW, fcB, ...vars.flatMap((v) => [v.w, v.b, v.gamma, v.beta])]);
    return t.ms;
  });
}

export async function benchStepJax(ctx: GpuContext, reps: number): Promise<PeerTiming> {
  return measurePeer('jax-js', async () => {
    const jax = await loadJax(ctx);
    const np = jax.numpy;
    type A = ReturnType<typeof np.array>;
    const cfg = stepConfig();
    const plan = sampleCnnConvs(cfg.sampleCnn);
    const nc = cfg.sampleCnn.numClasses;
    const last = plan[plan.length - 1].Cout;
    const L = cfg.sampleCnn.inputLength;
    // Parameters as a flat list: per conv w, b, gamma, beta; then fc w, b.
    let params: A[] = [];
    plan.forEach(({ Cin, Cout, K }, i) => {
      params.push(np.array(fill(Cout * Cin * K, 10 + i, 1 / Math.sqrt(Cin * K))).reshape([Cout, Cin, K]));
      params.push(np.zeros([1, Cout, 1]), np.ones([1, Cout, 1]), np.zeros([1, Cout, 1]));
    });
    params.push(np.array(fill(last * nc, 99, 1 / Math.sqrt(last))).reshape([last, nc]), np.zeros([1, nc]));
    let m: A[] = params.map((p) => np.zerosLike(p.ref));
    let v: A[] = params.map((p) => np.zerosLike(p.ref));
    const x = np.array(fill(STEP_BATCH * L, 1)).reshape([STEP_BATCH, 1, L]);
    const y = np.array(targetsData(STEP_BATCH * nc)).reshape([STEP_BATCH, nc]);
    const loss = (ps: A[], xx: A, yy: A): A => {
      let h = xx;
      plan.forEach(({ stride, padding: pad }, i) => {
        const [w, b, gamma, beta] = ps.slice(4 * i, 4 * i + 4);
        h = jax.lax.conv(h, w, [stride], [[pad, pad]]).add(b);
        const mean = np.mean(h.ref, [0, 2], { keepdims: true });
        const centered = h.sub(mean);
        const variance = np.mean(centered.ref.mul(centered.ref), [0, 2], { keepdims: true });
        h = np.maximum(centered.div(np.sqrt(variance.add(1e-5))).mul(gamma).add(beta), 0);
        if (i > 0 && i < plan.length - 1) {
          const [n, c, len] = h.shape;
          h = np.max(h.reshape([n, c, len / 3, 3]), 3);
        }
      });
      const [fw, fb] = ps.slice(4 * plan.length);
      const logits = np.matmul(h.reshape([STEP_BATCH, last]), fw).add(fb);
      const terms = np.maximum(logits.ref, 0).sub(logits.ref.mul(yy)).add(np.log1p(np.exp(np.negative(np.abs(logits)))));
      return np.mean(terms);
    };
    const [b1, b2, lr, eps] = [0.9, 0.999, 1e-3, 1e-8];
    const step = jax.jit((ps: A[], ms: A[], vs: A[], xx: A, yy: A, c1: A, c2: A) => {
      const [value, grads] = jax.valueAndGrad(loss)(ps.map((p) => p.ref), xx, yy) as [A, A[]];
      const nm = ms.map((mi, i) => mi.mul(b1).add(grads[i].ref.mul(1 - b1)));
      const nv = vs.map((vi, i) => vi.mul(b2).add(grads[i].ref.mul(grads[i]).mul(1 - b2)));
      const np2 = ps.map((p, i) => p.sub(nm[i].ref.div(c1.ref).mul(lr).div(np.sqrt(nv[i].ref.div(c2.ref)).add(eps))));
      c1.dispose();
      c2.dispose();
      return [value, np2, nm, nv] as [A, A[], A[], A[]];
    });
    let tstep = 0;
    const t = await timeIt(async () => {
      tstep++;
      const [value, np2, nm, nv] = step(params, m, v, x.ref, y.ref, np.array([1 - b1 ** tstep]), np.array([1 - b2 ** tstep])) as unknown as [A, A[], A[], A[]];
      params = np2;
      m = nm;
      v = nv;
      await value.data();
    }, { reps });
    step.dispose();
    for (const a of [...params, ...m, ...v, x, y]) a.dispose();
    return t.ms;
  });
}
