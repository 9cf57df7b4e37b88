// Finds a Python that can import torch (the independent PyTorch peer of the
// parity and conversion tests and of the benchmarks) and runs scripts with it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's `rel`, found upward from this module (test/helpers in vitest, dist/ when bundled into the benchmarks). */
export function repoFile(rel: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, rel))) return join(dir, rel);
    if (dirname(dir) === dir) throw new Error(`${rel} not found above ${fileURLToPath(import.meta.url)}`);
  }
}

/** scripts/pytorch/samplecnn_step.py, looked up when first asked for (so a bundle without it still loads). */
export const pytorchStepScript = (): string => repoFile('scripts/pytorch/samplecnn_step.py');

export type TorchPython = { python: string; version: string } | { python: null; reason: string };

/**
 * ROBUST_TAGGER_PYTHON if set, else `python3` on PATH, else Debian's /usr/bin/python3
 * (where apt's python3-torch lives when a pyenv or venv python3 comes first on PATH).
 */
export function findTorchPython(): TorchPython {
  const candidates = process.env.ROBUST_TAGGER_PYTHON ? [process.env.ROBUST_TAGGER_PYTHON] : ['python3', '/usr/bin/python3'];
  const tried: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) return { python, version: r.stdout.trim() };
    tried.push(`${python}: ${r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`)}`);
  }
  return { python: null, reason: `no Python with torch (${tried.join('; ')}); apt-get install python3-torch, or set ROBUST_TAGGER_PYTHON` };
}

/** Runs `python script ...args`; throws with the script's stderr on failure. Returns its stdout. */
export function runPython(python: string, script: string, args: string[], timeoutMs = 600_000): string {
  const r = spawnSync(python, [script, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`${script} ${args[0] ?? ''} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr}`);
  return r.stdout;
}
