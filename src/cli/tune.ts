// `robust-tagger tune`: measures the kernel variants of every shape one
// training step (stage 3, DAT: encoder, label predictor, domain classifier,
// Adam) and one tagging batch meet, on this adapter, and writes the winners to
// the tuning cache that later runs read (mode cached or full).
import { Command } from 'commander';
import { Tensor, backward, noGrad, tidy } from '../autograd/index.js';
import { parseBackend } from '../gpu/backend.js';
import type { GpuContext } from '../gpu/context.js';
import { getDevice } from '../gpu/device.js';
import type { TuneProgress, TuneRecord } from '../gpu/tuner.js';
import { type ModelConfig, buildModels, defaultModelConfig, scaledModelConfig, validateModelConfig } from '../models/index.js';
import { Adam, Random } from '../nn/index.js';
import { datLoss } from '../train/steps.js';
import { backendOption, intOption, onRun, readJsonFile, runCommand } from './options.js';


function modelFrom(arg: string): { cfg: ModelConfig; batch: number } {
  if (arg === 'thesis') return { cfg: defaultModelConfig(), batch: 48 };
  if (arg === 'demo') return { cfg: scaledModelConfig(9, 16), batch: 16 };
  const cfg = { ...defaultModelConfig(), ...(readJsonFile(arg, '--model') as Partial<ModelConfig>) };
  validateModelConfig(cfg);
  return { cfg, batch: 16 };
}


/** Records the kernels of one DAT step and one tagging batch without running the measurements yet. */
async function meetShapes(ctx: GpuContext, cfg: ModelConfig, batch: number, tagBatch: number): Promise<void> {
  const set = buildModels(ctx, cfg, 'finetune', new Random(1));
  const fe = set.featureExtractor!;
  const lp = set.labelPredictor!;
  const dc = set.domainClassifier!;
  const L = cfg.sampleCnn.inputLength;
  const params = [...fe.parameters(), ...lp.parameters(), ...dc.parameters()];
  const opt = new Adam(params, { lr: 1e-4 });
  const signal = (n: number): Float32Array => Float32Array.from({ length: n * L }, (_, i) => Math.sin(i * 0.731) * 0.5);
  try {
    fe.train();
    lp.train();
    dc.train();
    const loss = tidy(() => {
      const x = Tensor.fromData(ctx, signal(batch), [batch, 1, L]);
      const labels = Tensor.fromData(ctx, Float32Array.from({ length: batch * cfg.numTags }, (_, i) => (i % 7 === 0 ? 1 : 0)), [batch, cfg.numTags]);
      const mask = Tensor.fromData(ctx, Float32Array.from({ length: batch }, (_, r) => (r % 2 === 0 ? 1 : 0)), [batch]);
      const domain = Tensor.fromData(ctx, Float32Array.from({ length: batch }, (_, r) => r % 2), [batch, 1]);
      const r = datLoss((t) => fe.embed(t), (h) => lp.forward(h), (h) => dc.forward(h), x, labels, mask, domain, { value: 0.1 });
      opt.zeroGrad();
      backward(r.loss);
      opt.step();
      return r.loss;
    });
    await loss.item();
    loss.dispose();
    fe.eval();
    lp.eval();
    const logits = noGrad(() => tidy(() => lp.forward(fe.embed(Tensor.fromData(ctx, signal(tagBatch), [tagBatch, 1, L])))));
    await logits.read();
    logits.dispose();
  } finally {
    for (const m of [fe, lp, dc]) m.dispose();
    for (const m of [...opt.m.values(), ...opt.v.values()]) m.dispose();
  }
}

function progressBar(p: TuneProgress): void {
  const width = 30;
  const done = Math.round((p.index / p.total) * width);
  const line = `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${p.index}/${p.total} ${p.key}${p.seconds === undefined ? '' : ` (${p.seconds.toFixed(1)} s)`}`;
  // A terminal gets one line redrawn; a log gets one line per step.
  if (process.stdout.isTTY) process.stdout.write(`\r${line.slice(0, process.stdout.columns - 1).padEnd(process.stdout.columns - 1)}${p.index === p.total ? '\n' : ''}`);
  else if (p.record) console.log(line);
}

/** One row per (op, bucket): each candidate's median ms (× disagreed with the default), the winner. */
export function formatTuneTable(records: Record<string, TuneRecord>): string {
  const rows = Object.entries(records).sort(([a], [b]) => a.localeCompare(b));
  const keyWidth = Math.max(20, ...rows.map(([k]) => k.length));
  return rows.map(([key, r]) => {
    const cells = Object.entries(r.ms).map(([name, ms]) => `${name} ${ms === null || Number.isNaN(ms) ? '×' : ms.toFixed(2)}`);
    return `${key.padEnd(keyWidth)}  ${cells.join('  ')}  → ${r.winner}`;
  }).join('\n');
}

interface TuneFlags {
  model: string;
  batch?: number;
  tagBatch: number;
  force?: boolean;
  backend?: string;
}

export function tuneCommand(): Command {
  const cmd = new Command('tune')
    .description("measure every kernel variant of one DAT training step and one tagging batch of a model on this adapter, and cache the fastest that agrees with the default (later runs use it: ROBUST_TAGGER_TUNE=cached|full)")
    .option('--model <name>', 'thesis, demo, or a model configuration JSON (as `summary --json` prints)', 'thesis')
    .addOption(intOption('--batch <n>', 'training batch (default: thesis 48, demo and files 16)', { min: 1, max: 4096 }))
    .addOption(intOption('--tag-batch <n>', 'windows per tagging call (as tag)', { min: 1, max: 4096, default: 32 }))
    .option('--force', 'measure again shapes already in the cache')
    .addOption(backendOption())
    .addHelpText('after', '\nThe cache is ${XDG_CACHE_HOME:-~/.cache}/robust-tagger/kernel-tuning.json, or ROBUST_TAGGER_CACHE_DIR.');
  return onRun(cmd, (v: TuneFlags) => tune(v));
}

export const runTune = (args: readonly string[]): Promise<number> => runCommand(tuneCommand(), args);

async function tune(values: TuneFlags): Promise<number> {
  const { cfg, batch: defaultBatch } = modelFrom(values.model);
  const batch = values.batch ?? defaultBatch;
  const tagBatch = values.tagBatch;
  const ctx = await getDevice({ backend: parseBackend(values.backend, '--backend'), tune: 'full' });
  try {
    console.log(`adapter: ${ctx.adapter.backend} ${ctx.adapter.featureLevel} — ${ctx.adapter.description || ctx.adapter.device}`);
    console.log(`meeting the kernels of one DAT step (batch ${batch}) and one tagging batch (${tagBatch} windows)…`);
    // Measured below, with progress, not at the step's own readbacks.
    ctx.tuner.holdPending = true;
    const t0 = performance.now();
    await meetShapes(ctx, cfg, batch, tagBatch);
    if (values.force) ctx.tuner.requeueMet();
    const met = Object.keys(ctx.tuner.chosenVariants()).length;
    console.log(`${met} (op, shape) buckets met in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${ctx.tuner.pendingCount} to measure (the rest are cached or have one candidate)`);
    const metKeys = new Set(Object.keys(ctx.tuner.chosenVariants()));
    await ctx.tuner.tunePending(progressBar);
    console.log(formatTuneTable(Object.fromEntries(Object.entries(ctx.tuner.measured()).filter(([k]) => metKeys.has(k)))));
    console.log(`tuned in ${((performance.now() - t0) / 1000).toFixed(1)} s; winners cached for this adapter`);
    return 0;
  } finally {
    ctx.destroy();
  }
}
