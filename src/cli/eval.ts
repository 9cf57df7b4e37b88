// `robust-tagger eval`: the evaluation grid for one or more trained models.
// Every input (each model file and each cache) is checked before the first
// model is evaluated, so a typo in the second --model does not cost the first
// model's whole evaluation.
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readCacheIndex } from '../data/cacheIndex.js';
import { evaluateModels } from '../eval/evaluate.js';
import type { GpuContext } from '../gpu/context.js';
import { parseBackend } from '../gpu/backend.js';
import { getDevice } from '../gpu/device.js';
import { loadTagger } from '../models/tagger.js';
import { lockForCommand } from './lock.js';
import { resolveModelFile } from './modelFile.js';
import { writeEvalProgress } from './progressLine.js';
import { UsageError, backendOption, intOption, onRun, runCommand } from './options.js';

interface EvalFlags {
  model: string[];
  compare: string[];
  bootstrap: number;
  data: string;
  musicCache?: string;
  noiseInternal?: string;
  noiseExternal?: string;
  k: number;
  maxClips?: number;
  seed: number;
  out: string;
  backend?: string;
}

export function evalCommand(): Command {
  const cmd = new Command('eval')
    .description('evaluate models on clean and noisy audio (SNR 10 … -10 dB, seen and unseen noise): ROC-AUC and PR-AUC per model, mean ± 95% CI over training seeds, paired differences with clip-bootstrap CIs; writes results.json, results.md and SVG charts, and resumes per cell')
    .requiredOption('--model <name=files>', 'a model to evaluate: comma-separated checkpoints or stage folders (a folder means its best.safetensors, else model.safetensors), one per training seed; repeatable, and repeating a name adds seeds; a bare path is named after its folder', (v: string, prev: string[] = []) => [...prev, v])
    .option('--compare <a:b>', 'report the paired difference a − b of two --model names, e.g. DAT:baseline (repeatable)', (v: string, prev: string[] = []) => [...prev, v], [])
    .addOption(intOption('--bootstrap <n>', 'clip-bootstrap replicates for --compare', { min: 10, max: 100000, default: 1000 }))
    .option('--data <dir>', 'cache root from `prepare`: music, noise-internal, noise-external', 'data')
    .option('--music-cache <dir>', 'music cache (overrides --data)')
    .option('--noise-internal <dir>', 'internal noise cache (its test split is used)')
    .option('--noise-external <dir>', 'external noise cache (never seen in training: all its files are used)')
    .addOption(intOption('--k <n>', 'noise clips per mixture', { min: 1, max: 4, default: 1 }))
    .addOption(intOption('--max-clips <n>', 'evaluate only the first n test clips', { min: 1 }))
    .addOption(intOption('--seed <n>', 'noise pick seed', { min: 0, max: 2 ** 32 - 1, default: 0 }))
    .option('--out <dir>', 'report folder (locked while eval runs)', join('runs', 'eval'))
    .addOption(backendOption());
  return onRun(cmd, (v: EvalFlags) => evaluate(v));
}

export const runEval = (args: readonly string[]): Promise<number> => runCommand(evalCommand(), args);

/** NAME=a,b (one checkpoint per training seed; a repeated NAME adds seeds) → name → files. */
export function modelsOf(specs: string[]): Record<string, string[]> {
  const models: Record<string, string[]> = {};
  for (const m of specs) {
    const eq = m.indexOf('=');
    const files = eq > 0 ? m.slice(eq + 1) : m;
    const list = files.split(',').filter((f) => f.length > 0).map((f) => resolveModelFile(f));
    // A bare path is named after its stage folder (runs/x/dat and runs/x/dat/model.safetensors: "dat").
    const name = eq > 0 ? m.slice(0, eq) : basename(dirname(list[0] ?? m));
    if (list.length === 0) throw new UsageError(`--model ${m}: no file after "="`);
    models[name] = [...(models[name] ?? []), ...list];
  }
  return models;
}

function pairsOf(specs: string[], models: Record<string, string[]>): [string, string][] {
  return specs.map((c) => {
    const pair = c.split(':');
    if (pair.length !== 2 || !(pair[0] in models) || !(pair[1] in models) || pair[0] === pair[1]) {
      throw new UsageError(`--compare takes a:b with two different --model names (${Object.keys(models).join(', ')}), got "${c}"`);
    }
    return [pair[0], pair[1]];
  });
}

/** Loads every model and reads every cache index once, so any broken input fails before the long part starts. */
function checkInputs(ctx: GpuContext, models: Record<string, string[]>, caches: Record<string, string>): void {
  const indexTags = new Map<string, string[]>();
  for (const [flag, dir] of Object.entries(caches)) {
    try {
      indexTags.set(flag, readCacheIndex(dir).tags);
    } catch (e) {
      throw new UsageError(`${flag} ${dir}: ${(e as Error).message}`);
    }
  }
  const dataTags = indexTags.get('--music-cache') ?? [];
  for (const [name, file] of Object.entries(models).flatMap(([n, files]) => files.map((f) => [n, f] as const))) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw new UsageError(`--model ${name}=${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    let tags: readonly string[];
    try {
      const tagger = loadTagger(ctx, bytes, file);
      tags = tagger.tags;
      tagger.dispose();
    } catch (e) {
      throw new UsageError(`--model ${name}: ${(e as Error).message}`);
    }
    if (tags.join('\n') !== dataTags.join('\n')) {
      const onlyModel = tags.filter((t) => !dataTags.includes(t));
      const onlyData = dataTags.filter((t) => !tags.includes(t));
      const diff = onlyModel.length || onlyData.length
        ? `only in the model: ${onlyModel.join(', ') || 'none'}; only in the data: ${onlyData.join(', ') || 'none'}`
        : 'the same tags in another order';
      throw new UsageError(`--model ${name}=${file}: its ${tags.length} tags differ from the ${dataTags.length} of ${caches['--music-cache']} (${diff}); evaluate on the data set it was trained on`);
    }
  }
}

async function evaluate(v: EvalFlags): Promise<number> {
  const models = modelsOf(v.model);
  const compare = pairsOf(v.compare, models);
  const caches = {
    '--music-cache': v.musicCache ?? join(v.data, 'music'),
    '--noise-internal': v.noiseInternal ?? join(v.data, 'noise-internal'),
    '--noise-external': v.noiseExternal ?? join(v.data, 'noise-external'),
  };
  const lock = lockForCommand(v.out, 'robust-tagger eval');
  if (!lock) return 1;
  const ctx = await getDevice({ backend: parseBackend(v.backend, '--backend') });
  try {
    checkInputs(ctx, models, caches);
    const { summary, files } = await evaluateModels({
      ctx,
      models,
      compare,
      bootstrap: { replicates: v.bootstrap },
      clips: {
        musicCache: caches['--music-cache'], split: 'test',
        noise: { internal: { cacheDir: caches['--noise-internal'], split: 'test' }, external: { cacheDir: caches['--noise-external'] } },
        k: v.k, seed: v.seed, maxClips: v.maxClips,
      },
      outDir: v.out,
      onProgress: writeEvalProgress,
    });
    process.stderr.write('\n');
    console.log(summary);
    console.log(`\nwritten: ${files.join(', ')}`);
    return 0;
  } finally {
    ctx.destroy();
    lock.release();
  }
}
