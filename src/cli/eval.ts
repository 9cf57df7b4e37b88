// `robust-tagger eval`: the evaluation grid for one or more trained models.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateModels, formatProgress } from '../eval/evaluate.js';
import { parseBackend } from '../gpu/backend.js';
import { getDevice } from '../gpu/device.js';

export const EVAL_HELP = `Usage: robust-tagger eval --model NAME=seed0.safetensors[,seed1.safetensors…] [--model ...] [options]

Scores each model with ROC-AUC and PR-AUC (macro over tags) on the test split,
clean and mixed with noise at SNR 10, 5, 0, -5, -10 dB: "internal" noise (the
held-out files of the training noise set) and "external" noise (a set never
seen in training). With several checkpoints per model (one per training seed)
each cell is the mean ± 95% t-interval over seeds. --compare adds paired
differences with clip-bootstrap intervals. Writes results.json, results.md and
two SVG charts; finished cells are kept in <out>/partial.jsonl, so a rerun
resumes where it stopped.

Options:
  --model <name=files>    a model to evaluate: comma-separated checkpoints, one per seed (repeatable;
                          repeating a name adds seeds); a bare file is named after its folder
  --compare <a:b>         report the paired difference a - b, e.g. DAT:baseline (repeatable)
  --bootstrap <n>         clip-bootstrap replicates for --compare (default 1000)
  --data <dir>            cache root from \`prepare\`: music, noise-internal, noise-external
  --music-cache <dir>     music cache (overrides --data)
  --noise-internal <dir>  internal noise cache (its test split is used)
  --noise-external <dir>  external noise cache (never seen in training: all its files are used)
  --k <n>                 noise clips per mixture (default 1)
  --max-clips <n>         evaluate only the first n test clips
  --seed <n>              noise pick seed (default 0)
  --out <dir>             report folder (default runs/eval)
  --backend <name>        WebGPU backend
  -h, --help              show this help
`;

export async function runEval(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        model: { type: 'string', multiple: true }, compare: { type: 'string', multiple: true }, bootstrap: { type: 'string' }, data: { type: 'string' }, 'music-cache': { type: 'string' },
        'noise-internal': { type: 'string' }, 'noise-external': { type: 'string' }, k: { type: 'string' }, 'max-clips': { type: 'string' },
        seed: { type: 'string' }, out: { type: 'string' }, backend: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    console.error(`robust-tagger eval: ${(e as Error).message}`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    console.log(EVAL_HELP);
    return 0;
  }
  if (!v.model?.length) {
    console.error(`robust-tagger eval: give at least one --model\n\n${EVAL_HELP}`);
    return 2;
  }
  const models: Record<string, string[]> = {};
  for (const m of v.model) {
    const eq = m.indexOf('=');
    const [name, files] = eq > 0 ? [m.slice(0, eq), m.slice(eq + 1)] : [m.split('/').slice(-2, -1)[0] ?? m, m];
    models[name] = [...(models[name] ?? []), ...files.split(',').filter((f) => f.length > 0)];
  }
  const compare: [string, string][] = [];
  for (const c of v.compare ?? []) {
    const pair = c.split(':');
    if (pair.length !== 2 || !(pair[0] in models) || !(pair[1] in models)) {
      console.error(`robust-tagger eval: --compare takes a:b with two --model names (${Object.keys(models).join(', ')}), got "${c}"`);
      return 2;
    }
    compare.push([pair[0], pair[1]]);
  }
  const data = v.data ?? 'data';
  const noise: Record<string, { cacheDir: string; split?: 'test' }> = {};
  const internal = v['noise-internal'] ?? join(data, 'noise-internal');
  const external = v['noise-external'] ?? join(data, 'noise-external');
  noise.internal = { cacheDir: internal, split: 'test' };
  noise.external = { cacheDir: external };
  const ctx = await getDevice({ backend: parseBackend(v.backend, '--backend') });
  const { summary, files } = await evaluateModels({
    ctx,
    models,
    compare,
    bootstrap: { replicates: v.bootstrap ? Number(v.bootstrap) : 1000 },
    clips: {
      musicCache: v['music-cache'] ?? join(data, 'music'), split: 'test', noise,
      k: v.k ? Number(v.k) : 1, seed: v.seed ? Number(v.seed) : 0, maxClips: v['max-clips'] ? Number(v['max-clips']) : undefined,
    },
    outDir: v.out ?? join('runs', 'eval'),
    onProgress: (p) => process.stderr.write(`\r${formatProgress(p)}   `),
  });
  process.stderr.write('\n');
  console.log(summary);
  console.log(`\nwritten: ${files.join(', ')}`);
  ctx.destroy();
  return 0;
}
