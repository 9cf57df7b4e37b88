// `robust-tagger tune` end to end on a small model: meets the kernels of one
// DAT step and one tagging batch, measures every bucket with more than one
// applicable candidate, prints the table and writes the cache file (in a
// temporary folder, never the user's cache).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runTune } from '../../src/cli/tune.js';
import { scaledModelConfig } from '../../src/models/index.js';

describe('robust-tagger tune', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('tunes a small model and caches a winner for every measured bucket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tune-command-'));
    vi.stubEnv('ROBUST_TAGGER_CACHE_DIR', dir);
    const config = join(dir, 'model.json');
    writeFileSync(config, JSON.stringify(scaledModelConfig(5, 16)));
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    expect(await runTune(['--model', config, '--batch', '2', '--tag-batch', '3', '--backend', 'opengl'])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/buckets met/);
    const file = JSON.parse(readFileSync(join(dir, 'kernel-tuning.json'), 'utf8')) as Record<string, Record<string, { winner: string; ms: Record<string, number | null> }>>;
    const records = Object.values(file)[0];
    const keys = Object.keys(records);
    for (const op of ['conv1d.forward', 'conv1d.gradInput', 'conv1d.gradWeight', 'batchnorm.stats']) expect(keys.some((k) => k.startsWith(op)), op).toBe(true);
    for (const [key, r] of Object.entries(records)) {
      expect(Object.keys(r.ms).length, key).toBeGreaterThanOrEqual(2);
      expect(r.ms[r.winner], `${key}: the winner was timed and agreed`).toBeGreaterThan(0);
      expect(text, `${key} in the printed table`).toContain(`${key}`);
    }
  });
});
