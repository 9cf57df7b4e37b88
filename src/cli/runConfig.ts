// <out>/run.json: what every stage of one run must share (the model's size and
// input length, and the data it trains on), written by the first stage and
// reused by the later ones, so `--input-exp 9 --width-divisor 16 --data d` is
// said once. A later flag that disagrees is an error naming the field: a
// silent mix of two model sizes in one run fails later with a shape error.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModelConfig } from '../models/index.js';
import { writeFileAtomic } from '../util/writeFileAtomic.js';
import { differingFields } from '../train/trainState.js';
import { type ModelFlags, modelConfigFromFlags, modelFlagsGiven } from './modelFlags.js';
import { UsageError, readJsonFile } from './options.js';

export const RUN_FILE = 'run.json';

export interface RunConfig {
  version: 1;
  /** The model every stage builds (numTags is set from the data at each stage). */
  model: ModelConfig;
  /** Samples per input window (3^n), repeated here for readers of the file. */
  inputLength: number;
  data: { musicCache: string; noiseCache: string };
  createdBy: string;
}

export interface RunFlags extends ModelFlags {
  data?: string;
  musicCache?: string;
  noiseCache?: string;
}

function readRun(path: string): RunConfig {
  const raw = readJsonFile(path, 'run config') as Partial<RunConfig>;
  if (raw?.version !== 1 || typeof raw.model !== 'object' || typeof raw.data?.musicCache !== 'string' || typeof raw.data?.noiseCache !== 'string') {
    throw new UsageError(`${path}: not a run config this version writes (needs version 1, model, data.musicCache, data.noiseCache); delete it to start the run's settings afresh`);
  }
  return raw as RunConfig;
}

/**
 * The run's settings: from run.json when it exists (flags may repeat them but
 * not change them), else from the flags. `write` says whether run.json must be written.
 */
export function resolveRun(out: string, flags: RunFlags, command: string): { run: RunConfig; write: () => void } {
  const path = join(out, RUN_FILE);
  const saved = existsSync(path) ? readRun(path) : null;
  const model = modelFlagsGiven(flags) || !saved ? modelConfigFromFlags(flags) : saved.model;
  const root = flags.data ?? 'data';
  const data = {
    musicCache: resolve(flags.musicCache ?? (flags.data !== undefined || !saved ? join(root, 'music') : saved.data.musicCache)),
    noiseCache: resolve(flags.noiseCache ?? (flags.data !== undefined || !saved ? join(root, 'noise-internal') : saved.data.noiseCache)),
  };
  if (saved) {
    const ignoreTags = (m: ModelConfig): ModelConfig => ({ ...m, numTags: 0 });
    const changed = [
      ...differingFields(ignoreTags(saved.model), ignoreTags(model), 'model').map((d) => `${d} (--input-exp, --width-divisor or --model-config)`),
      ...differingFields(saved.data, data, 'data').map((d) => `${d} (--data, --music-cache or --noise-cache)`),
    ];
    if (changed.length) {
      throw new UsageError(
        `${path} (written by the run's first stage) disagrees with the flags: ${changed.join('; ').replaceAll('checkpoint has', 'run.json has')}. ` +
          'Drop those flags to reuse the run\'s settings, or use another --out folder.',
      );
    }
    return { run: saved, write: () => {} };
  }
  const run: RunConfig = { version: 1, model, inputLength: model.sampleCnn.inputLength, data, createdBy: command };
  return { run, write: () => writeFileAtomic(path, new TextEncoder().encode(`${JSON.stringify(run, null, 2)}\n`)) };
}
