import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemoData, DEMO_TAGS } from '../../src/data/demo.js';
import { readMtat } from '../../src/data/mtat.js';
import { readNoiseSet } from '../../src/data/noiseSet.js';
import { parseWav } from '../../src/data/wav.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function du(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((s, e) => s + (e.isDirectory() ? du(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
}

describe('synthetic demo data', () => {
  it('writes a small MTAT-format set that the MTAT reader reads, deterministically, in seconds', () => {
    const t0 = Date.now();
    const a = generateDemoData(join(tmp.dir, 'a'), { seed: 3 });
    const seconds = (Date.now() - t0) / 1000;
    console.log(`demo data: ${(du(join(tmp.dir, 'a')) / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`);
    expect(seconds).toBeLessThan(20);
    const csv = readFileSync(join(a.music, 'annotations_final.csv'), 'utf8');
    expect(csv.startsWith('"clip_id"\t"piano"')).toBe(true);
    expect(csv).toContain('\r\n');
    const ds = readMtat({ root: a.music });
    expect(ds.clips.length).toBe(320);
    expect(new Set(ds.tags)).toEqual(new Set(DEMO_TAGS));
    expect(ds.clips.filter((c) => c.split === 'train').length).toBe(240);
    expect(ds.clips.filter((c) => c.split === 'valid').length).toBe(20);
    expect(ds.clips.filter((c) => c.split === 'test').length).toBe(60);
    // Every tag is present in train and test; no empty-tag warning for those splits.
    expect(ds.warnings.filter((w) => /^(train|test) split/.test(w))).toEqual([]);
    const wav = parseWav(readFileSync(ds.clips[0].path));
    expect(wav.channels[0].length).toBe(3 * 11025);
    const b = generateDemoData(join(tmp.dir, 'b'), { seed: 3 });
    expect(readFileSync(join(b.music, ds.clips[7].relPath))).toEqual(readFileSync(ds.clips[7].path));
    const internal = readNoiseSet({ root: a.noiseInternal });
    const external = readNoiseSet({ root: a.noiseExternal });
    expect(internal.tags).toEqual(['babble', 'pink', 'traffic', 'white']);
    expect(external.tags).toEqual(['hum-clicks', 'speech', 'wind']);
  });

  it('makes tags audible: loud clips are louder than quiet ones, in proportion to their tags', () => {
    const ds = readMtat({ root: generateDemoData(join(tmp.dir, 'c'), { seed: 1, clips: 64 }).music });
    const rmsOf = (p: string) => {
      const x = parseWav(readFileSync(p)).channels[0];
      return Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
    };
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    const loud = ds.tags.indexOf('loud');
    const quiet = ds.tags.indexOf('quiet');
    const loudRms = mean(ds.clips.filter((c) => c.labels.includes(loud)).map((c) => rmsOf(c.path)));
    const quietRms = mean(ds.clips.filter((c) => c.labels.includes(quiet)).map((c) => rmsOf(c.path)));
    expect(loudRms).toBeGreaterThan(quietRms * 8);
  });
});
