// Random access to cached clips without decoding: a crop is one positioned
// read (pread) of int16 samples from a shard file.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from './crc32.js';
import { checkShards, readCacheIndex, shardName } from './cacheIndex.js';
import type { CacheEntry, CacheIndex } from './cacheIndex.js';
import type { Split } from './types.js';

export class CacheReader {
  readonly index: CacheIndex;
  private fds = new Map<number, number>();
  private scratch = new Int16Array(0);

  /** `whole: false` for prepare, which checks shards entry by entry and re-decodes what is damaged. */
  constructor(readonly dir: string, opts: { whole?: boolean } = {}) {
    this.index = readCacheIndex(dir);
    if (opts.whole ?? true) checkShards(dir, this.index);
  }

  get entries(): CacheEntry[] {
    return this.index.entries;
  }

  get tags(): string[] {
    return this.index.tags;
  }

  /** Length in samples of entry i (makes the reader a ClipSource for noise mixing). */
  clipLength(i: number): number {
    return this.index.entries[i].length;
  }

  /** Indices of the entries of a split, in index order. */
  indicesOf(split: Split): number[] {
    const out: number[] = [];
    this.index.entries.forEach((e, i) => { if (e.split === split) out.push(i); });
    return out;
  }

  private fd(shard: number): number {
    let fd = this.fds.get(shard);
    if (fd === undefined) {
      fd = openSync(join(this.dir, shardName(shard)), 'r');
      this.fds.set(shard, fd);
    }
    return fd;
  }

  /**
   * Reads `length` samples starting at `start` of entry `i` into out[outOffset..]
   * as floats. Samples past the clip's end are zero (callers loop or pad).
   */
  readInto(i: number, start: number, length: number, out: Float32Array, outOffset = 0): void {
    const e = this.index.entries[i];
    const from = Math.max(0, Math.min(start, e.length));
    const n = Math.max(0, Math.min(length, e.length - from));
    if (this.scratch.length < n) this.scratch = new Int16Array(n);
    const bytes = new Uint8Array(this.scratch.buffer, 0, n * 2);
    let got = 0;
    const fd = this.fd(e.shard);
    while (got < bytes.length) {
      const r = readSync(fd, bytes, got, bytes.length - got, (e.offset + from) * 2 + got);
      if (r === 0) throw new Error(`cache: ${shardName(e.shard)} is shorter than its index says (entry ${e.relPath})`);
      got += r;
    }
    // Shards are little-endian; so is every platform Node runs on in practice.
    for (let k = 0; k < n; k++) out[outOffset + k] = this.scratch[k] / 32768;
    out.fill(0, outOffset + n, outOffset + length);
  }

  readClip(i: number): Float32Array {
    const out = new Float32Array(this.index.entries[i].length);
    this.readInto(i, 0, out.length, out);
    return out;
  }

  /** True when entry i's bytes still match the checksum taken when it was written. */
  verifyEntry(i: number): boolean {
    const e = this.index.entries[i];
    const fd = this.fd(e.shard);
    if (fstatSync(fd).size < (e.offset + e.length) * 2) return false;
    const bytes = new Uint8Array(e.length * 2);
    let got = 0;
    while (got < bytes.length) {
      const r = readSync(fd, bytes, got, bytes.length - got, e.offset * 2 + got);
      if (r === 0) return false;
      got += r;
    }
    return crc32(bytes) === e.crc32;
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}
