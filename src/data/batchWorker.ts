// Worker thread entry: opens the caches once, then builds the samples it is
// sent and transfers the finished views back without copying.
import { parentPort, workerData } from 'node:worker_threads';
import { CacheReader } from './cacheReader.js';
import { buildSample } from './sampleBuilder.js';
import type { NoisePool, PipelineConfig, SampleSpec } from './sampleBuilder.js';

export interface WorkerInit {
  musicDir: string;
  noise: { dir: string; indices: number[] }[];
  cfg: PipelineConfig;
}

export interface WorkerRequest {
  id: number;
  specs: SampleSpec[];
}

export interface WorkerReply {
  id: number;
  views: Float32Array[];
  snr: Float32Array;
  error?: string;
}

function clipSource(r: CacheReader) {
  return {
    clipLength: (i: number) => r.entries[i].length,
    readInto: (i: number, s: number, n: number, out: Float32Array, o?: number) => r.readInto(i, s, n, out, o),
  };
}

if (parentPort && (workerData as { robustTaggerBatchWorker?: WorkerInit } | null)?.robustTaggerBatchWorker) {
  const init = (workerData as { robustTaggerBatchWorker: WorkerInit }).robustTaggerBatchWorker;
  const music = new CacheReader(init.musicDir);
  const noise: NoisePool[] = init.noise.map((n) => ({ source: clipSource(new CacheReader(n.dir)), indices: n.indices }));
  const port = parentPort;
  port.on('message', (req: WorkerRequest) => {
    const L = init.cfg.sampleLength;
    const views = Array.from({ length: init.cfg.views }, () => new Float32Array(req.specs.length * L));
    const snr = new Float32Array(req.specs.length);
    try {
      req.specs.forEach((spec, slot) => { snr[slot] = buildSample(clipSource(music), noise, init.cfg, spec, views, slot); });
      const reply: WorkerReply = { id: req.id, views, snr };
      port.postMessage(reply, views.map((v) => v.buffer as ArrayBuffer));
    } catch (e) {
      port.postMessage({ id: req.id, views: [], snr, error: (e as Error).stack ?? String(e) } satisfies WorkerReply);
    }
  });
}

export { clipSource };
