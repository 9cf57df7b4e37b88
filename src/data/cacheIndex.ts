// The on-disk format of the preprocessing cache: one JSON index plus binary
// shards of little-endian int16 mono audio at 22,050 Hz. Every write goes to
// a temporary file first and is renamed into place, so a crash leaves either
// the old file or the new one, never half of one.
import { rmSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SkippedFile } from './skipLog.js';
import type { Split } from './types.js';

export const CACHE_VERSION = 1;
export const INDEX_FILE = 'index.json';

export interface CacheEntry {
  id: string;
  relPath: string;
  split: Split;
  labels: number[];
  /** Source file identity, to notice when it changed after caching. */
  source: { path: string; size: number; mtimeMs: number };
  shard: number;
  /** Offset and length in samples (2 bytes each) inside the shard. */
  offset: number;
  length: number;
  crc32: number;
}

export interface CacheIndex {
  version: number;
  kind: 'mtat' | 'jamendo' | 'noise';
  root: string;
  sampleRate: number;
  tags: string[];
  entries: CacheEntry[];
  skipped: (SkippedFile & { size?: number; mtimeMs?: number })[];
}

export function shardName(n: number): string {
  return `shard-${String(n).padStart(5, '0')}.bin`;
}

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    const fd = openSync(tmp, 'w');
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    // A full disk (ENOSPC) or a read-only folder: name the file and leave no half-written temp behind.
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`cannot write ${path} (${bytes.length} bytes): ${code ?? (e as Error).message}${code === 'ENOSPC' ? ': the disk is full; free space and run again (finished work is kept)' : ''}`);
  }
}

export const CACHE_LAYOUT = `expected a cache folder made by \`robust-tagger prepare\`: <dir>/${INDEX_FILE} and <dir>/shard-NNNNN.bin`;

export function readCacheIndex(dir: string): CacheIndex {
  const p = join(dir, INDEX_FILE);
  if (!existsSync(p)) throw new Error(`cache: ${p} not found; ${CACHE_LAYOUT}`);
  let idx: CacheIndex;
  try {
    idx = JSON.parse(readFileSync(p, 'utf8')) as CacheIndex;
  } catch (e) {
    throw new Error(`cache: ${p} is not valid JSON (${(e as Error).message}); rebuild it with prepare`);
  }
  if (idx.version !== CACHE_VERSION || !Array.isArray(idx.entries) || !Array.isArray(idx.tags)) {
    throw new Error(`cache: ${p} has an unknown format (version ${String(idx.version)}); rebuild it with prepare`);
  }
  return idx;
}
