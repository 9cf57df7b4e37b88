// Which checkpoint a --model argument means: a file as given, or a stage folder
// (<run>/<stage>), whose best-on-validation weights (best.safetensors) are
// used when the stage kept them, else its last weights (model.safetensors).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './options.js';

export function resolveModelFile(path: string, flag = '--model'): string {
  if (!existsSync(path) || !statSync(path).isDirectory()) return path;
  for (const file of ['best.safetensors', 'model.safetensors']) {
    const p = join(path, file);
    if (existsSync(p)) return p;
  }
  throw new UsageError(`${flag} ${path}: a folder without best.safetensors or model.safetensors; pass a stage folder (<run>/dat) or a checkpoint file`);
}
