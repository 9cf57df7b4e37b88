// Does contrastive pretraining learn within the demo's budget? Trains stage 1
// under several settings and reports, on a held-out two-view batch, NT-Xent
// against chance ln(2B−1) and paired-view top-1 retrieval against 1/B, plus a
// linear tag probe against a random encoder. Build like dat-ablation.ts; run
//   node dist/pretrain-sweep.js '{"data":"<prepared demo dir>","out":"/tmp/sweep","seed":0,
//     "runs":[{"name":"lr1e-3","steps":150,"lr":0.001,"config":{"temperature":0.5}}]}'
import { join } from 'node:path';
import { heldOutPretrainBatch, loadEncoderModels, pretrainDiagnostics, runTagProbe } from '../../src/eval/diagnostics.js';
import { getDevice } from '../../src/gpu/device.js';
import { scaledModelConfig } from '../../src/models/index.js';
import { defaultConfig, validateConfig } from '../../src/train/config.js';
import { trainStage } from '../../src/train/stages.js';

interface Run { name: string; steps: number; lr: number; batchSize?: number; config?: Record<string, unknown> }
const spec = JSON.parse(process.argv[2]) as { data: string; out: string; seed: number; inputExp?: number; widthDivisor?: number; runs: Run[] };
const ctx = await getDevice();
const model = scaledModelConfig(spec.inputExp ?? 9, spec.widthDivisor ?? 16);
const data = { musicCache: join(spec.data, 'music'), noiseCache: join(spec.data, 'noise-internal') };

for (const r of spec.runs) {
  const B = r.batchSize ?? 16;
  const config = validateConfig({
    ...defaultConfig('pretrain'), seed: spec.seed, batchSize: B, learningRate: r.lr, epochs: 100000, checkpointEveryEpochs: 100000,
    logEveryBatches: Math.max(1, Math.floor(r.steps / 10)), ...r.config,
  });
  const t0 = performance.now();
  const out = join(spec.out, r.name);
  await trainStage({ ctx, config, model, data, outDir: out, maxSteps: r.steps, checkpointEverySteps: r.steps, quiet: true });
  const seconds = (performance.now() - t0) / 1000;
  const m = loadEncoderModels(ctx, join(out, 'pretrain', 'model.safetensors'));
  const batch = await heldOutPretrainBatch({ ...data, split: 'valid', batchSize: 16, sampleLength: model.sampleCnn.inputLength, seed: spec.seed });
  const d = await pretrainDiagnostics(ctx, m.fe, batch, config.stage === 'pretrain' ? config.temperature : 0.5);
  const tags = await runTagProbe(ctx, m, { ...data, seed: spec.seed, maxTrainClips: 120, maxTestClips: 60, randomSeed: 1000 });
  m.dispose();
  console.log(`${r.name.padEnd(16)} ${seconds.toFixed(0)} s  held-out NT-Xent ${d.ntXent.toFixed(3)} (chance ${d.chanceNtXent.toFixed(3)})  top-1 ${d.top1.toFixed(3)} (chance ${d.chanceTop1.toFixed(3)})  tag probe ${tags.pretrained.rocAuc?.toFixed(3)} vs random ${tags.random.rocAuc?.toFixed(3)}`);
}
ctx.destroy();
