// `robust-tagger eval`: the evaluation grid for one or more trained models.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { markdownReport } from '../eval/report.js';
import { evaluateModels } from '../eval/evaluate.js';
import { parseBackend } from '../gpu/backend.js';
import { getDevice } from '../gpu/device.js';

export const EVAL_HELP = `Usage: robust-tagger eval --model NAME=checkpoint.safetensors [--model ...] [options]

Scores each model with ROC-AUC and PR-AUC (macro over tags) on the test split,
clean and mixed with noise at SNR 10, 5, 0, -5, -10 dB: "internal" noise (the
held-out files of the training noise set) and "external" noise (a set never
seen in training). Writes results.json, results.md and two SVG charts.

Options:
  --model <name=file>     a model to evaluate (repeatable); a bare file is named after its folder
  --data <dir>            cache root from \`prepare\`: music, noise-internal, noise-external
  --music-cache <dir>     music cache (overrides --data)
  --noise-internal <dir>  internal noise cache (its test split is used)
  --noise-external <dir>  external noise cache (all its files are unseen; its test split is used)
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
        model: { type: 'string', multiple: true }, data: { type: 'string' }, 'music-cache': { type: 'string' },
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
  const models: Record<string, string> = {};
  for (const m of v.model) {
    const eq = m.indexOf('=');
    const [name, file] = eq > 0 ? [m.slice(0, eq), m.slice(eq + 1)] : [m.split('/').slice(-2, -1)[0] ?? m, m];
    models[name] = file;
  }
  const data = v.data ?? 'data';
  const noise: Record<string, { cacheDir: string; split: 'test' }> = {};
  const internal = v['noise-internal'] ?? join(data, 'noise-internal');
  const external = v['noise-external'] ?? join(data, 'noise-external');
  noise.internal = { cacheDir: internal, split: 'test' };
  noise.external = { cacheDir: external, split: 'test' };
  const ctx = await getDevice({ backend: parseBackend(v.backend, '--backend') });
  const { results, files } = await evaluateModels({
    ctx,
    models,
    clips: {
      musicCache: v['music-cache'] ?? join(data, 'music'), split: 'test', noise,
      k: v.k ? Number(v.k) : 1, seed: v.seed ? Number(v.seed) : 0, maxClips: v['max-clips'] ? Number(v['max-clips']) : undefined,
    },
    outDir: v.out ?? join('runs', 'eval'),
    onProgress: (model, condition, done, total) => process.stderr.write(`\r${model} ${condition} ${done}/${total}   `),
  });
  process.stderr.write('\n');
  console.log(markdownReport(results));
  console.log(`\nwritten: ${files.join(', ')}`);
  ctx.destroy();
  return 0;
}
