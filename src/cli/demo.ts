// `robust-tagger demo` (npm run demo): the whole thesis pipeline on built-in
// synthetic data, from nothing to a report, on any WebGPU adapter.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appendFileSync, existsSync } from 'node:fs';
import { demoLayout, generateDemoData } from '../data/demo.js';
import { parseBackend } from '../gpu/backend.js';
import { getDevice } from '../gpu/device.js';
import { demoPlan, runDemoPipeline } from '../train/demo.js';
import { runPrepare } from './prepare.js';

export const DEMO_HELP = `Usage: robust-tagger demo [options]

Generates a small synthetic MagnaTagATune-format data set with seen ("internal")
and unseen ("external") noise families, caches it, and for each training seed
runs every stage (contrastive pretraining, domain classifier, domain adversarial
training, baseline, fully supervised) with a small SampleCNN, keeping each label
stage's best weights on the validation split. Evaluates baseline, fully
supervised and DAT on clean audio and at SNR 10 … -10 dB, prints mean ± 95% CI
over seeds, the paired DAT − baseline differences with clip-bootstrap CIs, and
the diagnostics (NT-Xent vs chance, the domain classifier's accuracy, domain
probes), and writes <out>/report/{results.json,results.md,chart-*.svg,curves/}.

Options:
  --out <dir>       run folder (default runs/demo); stages resume if it exists
  --quick           a few steps per stage (a smoke test, not a result)
  --seed <n>        seed for data and the first training seed (default 0)
  --seeds <n>       training seeds: seed, seed+1, ... (default 3; 1 with --quick)
  --workers <n>     data worker threads (default: cores - 1)
  --backend <name>  WebGPU backend: auto | vulkan | opengl | swiftshader | metal | d3d12
  -h, --help        show this help
`;

export async function runDemo(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { out: { type: 'string' }, quick: { type: 'boolean' }, seed: { type: 'string' }, seeds: { type: 'string' }, workers: { type: 'string' }, backend: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    console.error(`robust-tagger demo: ${(e as Error).message}`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    console.log(DEMO_HELP);
    return 0;
  }
  const t0 = performance.now();
  const out = v.out ?? join('runs', 'demo');
  const seed = v.seed ? Number(v.seed) : 0;
  const dataDir = join(out, 'data');
  const plan = demoPlan(v.quick);
  if (v.seeds !== undefined) {
    const n = Number(v.seeds);
    if (!Number.isInteger(n) || n < 1 || n > 100) {
      console.error(`robust-tagger demo: --seeds must be an integer from 1 to 100, got "${v.seeds}"`);
      return 2;
    }
    plan.seeds = n;
  }
  const source = join(out, 'source');
  if (!existsSync(demoLayout(source).music)) generateDemoData(source, { seed, clips: plan.clips });
  const prepared = await runPrepare(['--dataset', 'demo', '--root', join(out, 'source'), '--out', dataDir, '--seed', String(seed)]);
  if (prepared !== 0) return prepared;
  const ctx = await getDevice({ backend: parseBackend(v.backend, '--backend') });
  console.error(`adapter: ${ctx.adapter.backend} ${ctx.adapter.featureLevel} — ${ctx.adapter.description || ctx.adapter.device}`);
  const { evaluation, diagnosticsText } = await runDemoPipeline({
    ctx, dataDir, outDir: out, plan, seed, workers: v.workers ? Number(v.workers) : undefined,
    onStage: (s, stage, r, sec) => console.error(`seed ${s} ${stage}: ${r.steps} steps in ${sec.toFixed(0)} s → ${r.bestPath ?? r.modelPath}${r.bestValidationRocAuc !== undefined ? ` (best validation ROC-AUC ${r.bestValidationRocAuc.toFixed(3)})` : ''}`),
  });
  appendFileSync(join(out, 'report', 'results.md'), `\n${diagnosticsText}\n`);
  console.log(evaluation.summary);
  console.log(`\n${diagnosticsText}`);
  console.log(`\nreport: ${evaluation.files.join(', ')}`);
  console.log(`demo finished in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  ctx.destroy();
  return 0;
}
