// Builds the preprocessing cache: every clip is decoded and resampled once,
// quantised to int16 and appended to shards. The index is rewritten after
// each shard, so an interrupted run resumes from the last complete shard.
import { existsSync, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { AudioDecoder } from './decode.js';
import { crc32 } from './crc32.js';
import { isAtomicWriteTemp, writeFileAtomic } from '../util/writeFileAtomic.js';
import { CACHE_VERSION, INDEX_FILE, readCacheIndex, shardName } from './cacheIndex.js';
import type { CacheEntry, CacheIndex } from './cacheIndex.js';
import { CacheReader } from './cacheReader.js';
import { SkipLog } from './skipLog.js';
import { TARGET_SAMPLE_RATE } from './resample.js';
import type { DatasetListing } from './types.js';

export interface BuildCacheOptions {
  /** Shard size target in bytes (default 64 MiB). */
  shardBytes?: number;
  /** Re-check every kept entry's checksum (slower; finds corrupt shards). */
  verify?: boolean;
  decoder?: AudioDecoder;
  log?: (line: string) => void;
  onProgress?: (done: number, total: number) => void;
  /** Stop after this many newly decoded clips (tests use it to simulate an interruption). */
  stopAfter?: number;
}

export interface BuildCacheSummary {
  total: number;
  reused: number;
  decoded: number;
  stale: number;
  corrupt: number;
  skipped: SkipLog;
  interrupted: boolean;
}

export async function buildCache(listing: DatasetListing, dir: string, opts: BuildCacheOptions = {}): Promise<BuildCacheSummary> {
  mkdirSync(dir, { recursive: true });
  const log = opts.log ?? ((l: string) => console.warn(l));
  const skipped = new SkipLog(log);
  const shardBytes = opts.shardBytes ?? 64 * 1024 * 1024;
  const previous = loadPrevious(dir, log);
  const wanted = new Map(listing.clips.map((c) => [c.relPath, c]));
  // Two entries for one file would double-weight it in training and evaluation; readers drop duplicates, so this is a bug guard.
  if (wanted.size !== listing.clips.length) throw new Error(`cache ${dir}: the listing names ${listing.clips.length - wanted.size} audio file(s) twice; nothing was written`);
  const sameTags = previous && JSON.stringify(previous.tags) === JSON.stringify(listing.tags);

  // Keep what is still valid: same source file, shard intact, checksum fine.
  const kept: CacheEntry[] = [];
  let stale = 0;
  let corrupt = 0;
  if (previous) {
    const reader = new CacheReader(dir, { whole: false });
    previous.entries.forEach((e, i) => {
      const clip = wanted.get(e.relPath);
      if (!clip) return;
      const st = statOrNull(clip.path);
      if (!st || st.size !== e.source.size || st.mtimeMs !== e.source.mtimeMs) {
        stale++;
        log(`stale: ${clip.path} changed since it was cached; decoding it again`);
        return;
      }
      const shardPath = join(dir, shardName(e.shard));
      const intact = existsSync(shardPath) && statSync(shardPath).size >= (e.offset + e.length) * 2;
      if (!intact || (opts.verify && !reader.verifyEntry(i))) {
        corrupt++;
        log(`corrupt: cached audio of ${clip.path} is damaged (shard ${shardName(e.shard)}); decoding it again`);
        return;
      }
      // Labels and split come from the current listing (a new tag list must not need a re-decode).
      kept.push({ ...e, id: clip.id, split: clip.split, labels: clip.labels });
    });
    reader.close();
    if (!sameTags) log('tag list changed: labels refreshed from the dataset listing');
  }

  const index: CacheIndex = {
    version: CACHE_VERSION,
    kind: listing.kind,
    root: listing.root,
    sampleRate: TARGET_SAMPLE_RATE,
    tags: listing.tags,
    entries: [...kept],
    skipped: [],
  };
  // Files that failed before and have not changed are not retried on resume.
  const knownBad = new Map((previous?.skipped ?? []).map((s) => [s.path, s]));
  const have = new Set(kept.map((e) => e.relPath));
  const reused = kept.length;
  const todo = listing.clips.filter((c) => !have.has(c.relPath));
  let nextShard = Math.max(-1, ...existingShards(dir)) + 1;
  const decoder = opts.decoder ?? new AudioDecoder();
  let pending: { entry: CacheEntry; pcm: Int16Array }[] = [];
  let pendingSamples = 0;
  let decoded = 0;
  let interrupted = false;
  const total = listing.clips.length;
  let done = kept.length;
  opts.onProgress?.(done, total);

  const flush = () => {
    if (pending.length === 0) return;
    const bytes = new Uint8Array(pendingSamples * 2);
    let off = 0;
    for (const p of pending) {
      bytes.set(new Uint8Array(p.pcm.buffer, p.pcm.byteOffset, p.pcm.byteLength), off * 2);
      p.entry.shard = nextShard;
      p.entry.offset = off;
      off += p.pcm.length;
      index.entries.push(p.entry);
    }
    writeFileAtomic(join(dir, shardName(nextShard)), bytes);
    writeIndex(dir, index);
    nextShard++;
    pending = [];
    pendingSamples = 0;
  };

  try {
    for (const clip of todo) {
      if (opts.stopAfter !== undefined && decoded >= opts.stopAfter) {
        interrupted = true;
        break;
      }
      const st = statOrNull(clip.path);
      const bad = knownBad.get(clip.path);
      if (bad && st && bad.size === st.size && bad.mtimeMs === st.mtimeMs) {
        skipped.add(clip.path, bad.reason);
        index.skipped.push(bad);
      } else {
        try {
          const { samples } = await decoder.decodeFile(clip.path);
          const pcm = toInt16(samples);
          const entry: CacheEntry = {
            id: clip.id, relPath: clip.relPath, split: clip.split, labels: clip.labels,
            source: { path: clip.path, size: st?.size ?? 0, mtimeMs: st?.mtimeMs ?? 0 },
            shard: -1, offset: 0, length: pcm.length,
            crc32: crc32(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength)),
          };
          pending.push({ entry, pcm });
          pendingSamples += pcm.length;
          decoded++;
        } catch (e) {
          const reason = (e as { reason?: string }).reason ?? (e as Error).message;
          skipped.add(clip.path, reason);
          index.skipped.push({ path: clip.path, reason, size: st?.size, mtimeMs: st?.mtimeMs });
        }
      }
      done++;
      opts.onProgress?.(done, total);
      if (pendingSamples * 2 >= shardBytes) flush();
    }
    flush();
    writeIndex(dir, index);
  } finally {
    if (!opts.decoder) decoder.close();
  }
  if (!interrupted) removeUnreferencedShards(dir, index);
  return { total, reused, decoded, stale, corrupt, skipped, interrupted };
}

function toInt16(x: Float32Array): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768)));
  return out;
}

function writeIndex(dir: string, index: CacheIndex): void {
  writeFileAtomic(join(dir, INDEX_FILE), JSON.stringify(index));
}

function loadPrevious(dir: string, log: (l: string) => void): CacheIndex | null {
  if (!existsSync(join(dir, INDEX_FILE))) return null;
  try {
    return readCacheIndex(dir);
  } catch (e) {
    log(`${(e as Error).message}; starting a fresh cache`);
    return null;
  }
}

function statOrNull(path: string): { size: number; mtimeMs: number } | null {
  try {
    const s = statSync(path);
    return { size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return null;
  }
}

function existingShards(dir: string): number[] {
  return readdirSync(dir).flatMap((n) => {
    const m = /^shard-(\d+)\.bin$/.exec(n);
    return m ? [Number(m[1])] : [];
  });
}

/** Shards whose every entry went stale hold only garbage: delete them. Also stray temp files. */
function removeUnreferencedShards(dir: string, index: CacheIndex): void {
  const used = new Set(index.entries.map((e) => e.shard));
  for (const n of existingShards(dir)) if (!used.has(n)) unlinkSync(join(dir, shardName(n)));
  for (const name of readdirSync(dir)) if (isAtomicWriteTemp(name)) unlinkSync(join(dir, name));
}
