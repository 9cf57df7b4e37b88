// Ablations behind docs/models.md's account of domain adversarial training on
// the demo data: every variant trains from the same pretrained encoder and
// domain classifier of its seed, and all are evaluated on the same noisy test
// clips. Build (with the WGSL loader that joins the shaders' includes) and run:
//   node scripts/build.mjs scripts/experiments/dat-ablation.ts
//   node dist/dat-ablation.js '<json spec>'   (see Spec below)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateModels } from '../../src/eval/evaluate.js';
import { loadEncoderModels, runDomainProbe } from '../../src/eval/diagnostics.js';
import { getDevice } from '../../src/gpu/device.js';
import { scaledModelConfig } from '../../src/models/index.js';
import { type Stage, type TrainConfig, defaultConfig, validateConfig } from '../../src/train/config.js';
import { trainStage } from '../../src/train/stages.js';

interface Variant {
  name: string;
  stage: Stage;
  steps: number;
  /** Overrides of the stage's config (lr, lambda, domainClassifier, ...). */
  config?: Partial<Record<string, unknown>>;
}

interface Spec {
  data: string;
  out: string;
  seeds: number[];
  inputExp?: number;
  widthDivisor?: number;
  batchSize?: number;
  pretrain: { steps: number; lr: number; config?: Record<string, unknown> };
  domain: { steps: number; lr: number };
  variants: Variant[];
  evalClips?: number;
  /** Validations per label stage (best.safetensors is evaluated); 0 = evaluate the last weights. */
  validations?: number;
}

const spec = JSON.parse(process.argv[2]) as Spec;
const ctx = await getDevice();
const model = scaledModelConfig(spec.inputExp ?? 9, spec.widthDivisor ?? 16);
const data = { musicCache: join(spec.data, 'music'), noiseCache: join(spec.data, 'noise-internal') };
const B = spec.batchSize ?? 16;

function config(stage: Stage, seed: number, steps: number, lr: number, extra: Record<string, unknown> = {}): TrainConfig {
  const c = defaultConfig(stage);
  return validateConfig({
    ...c, seed, batchSize: B, learningRate: lr, epochs: 100000, checkpointEveryEpochs: 100000,
    logEveryBatches: Math.max(1, Math.floor(steps / 10)),
    ...(stage === 'domain' || stage === 'dat' ? { curriculumPeriodEpochs: 1 } : {}),
    ...('dropout' in c ? { dropout: 0 } : {}),
    ...extra,
  });
}

const rows: { seed: number; variant: string; cell: string; rocAuc: number | null; prAuc: number | null }[] = [];
const probes: { seed: number; variant: string; accuracy: number; perSnr: { snr: number; accuracy: number }[] }[] = [];
const probeData = (seed: number) => ({ musicCache: data.musicCache, noiseCache: data.noiseCache, seed, maxTrainClips: 120, maxTestClips: 60 });
for (const seed of spec.seeds) {
  const out = join(spec.out, `seed${seed}`);
  const t0 = performance.now();
  await trainStage({ ctx, config: config('pretrain', seed, spec.pretrain.steps, spec.pretrain.lr, spec.pretrain.config), model, data, outDir: out, maxSteps: spec.pretrain.steps, checkpointEverySteps: spec.pretrain.steps, quiet: true });
  await trainStage({ ctx, config: config('domain', seed, spec.domain.steps, spec.domain.lr), model, data, outDir: out, maxSteps: spec.domain.steps, checkpointEverySteps: spec.domain.steps, quiet: true });
  const models: Record<string, string> = {};
  for (const v of spec.variants) {
    const dir = join(out, v.name);
    const lr = (v.config?.learningRate as number | undefined) ?? 3e-3;
    const r = await trainStage({
      ctx, config: config(v.stage, seed, v.steps, lr, v.config as Record<string, unknown>), model, data, outDir: dir,
      pretrained: join(out, 'pretrain', 'model.safetensors'), domainClassifier: join(out, 'domain', 'model.safetensors'),
      maxSteps: v.steps, checkpointEverySteps: Math.ceil(v.steps / Math.max(1, spec.validations ?? 0)), quiet: true,
      validation: spec.validations ? {} : false,
    });
    models[v.name] = r.bestPath ?? r.modelPath;
  }
  const ev = await evaluateModels({
    ctx, models,
    clips: {
      musicCache: data.musicCache, split: 'test',
      noise: { internal: { cacheDir: data.noiseCache, split: 'test' }, external: { cacheDir: join(spec.data, 'noise-external'), split: 'test' } },
      k: 1, seed, maxClips: spec.evalClips ?? 1000,
    },
    outDir: join(out, 'report'),
  });
  for (const r of ev.results) rows.push({ seed, variant: r.model, cell: r.condition, rocAuc: r.rocAuc, prAuc: r.prAuc });
  const dc = await runDomainProbe(ctx, loadEncoderModels(ctx, join(out, 'pretrain', 'model.safetensors'), join(out, 'domain', 'model.safetensors')), probeData(seed));
  console.error(`seed ${seed} pretrained encoder: probe ${dc.probe.accuracy.toFixed(3)}, domain classifier balanced acc ${dc.domainClassifier?.balancedAccuracy.toFixed(3)}`);
  probes.push({ seed, variant: 'pretrained', accuracy: dc.probe.accuracy, perSnr: dc.probe.perSnr });
  for (const [name, path] of Object.entries(models)) {
    const p = await runDomainProbe(ctx, loadEncoderModels(ctx, path), probeData(seed));
    probes.push({ seed, variant: name, accuracy: p.probe.accuracy, perSnr: p.probe.perSnr });
  }
  console.error(`seed ${seed} done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
writeFileSync(join(spec.out, 'ablation.json'), JSON.stringify({ spec, rows, probes }, null, 1));

// Mean clean and mean noisy (10 cells) ROC-AUC per variant and seed.
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
for (const v of spec.variants) {
  const per = spec.seeds.map((seed) => {
    const mine = rows.filter((r) => r.variant === v.name && r.seed === seed);
    return { clean: mine.find((r) => r.cell === 'clean')!.rocAuc!, noisy: mean(mine.filter((r) => r.cell !== 'clean').map((r) => r.rocAuc!)) };
  });
  const probe = mean(probes.filter((p) => p.variant === v.name).map((p) => p.accuracy));
  console.log(`${v.name.padEnd(22)} clean ${mean(per.map((p) => p.clean)).toFixed(3)}  noisy ${mean(per.map((p) => p.noisy)).toFixed(3)}  per seed noisy ${per.map((p) => p.noisy.toFixed(3)).join(' ')}  domain probe ${probe.toFixed(3)}`);
}
console.log(`pretrained encoder domain probe ${mean(probes.filter((p) => p.variant === 'pretrained').map((p) => p.accuracy)).toFixed(3)}`);
ctx.destroy();
