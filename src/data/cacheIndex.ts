// The on-disk format of the preprocessing cache: one JSON index plus binary
// shards of little-endian int16 mono audio at 22,050 Hz. The builder writes
// both through util/writeFileAtomic.ts, so a crash leaves either the old file
// or the new one, never half of one.
import { existsSync, readFileSync, statSync } from 'node:fs';
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
  const problems = indexProblems(idx);
  if (problems.length) {
    throw new Error(`cache: ${p} is damaged (${problems.length} problem(s)): ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}. Rebuild it with prepare (prepare --verify finds damaged audio)`);
  }
  return idx;
}

/** Largest clip a cache holds: 2^30 samples is 13.5 hours at 22,050 Hz. */
const MAX_CLIP_SAMPLES = 2 ** 30;

/**
 * What a reader would trip over later with a message naming nothing
 * ("Invalid typed array length: 30000000000"): each field is checked here,
 * named with the entry.
 */
function indexProblems(idx: CacheIndex): string[] {
  const out: string[] = [];
  const isInt = (v: unknown, min: number, max: number): boolean => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
  const dupTag = idx.tags.find((t, i) => idx.tags.indexOf(t) !== i);
  if (dupTag !== undefined) out.push(`tag "${dupTag}" is listed twice`);
  const seen = new Set<string>();
  idx.entries.forEach((e, i) => {
    const where = `entry ${i} (${JSON.stringify(e?.relPath)})`;
    if (typeof e?.relPath !== 'string') return void out.push(`${where}: no relPath`);
    if (seen.has(e.relPath)) out.push(`${where}: the file is listed twice`);
    seen.add(e.relPath);
    if (!isInt(e.shard, 0, 99999)) out.push(`${where}: shard ${JSON.stringify(e.shard)} is not a shard number`);
    if (!isInt(e.offset, 0, Number.MAX_SAFE_INTEGER)) out.push(`${where}: offset ${JSON.stringify(e.offset)} is not a sample offset`);
    if (!isInt(e.length, 1, MAX_CLIP_SAMPLES)) out.push(`${where}: length ${JSON.stringify(e.length)} is not a clip length (1 to ${MAX_CLIP_SAMPLES} samples)`);
    if (!Array.isArray(e.labels) || e.labels.some((l) => !isInt(l, 0, idx.tags.length - 1))) out.push(`${where}: labels ${JSON.stringify(e.labels)} are not indices of the ${idx.tags.length} tags`);
  });
  return out;
}

/**
 * For readers: every shard must hold the samples its entries claim. (prepare
 * does not call this: it re-decodes just the clips of a damaged shard.)
 */
export function checkShards(dir: string, idx: CacheIndex): void {
  const shardEnd = new Map<number, number>();
  for (const e of idx.entries) shardEnd.set(e.shard, Math.max(shardEnd.get(e.shard) ?? 0, (e.offset + e.length) * 2));
  for (const [shard, end] of shardEnd) {
    const path = join(dir, shardName(shard));
    const size = existsSync(path) ? statSync(path).size : -1;
    if (size < end) throw new Error(`cache: ${size < 0 ? `${path} is missing` : `${path} has ${size} bytes but the entries of ${join(dir, INDEX_FILE)} need ${end}`}; rebuild the cache with prepare`);
  }
}
