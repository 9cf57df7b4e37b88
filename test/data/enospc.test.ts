// Issue 11, defect 9: a full disk names the file being written and leaves no
// temporary file behind. One atomic writer serves the cache (index as a string,
// shards as bytes) and checkpoints (bytes); both kinds of data are checked.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, vi } from 'vitest';

// Every write fails as on a full disk; everything else about the file system is real.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const full = (): never => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
  return { ...fs, default: { ...fs, writeSync: full }, writeSync: full };
});

const { writeFileAtomic } = await import('../../src/util/writeFileAtomic.js');

test.each([
  ['cache index (a string)', 'index.json', 'x'.repeat(1000)],
  ['checkpoint (bytes)', 'checkpoint.safetensors', new Uint8Array(1000)],
])('%s: ENOSPC names the path and cleans up', (_what, name, data) => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-enospc-'));
  const path = join(dir, name);
  expect(() => writeFileAtomic(path, data)).toThrow(`cannot write ${path} (1000 bytes): ENOSPC: the disk is full`);
  expect(readdirSync(dir)).toEqual([]);
});
