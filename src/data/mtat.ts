// MagnaTagATune reader: annotations_final.csv, the standard folder split, the
// conventional 50-tag vocabulary.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDelimited } from './delimited.js';
import { reportEmptyTags } from './types.js';
import type { ClipRecord, DatasetListing, Split } from './types.js';

/**
 * The canonical MagnaTagATune top-50 tag list, in the order published results
 * (CLMR, sota-music-tagging-models, musicnn) index their outputs by: the 50
 * most frequent tags of the full annotations as first used by Dieleman &
 * Schrauwen 2014. Data, not computed, so that a subset or a re-split of MTAT
 * still names its outputs like every published model does.
 */
export const MTAT_TOP50 = [
  'guitar', 'classical', 'slow', 'techno', 'strings', 'drums', 'electronic', 'rock', 'fast', 'piano',
  'ambient', 'beat', 'violin', 'vocal', 'synth', 'female', 'indian', 'opera', 'male', 'singing',
  'vocals', 'no vocals', 'harpsichord', 'loud', 'quiet', 'flute', 'woman', 'male vocal', 'no vocal', 'pop',
  'soft', 'sitar', 'solo', 'man', 'classic', 'choir', 'voice', 'new age', 'dance', 'male voice',
  'female vocal', 'beats', 'harp', 'cello', 'no voice', 'weird', 'country', 'metal', 'female voice', 'choral',
];

/** Clips whose audio is known to be broken; every MTAT paper drops them. */
export const MTAT_BROKEN_CLIP_IDS = new Set(['35644', '55753', '57881']);

export const MTAT_LAYOUT =
  'expected MagnaTagATune layout: <root>/annotations_final.csv (TAB separated, quoted: clip_id, tag columns, mp3_path) ' +
  'and audio at <root>/<mp3_path> or <root>/mp3/<mp3_path> (folders 0-9, a-f)';

export interface MtatOptions {
  /** Folder holding annotations_final.csv. */
  root: string;
  /** Folder the mp3_path column is relative to; found automatically when omitted. */
  audioDir?: string;
  /**
   * Explicit tag list; 'canonical' for MTAT_TOP50 (tags absent from the CSV or
   * without a positive training example are excluded, with a warning); default:
   * the `topN` most frequent tags of the training split.
   */
  tags?: string[] | 'canonical';
  topN?: number;
}

/** Standard split by the first folder of mp3_path: 0-b train, c valid, d-f test. */
export function mtatSplitOf(mp3Path: string): Split | null {
  const folder = mp3Path.split('/')[0].toLowerCase();
  if (folder.length !== 1) return null;
  if ('0123456789ab'.includes(folder)) return 'train';
  if (folder === 'c') return 'valid';
  if ('def'.includes(folder)) return 'test';
  return null;
}

export function readMtat(opts: MtatOptions): DatasetListing {
  const { root } = opts;
  const csvPath = join(root, 'annotations_final.csv');
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`MTAT: ${root} is not a folder; ${MTAT_LAYOUT}`);
  if (!existsSync(csvPath)) throw new Error(`MTAT: ${csvPath} not found; ${MTAT_LAYOUT}`);
  const rows = parseDelimited(readFileSync(csvPath, 'utf8'), '\t');
  const header = rows[0] ?? [];
  const idCol = header.indexOf('clip_id');
  const pathCol = header.indexOf('mp3_path');
  if (idCol < 0 || pathCol < 0 || header.length < 3) {
    throw new Error(`MTAT: ${csvPath} has no clip_id/mp3_path header columns; ${MTAT_LAYOUT}`);
  }
  const tagCols = header.map((_, i) => i).filter((i) => i !== idCol && i !== pathCol);
  const allTags = tagCols.map((i) => header[i].trim());
  const dupTag = allTags.find((t, i) => allTags.indexOf(t) !== i);
  if (dupTag !== undefined) throw new Error(`MTAT: ${csvPath} has the tag column "${dupTag}" ${allTags.filter((t) => t === dupTag).length} times; every tag column must be distinct`);
  const audioDir = opts.audioDir ?? findAudioDir(root, rows.slice(1).map((r) => r[pathCol]));
  const warnings: string[] = [];

  interface Row { id: string; mp3: string; split: Split; on: Uint8Array }
  const parsed: Row[] = [];
  const seen = new Map<string, Row>();
  const duplicates: string[] = [];
  const badValues: string[] = [];
  let broken = 0;
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (row.length !== header.length) {
      warnings.push(`row ${r + 1}: ${row.length} fields, header has ${header.length}; row dropped`);
      continue;
    }
    const id = row[idCol].trim();
    if (MTAT_BROKEN_CLIP_IDS.has(id)) {
      broken++;
      continue;
    }
    const mp3 = row[pathCol].trim();
    const split = mtatSplitOf(mp3);
    if (!split) {
      warnings.push(`clip ${id}: mp3_path ${JSON.stringify(mp3)} is not in a folder 0-9/a-f; row dropped`);
      continue;
    }
    const on = new Uint8Array(tagCols.length);
    tagCols.forEach((c, k) => {
      // 0/1, also written as 0.0/1.0 by spreadsheet exports; anything else is a broken file, not a negative.
      const text = row[c].trim();
      const v = text === '' ? NaN : Number(text);
      if (v === 1) on[k] = 1;
      else if (v !== 0) badValues.push(`row ${r + 1} column "${allTags[k]}": ${JSON.stringify(row[c])}`);
    });
    const row0 = { id, mp3, split, on };
    const earlier = seen.get(mp3);
    if (earlier) {
      duplicates.push(earlier.id === id && earlier.on.every((x, i) => x === on[i]) ? `clip ${id}` : `clip ${id} (labels differ from the first row of ${mp3}; the first is kept)`);
      continue;
    }
    seen.set(mp3, row0);
    parsed.push(row0);
  }
  if (badValues.length) {
    throw new Error(`MTAT: ${csvPath}: ${badValues.length} tag value(s) are not 0 or 1, e.g. ${badValues.slice(0, 3).join('; ')}; fix the file (tag columns hold 0 or 1)`);
  }
  if (duplicates.length) warnings.push(`${csvPath}: dropped ${duplicates.length} duplicate row(s) of audio files already listed: ${duplicates.slice(0, 5).join(', ')}${duplicates.length > 5 ? ', …' : ''}`);
  if (broken > 0) warnings.push(`dropped ${broken} known-broken clip(s) (${[...MTAT_BROKEN_CLIP_IDS].join(', ')})`);

  const trainRows = parsed.filter((p) => p.split === 'train').map((p) => p.on);
  let tags: string[];
  if (opts.tags === 'canonical') {
    tags = canonicalTags(allTags, trainRows, warnings);
  } else {
    tags = opts.tags ?? chooseTags(allTags, trainRows, opts.topN ?? 50);
    const dup = tags.find((t, i) => tags.indexOf(t) !== i);
    if (dup !== undefined) throw new Error(`MTAT: the tag list names "${dup}" twice; every tag must be distinct`);
  }
  if (tags.length === 0) throw new Error(`MTAT: ${csvPath}: no tag of the list has a positive example in the training split (${trainRows.length} training clips); check the tag columns, or choose tags with --tags or --top`);
  const colOf = tags.map((t) => {
    const k = allTags.indexOf(t);
    if (k < 0) throw new Error(`MTAT: tag ${JSON.stringify(t)} is not a column of ${csvPath}`);
    return k;
  });
  const clips: ClipRecord[] = parsed.map((p) => ({
    id: p.id,
    path: join(audioDir, p.mp3),
    relPath: p.mp3,
    split: p.split,
    labels: colOf.flatMap((k, i) => (p.on[k] ? [i] : [])),
  }));
  warnings.push(...reportEmptyTags(tags, clips));
  return { kind: 'mtat', root, tags, clips, warnings };
}

/**
 * The topN most frequent tags of the training rows. When they are exactly
 * MTAT's conventional 50, the conventional order is kept so that tag indices
 * match published models; otherwise most frequent first, ties by column order.
 */
export function chooseTags(allTags: string[], trainRows: Uint8Array[], topN: number): string[] {
  const counts = allTags.map((_, k) => trainRows.reduce((s, on) => s + on[k], 0));
  const order = allTags.map((_, k) => k).filter((k) => counts[k] > 0).sort((a, b) => counts[b] - counts[a] || a - b);
  const chosen = order.slice(0, topN).map((k) => allTags[k]);
  const chosenSet = new Set(chosen);
  if (chosen.length === MTAT_TOP50.length && MTAT_TOP50.every((t) => chosenSet.has(t))) return [...MTAT_TOP50];
  return chosen;
}

/** MTAT_TOP50 minus the tags this CSV lacks or never marks in training, each exclusion reported. */
function canonicalTags(allTags: string[], trainRows: Uint8Array[], warnings: string[]): string[] {
  const missing = MTAT_TOP50.filter((t) => !allTags.includes(t));
  const empty = MTAT_TOP50.filter((t) => allTags.includes(t) && !trainRows.some((on) => on[allTags.indexOf(t)]));
  if (missing.length) warnings.push(`canonical MTAT top-50: excluded ${missing.length} tag(s) that are not columns of annotations_final.csv: ${missing.join(', ')}`);
  if (empty.length) warnings.push(`canonical MTAT top-50: excluded ${empty.length} tag(s) with no positive example in the training split: ${empty.join(', ')}`);
  return MTAT_TOP50.filter((t) => !missing.includes(t) && !empty.includes(t));
}

function findAudioDir(root: string, mp3Paths: string[]): string {
  const sample = mp3Paths.find((p) => p && p.trim());
  if (!sample) return root;
  for (const dir of [root, join(root, 'mp3'), join(root, 'audio')]) if (existsSync(join(dir, sample.trim()))) return dir;
  return root;
}
