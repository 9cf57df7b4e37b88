// The tiny grid the executor and queue tests run: a tiny SampleCNN (3^5
// input, widths ÷ 32), a few steps per stage, 2 seeds, baseline and 2 DAT
// settings (DC frozen and finetuned) at one noise count, on the tiny demo caches.
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

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
