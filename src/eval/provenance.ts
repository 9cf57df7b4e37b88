// What an evaluation was made from, written into results.json so a number
// can be traced back: each checkpoint (path, sha256, the stage/step/model
// config in its metadata, the training config of the run beside it), every
// music and noise file used (from the caches' index files, with the crc32
// each cache keeps of its audio), the package version and the GPU adapter.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INDEX_FILE } from '../data/cacheIndex.js';
import type { AdapterDescription } from '../gpu/context.js';
import type { DataSource, NoiseSplit } from './cacheClips.js';

export interface CheckpointProvenance {
  model: string;
  /** Index of this checkpoint in the model's list (the demo's seed order). */
  seed: number;
  path: string;
  sha256: string;
  bytes: number;
  stage: string | null;
  step: number | null;
  modelConfig: unknown;
  /** The training run's config (seed, steps, learning rate…) from the train state beside the model, when it is there. */
  trainConfig: unknown;
  /** The training seed from `trainConfig`, when it has one. */
  trainSeed: number | null;
}

export interface DataProvenance {
  role: DataSource['role'];
  dir: string;
  split: NoiseSplit;
  /** sha256 of the cache's index.json. */
  indexSha256: string;
  /** The entries used: id, source path relative to the data root, samples, crc32 of the cached int16 audio. */
  files: { id: string; relPath: string; length: number; crc32: number }[];
}

export interface Provenance {
  package: { name: string; version: string };
  createdAt: string;
  adapter: AdapterDescription | null;
  /** Evaluation settings: noise seed, noise clips per mixture, clip limit, bootstrap. */
  settings: Record<string, unknown>;
  checkpoints: CheckpointProvenance[];
  data: DataProvenance[];
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The `__metadata__` of a safetensors file, reading its header only (not the tensors). */
export function readSafetensorsMetadata(path: string): Record<string, string> {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(8);
    if (readSync(fd, head, 0, 8, 0) !== 8) throw new Error(`${path}: too short for a safetensors file`);
    const n = Number(head.readBigUInt64LE(0));
    if (n > 100_000_000) throw new Error(`${path}: safetensors header of ${n} bytes is implausible`);
    const json = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const r = readSync(fd, json, got, n - got, 8 + got);
      if (r === 0) throw new Error(`${path}: truncated safetensors header`);
      got += r;
    }
    const header = JSON.parse(json.toString('utf8')) as { __metadata__?: Record<string, string> };
    return header.__metadata__ ?? {};
  } finally {
    closeSync(fd);
  }
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Training writes `<stage>/model.safetensors` and, beside it, the train state with the run's config. */
const TRAIN_STATE_FILE = 'checkpoint.safetensors';

export function checkpointProvenance(model: string, seed: number, path: string): CheckpointProvenance {
  const meta = readSafetensorsMetadata(path);
  const statePath = join(dirname(path), TRAIN_STATE_FILE);
  const trainConfig = meta.config !== undefined ? parseJson(meta.config) : existsSync(statePath) ? parseJson(readSafetensorsMetadata(statePath).config) : null;
  const trainSeed = trainConfig && typeof trainConfig === 'object' && typeof (trainConfig as { seed?: unknown }).seed === 'number' ? (trainConfig as { seed: number }).seed : null;
  const bytes = readFileSync(path);
  return {
    model,
    seed,
    path,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
    stage: meta.stage ?? null,
    step: meta.step !== undefined ? Number(meta.step) : null,
    modelConfig: parseJson(meta.model_config),
    trainConfig,
    trainSeed,
  };
}

export function dataProvenance(sources: readonly DataSource[]): DataProvenance[] {
  return sources.map((s) => ({
    role: s.role,
    dir: s.dir,
    split: s.split,
    indexSha256: sha256File(join(s.dir, INDEX_FILE)),
    files: s.entries.map((e) => ({ id: e.id, relPath: e.relPath, length: e.length, crc32: e.crc32 })),
  }));
}

/** This package's name and version, from the package.json above this file (source or bundle). */
export function packageVersion(): { name: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'robust-tagger') return { name: pkg.name, version: pkg.version ?? 'unknown' };
    }
    dir = dirname(dir);
  }
  return { name: 'robust-tagger', version: 'unknown' };
}

/** A short Markdown section: version, adapter, checkpoints and data (the file lists stay in results.json). */
export function provenanceSection(p: Provenance): string {
  const a = p.adapter;
  const lines = [
    '## Provenance',
    '',
    `${p.package.name} ${p.package.version}, ${p.createdAt}; adapter: ${a ? `${a.description || a.device || '(unnamed)'} (${a.backend}, ${a.featureLevel})` : 'not recorded'}.`,
    `Settings: ${JSON.stringify(p.settings)}.`,
    '',
    '| Model | seed | checkpoint | sha256 | stage | step | training seed |',
    '|---|---:|---|---|---|---:|---:|',
    ...p.checkpoints.map((c) => `| ${c.model.replace(/\|/g, '\\|')} | ${c.seed} | ${c.path} | ${c.sha256.slice(0, 12)}… | ${c.stage ?? '—'} | ${c.step ?? '—'} | ${c.trainSeed ?? '—'} |`),
    '',
    '| Data | folder | files used | split | index sha256 |',
    '|---|---|---:|---|---|',
    ...p.data.map((d) => `| ${d.role} | ${d.dir} | ${d.files.length} | ${d.split} | ${d.indexSha256.slice(0, 12)}… |`),
  ];
  return lines.join('\n');
}
