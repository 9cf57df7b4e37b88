import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { join } from 'node:path';
import { runPrepare } from '../../src/cli/prepare.js';
import { generateDemoData } from '../../src/data/demo.js';
import { BatchLoader } from '../../src/data/batchLoader.js';
import type { Batch } from '../../src/data/batchLoader.js';
import { CacheReader } from '../../src/data/cacheReader.js';
import { defaultConfig } from '../../src/train/config.js';
import { type StageRunOptions, loaderOptions } from '../../src/train/stages.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
const data = join(tmp.dir, 'demo');
const cache = join(tmp.dir, 'cache');
const L = 6561; // 3^8, the demo's small-model input

beforeAll(async () => {
  generateDemoData(data, { seed: 5, clips: 64, noiseClipsPerFamily: 3 });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(await runPrepare(['--dataset', 'demo', '--root', data, '--out', cache])).toBe(0);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
});
afterAll(() => tmp.cleanup());

function opts(workers: number) {
  return {
    cacheDir: join(cache, 'music'),
    batchSize: 8,
    views: 2 as const,
    sampleLength: L,
    augment: true,
    noise: { cacheDirs: [join(cache, 'noise-internal')], k: [1, 2, 4], snrRange: [-10, 10] as [number, number] },
    seed: 9,
    workers,
  };
}

async function take(loader: BatchLoader, n: number): Promise<Batch[]> {
  const out: Batch[] = [];
  for (let i = 0; i < n; i++) out.push(await loader.next());
  return out;
}

describe('BatchLoader', () => {
  it('prepare cached the demo music and both noise sets', () => {
    const music = new CacheReader(join(cache, 'music'));
    expect(music.entries.length).toBe(64);
    expect(music.index.sampleRate).toBe(22050);
    expect(music.entries[0].length).toBe(3 * 22050);
    expect(new CacheReader(join(cache, 'noise-external')).entries.length).toBe(9);
  });

  it('gives batches of the documented shapes with labels, domains and integer SNRs', async () => {
    const loader = new BatchLoader(opts(0));
    const [b] = await take(loader, 1);
    await loader.close();
    expect(b.views.length).toBe(2);
    expect(b.views[0].length).toBe(8 * L);
    expect(b.labels.length).toBe(8 * loader.tags.length);
    expect(b.domain.length).toBe(8);
    for (let i = 0; i < 8; i++) {
      if (b.domain[i]) {
        expect(Number.isInteger(b.snr[i])).toBe(true);
        expect(Math.abs(b.snr[i])).toBeLessThanOrEqual(10);
      } else expect(Number.isNaN(b.snr[i])).toBe(true);
    }
    expect(b.views[0].every(Number.isFinite)).toBe(true);
    // The two views are different crops/augmentations of the same clip.
    expect(b.views[0].subarray(0, L)).not.toEqual(b.views[1].subarray(0, L));
    const music = new CacheReader(join(cache, 'music'));
    for (let i = 0; i < 8; i++) {
      const want = new Float32Array(loader.tags.length);
      for (const t of music.entries[b.clips[i]].labels) want[t] = 1;
      expect(b.labels.subarray(i * want.length, (i + 1) * want.length)).toEqual(want);
    }
  });

  it('is reproducible from the seed and identical with and without worker threads', async () => {
    const inline = new BatchLoader(opts(0));
    const threaded = new BatchLoader(opts(2));
    expect(await threaded.ready()).toBe(2);
    expect(await inline.ready()).toBe(0);
    const a = await take(inline, 3);
    const b = await take(threaded, 3);
    await inline.close();
    await threaded.close();
    for (let i = 0; i < 3; i++) {
      expect(b[i].clips).toEqual(a[i].clips);
      expect(b[i].views[1]).toEqual(a[i].views[1]);
      expect(b[i].snr).toEqual(a[i].snr);
    }
    const other = new BatchLoader({ ...opts(0), seed: 10 });
    const [c] = await take(other, 1);
    await other.close();
    expect(c.views[0]).not.toEqual(a[0].views[0]);
  });

  it('covers every training clip once per epoch and keeps domains fixed across epochs', async () => {
    const loader = new BatchLoader({ ...opts(0), augment: false, views: 1 });
    const per = loader.batchesPerEpoch;
    expect(per).toBe(6); // 48 training clips / 8
    const batches = await take(loader, 2 * per);
    await loader.close();
    const epoch0 = batches.slice(0, per).flatMap((b) => [...b.clips]);
    expect(new Set(epoch0).size).toBe(48);
    const domainOf = new Map<number, number>();
    for (const b of batches) b.clips.forEach((c, i) => {
      if (domainOf.has(c)) expect(domainOf.get(c)).toBe(b.domain[i]);
      domainOf.set(c, b.domain[i]);
    });
    expect([...domainOf.values()].filter((d) => d === 1).length).toBe(24);
  });

  it('uses a fixed SNR for evaluation and an SNR range set by a schedule', async () => {
    const evalLoader = new BatchLoader({ ...opts(0), split: 'test', augment: false, views: 1, shuffle: false, noise: { cacheDirs: [join(cache, 'noise-external')], split: 'test', snr: -5, domains: 'all' } });
    const [e] = await take(evalLoader, 1);
    await evalLoader.close();
    expect([...e.domain]).toEqual(new Array(8).fill(1));
    expect([...e.snr]).toEqual(new Array(8).fill(-5));
    const sched = new BatchLoader({ ...opts(0), prefetch: 1 });
    sched.setSnrRange([5, 5]);
    const [s] = await take(sched, 1);
    await sched.close();
    for (let i = 0; i < 8; i++) if (s.domain[i]) expect(s.snr[i]).toBe(5);
  });
});

describe('prepare command', () => {
  it('prints help, rejects bad flags and names the expected layout for a wrong folder', async () => {
    const chunks: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => { chunks.push(String(c)); return true; });
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => { chunks.push(String(c)); return true; });
    // Help and flag errors are printed through console (src/cli/options.ts).
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void chunks.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void chunks.push(a.join(' ')));
    try {
      expect(await runPrepare(['--help'])).toBe(0);
      expect(chunks.join('')).toMatch(/Usage: robust-tagger prepare/);
      expect(await runPrepare(['--bogus'])).toBe(2);
      expect(await runPrepare(['--dataset', 'mtat', '--root', tmp.dir, '--out', join(tmp.dir, 'x')])).toBe(1);
      expect(chunks.join('')).toMatch(/expected MagnaTagATune layout/);
      // Re-running on a finished cache decodes nothing.
      chunks.length = 0;
      expect(await runPrepare(['--dataset', 'demo', '--root', data, '--out', cache])).toBe(0);
      expect(chunks.join('')).toMatch(/demo music: 64 files, 0 decoded, 64 already cached/);
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe("the baseline's data (thesis §4.1.3, Fig. 4.6, Table 4.1)", () => {
  async function epochClips(loader: BatchLoader): Promise<{ clean: Set<number>; noisy: Set<number> }> {
    const clean = new Set<number>();
    const noisy = new Set<number>();
    try {
      for (let i = 0; i < loader.batchesPerEpoch; i++) {
        const b = await loader.next();
        b.clips.forEach((clip, r) => (b.domain[r] === 1 ? noisy : clean).add(clip));
      }
    } finally {
      await loader.close();
    }
    return { clean, noisy };
  }

  it('is the clean source half that DAT labels: same clips, never a noisy-half clip, never noise', async () => {
    const common = { cacheDir: join(cache, 'music'), sampleLength: 729, seed: 9, workers: 0, dropLast: false };
    const dat = await epochClips(new BatchLoader({ ...common, batchSize: 8, noise: { cacheDirs: [join(cache, 'noise-internal')], k: 1, domains: 'assigned' } }));
    const baseline = new BatchLoader({ ...common, batchSize: 4, clips: 'source' });
    const trainClips = new CacheReader(join(cache, 'music')).indicesOf('train').length;
    expect(dat.clean.size + dat.noisy.size).toBe(trainClips);
    expect(dat.clean.size).toBe(trainClips - Math.floor(trainClips / 2));
    const seen = await epochClips(baseline);
    expect([...seen.clean].sort()).toEqual([...dat.clean].sort());
    expect(seen.noisy.size).toBe(0);
    expect(() => new BatchLoader({ ...common, batchSize: 4, clips: 'source', noise: { cacheDirs: [join(cache, 'noise-internal')] } })).toThrow(/clean half; it takes no noise/);
  });

  it('is what the baseline stage asks for, while DAT and fully supervised get both halves', () => {
    const o = { data: { musicCache: 'm', noiseCache: 'n' }, model: { sampleCnn: { inputLength: 729 } } } as unknown as StageRunOptions;
    expect(loaderOptions(o, defaultConfig('baseline'))).toMatchObject({ clips: 'source' });
    expect(loaderOptions(o, defaultConfig('baseline')).noise).toBeUndefined();
    for (const stage of ['dat', 'supervised'] as const) {
      const opts = loaderOptions(o, defaultConfig(stage));
      expect(opts.clips ?? 'all').toBe('all');
      expect(opts.noise).toMatchObject({ domains: 'assigned', cacheDirs: ['n'] });
    }
  });
});
