import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, writeFileSync, readFileSync, utimesSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildCache } from '../../src/data/cacheBuilder.js';
import { CacheReader } from '../../src/data/cacheReader.js';
import { readNoiseSet } from '../../src/data/noiseSet.js';
import { encodeWav } from '../../src/data/wav.js';
import { tempDir, sine } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const quiet = () => {};

/** A folder of 8 good 22.05 kHz WAVs (distinct frequencies), one corrupt MP3 and one empty file. */
function makeFolder(name: string) {
  const root = join(tmp.dir, name, 'audio');
  mkdirSync(join(root, 'good'), { recursive: true });
  const clips: Float32Array[] = [];
  for (let i = 0; i < 8; i++) {
    const x = sine(200 + 50 * i, 22050, 4000 + 500 * i, 0.5);
    clips.push(x);
    writeFileSync(join(root, 'good', `clip-${i}.wav`), encodeWav({ channels: [x], sampleRate: 22050 }));
  }
  const junk = new Uint8Array(3000);
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 131 + 7) & 0xff;
  junk.set([0xff, 0xfb, 0x90, 0x00]); // an MPEG frame sync, then garbage
  writeFileSync(join(root, 'corrupt.mp3'), junk);
  writeFileSync(join(root, 'empty.wav'), new Uint8Array(0));
  return { root, clips, cache: join(tmp.dir, name, 'cache') };
}

describe('preprocessing cache', () => {
  it('skips a corrupt MP3 and an empty file, reports both, and keeps every other clip', async () => {
    const { root, clips, cache } = makeFolder('skip');
    const listing = readNoiseSet({ root });
    expect(listing.clips.length).toBe(10);
    const lines: string[] = [];
    const sum = await buildCache(listing, cache, { log: (l) => lines.push(l) });
    expect(sum.skipped.count).toBe(2);
    expect(sum.skipped.skipped.map((s) => s.path).sort()).toEqual([join(root, 'corrupt.mp3'), join(root, 'empty.wav')]);
    expect(sum.skipped.summary()).toMatch(/2 skipped \(.*empty file.*\)/);
    expect(lines.some((l) => l.includes('corrupt.mp3'))).toBe(true);
    const reader = new CacheReader(cache);
    expect(reader.entries.length).toBe(8);
    for (let i = 0; i < 8; i++) {
      const e = reader.entries.findIndex((x) => x.relPath === `good/clip-${i}.wav`);
      const back = reader.readClip(e);
      expect(back.length).toBe(clips[i].length);
      let err = 0;
      for (let k = 0; k < back.length; k++) err = Math.max(err, Math.abs(back[k] - clips[i][k]));
      expect(err).toBeLessThan(1 / 32768 + 1e-6);
      // A crop is a positioned read of the same samples; past the end is zero.
      const crop = new Float32Array(1000);
      reader.readInto(e, back.length - 500, 1000, crop);
      expect(crop[0]).toBe(back[back.length - 500]);
      expect(crop[700]).toBe(0);
      expect(reader.verifyEntry(e)).toBe(true);
    }
    reader.close();
  });

  it('resumes after an interruption without decoding finished shards again', async () => {
    const { root, cache } = makeFolder('resume');
    const listing = readNoiseSet({ root });
    // Tiny shards so each clip lands in its own shard and is committed at once.
    const first = await buildCache(listing, cache, { log: quiet, shardBytes: 1, stopAfter: 3 });
    expect(first.interrupted).toBe(true);
    expect(new CacheReader(cache).entries.length).toBe(3);
    const second = await buildCache(listing, cache, { log: quiet, shardBytes: 1 });
    expect(second.reused).toBe(3);
    expect(second.decoded).toBe(5);
    expect(second.skipped.count).toBe(2);
    const third = await buildCache(listing, cache, { log: quiet, shardBytes: 1 });
    expect(third.decoded).toBe(0);
    expect(third.reused).toBe(8);
    // The known-bad files are still reported, without decoding them again.
    expect(third.skipped.count).toBe(2);
    expect(readdirSync(cache).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('notices a changed source file and a damaged shard', async () => {
    const { root, cache } = makeFolder('stale');
    const listing = readNoiseSet({ root });
    await buildCache(listing, cache, { log: quiet, shardBytes: 1 });
    // Changed source: new content and mtime.
    const changed = join(root, 'good', 'clip-2.wav');
    writeFileSync(changed, encodeWav({ channels: [sine(999, 22050, 7777)], sampleRate: 22050 }));
    utimesSync(changed, new Date(), new Date(Date.now() + 5000));
    // Damaged shard: flip bytes inside clip-5's samples.
    const r0 = new CacheReader(cache);
    const e5 = r0.entries.find((e) => e.relPath === 'good/clip-5.wav')!;
    r0.close();
    const shardPath = join(cache, `shard-${String(e5.shard).padStart(5, '0')}.bin`);
    const bytes = readFileSync(shardPath);
    for (let k = 100; k < 120; k++) bytes[e5.offset * 2 + k] ^= 0x5a;
    writeFileSync(shardPath, bytes);
    const lines: string[] = [];
    const sum = await buildCache(listing, cache, { log: (l) => lines.push(l), shardBytes: 1, verify: true });
    expect(sum.stale).toBe(1);
    expect(sum.corrupt).toBe(1);
    expect(sum.decoded).toBe(2);
    expect(lines.join('\n')).toMatch(/stale: .*clip-2\.wav/);
    expect(lines.join('\n')).toMatch(/corrupt: .*clip-5\.wav/);
    const r = new CacheReader(cache);
    const i2 = r.entries.findIndex((e) => e.relPath === 'good/clip-2.wav');
    expect(r.entries[i2].length).toBe(7777);
    expect(r.entries.every((_, i) => r.verifyEntry(i))).toBe(true);
    r.close();
  });

  it('fails with the expected layout when the cache folder is wrong', () => {
    expect(() => new CacheReader(tmp.dir)).toThrow(/index\.json.*prepare/);
  });
});
