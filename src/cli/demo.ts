// `robust-tagger demo` (npm run demo): the whole thesis pipeline on built-in
// synthetic data, from nothing to a report, on any WebGPU adapter.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { markdownReport } from '../eval/report.js';
import { parseBackend } from '../gpu/backend.js';
import { getDevice } from '../gpu/device.js';
import { demoPlan, runDemoPipeline } from '../train/demo.js';
import { runPrepare } from './prepare.js';

export const DEMO_HELP = `Usage: robust-tagger demo [options]

Generates a small synthetic MagnaTagATune-format data set with seen ("internal")
and unseen ("external") noise families, caches it, runs every stage (contrastive
pretraining, domain classifier, domain adversarial training, baseline, fully
supervised) with a small SampleCNN, evaluates baseline, fully supervised and DAT
on clean audio and at SNR 10 … -10 dB, prints the table and writes
<out>/report/{results.json,results.md,chart-*.svg}.

Options:
  --out <dir>       run folder (default runs/demo); stages resume if it exists
  --quick           a few steps per stage (a smoke test, not a result)
  --seed <n>        seed for data, initialisation and sampling (default 0)
  --workers <n>     data worker threads (default: cores - 1)
  --backend <name>  WebGPU backend: auto | vulkan | opengl | swiftshader | metal | d3d12
  -h, --help        show this help
`;

export async function runDemo(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { out: { type: 'string' }, quick: { type: 'boolean' }, seed: { type: 'string' }, workers: { type: 'string' }, backend: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
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
  const prepared = await runPrepare(['--dataset', 'demo', '--root', join(out, 'source'), '--out', dataDir, '--seed', String(seed)]);
  if (prepared !== 0) return prepared;
  const ctx = await getDevice({ backend: parseBackend(v.backend, '--backend') });
  console.error(`adapter: ${ctx.adapter.backend} ${ctx.adapter.featureLevel} — ${ctx.adapter.description || ctx.adapter.device}`);
  const plan = demoPlan(v.quick);
  const { evaluation } = await runDemoPipeline({
    ctx, dataDir, outDir: out, plan, seed, workers: v.workers ? Number(v.workers) : undefined,
    onStage: (stage, r, s) => console.error(`${stage}: ${r.steps} steps in ${s.toFixed(0)} s → ${r.modelPath}`),
  });
  console.log(markdownReport(evaluation.results, 'robust-tagger demo (synthetic data)'));
  console.log(`\nreport: ${evaluation.files.join(', ')}`);
  console.log(`demo finished in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  ctx.destroy();
  return 0;
}
