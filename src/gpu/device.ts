// getDevice(): one way to get a GpuContext in Node (Dawn) and in browsers
// (navigator.gpu), with the limits the kernels need requested explicitly.
import { type BackendName, type DeviceOptions, INSTALL_HINT } from './backend.js';
import { type AdapterDescription, GpuContext, type KernelOptions } from './context.js';
import { indexedDbTuneStore } from './idbTuneStore.js';

/** Limits the kernels rely on; each is requested at the adapter's own maximum. */
const WANTED_LIMITS = [
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
] as const;

/** Kernels are written for at least these; an adapter below them is refused with a clear message. */
export const REQUIRED_LIMITS: Partial<Record<(typeof WANTED_LIMITS)[number], number>> = {
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupStorageSize: 16384,
  // batchnorm and BCE backward bind six storage buffers.
  maxStorageBuffersPerShaderStage: 6,
};

interface Candidate {
  backend: BackendName | 'browser';
  gpu: GPU;
  featureLevel: 'core' | 'compatibility';
}

/** Kernel options from the caller, the environment (Node) and the tuning cache (a JSON file in Node, IndexedDB in browsers). */
async function kernelOptions(opts: DeviceOptions): Promise<KernelOptions> {
  const base: KernelOptions = { tune: opts.tune, variants: opts.variants, maxBindingBytes: opts.maxBindingBytes };
  // The browser bundle's node-gpu.js is a stub whose packageVersion() is the built package's version.
  const node = await import('./node-gpu.js');
  if (!isNode()) return { ...base, tune: base.tune ?? 'full', tuneStore: (await indexedDbTuneStore()) ?? undefined, version: node.packageVersion() };
  const env = node.nodeEnv();
  const { optionsFromEnv } = await import('./backend.js');
  return { ...base, tune: base.tune ?? optionsFromEnv(env).tune ?? 'full', tuneStore: node.nodeTuneStore(env) ?? undefined, version: node.packageVersion() };
}

function isNode(): boolean {
  return typeof process !== 'undefined' && !!(process as { versions?: { node?: string } }).versions?.node;
}

async function candidates(opts: DeviceOptions): Promise<Candidate[]> {
  if (opts.gpu) return [{ backend: 'browser', gpu: opts.gpu, featureLevel: 'core' }];
  if (!isNode()) {
    const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
    if (!gpu) {
      throw new Error('This browser has no WebGPU (navigator.gpu is missing). Use Chrome or Edge 113+, Safari 26+, or Firefox 141+ on Windows; on Linux, Chrome needs --enable-unsafe-webgpu (and --enable-features=Vulkan).');
    }
    return [{ backend: 'browser', gpu, featureLevel: 'core' }];
  }
  // The browser bundle replaces this module with a stub (scripts/build.mjs).
  const node = await import('./node-gpu.js');
  const env = node.nodeEnv();
  const { optionsFromEnv } = await import('./backend.js');
  const fromEnv = optionsFromEnv(env);
  const backend = opts.backend && opts.backend !== 'auto' ? opts.backend : fromEnv.backend ?? 'auto';
  return node.nodeGpuCandidates(backend, opts.adapter ?? fromEnv.adapter);
}

async function requestAdapter(c: Candidate): Promise<{ adapter: GPUAdapter; level: 'core' | 'compatibility' } | null> {
  // Core first (full feature set); OpenGL and some browsers only offer compatibility.
  const levels: ('core' | 'compatibility')[] = c.featureLevel === 'core' ? ['core', 'compatibility'] : ['compatibility'];
  for (const level of levels) {
    const adapter = await c.gpu.requestAdapter({ featureLevel: level, powerPreference: 'high-performance' } as GPURequestAdapterOptions);
    if (adapter) {
      const isCompat = level === 'compatibility' && !(adapter.features as ReadonlySet<string>).has('core-features-and-limits');
      return { adapter, level: isCompat ? 'compatibility' : 'core' };
    }
  }
  return null;
}

export async function getDevice(opts: DeviceOptions = {}): Promise<GpuContext> {
  const tried: string[] = [];
  for (const c of await candidates(opts)) {
    const found = await requestAdapter(c);
    if (!found) {
      tried.push(c.backend);
      continue;
    }
    const { adapter, level } = found;
    const requiredLimits: Record<string, number> = {};
    for (const name of WANTED_LIMITS) {
      const have = adapter.limits[name];
      const need = REQUIRED_LIMITS[name];
      if (need !== undefined && have < need) {
        throw new Error(`The ${c.backend} adapter (${adapter.info.description || adapter.info.vendor}) offers ${name} = ${have}, but the kernels need ${need}. Try another backend (--backend).`);
      }
      requiredLimits[name] = have;
    }
    // Optional features: GPU timestamps let the tuner time kernels without the submit's
    // overhead; subgroups enable the subgroup-reduction candidates.
    const requiredFeatures = (['timestamp-query', 'subgroups'] as GPUFeatureName[]).filter((f) => adapter.features.has(f));
    const device = await adapter.requestDevice({ requiredLimits, requiredFeatures, label: 'robust-tagger' });
    const info = adapter.info;
    const desc: AdapterDescription = {
      backend: c.backend,
      featureLevel: level,
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
    };
    return new GpuContext(device, desc, c.gpu, await kernelOptions(opts));
  }
  throw new Error(`${INSTALL_HINT}\n(backends tried: ${tried.join(', ')})`);
}

let shared: Promise<GpuContext> | null = null;

/** A process-wide default context, created on first use. */
export function defaultDevice(opts: DeviceOptions = {}): Promise<GpuContext> {
  shared ??= getDevice(opts);
  return shared;
}
