// Issue 11, defects 7 and 9 (data and metadata): each bad value is named where
// it is read, with counts, instead of surfacing later as "NaN s",
// "<file>: undefined", 0 tags or duplicated index entries. Issue 16 item 6:
// `--dataset mtat` uses the canonical top-50 list.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readCacheIndex } from '../../src/data/cacheIndex.js';
import { MTAT_TOP50, readMtat } from '../../src/data/mtat.js';
import { decodeMeta } from '../../src/nn/safetensors.js';
import { tempDir } from './helpers.js';

const tmp = tempDir('rt-validation-');
afterAll(() => tmp.cleanup());
let n = 0;

/** An MTAT folder whose CSV rows are given as raw cell values (no audio needed to list it). */
function mtat(header: string[], rows: string[][]): string {
  const root = join(tmp.dir, `mtat-${n++}`);
  mkdirSync(root, { recursive: true });
  const q = (s: string) => `"${s}"`;
  writeFileSync(join(root, 'annotations_final.csv'), [['clip_id', ...header, 'mp3_path'], ...rows].map((r) => r.map(q).join('\t')).join('\r\n'));
  return root;
}

describe('checkpoint metadata', () => {
  test.each(['abc', '0', '-22050', '1e8', '22050.5'])('sample_rate %j is named as bad metadata, not blamed on the audio', (v) => {
    expect(() => decodeMeta({ sample_rate: v }, 'model.safetensors')).toThrow(`model.safetensors: metadata "sample_rate" is ${JSON.stringify(v)}; expected an integer from 8000 to 384000`);
  });

  test('a duplicated tag name is refused with the count', () => {
    expect(() => decodeMeta({ tags: JSON.stringify(['rock', 'pop', 'rock']) }, 'm')).toThrow(/metadata "tags" lists "rock" twice \(3 tags\)/);
    expect(decodeMeta({ tags: '["rock","pop"]', sample_rate: '22050' }, 'm')).toMatchObject({ tags: ['rock', 'pop'], sampleRate: 22050 });
  });
});

describe('MTAT annotations', () => {
  test('duplicated rows are dropped with a count: one entry per clip', () => {
    const row = (id: string, f: string, rock: string) => [id, rock, '0', `${f}/x${id}.mp3`];
    const root = mtat(['rock', 'pop'], [row('1', '0', '1'), row('2', '1', '0'), row('1', '0', '1'), row('2', '1', '1'), row('3', 'd', '1')]);
    const ds = readMtat({ root, tags: ['rock', 'pop'] });
    expect(ds.clips.map((c) => c.id)).toEqual(['1', '2', '3']);
    expect(ds.warnings.join('\n')).toMatch(/dropped 2 duplicate row\(s\) of audio files already listed: clip 1, clip 2 \(labels differ from the first row of 1\/x2\.mp3; the first is kept\)/);
  });

  test('tag values "1.0" are positives; other values are an error with a count', () => {
    const root = mtat(['rock'], [['1', '1.0', '0/a.mp3'], ['2', '0.0', '1/b.mp3'], ['3', '1', 'd/c.mp3']]);
    expect(readMtat({ root, tags: ['rock'] }).clips.map((c) => c.labels)).toEqual([[0], [], [0]]);
    const bad = mtat(['rock'], [['1', 'yes', '0/a.mp3'], ['2', '', '1/b.mp3'], ['3', '1', 'd/c.mp3']]);
    expect(() => readMtat({ root: bad, tags: ['rock'] })).toThrow(/2 tag value\(s\) are not 0 or 1, e\.g\. row 2 column "rock": "yes"; row 3 column "rock": ""/);
  });

  test('duplicate tag columns and duplicate --tags are refused', () => {
    const root = mtat(['rock', 'rock'], [['1', '1', '0', '0/a.mp3']]);
    expect(() => readMtat({ root })).toThrow(/the tag column "rock" 2 times/);
    const ok = mtat(['rock', 'pop'], [['1', '1', '1', '0/a.mp3']]);
    expect(() => readMtat({ root: ok, tags: ['rock', 'rock'] })).toThrow(/names "rock" twice/);
  });

  test('a tag list without any positive training example is an error, not 0 tags', () => {
    const root = mtat(['rock'], [['1', '0', '0/a.mp3'], ['2', '1', 'd/b.mp3']]);
    expect(() => readMtat({ root, topN: 50 })).toThrow(/no tag of the list has a positive example in the training split \(1 training clips\)/);
  });

  test('the canonical top-50 list: published order, absent or positive-less tags excluded and reported', () => {
    expect(MTAT_TOP50).toHaveLength(50);
    expect(new Set(MTAT_TOP50).size).toBe(50);
    // The order published models index their outputs by (CLMR, sota-music-tagging-models).
    expect(MTAT_TOP50.slice(0, 10)).toEqual(['guitar', 'classical', 'slow', 'techno', 'strings', 'drums', 'electronic', 'rock', 'fast', 'piano']);
    expect(MTAT_TOP50.slice(-3)).toEqual(['metal', 'female voice', 'choral']);
    // A CSV with every canonical tag except "choral", plus a frequent non-canonical tag; "metal" only in test.
    const header = [...MTAT_TOP50.filter((t) => t !== 'choral'), 'jazz'];
    const on = (tags: string[]) => header.map((t) => (tags.includes(t) ? '1' : '0'));
    const trainTags = header.filter((t) => t !== 'metal');
    const root = mtat(header, [
      ['1', ...on(trainTags), '0/a.mp3'],
      ['2', ...on(['jazz']), '1/b.mp3'],
      ['3', ...on(['jazz']), '2/c.mp3'],
      ['4', ...on(['metal']), 'd/d.mp3'],
    ]);
    const ds = readMtat({ root, tags: 'canonical' });
    expect(ds.tags).toEqual(MTAT_TOP50.filter((t) => t !== 'choral' && t !== 'metal'));
    expect(ds.tags).not.toContain('jazz');
    const w = ds.warnings.join('\n');
    expect(w).toMatch(/canonical MTAT top-50: excluded 1 tag\(s\) that are not columns of annotations_final\.csv: choral/);
    expect(w).toMatch(/canonical MTAT top-50: excluded 1 tag\(s\) with no positive example in the training split: metal/);
    // --tags still overrides; a data-driven top-n (--top) is still available.
    expect(readMtat({ root, tags: ['jazz', 'metal'] }).tags).toEqual(['jazz', 'metal']);
    expect(readMtat({ root, topN: 1 }).tags).toEqual(['jazz']);
  });
});

describe('cache index', () => {
  test('a forged clip length is named with its entry and field', () => {
    const dir = join(tmp.dir, 'cache');
    mkdirSync(dir, { recursive: true });
    const entry = { id: '1', relPath: '0/a.mp3', split: 'train', labels: [0], source: { path: 'a', size: 1, mtimeMs: 1 }, shard: 0, offset: 0, length: 30000000000, crc32: 0 };
    writeFileSync(join(dir, 'index.json'), JSON.stringify({ version: 1, kind: 'mtat', root: '.', sampleRate: 22050, tags: ['rock'], entries: [entry, { ...entry, length: 10 }], skipped: [] }));
    expect(() => readCacheIndex(dir)).toThrow(/index\.json is damaged \(2 problem\(s\)\): entry 0 \("0\/a\.mp3"\): length 30000000000 is not a clip length .*; entry 1 \("0\/a\.mp3"\): the file is listed twice/);
    expect(readFileSync(join(dir, 'index.json'), 'utf8')).toContain('30000000000');
  });
});
