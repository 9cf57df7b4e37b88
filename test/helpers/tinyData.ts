// A tiny demo data set, generated and cached once per test file: a few dozen
// one-second clips and their noise, through the same prepare path users take.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPrepare } from '../../src/cli/prepare.js';
import { generateDemoData } from '../../src/data/demo.js';

let cached: Promise<string> | null = null;

/** Returns the cache root (music, noise-internal, noise-external). */
export function tinyDemoCaches(): Promise<string> {
  cached ??= (async () => {
    const root = mkdtempSync(join(tmpdir(), 'rt-tiny-'));
    // prepare reuses a demo source folder that already exists, so a small one is made first.
    generateDemoData(join(root, 'source'), { seed: 0, clips: 48, seconds: 1, noiseClipsPerFamily: 2 });
    const code = await runPrepare(['--dataset', 'demo', '--root', join(root, 'source'), '--out', join(root, 'data')]);
    if (code !== 0) throw new Error(`prepare failed with ${code}`);
    return join(root, 'data');
  })();
  return cached;
}
