// safetensors files on disk (Node only: kept out of nn/index.ts so the browser
// bundle never pulls in node:fs). Writes are atomic (util/writeFileAtomic.ts): a
// crash mid-save leaves the previous checkpoint intact, never a half-written file.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/writeFileAtomic.js';
import type { Module } from './module.js';
import { type CheckpointMeta, type LoadOptions, type SafetensorsFile, type TensorToWrite, decodeMeta, decodeSafetensors, encodeMeta, encodeSafetensors, loadStateDict, moduleTensors } from './safetensors.js';

/** Generic store for training state (optimizer moments, RNG state): F32 tensors plus string metadata. */
export function saveTensors(path: string, tensors: Record<string, TensorToWrite>, metadata: Record<string, string> = {}): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

export function readSafetensors(path: string): SafetensorsFile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read checkpoint (${(e as Error).message})`);
  }
  return decodeSafetensors(bytes, path);
}

export { type CheckpointMeta, encodeMeta, decodeMeta } from './safetensors.js';

/**
 * Saves several modules into one file, each under its prefix (e.g. `""` for the
 * encoder so names stay PyTorch CLMR's, `domain_classifier.`, `label_predictor.`).
 */
export async function saveModules(path: string, modules: Record<string, Module>, meta: CheckpointMeta = {}): Promise<void> {
  const all: Record<string, TensorToWrite> = {};
  for (const [prefix, m] of Object.entries(modules)) {
    for (const [name, t] of Object.entries(await moduleTensors(m, prefix))) {
      if (name in all) throw new Error(`saveModules: two modules both write "${name}"; give them distinct prefixes`);
      all[name] = t;
    }
  }
  saveTensors(path, all, encodeMeta(meta));
}

/** Loads a file into modules by prefix; each module must be filled exactly in strict mode, and no tensor may be left over. */
export function loadModules(path: string, modules: Record<string, Module>, opts: Omit<LoadOptions, 'prefix' | 'source'> = {}): CheckpointMeta {
  const file = readSafetensors(path);
  const strict = opts.strict ?? true;
  // Longest prefixes first so "" (the encoder) does not claim the heads' tensors.
  const order = Object.keys(modules).sort((a, b) => b.length - a.length);
  // Two passes: every module is validated before any is written, so a bad file leaves all of them untouched.
  for (const validateOnly of [true, false]) {
    const used = new Set<string>();
    for (const prefix of order) {
      const mine = new Map([...file.tensors].filter(([n]) => n.startsWith(prefix) && !used.has(n)));
      const names = loadStateDict(modules[prefix], mine, { strict, prefix, source: path, validateOnly });
      for (const n of names) used.add(prefix + n);
    }
    const left = [...file.tensors.keys()].filter((n) => !used.has(n));
    if (strict && left.length) throw new Error(`${path}: unexpected tensor(s) ${left.slice(0, 8).map((n) => `"${n}"`).join(', ')} match no module; load with strict: false to ignore them`);
  }
  return decodeMeta(file.metadata, path);
}
