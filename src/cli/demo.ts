// `robust-tagger demo` (npm run demo): the whole thesis pipeline on built-in
// synthetic data, from nothing to a report, on any WebGPU adapter.
import { Command } from 'commander';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { demoLayout, generateDemoData } from '../data/demo.js';
import { parseBackend } from '../gpu/backend.js';
import { getDevice } from '../gpu/device.js';
import { demoPlan, runDemoPipeline } from '../train/demo.js';
import { lockForCommand } from './lock.js';
import { writeEvalProgress } from './progressLine.js';
import { backendOption, intOption, onRun, runCommand, workersOption } from './options.js';
import { runPrepare } from './prepare.js';

interface DemoFlags {
  out: string;
  quick?: boolean;
  seed: number;
  seeds?: number;
  workers?: number;
  backend?: string;
}

export function demoCommand(): Command {
  const cmd = new Command('demo')
    .description('the whole pipeline on built-in synthetic data, from nothing to a report')
    .option('--out <dir>', 'run folder; stages resume if it exists', join('runs', 'demo'))
    .option('--quick', 'a few steps per stage (a smoke test, not a result)')
    .addOption(intOption('--seed <n>', 'seed for the data and the first training seed', { min: 0, max: 2 ** 32 - 1, default: 0 }))
    .addOption(intOption('--seeds <n>', 'training seeds: seed, seed+1, … (default 3; 1 with --quick)', { min: 1, max: 100 }))
    .addOption(workersOption())
    .addOption(backendOption())
    .addHelpText('after', '\nGenerates a small synthetic MagnaTagATune-format data set with seen ("internal") and unseen\n("external") noise families, caches it, and for each training seed runs every stage with a\nsmall SampleCNN, keeping each label stage\'s best weights on the validation split. Evaluates\nbaseline, fully supervised and DAT on clean audio and at SNR 10 … -10 dB and prints mean ± 95% CI\nover seeds, the paired DAT − baseline differences with clip-bootstrap CIs, and the diagnostics\n(NT-Xent vs chance, the domain classifier\'s accuracy, domain probes). Writes\n<out>/report/{results.json,results.md,chart-*.svg,curves/}.');
  return onRun(cmd, (v: DemoFlags) => demo(v));
}

export const runDemo = (args: readonly string[]): Promise<number> => runCommand(demoCommand(), args);

async function demo(v: DemoFlags): Promise<number> {
  const t0 = performance.now();
  const out = v.out;
  const dataDir = join(out, 'data');
  const plan = demoPlan(v.quick);
  if (v.seeds !== undefined) plan.seeds = v.seeds;
  const source = join(out, 'source');
  if (!existsSync(demoLayout(source).music)) generateDemoData(source, { seed: v.seed, clips: plan.clips });
  const prepared = await runPrepare(['--dataset', 'demo', '--root', join(out, 'source'), '--out', dataDir, '--seed', String(v.seed)]);
  if (prepared !== 0) return prepared;
  const lock = lockForCommand(out, 'robust-tagger demo');
  if (!lock) return 1;
  const ctx = await getDevice({ backend: parseBackend(v.backend, '--backend') });
  try {
    console.error(`adapter: ${ctx.adapter.backend} ${ctx.adapter.featureLevel} — ${ctx.adapter.description || ctx.adapter.device}`);
    const { evaluation, diagnosticsText } = await runDemoPipeline({
      ctx, dataDir, outDir: out, plan, seed: v.seed, workers: v.workers,
      onStage: (s, stage, r, sec) => console.error(`seed ${s} ${stage}: ${r.steps} steps in ${sec.toFixed(0)} s → ${r.bestPath ?? r.modelPath}${r.bestValidationRocAuc !== undefined ? ` (best validation ROC-AUC ${r.bestValidationRocAuc.toFixed(3)})` : ''}`),
      onProgress: writeEvalProgress,
    });
    appendFileSync(join(out, 'report', 'results.md'), `\n${diagnosticsText}\n`);
    console.log(evaluation.summary);
    console.log(`\n${diagnosticsText}`);
    console.log(`\nreport: ${evaluation.files.join(', ')}`);
    console.log(`demo finished in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    return 0;
  } finally {
    ctx.destroy();
    lock.release();
  }
}
