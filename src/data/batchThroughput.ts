// Data-pipeline throughput for a stage-1 (contrastive) batch: 48 clips, two
// augmented views each, noise mixed into the noisy half, 59,049 samples per
// view. Reports clips/s (a clip = both of its views). Run it with
// `npm run bench -- --only data` (bench/data-vs-step.ts, beside a training step on the same batch).
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCache } from './cacheBuilder.js';
import { generateDemoData } from './demo.js';
import { readMtat } from './mtat.js';
import { readNoiseSet } from './noiseSet.js';
import { BatchLoader, DEFAULT_SAMPLE_LENGTH } from './batchLoader.js';

export interface DataBenchOptions {
  batchSize?: number;
  batches?: number;
  sampleLength?: number;
  workers?: number;
  log?: (line: string) => void;
}

export interface DataBenchResult {
  clipsPerSecond: number;
  viewsPerSecond: number;
  msPerBatch: number;
  batchSize: number;
  batches: number;
  workers: number;
  sampleLength: number;
}

export async function benchDataBatch(opts: DataBenchOptions = {}): Promise<DataBenchResult> {
  const batchSize = opts.batchSize ?? 48;
  const batches = opts.batches ?? 6;
  const sampleLength = opts.sampleLength ?? DEFAULT_SAMPLE_LENGTH;
  const log = opts.log ?? ((l: string) => console.log(l));
  const dir = mkdtempSync(join(tmpdir(), 'rt-bench-data-'));
  try {
    // Enough training clips for one batch; 3 s clips hold a 59,049-sample crop.
    const layout = generateDemoData(join(dir, 'demo'), { seed: 1, clips: Math.ceil((batchSize * 4) / 3) + 16, noiseClipsPerFamily: 4 });
    const quiet = () => {};
    await buildCache(readMtat({ root: layout.music }), join(dir, 'music'), { log: quiet });
    await buildCache(readNoiseSet({ root: layout.noiseInternal }), join(dir, 'noise'), { log: quiet });
    const loader = new BatchLoader({
      cacheDir: join(dir, 'music'),
      batchSize,
      views: 2,
      augment: true,
      sampleLength,
      noise: { cacheDirs: [join(dir, 'noise')], k: [1, 2, 4], snrRange: [-10, 10] },
      seed: 0,
      workers: opts.workers ?? Math.max(1, availableParallelism()),
      prefetch: 2,
    });
    const workers = await loader.ready();
    await loader.next(); // warm-up: worker start, JIT
    const t0 = performance.now();
    for (let i = 0; i < batches; i++) await loader.next();
    const ms = performance.now() - t0;
    await loader.close();
    const clipsPerSecond = (batches * batchSize) / (ms / 1000);
    const result: DataBenchResult = {
      clipsPerSecond,
      viewsPerSecond: 2 * clipsPerSecond,
      msPerBatch: ms / batches,
      batchSize,
      batches,
      workers,
      sampleLength,
    };
    log(
      `data batch (stage 1: ${batchSize} clips x 2 augmented views x ${sampleLength} samples, noise k in {1,2,4}, ` +
        `${workers} worker(s)): ${clipsPerSecond.toFixed(1)} clips/s, ${result.msPerBatch.toFixed(0)} ms/batch`,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
