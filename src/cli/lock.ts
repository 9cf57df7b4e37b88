// An exclusive lock on an output folder, so two `prepare`, `train` or `eval`
// runs cannot interleave their writes (one cache index, one checkpoint, one
// log) without either noticing. The lock is a file created with O_EXCL holding
// who took it; a lock whose process is gone (same host, pid not alive) is
// stale and taken over. No lock library is used: proper-lockfile, the
// well-kept one, judges staleness by mtime alone and needs a timer refreshing
// it; a pid check answers the question exactly on one host, in fewer lines.
import { hostname } from 'node:os';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = '.robust-tagger.lock';

export interface LockHolder {
  pid: number;
  host: string;
  started: string;
  command: string;
}

export class FolderLockedError extends Error {
  constructor(readonly dir: string, readonly holder: LockHolder | null) {
    const who = holder
      ? `process ${holder.pid} on ${holder.host} ("${holder.command}", started ${holder.started})`
      : 'another process (its lock file is unreadable)';
    super(`${dir} is in use by ${who}. Wait for it to finish, or use another --out folder. If that process is gone, delete ${join(dir, LOCK_FILE)}.`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return Number.isInteger(h.pid) && typeof h.host === 'string' ? h : null;
  } catch {
    return null;
  }
}

export interface FolderLock {
  release(): void;
  /** Set when a stale lock of a dead process was taken over. */
  staleHolder: LockHolder | null;
}

/** Takes the folder's lock or throws FolderLockedError naming the holder. Released on release() or process exit. */
export function lockFolder(dir: string, command: string): FolderLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command };
  const text = JSON.stringify(me);
  let staleHolder: LockHolder | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, text, { flag: 'wx' });
      const release = (): void => {
        process.off('exit', release);
        // Only our own lock: a folder deleted and relocked by someone else is theirs.
        if (readHolder(path)?.pid === me.pid && readHolder(path)?.started === me.started) rmSync(path, { force: true });
      };
      process.on('exit', release);
      return { release, staleHolder };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot create the lock ${path}: ${(e as Error).message}`);
    }
    const holder = readHolder(path);
    // An unreadable lock may be one being written this instant: respect it.
    if (!holder || holder.host !== me.host || alive(holder.pid)) throw new FolderLockedError(dir, holder);
    // Stale: move it aside atomically so that of two processes seeing it, one takes it over.
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
    } catch {
      continue; // someone else moved it first; try again
    }
    const moved = readHolder(aside);
    if (moved?.pid !== holder.pid || moved.started !== holder.started) {
      // We moved a fresh lock taken in between: give it back.
      renameSync(aside, path);
      throw new FolderLockedError(dir, moved);
    }
    rmSync(aside, { force: true });
    staleHolder = holder;
  }
  throw new FolderLockedError(dir, readHolder(path));
}

/**
 * lockFolder for a command: the lock (noting on stderr a stale one taken
 * over), or null after writing `<who>: <why it is busy>` to stderr (`who`
 * defaults to the command), for the command to exit 1 as prepare, train,
 * eval and demo all do: the flags were fine, the folder is in use.
 */
export function lockForCommand(dir: string, command: string, who = command): FolderLock | null {
  try {
    const lock = lockFolder(dir, command);
    if (lock.staleHolder) process.stderr.write(`note: took over the lock of process ${lock.staleHolder.pid}, which is gone\n`);
    return lock;
  } catch (e) {
    if (!(e instanceof FolderLockedError)) throw e;
    console.error(`${who}: ${e.message}`);
    return null;
  }
}
