// The tiny grid the executor and queue tests run: a tiny SampleCNN (3^5
// input, widths ÷ 32), a few steps per stage, 2 seeds, baseline and 2 DAT
// settings (DC frozen and finetuned) at one noise count, on the tiny demo caches.
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { LOCK_FILE } from '../../src/cli/lock.js';
import { DONE_FILE } from '../../src/grid/runJob.js';

export function tinySpec(dataDir: string): Record<string, unknown> {
  const stage = (steps: number, batchSize: number, checkpoints?: number) => ({ steps, batchSize, epochs: 1000, learningRate: 1e-3, logEveryBatches: 1, ...(checkpoints ? { checkpoints } : {}) });
  return {
    version: 1,
    name: 'tiny grid',
    data: dataDir,
    model: { inputExp: 5, widthDivisor: 32 },
    seeds: [0, 1],
    noiseCounts: [1],
    models: ['baseline', 'dat'],
    dat: { lambda: 0.05, domainClassifier: ['frozen', 'finetune'], e2h: [false], alphaSchedule: [true] },
    stages: { pretrain: stage(2, 4), domain: stage(2, 4), dat: stage(6, 8, 3), baseline: stage(6, 4, 3) },
    evaluation: { validClips: 4, testClips: 6, bootstrap: 20 },
  };
}

/** Writes the spec to a temporary file and returns its path. */
export function writeSpec(spec: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'rt-grid-spec-')), 'grid.json');
  writeFileSync(path, JSON.stringify(spec, null, 2));
  return path;
}

/** Every file under `dir` whose name ends with `suffix`, by relative path, with its bytes. */
export function filesEndingWith(dir: string, suffix: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(suffix)) out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** The trained weights of a grid folder (checkpoints hold paths, so they are left out). */
export function gridModels(dir: string): Map<string, Buffer> {
  return new Map([...filesEndingWith(dir, '.safetensors')].filter(([p]) => /(model|best)\.safetensors$/.test(p)));
}

/** A DAT stage of the tiny grid caught in the middle: a checkpoint, a lock, no done marker. */
export function datInProgress(out: string): string | null {
  const seeds = join(out, 'noise1');
  if (!existsSync(seeds)) return null;
  for (const seed of readdirSync(seeds)) {
    for (const run of ['frozen-noe2h-alpha', 'finetune-noe2h-alpha']) {
      const dir = join(seeds, seed, run, 'dat');
      if (existsSync(join(dir, 'checkpoint.safetensors')) && !existsSync(join(dir, DONE_FILE)) && existsSync(join(dir, LOCK_FILE))) return dir;
    }
  }
  return null;
}

/** The pid in a folder's lock file, or null when it is gone. */
export function lockHolder(dir: string): number | null {
  try {
    return (JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number }).pid;
  } catch {
    return null; // released (or being written) between the look and the read
  }
}
