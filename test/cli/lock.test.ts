// Issue 11, defects 1 and 2: one output folder, one writer. Real processes:
// concurrent `prepare` runs on one --out, and a second `train` on a run
// folder that a running train holds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FolderLockedError, LOCK_FILE, lockFolder } from '../../src/cli/lock.js';
import { readCacheIndex } from '../../src/data/cacheIndex.js';
import { CacheReader } from '../../src/data/cacheReader.js';
import { generateDemoData } from '../../src/data/demo.js';
import { runCli } from './process.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'rt-lock-'));

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('lockFolder', () => {
  test('a second holder is refused with a message naming the first; release frees it', () => {
    const dir = tmp();
    const a = lockFolder(dir, 'robust-tagger train pretrain');
    let error: unknown;
    try {
      lockFolder(dir, 'robust-tagger train pretrain');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FolderLockedError);
    expect(String(error)).toContain(`process ${process.pid} on ${hostname()} ("robust-tagger train pretrain"`);
    a.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockFolder(dir, 'again').release();
  });

  test('a lock left by a dead process is taken over; one of another host is respected', () => {
    const dir = tmp();
    const pid = deadPid();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), started: '2026-01-01T00:00:00Z', command: 'killed' }));
    const lock = lockFolder(dir, 'new');
    expect(lock.staleHolder?.pid).toBe(pid);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: 'elsewhere', started: 'x', command: 'remote' }));
    expect(() => lockFolder(dir, 'new')).toThrow(/in use by process \d+ on elsewhere/);
  });
});

describe('concurrent prepare on one --out (defect 1)', () => {
  test('a prepare on a folder another process holds exits 1 naming the holder, and writes nothing', async () => {
    const root = tmp();
    generateDemoData(join(root, 'source'), { seed: 0, clips: 16, seconds: 0.5, noiseClipsPerFamily: 1 });
    const out = join(root, 'cache');
    const held = lockFolder(out, 'the test');
    const r = await runCli(['prepare', '--dataset', 'demo', '--root', join(root, 'source'), '--out', out]);
    held.release();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`in use by process ${process.pid}`);
    expect(existsSync(join(out, 'music'))).toBe(false);
  }, 60_000);

  test('three prepares started together: each finishes or is refused, and every cached clip is its own audio', async () => {
    const root = tmp();
    generateDemoData(join(root, 'source'), { seed: 1, clips: 32, seconds: 1, noiseClipsPerFamily: 2 });
    const out = join(root, 'cache');
    const args = ['prepare', '--dataset', 'demo', '--root', join(root, 'source'), '--out', out];
    const runs = await Promise.all([runCli(args), runCli(args), runCli(args)]);
    for (const r of runs) {
      if (r.code !== 0) {
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toMatch(/in use by process \d+/);
      }
    }
    const refused = runs.filter((r) => r.code === 1).length;
    console.info(`concurrent prepare: ${3 - refused} ran, ${refused} refused by the lock`);
    expect(refused).toBeLessThan(3);
    // The defect: entries pointing at another clip's audio. Every entry's CRC must match its bytes, once per clip.
    const music = join(out, 'music');
    const index = readCacheIndex(music);
    expect(index.entries).toHaveLength(32);
    expect(new Set(index.entries.map((e) => e.relPath)).size).toBe(32);
    const reader = new CacheReader(music);
    for (let i = 0; i < index.entries.length; i++) expect(reader.verifyEntry(i), index.entries[i].relPath).toBe(true);
    reader.close();
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  }, 120_000);
});
