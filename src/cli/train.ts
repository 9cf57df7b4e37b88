// `robust-tagger train <stage>`: one training stage on prepared caches. Each
// stage is a subcommand whose flags are the common ones plus one per field of
// that stage's configuration (declared once, in train/config.ts).
import { Command, InvalidArgumentError, Option } from 'commander';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readCacheIndex } from '../data/cacheIndex.js';
import { parseBackend } from '../gpu/backend.js';
import { getDevice } from '../gpu/device.js';
import { ConfigError, STAGES, type FieldSpec, type Stage, defaultConfig, describeField, resolveConfig, stageFields } from '../train/config.js';
import { TrainingDiverged, TrainingInterrupted } from '../train/runner.js';
import { trainStage } from '../train/stages.js';
import { type StopSignal, exitCodeOf, onStopSignals } from './interrupt.js';
import { lockForCommand } from './lock.js';
import { type ModelFlags, addModelOptions } from './modelFlags.js';
import { UsageError, backendOption, choiceOption, intOption, numberOption, onRun, readJsonFile, runCommand, workersOption } from './options.js';
import { type RunFlags, RUN_FILE, resolveRun } from './runConfig.js';
import { isAtomicWriteTemp } from '../util/writeFileAtomic.js';

const STAGE_HELP: Record<Stage, string> = {
  pretrain: 'stage 1: contrastive pretraining of the encoder (NT-Xent on two augmented views)',
  domain: 'stage 2: the domain classifier (clean vs noisy) on the frozen pretrained encoder',
  dat: 'stage 3: domain adversarial training (labels on clean rows, gradient reversal on all)',
  baseline: 'the baseline: encoder + label predictor on clean data',
  supervised: 'the fully supervised model: labels on clean and noisy rows',
};

/** Fields the command sets itself: paths come from --data/--out, the window from the model. */
const SET_BY_COMMAND = new Set(['dataRoot', 'outDir', 'chunkLength', 'sampleRate', 'initCheckpoint']);

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function fieldOptions(stage: Stage): Option[] {
  const defaults = defaultConfig(stage) as unknown as Record<string, unknown>;
  const out: Option[] = [];
  for (const [key, spec] of stageFields(stage) as [string, FieldSpec][]) {
    if (SET_BY_COMMAND.has(key)) continue;
    const flag = `--${kebab(key)}`;
    const what = `config field ${key} (stage default ${JSON.stringify(defaults[key])})`;
    switch (spec.kind) {
      case 'int': out.push(intOption(`${flag} <n>`, what, spec)); break;
      case 'number': out.push(numberOption(`${flag} <x>`, what, spec)); break;
      case 'boolean': out.push(new Option(flag, `${what}; --no-${kebab(key)} turns it off`), new Option(`--no-${kebab(key)}`).hideHelp()); break;
      case 'enum': {
        const values = spec.values.map(String);
        const numeric = spec.values.every((v) => typeof v === 'number');
        const o = choiceOption(`${flag} <value>`, what, values);
        // choices() validates text; a numeric field keeps the list for help and parses to a number.
        if (numeric) o.argParser((v) => {
          if (!values.includes(v)) throw new InvalidArgumentError(`Allowed choices are ${values.join(', ')}.`);
          return Number(v);
        });
        out.push(o);
        break;
      }
      default: out.push(new Option(`${flag} <value>`, `${what}; ${describeField(spec)}`));
    }
  }
  return out;
}

interface StageFlags extends RunFlags, ModelFlags {
  out?: string;
  config?: string;
  pretrained?: string;
  domainModel?: string;
  maxSteps?: number;
  checkpointSteps?: number;
  workers?: number;
  backend?: string;
  [field: string]: unknown;
}

/** writeFileAtomic's temporary files of runs that died mid-write; under the folder lock none is live. */
function removeStaleTemporaries(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const stale = names.filter(isAtomicWriteTemp);
  for (const n of stale) rmSync(join(dir, n), { force: true });
  return stale;
}

function stageCommand(stage: Stage): Command {
  const cmd = new Command(stage).description(STAGE_HELP[stage]);
  cmd
    .option('--data <dir>', 'cache root from `prepare`: <dir>/music and <dir>/noise-internal (default: the run\'s, else "data")')
    .option('--music-cache <dir>', 'music cache (overrides --data)')
    .option('--noise-cache <dir>', 'training noise cache (overrides --data)')
    .option('--out <dir>', `run folder (default: the config file's outDir, else "runs"); the first stage writes <out>/${RUN_FILE} and later stages reuse it`)
    .option('--config <file>', 'training configuration JSON (the config fields below)');
  if (stage !== 'pretrain') cmd.option('--pretrained <file>', 'stage-1 model (default <out>/pretrain/model.safetensors)');
  if (stage === 'dat') cmd.option('--domain-model <file>', 'stage-2 model (default <out>/domain/model.safetensors)');
  cmd
    .addOption(intOption('--max-steps <n>', 'stop after n steps in total (quick runs)', { min: 1 }))
    .addOption(intOption('--checkpoint-steps <n>', 'steps between checkpoints (default: checkpointEveryEpochs)', { min: 1 }))
    .addOption(workersOption())
    .addOption(backendOption());
  addModelOptions(cmd);
  for (const o of fieldOptions(stage)) cmd.addOption(o);
  cmd.addHelpText('after', `\nA stage resumes from <out>/${stage}/checkpoint.safetensors when it exists. Ctrl-C (SIGINT) or SIGTERM\nfinishes the current step, writes a checkpoint and exits 130 / 143; a second Ctrl-C quits at once.`);
  return onRun(cmd, (opts: StageFlags) => runStage(stage, opts));
}

function checkCache(dir: string, flag: string): void {
  try {
    readCacheIndex(dir);
  } catch (e) {
    throw new UsageError(`${flag}: ${(e as Error).message}`);
  }
}

async function runStage(stage: Stage, opts: StageFlags): Promise<number> {
  const fields = new Set(stageFields(stage).map(([k]) => k));
  const overrides = Object.fromEntries(Object.entries(opts).filter(([k, v]) => fields.has(k) && !SET_BY_COMMAND.has(k) && v !== undefined));
  const file = opts.config !== undefined ? readJsonFile(opts.config, '--config') : undefined;
  let config;
  try {
    config = resolveConfig({ file, overrides, stage });
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(`invalid configuration${opts.config ? ` (--config ${opts.config} and flags)` : ''}:\n  ${e.issues.join('\n  ')}`);
    throw e;
  }
  // The folders may also come from the config file (outDir, dataRoot); the flags win.
  const fromFile = (typeof file === 'object' && file !== null ? file : {}) as Record<string, unknown>;
  const out = opts.out ?? config.outDir;
  const data = opts.data ?? (fromFile.dataRoot !== undefined ? config.dataRoot : undefined);
  const { run, write } = resolveRun(out, { ...opts, data }, `train ${stage}`);
  const lock = lockForCommand(out, `robust-tagger train ${stage}`);
  if (!lock) return 1;
  const signals = new AbortController();
  const removeHandlers = onStopSignals((signal) => signals.abort(signal), () => lock.release());
  try {
    const removed = removeStaleTemporaries(join(out, stage)).concat(removeStaleTemporaries(out));
    if (removed.length) process.stderr.write(`note: removed ${removed.length} temporary file(s) left by an interrupted run (${removed.join(', ')})\n`);
    // Before run.json records them: a typo in --data must not become the run's settings.
    checkCache(run.data.musicCache, '--music-cache (or --data)');
    if (stage !== 'baseline') checkCache(run.data.noiseCache, '--noise-cache (or --data)');
    write();
    const ctx = await getDevice({ backend: parseBackend(opts.backend, '--backend') });
    try {
      const result = await trainStage({
        ctx, config, model: run.model, data: run.data, outDir: out,
        pretrained: opts.pretrained, domainClassifier: opts.domainModel,
        maxSteps: opts.maxSteps, checkpointEverySteps: opts.checkpointSteps, workers: opts.workers, signal: signals.signal,
      });
      console.log(result.alreadyDone ?? `${stage}: ${result.steps} steps; model written to ${result.modelPath}`);
      return 0;
    } finally {
      ctx.destroy();
    }
  } catch (e) {
    if (e instanceof TrainingInterrupted) {
      const signal: StopSignal = e.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
      process.stderr.write(
        `${stage}: stopped by ${signal} after step ${e.step}; checkpoint written to ${join(out, stage, 'checkpoint.safetensors')}.\n` +
          `Resume with the same command: robust-tagger train ${stage} --out ${out} (plus the same config flags)\n`,
      );
      return exitCodeOf(signal);
    }
    if (e instanceof TrainingDiverged) {
      console.error(`robust-tagger train ${stage}: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    removeHandlers();
    lock.release();
  }
}

export function trainCommand(): Command {
  const train = new Command('train')
    .description('train one stage: pretrain | domain | dat | baseline | supervised (train <stage> --help lists its fields)')
    .addHelpText('after', `\nStages (thesis order): ${STAGES.join(', ')}. The first stage of a run writes <out>/${RUN_FILE}\n(model size, input length, data); later stages reuse it, so --input-exp, --width-divisor and --data\nneed not be repeated, and a flag that disagrees with it is an error naming the field.`);
  for (const stage of STAGES) train.addCommand(stageCommand(stage));
  return train;
}

export const runTrain = (args: readonly string[]): Promise<number> => runCommand(trainCommand(), args);
