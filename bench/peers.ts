// Loading the JavaScript WebGPU peers (jax-js, TensorFlow.js) onto the same Dawn
// backend we run on. Both read navigator.gpu when they load; on OpenGL the
// adapter must be requested at the compatibility feature level.
import type { GpuContext } from '../src/gpu/context.js';
import { nodeGpuCandidates } from '../src/gpu/node-gpu.js';
import type { BackendName } from '../src/gpu/backend.js';

export function installNavigatorGpu(ctx: GpuContext): void {
  const backend = ctx.adapter.backend as BackendName;
  const [cand] = nodeGpuCandidates(backend === 'auto' ? 'opengl' : backend, undefined);
  const gpu = cand.gpu;
  const compat = ctx.adapter.featureLevel === 'compatibility';
  const wrapped = {
    requestAdapter: (opts?: GPURequestAdapterOptions) => gpu.requestAdapter(compat ? { ...opts, featureLevel: 'compatibility' } as GPURequestAdapterOptions : opts),
    getPreferredCanvasFormat: () => 'rgba8unorm',
    wgslLanguageFeatures: gpu.wgslLanguageFeatures,
  };
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: wrapped, userAgent: 'node' }, configurable: true, writable: true });
  // Keep the instance alive for the peers' lifetime.
  (globalThis as Record<string, unknown>).__peerGpuInstance = gpu;
}

/** A peer's median ms, or why it could not be measured. */
export type PeerTiming = { name: string; ms: number } | { name: string; error: string };

/** Runs one peer's measurement (its median ms); a peer that fails to load or run is reported by its first error line instead of stopping the benchmark. */
export async function measurePeer(name: string, run: () => Promise<number>): Promise<PeerTiming> {
  try {
    return { name, ms: await run() };
  } catch (e) {
    return { name, error: (e as Error).message.split('\n')[0] };
  }
}

type Jax = typeof import('@jax-js/jax');
type Tf = typeof import('@tensorflow/tfjs');
let jaxModule: Promise<Jax> | null = null;
let tfModule: Promise<Tf> | null = null;

/** jax-js on its WebGPU backend, on the same Dawn backend as `ctx`. */
export function loadJax(ctx: GpuContext): Promise<Jax> {
  jaxModule ??= (async () => {
    installNavigatorGpu(ctx);
    const jax = await import('@jax-js/jax');
    const devices = await jax.init('webgpu');
    if (!devices.includes('webgpu')) throw new Error('jax-js found no WebGPU device');
    jax.defaultDevice('webgpu');
    return jax;
  })();
  return jaxModule;
}

/** TensorFlow.js with its WebGPU backend, on the same Dawn backend as `ctx`. */
export function loadTf(ctx: GpuContext): Promise<Tf> {
  tfModule ??= (async () => {
    installNavigatorGpu(ctx);
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) throw new Error('TensorFlow.js could not start its WebGPU backend');
    await tf.ready();
    return tf;
  })();
  return tfModule;
}
