// Evaluating trained taggers on the grid (clean, and internal/external noise at
// SNR 10 … −10) and writing the report files.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GpuContext } from '../gpu/context.js';
import { loadTagger } from '../models/tagger.js';
import { CacheClipProvider, type CacheClipOptions } from './cacheClips.js';
import { type GridResult, listConditions, runGrid } from './grid.js';
import { reportFiles } from './report_files.js';

export interface EvaluateOptions {
  ctx: GpuContext;
  /** Display name → checkpoint path. */
  models: Record<string, string>;
  clips: CacheClipOptions;
  outDir: string;
  title?: string;
  batchWindows?: number;
  onProgress?: (model: string, condition: string, clipsDone: number, clipsTotal: number) => void;
}

export interface EvaluateResult {
  results: GridResult[];
  files: string[];
}

export async function evaluateModels(o: EvaluateOptions): Promise<EvaluateResult> {
  const provider = new CacheClipProvider(o.clips);
  const results: GridResult[] = [];
  const noiseSets = Object.keys(o.clips.noise) as ('internal' | 'external')[];
  const conditions = listConditions().filter((c) => c.kind === 'clean' || noiseSets.includes(c.noise));
  try {
    for (const [name, path] of Object.entries(o.models)) {
      const tagger = loadTagger(o.ctx, readFileSync(path), path);
      try {
        const want = provider.tagNames.join('\n');
        if (tagger.tags.join('\n') !== want) {
          throw new Error(`${path}: the model's tags (${tagger.tags.length}) differ from the evaluation data's (${provider.tagNames.length}); evaluate on the data set it was trained on`);
        }
        results.push(...(await runGrid({
          model: name,
          predict: (w, n, l) => tagger.predict(w, n, l),
          provider,
          conditions,
          chunkLength: tagger.windowLength,
          maxChunksPerCall: o.batchWindows ?? 32,
          onProgress: (e) => o.onProgress?.(name, e.condition, e.clipsDone, provider.clipCount),
        })));
      } finally {
        tagger.dispose();
      }
    }
  } finally {
    provider.close();
  }
  mkdirSync(o.outDir, { recursive: true });
  const files = Object.entries(reportFiles(results, o.title)).map(([file, text]) => {
    const p = join(o.outDir, file);
    writeFileSync(p, text);
    return p;
  });
  return { results, files };
}
