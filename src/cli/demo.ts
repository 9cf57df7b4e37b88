// `robust-tagger demo` (npm run demo): the whole thesis pipeline on built-in
// synthetic data, from nothing to a report, on any WebGPU adapter.
import { Command } from 'commander';
import { join } from 'node:path';
import { markdownReport } from '../eval/report.js';
import { parseBackend } from '../gpu/backend.js';
import { getDevice } from '../gpu/device.js';
import { demoPlan, runDemoPipeline } from '../train/demo.js';
import { FolderLockedError, lockFolder } from './lock.js';
import { backendOption, intOption, onRun, runCommand, workersOption } from './options.js';
import { runPrepare } from './prepare.js';

interface DemoFlags {
  out: string;
  quick?: boolean;
  seed: number;
  workers?: number;
  backend?: string;
}

export function demoCommand(): Command {
  const cmd = new Command('demo')
    .description('the whole pipeline on built-in synthetic data, from nothing to a report')
    .option('--out <dir>', 'run folder; stages resume if it exists', join('runs', 'demo'))
    .option('--quick', 'a few steps per stage (a smoke test, not a result)')
    .addOption(intOption('--seed <n>', 'seed for data, initialisation and sampling', { min: 0, max: 2 ** 32 - 1, default: 0 }))
    .addOption(workersOption())
    .addOption(backendOption())
    .addHelpText('after', '\nGenerates a small synthetic MagnaTagATune-format data set with seen ("internal") and unseen\n("external") noise families, caches it, runs every stage with a small SampleCNN, evaluates\nbaseline, fully supervised and DAT on clean audio and at SNR 10 … -10 dB, prints the table and\nwrites <out>/report/{results.json,results.md,chart-*.svg}.');
  return onRun(cmd, (v: DemoFlags) => demo(v));
}

export const runDemo = (args: readonly string[]): Promise<number> => runCommand(demoCommand(), args);

async function demo(v: DemoFlags): Promise<number> {
  const t0 = performance.now();
  const out = v.out;
  const dataDir = join(out, 'data');
  const prepared = await runPrepare(['--dataset', 'demo', '--root', join(out, 'source'), '--out', dataDir, '--seed', String(v.seed)]);
  if (prepared !== 0) return prepared;
  let lock;
  try {
    lock = lockFolder(out, 'robust-tagger demo');
  } catch (e) {
    if (!(e instanceof FolderLockedError)) throw e;
    // Exit 1 as prepare and train do: the flags are fine, the folder is busy.
    console.error(`robust-tagger demo: ${e.message}`);
    return 1;
  }
  const ctx = await getDevice({ backend: parseBackend(v.backend, '--backend') });
  try {
    console.error(`adapter: ${ctx.adapter.backend} ${ctx.adapter.featureLevel} — ${ctx.adapter.description || ctx.adapter.device}`);
    const plan = demoPlan(v.quick);
    const { evaluation } = await runDemoPipeline({
      ctx, dataDir, outDir: out, plan, seed: v.seed, workers: v.workers,
      onStage: (stage, r, s) => console.error(`${stage}: ${r.steps} steps in ${s.toFixed(0)} s → ${r.modelPath}`),
    });
    console.log(markdownReport(evaluation.results, 'robust-tagger demo (synthetic data)'));
    console.log(`\nreport: ${evaluation.files.join(', ')}`);
    console.log(`demo finished in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    return 0;
  } finally {
    ctx.destroy();
    lock.release();
  }
}
