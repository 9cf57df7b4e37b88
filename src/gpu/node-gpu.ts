// The one Node-only entry of the runtime: it loads Dawn through the `webgpu`
// package. Browsers never reach this file (device.ts guards the import).
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { type BackendName, SWIFTSHADER_ICD, nativeBackendFor, vulkanDriverSearch } from './backend.js';
import type { TuneRecord, TuneStore } from './tuner.js';
import { writeFileAtomic } from '../util/writeFileAtomic.js';

interface DawnModule {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}

let dawn: DawnModule | undefined;
/**
 * Every GPU instance handed out stays referenced for the life of the process:
 * once JS drops it, GC frees Dawn's instance while devices made from it still
 * schedule ProcessEvents, a use-after-free that crashed processes at random.
 */
const liveInstances: GPU[] = [];

function loadDawn(): DawnModule {
  if (!dawn) {
    const require = createRequire(import.meta.url);
    dawn = require('webgpu') as DawnModule;
    // Dawn's enums/classes (GPUBufferUsage, ...) must exist as globals, as in a browser.
    for (const [k, v] of Object.entries(dawn.globals)) {
      if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
    }
  }
  return dawn;
}

export interface NodeGpuCandidate {
  backend: BackendName;
  gpu: GPU;
  featureLevel: 'core' | 'compatibility';
}

/** Yields GPU objects to try in order for the requested backend. */
export function nodeGpuCandidates(backend: BackendName, adapter: string | undefined): NodeGpuCandidate[] {
  const d = loadDawn();
  const extra = adapter ? [`adapter=${adapter}`] : [];
  const make = (b: BackendName): NodeGpuCandidate => {
    const c = makeCandidate(b);
    liveInstances.push(c.gpu);
    return c;
  };
  const makeCandidate = (b: BackendName): NodeGpuCandidate => {
    if (b === 'opengl') {
      // llvmpipe needs a surfaceless EGL platform on headless machines.
      process.env.EGL_PLATFORM ??= 'surfaceless';
      return { backend: b, gpu: d.create(['backend=opengl', ...extra]), featureLevel: 'compatibility' };
    }
    if (b === 'swiftshader') {
      if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
      return { backend: b, gpu: d.create(['backend=vulkan', ...extra]), featureLevel: 'core' };
    }
    return { backend: b, gpu: d.create([`backend=${b}`, ...extra]), featureLevel: 'core' };
  };
  if (backend === 'auto') {
    const native = nativeBackendFor(process.platform);
    if (native === 'vulkan' && !vulkanDriverInstalled()) return [make('opengl')];
    return [make(native), make('opengl')];
  }
  return [make(backend)];
}

/** Whether the Vulkan loader can find any driver (see vulkanDriverSearch). */
export function vulkanDriverInstalled(env: Record<string, string | undefined> = process.env, sysconfdir = '/etc'): boolean {
  const { files, dirs } = vulkanDriverSearch(env, sysconfdir);
  if (files.some((f) => existsSync(f))) return true;
  return dirs.some((d) => {
    try {
      return readdirSync(d).some((f) => f.endsWith('.json'));
    } catch {
      return false;
    }
  });
}

export function nodeEnv(): Record<string, string | undefined> {
  return process.env;
}

/** The package's version (part of the tuning cache key), from the nearest robust-tagger package.json. */
export function packageVersion(): string {
  const require = createRequire(import.meta.url);
  // src/gpu/ under vitest, dist/ for the bundles, beside a device bundle (scripts/device/gpu-bench.sh).
  for (const rel of ['../../package.json', '../package.json', './package.json']) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === 'robust-tagger' && pkg.version) return pkg.version;
    } catch {
      // not there: try the next
    }
  }
  return 'unknown';
}

/** Folder of the kernel-tuning cache: ROBUST_TAGGER_CACHE_DIR, else $XDG_CACHE_HOME/robust-tagger, else ~/.cache/robust-tagger. */
export function tuneCacheDir(env: Record<string, string | undefined>): string | null {
  if (env.ROBUST_TAGGER_CACHE_DIR) return env.ROBUST_TAGGER_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || (env.HOME || homedir() ? join(env.HOME || homedir(), '.cache') : '');
  return base ? join(base, 'robust-tagger') : null;
}

/**
 * Measured kernel winners as one JSON file, { adapterKey: { "op bucket": record } }.
 * Read once per load, written whole (temp file + rename, so a reader never sees
 * half a file). An unreadable file counts as empty: it is only a cache.
 */
export function nodeTuneStore(env: Record<string, string | undefined>): TuneStore | null {
  const dir = tuneCacheDir(env);
  if (!dir) return null;
  const file = join(dir, 'kernel-tuning.json');
  const readAll = (): Record<string, Record<string, TuneRecord>> => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, TuneRecord>>;
    } catch {
      return {};
    }
  };
  return {
    load: (key) => ({ ...(readAll()[key] ?? {}) }),
    save: (key, records) => {
      const all = readAll();
      // JSON has no NaN: a disagreeing candidate is stored as null.
      all[key] = records;
      try {
        mkdirSync(dir, { recursive: true });
        writeFileAtomic(file, JSON.stringify(all, null, 1));
      } catch (e) {
        console.warn(`kernel tuning: could not write ${file}: ${(e as Error).message}`);
      }
    },
  };
}
