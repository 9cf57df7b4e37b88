import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { readMtat, MTAT_TOP50, chooseTags } from '../../src/data/mtat.js';
import { readJamendo } from '../../src/data/jamendo.js';
import { readNoiseSet } from '../../src/data/noiseSet.js';
import { parseDelimited } from '../../src/data/delimited.js';
import { encodeWav } from '../../src/data/wav.js';
import { tempDir, sine } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function put(path: string, data: string | Uint8Array) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}
const wav = () => encodeWav({ channels: [sine(440, 16000, 1600)], sampleRate: 16000 });

/** Writes annotations_final.csv the way MTAT ships it: TAB separated, every field quoted, CRLF. */
function writeMtatCsv(root: string, tags: string[], rows: { id: string; path: string; on: string[] }[]) {
  const q = (s: string) => `"${s}"`;
  const lines = [['clip_id', ...tags, 'mp3_path'].map(q).join('\t')];
  for (const r of rows) lines.push([r.id, ...tags.map((t) => (r.on.includes(t) ? '1' : '0')), r.path].map(q).join('\t'));
  put(join(root, 'annotations_final.csv'), lines.join('\r\n') + '\r\n');
}

describe('delimited text', () => {
  it('handles quotes, escaped quotes, separators inside quotes and CRLF', () => {
    expect(parseDelimited('"a"\t"b""c"\r\n"x\ty"\t2\r\n', '\t')).toEqual([['a', 'b"c'], ['x\ty', '2']]);
    expect(parseDelimited('id, 1.0, 2.0, "/m/a,/m/b"\n', ',')).toEqual([['id', ' 1.0', ' 2.0', '/m/a,/m/b']]);
  });
});

describe('MagnaTagATune reader', () => {
  const root = join(tmp.dir, 'mtat');
  const tags = ['drums', 'piano', 'never', 'rare'];
  const rows = [
    { id: '1', path: '0/a-1.mp3', on: ['drums'] },
    { id: '2', path: 'b/a-2.mp3', on: ['drums', 'piano'] },
    { id: '3', path: 'a/a-3.wav', on: ['piano', 'rare'] },
    { id: '35644', path: '1/broken.mp3', on: ['drums'] },
    { id: '4', path: 'c/a-4.mp3', on: ['drums'] },
    { id: '5', path: 'd/a-5.mp3', on: ['piano'] },
    { id: '6', path: 'f/a-6.mp3', on: ['drums'] },
  ];
  writeMtatCsv(root, tags, rows);

  it('splits by folder, drops broken clips, picks tags by training frequency and reports empty tags', () => {
    const ds = readMtat({ root });
    expect(ds.clips.map((c) => [c.id, c.split])).toEqual([['1', 'train'], ['2', 'train'], ['3', 'train'], ['4', 'valid'], ['5', 'test'], ['6', 'test']]);
    // 'never' has no positive at all and is not chosen; order is by train frequency.
    expect(ds.tags).toEqual(['drums', 'piano', 'rare']);
    expect(ds.clips[1].labels).toEqual([0, 1]);
    expect(ds.clips[2].path).toBe(join(root, 'a/a-3.wav'));
    expect(ds.warnings.join('\n')).toMatch(/dropped 1 known-broken/);
    expect(ds.warnings.join('\n')).toMatch(/valid split: no positive example for tag\(s\) "piano", "rare"/);
  });

  it('uses a given tag list and refuses unknown tags', () => {
    expect(readMtat({ root, tags: ['piano'] }).clips.map((c) => c.labels.length)).toEqual([0, 1, 1, 0, 1, 0]);
    expect(() => readMtat({ root, tags: ['kazoo'] })).toThrow(/kazoo/);
  });

  it('keeps the conventional MTAT top-50 order when the chosen 50 are MTAT\'s', () => {
    const reversed = [...MTAT_TOP50].reverse();
    const on = reversed.map((_, k) => (k < 50 ? 1 : 0));
    const rowsOn = [Uint8Array.from(on), Uint8Array.from(on)];
    expect(chooseTags(reversed, rowsOn, 50)).toEqual(MTAT_TOP50);
    expect(chooseTags(['x', 'y'], [Uint8Array.from([1, 1]), Uint8Array.from([0, 1])], 50)).toEqual(['y', 'x']);
  });

  it('names the expected layout when pointed at the wrong folder', () => {
    expect(() => readMtat({ root: tmp.dir })).toThrow(/annotations_final\.csv.*mp3_path/);
    expect(() => readMtat({ root: join(tmp.dir, 'nope') })).toThrow(/expected MagnaTagATune layout/);
  });
});

describe('MTG-Jamendo reader', () => {
  const root = join(tmp.dir, 'jamendo');
  const header = 'TRACK_ID\tARTIST_ID\tALBUM_ID\tPATH\tDURATION\tTAGS';
  const splitDir = join(root, 'data/splits/split-0');
  put(join(splitDir, 'autotagging-train.tsv'), [header,
    'track_0000214\tartist_000014\talbum_000031\t14/214.mp3\t124.6\tgenre---punkrock',
    'track_0000215\tartist_000014\talbum_000031\t15/215.mp3\t100.0\tgenre---rock\tinstrument---guitar\tgenre---punkrock',
  ].join('\n') + '\n');
  put(join(splitDir, 'autotagging-validation.tsv'), [header, 'track_0000300\ta\tb\t00/300.mp3\t30\tgenre---rock'].join('\n') + '\n');
  put(join(splitDir, 'autotagging-test.tsv'), [header, 'track_0000400\ta\tb\t00/400.mp3\t30\tinstrument---guitar\tmood/theme---happy'].join('\n') + '\n');

  it('reads the split files with tags as extra TAB fields', () => {
    const ds = readJamendo({ root });
    expect(ds.tags).toEqual(['genre---punkrock', 'genre---rock', 'instrument---guitar']);
    expect(ds.clips.map((c) => [c.id, c.split, c.labels])).toEqual([
      ['track_0000214', 'train', [0]],
      ['track_0000215', 'train', [0, 1, 2]],
      ['track_0000300', 'valid', [1]],
      ['track_0000400', 'test', [2]],
    ]);
    expect(ds.clips[0].path).toBe(join(root, '14/214.mp3'));
    expect(ds.warnings.join('\n')).toMatch(/valid split: no positive example for tag\(s\) "genre---punkrock", "instrument---guitar"/);
  });

  it('names the expected layout when pointed at the wrong folder', () => {
    expect(() => readJamendo({ root: tmp.dir })).toThrow(/expected MTG-Jamendo layout: .*split-N/);
    expect(() => readJamendo({ root, splitIndex: 3 })).toThrow(/split-3 not found/);
  });
});

describe('noise set reader', () => {
  it('reads a MUSAN tree with a seeded deterministic split', () => {
    const root = join(tmp.dir, 'musan');
    for (const part of ['noise/free-sound', 'noise/sound-bible', 'speech/librivox', 'music/jamendo']) {
      for (let i = 0; i < 20; i++) put(join(root, part, `${part.replace('/', '-')}-${String(i).padStart(4, '0')}.wav`), wav());
    }
    const a = readNoiseSet({ root, seed: 1, include: ['noise'] });
    expect(a.clips.length).toBe(40);
    expect(new Set(a.clips.map((c) => c.relPath.split('/')[0]))).toEqual(new Set(['noise']));
    expect(a.tags).toEqual(['noise/free-sound', 'noise/sound-bible']);
    const b = readNoiseSet({ root, seed: 1, include: ['noise'] });
    expect(b.clips.map((c) => c.split)).toEqual(a.clips.map((c) => c.split));
    const c = readNoiseSet({ root, seed: 2, include: ['noise'] });
    expect(c.clips.map((x) => x.split)).not.toEqual(a.clips.map((x) => x.split));
    const trainShare = a.clips.filter((x) => x.split === 'train').length / a.clips.length;
    expect(trainShare).toBeGreaterThan(0.6);
    expect(trainShare).toBeLessThan(0.95);
  });

  it('labels AudioSet-style clips from a *_segments.csv', () => {
    const root = join(tmp.dir, 'audioset');
    put(join(root, 'eval_segments.csv'), [
      '# Segments csv created Sun Mar  5 10:54:25 2017',
      '# num_ytids=2, num_segs=2, num_unique_labels=3, num_positive_labels=3',
      '# YTID, start_seconds, end_seconds, positive_labels',
      '--4gqARaEJE, 0.000, 10.000, "/m/068hy,/m/07q6cd_"',
      '-0RWZT-miFs, 420.000, 430.000, "/m/03v3yw"',
    ].join('\n'));
    put(join(root, '--4gqARaEJE_0.000.wav'), wav());
    put(join(root, '-0RWZT-miFs.wav'), wav());
    const ds = readNoiseSet({ root });
    expect(ds.tags).toEqual(['/m/068hy', '/m/07q6cd_', '/m/03v3yw']);
    expect(ds.clips.map((c) => c.labels)).toEqual([[0, 1], [2]]);
  });

  it('names the expected layout when the folder holds no audio', () => {
    const empty = join(tmp.dir, 'empty-noise');
    mkdirSync(empty, { recursive: true });
    expect(() => readNoiseSet({ root: empty })).toThrow(/no audio files.*MUSAN/);
  });
});
