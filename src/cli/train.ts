// `robust-tagger train <stage>`: one training stage on prepared caches.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseBackend } from '../gpu/backend.js';
import { getDevice } from '../gpu/device.js';
import { ConfigError, STAGES, type Stage, resolveConfig } from '../train/config.js';
import { trainStage } from '../train/stages.js';
import { MODEL_FLAGS, MODEL_FLAGS_HELP, modelConfigFromFlags } from './modelFlags.js';

export const TRAIN_HELP = `Usage: robust-tagger train <stage> [options] [--<config-field> <value> ...]

Stages (thesis order): pretrain (NT-Xent), domain (domain classifier on the
frozen encoder), dat (domain adversarial training), baseline, supervised.
A stage resumes from <out>/<stage>/checkpoint.safetensors when it exists.

Options:
  --data <dir>          cache root from \`prepare\`: <dir>/music, <dir>/noise-internal
  --music-cache <dir>   music cache (overrides --data)
  --noise-cache <dir>   training noise cache (overrides --data)
  --out <dir>           run folder (default: the config's outDir, "runs")
  --config <file>       training configuration JSON (fields below)
  --pretrained <file>   stage-1 model (default <out>/pretrain/model.safetensors)
  --domain-model <file> stage-2 model (default <out>/domain/model.safetensors)
  --max-steps <n>       stop after n steps (quick runs)
  --checkpoint-steps <n> steps between checkpoints (default: checkpointEveryEpochs)
  --workers <n>         data worker threads (default: cores - 1)
  --backend <name>      WebGPU backend: auto | vulkan | opengl | swiftshader | metal | d3d12
${MODEL_FLAGS_HELP}
  -h, --help            show this help

Config fields may be given as flags, e.g. --epochs 10 --batch-size 16
--learning-rate 1e-4 --lambda 0.05 --no-alpha-schedule --curriculum.
`;

export async function runTrain(args: string[]): Promise<number> {
  const stage = args[0];
  if (!stage || stage === '--help' || stage === '-h') {
    console.log(TRAIN_HELP);
    return stage ? 0 : 2;
  }
  if (!(STAGES as readonly string[]).includes(stage)) {
    console.error(`robust-tagger train: unknown stage "${stage}"; use one of ${STAGES.join(', ')}`);
    return 2;
  }
  const { values, tokens } = parseArgs({
    args: args.slice(1),
    strict: false,
    tokens: true,
    options: {
      data: { type: 'string' }, 'music-cache': { type: 'string' }, 'noise-cache': { type: 'string' }, out: { type: 'string' },
      config: { type: 'string' }, pretrained: { type: 'string' }, 'domain-model': { type: 'string' }, 'max-steps': { type: 'string' },
      'checkpoint-steps': { type: 'string' }, workers: { type: 'string' }, backend: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      ...MODEL_FLAGS,
    },
  });
  if (values.help) {
    console.log(TRAIN_HELP);
    return 0;
  }
  // Everything this command does not know is a config field for resolveConfig.
  const known = new Set(['data', 'music-cache', 'noise-cache', 'out', 'config', 'pretrained', 'domain-model', 'max-steps', 'checkpoint-steps', 'workers', 'backend', 'help', ...Object.keys(MODEL_FLAGS)]);
  const rest: string[] = [];
  for (const t of tokens ?? []) {
    // Unknown options parse as booleans, so their values arrive as positionals right after them.
    if (t.kind === 'option' && !known.has(t.name)) rest.push(t.inlineValue ? `${t.rawName}=${t.value}` : t.rawName);
    else if (t.kind === 'positional') rest.push(t.value);
  }
  let config;
  try {
    const file = values.config ? JSON.parse(readFileSync(String(values.config), 'utf8')) : undefined;
    config = resolveConfig({ file, argv: rest, stage: stage as Stage });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`robust-tagger train ${stage}: invalid configuration:\n  ${e.issues.join('\n  ')}`);
      return 2;
    }
    throw e;
  }
  const data = values.data ? String(values.data) : config.dataRoot;
  const ctx = await getDevice({ backend: parseBackend(values.backend as string | undefined, '--backend') });
  const num = (k: string): number | undefined => (values[k] !== undefined ? Number(values[k]) : undefined);
  const result = await trainStage({
    ctx,
    config,
    model: modelConfigFromFlags(values as Record<string, string>),
    data: { musicCache: String(values['music-cache'] ?? join(data, 'music')), noiseCache: String(values['noise-cache'] ?? join(data, 'noise-internal')) },
    outDir: String(values.out ?? config.outDir),
    pretrained: values.pretrained as string | undefined,
    domainClassifier: values['domain-model'] as string | undefined,
    maxSteps: num('max-steps'),
    checkpointEverySteps: num('checkpoint-steps'),
    workers: num('workers'),
  });
  console.log(`${stage}: ${result.steps} steps; model written to ${result.modelPath}`);
  ctx.destroy();
  return 0;
}
