// Atomic file writes (Node only), for every file a crash must never leave
// half-written: cache shards and index, checkpoints, run configs. The bytes go
// to a temp file in the same folder, are fsynced, then renamed over the real
// name, so a reader sees the old file or the new one, never part of one.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Whether a file name is one of writeFileAtomic's temp files (`.<name>.<pid>.<time>.tmp`), left behind only by a process killed mid-write. */
export function isAtomicWriteTemp(name: string): boolean {
  return /^\..+\.\d+\.\d+\.tmp$/.test(name);
}

/** Writes `data` (bytes, or a string as UTF-8) to `path` via a temp file, fsync, then rename. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fd = openSync(tmp, 'w');
    try {
      let at = 0;
      while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    // A full disk (ENOSPC) or a read-only folder: name the file and leave no half-written temp behind.
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`cannot write ${path} (${bytes.length} bytes): ${code ?? (e as Error).message}${code === 'ENOSPC' ? ': the disk is full; free space and run again (the previous file under this name, and finished work, are kept)' : ''}`);
  }
  // Persist the rename itself; not every platform lets a directory be opened (Windows), so best effort.
  try {
    const dfd = openSync(dir, 'r');
    fsyncSync(dfd);
    closeSync(dfd);
  } catch {
    /* directory fsync unsupported here */
  }
}
