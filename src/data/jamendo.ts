// MTG-Jamendo reader: the split TSVs of data/splits/split-N and the audio folder.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDelimited } from './delimited.js';
import { reportEmptyTags } from './types.js';
import type { ClipRecord, DatasetListing, Split } from './types.js';

export const JAMENDO_LAYOUT =
  'expected MTG-Jamendo layout: <root>/data/splits/split-N/autotagging[_top50tags|_genre|_instrument|_moodtheme]-{train,validation,test}.tsv ' +
  '(header TRACK_ID ARTIST_ID ALBUM_ID PATH DURATION TAGS, tags as extra TAB fields like genre---rock) and audio at <audioDir>/<PATH>';

export interface JamendoOptions {
  root: string;
  /** Folder PATH is relative to; default <root>/audio when it exists, else <root>. */
  audioDir?: string;
  /** split-N to use; default 0. */
  splitIndex?: number;
  /** File prefix; default autotagging_top50tags when present, else autotagging. */
  subset?: string;
  tags?: string[];
  topN?: number;
}

const FILE_SPLITS: [string, Split][] = [['train', 'train'], ['validation', 'valid'], ['test', 'test']];

export function readJamendo(opts: JamendoOptions): DatasetListing {
  const { root } = opts;
  const splitDir = join(root, 'data', 'splits', `split-${opts.splitIndex ?? 0}`);
  if (!existsSync(splitDir)) throw new Error(`MTG-Jamendo: ${splitDir} not found; ${JAMENDO_LAYOUT}`);
  const files = readdirSync(splitDir);
  const subset = opts.subset ?? (files.includes('autotagging_top50tags-train.tsv') ? 'autotagging_top50tags' : 'autotagging');
  const audioDir = opts.audioDir ?? (existsSync(join(root, 'audio')) ? join(root, 'audio') : root);
  const warnings: string[] = [];
  const rows: { id: string; path: string; split: Split; tags: string[] }[] = [];
  for (const [suffix, split] of FILE_SPLITS) {
    const file = join(splitDir, `${subset}-${suffix}.tsv`);
    if (!existsSync(file)) throw new Error(`MTG-Jamendo: ${file} not found; ${JAMENDO_LAYOUT}`);
    const table = parseDelimited(readFileSync(file, 'utf8'), '\t');
    const header = table[0]?.map((h) => h.trim()) ?? [];
    const want = ['TRACK_ID', 'ARTIST_ID', 'ALBUM_ID', 'PATH', 'DURATION', 'TAGS'];
    if (want.some((h, i) => header[i] !== h)) {
      throw new Error(`MTG-Jamendo: ${file} header is ${JSON.stringify(header.join(' '))}; ${JAMENDO_LAYOUT}`);
    }
    for (let r = 1; r < table.length; r++) {
      const row = table[r];
      if (row.length < 5 || !row[3]) {
        warnings.push(`${file} row ${r + 1}: too few fields; row dropped`);
        continue;
      }
      rows.push({ id: row[0].trim(), path: row[3].trim(), split, tags: row.slice(5).map((t) => t.trim()).filter(Boolean) });
    }
  }
  let tags = opts.tags;
  if (!tags) {
    const counts = new Map<string, number>();
    for (const r of rows) if (r.split === 'train') for (const t of r.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
    tags = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, opts.topN ?? 50).map(([t]) => t);
  }
  const index = new Map(tags.map((t, i) => [t, i]));
  const clips: ClipRecord[] = rows.map((r) => ({
    id: r.id,
    path: join(audioDir, r.path),
    relPath: r.path,
    split: r.split,
    labels: [...new Set(r.tags.flatMap((t) => (index.has(t) ? [index.get(t)!] : [])))].sort((a, b) => a - b),
  }));
  warnings.push(...reportEmptyTags(tags, clips));
  return { kind: 'jamendo', root, tags, clips, warnings };
}
