// Which WebGPU implementation and adapter to use. Pure option handling, shared
// by the Node entry and the CLI so both read the same env vars and flags.
import { type TuneMode, parseTuneMode } from './tuner.js';

export type BackendName = 'auto' | 'vulkan' | 'opengl' | 'swiftshader' | 'metal' | 'd3d12';

export const BACKENDS: readonly BackendName[] = ['auto', 'vulkan', 'opengl', 'swiftshader', 'metal', 'd3d12'];

export interface DeviceOptions {
  /** Backend choice; `auto` tries the platform's native backend, then OpenGL (llvmpipe). */
  backend?: BackendName;
  /** Pick the first adapter whose description/vendor/architecture contains this text. */
  adapter?: string;
  /** A GPU object to use instead of discovering one (browsers, tests). */
  gpu?: GPU;
  /** Kernel tuning mode; ROBUST_TAGGER_TUNE when absent (Node), else 'full'. */
  tune?: TuneMode;
  /** Pinned kernel variants, op → candidate (see GpuContext.configure). */
  variants?: Record<string, string>;
  /** Lowers the largest storage binding the kernels use (tests of the chunked paths). */
  maxBindingBytes?: number;
}

export function parseBackend(value: string | undefined, source: string): BackendName {
  if (value === undefined || value === '') return 'auto';
  const v = value.toLowerCase();
  if ((BACKENDS as readonly string[]).includes(v)) return v as BackendName;
  throw new Error(`${source}: unknown backend '${value}'. Use one of: ${BACKENDS.join(', ')}.`);
}

/** Reads ROBUST_TAGGER_BACKEND / ROBUST_TAGGER_ADAPTER / ROBUST_TAGGER_TUNE from an environment map. */
export function optionsFromEnv(env: Record<string, string | undefined>): DeviceOptions {
  return {
    backend: parseBackend(env.ROBUST_TAGGER_BACKEND, 'ROBUST_TAGGER_BACKEND'),
    adapter: env.ROBUST_TAGGER_ADAPTER || undefined,
    tune: parseTuneMode(env.ROBUST_TAGGER_TUNE, 'ROBUST_TAGGER_TUNE'),
  };
}

export function nativeBackendFor(platform: string): BackendName {
  if (platform === 'darwin') return 'metal';
  if (platform === 'win32') return 'd3d12';
  return 'vulkan';
}

/**
 * Folders where the Linux Vulkan loader looks for driver manifests (ICD JSON
 * files), in the loader's order, for an environment map. `auto` skips Vulkan
 * when none of them holds a manifest and no driver file is named in the
 * environment: Dawn would only fail there, printing loader errors to stderr.
 */
export function vulkanDriverSearch(env: Record<string, string | undefined>, sysconfdir = '/etc'): { files: string[]; dirs: string[] } {
  const files = [env.VK_DRIVER_FILES, env.VK_ICD_FILENAMES, env.VK_ADD_DRIVER_FILES].flatMap((v) => (v ? v.split(':').filter(Boolean) : []));
  const configDirs = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':');
  const dataHome = env.XDG_DATA_HOME || (env.HOME ? `${env.HOME}/.local/share` : '');
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':');
  const roots = [...configDirs, sysconfdir, ...(dataHome ? [dataHome] : []), ...dataDirs].filter(Boolean);
  return { files, dirs: roots.map((r) => `${r.replace(/\/$/, '')}/vulkan/icd.d`) };
}

/** Where Debian's Chromium puts SwiftShader's Vulkan ICD. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export const INSTALL_HINT = [
  'No WebGPU adapter was found.',
  'On a machine without a GPU, Dawn can use Mesa\'s llvmpipe through OpenGL ES; on Debian/Ubuntu install:',
  '  apt-get install libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri',
  'For the Vulkan backend on SwiftShader install: apt-get install libvulkan1 chromium',
  'With a GPU, install its Vulkan driver (and libvulkan1). Choose a backend with',
  'ROBUST_TAGGER_BACKEND=vulkan|opengl|swiftshader or --backend.',
].join('\n');
