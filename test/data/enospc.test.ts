// Issue 11, defect 9: a full disk names the file being written and leaves no
// temporary file behind (both atomic writers: cache index/shards, checkpoints).
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

const { writeFileAtomic: writeCacheFile } = await import('../../src/data/cacheIndex.js');
const { writeFileAtomic: writeCheckpointFile } = await import('../../src/nn/checkpoint.js');

test.each([
  ['cache index', writeCacheFile],
  ['checkpoint', writeCheckpointFile],
])('%s: ENOSPC names the path and cleans up', (_what, write) => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-enospc-'));
  const path = join(dir, 'checkpoint.safetensors');
  expect(() => write(path, new Uint8Array(1000))).toThrow(`cannot write ${path} (1000 bytes): ENOSPC: the disk is full`);
  expect(readdirSync(dir)).toEqual([]);
});
