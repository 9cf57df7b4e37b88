// Noise sets: any folder of audio files (MUSAN's musan/{noise,speech,music}/
// <source>/*.wav tree, AudioSet-style clips with *_segments.csv, or the demo's
// families). Files are split train/valid/test by a seeded hash of their
// relative path, so the split never changes when files are added or removed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { listAudioFiles, relKey } from './audioFiles.js';
import { parseDelimited } from './delimited.js';
import { hashString } from './rng.js';
import type { ClipRecord, DatasetListing, Split } from './types.js';

export const NOISE_LAYOUT =
  'expected a folder of audio files (.wav/.mp3/.flac/.ogg), e.g. MUSAN musan/{noise,speech,music}/<source>/*.wav, ' +
  'or AudioSet clips named <YTID>[_<start>].wav with an optional *_segments.csv';

export interface NoiseSetOptions {
  root: string;
  seed?: number;
  /** Fractions of files for train and valid; the rest is test. Default 0.8 / 0.1. */
  trainFraction?: number;
  validFraction?: number;
  /** Keep only files under these top-level folders (e.g. ['noise'] for MUSAN's noise part). */
  include?: string[];
}

export function noiseSplitOf(relPath: string, seed: number, trainFraction: number, validFraction: number): Split {
  const u = hashString(relPath, hashString(`noise-split:${seed}`)) / 4294967296;
  if (u < trainFraction) return 'train';
  if (u < trainFraction + validFraction) return 'valid';
  return 'test';
}

export function readNoiseSet(opts: NoiseSetOptions): DatasetListing {
  const { root } = opts;
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`noise set: ${root} is not a folder; ${NOISE_LAYOUT}`);
  let files = listAudioFiles(root);
  if (opts.include?.length) files = files.filter((f) => opts.include!.includes(relKey(root, f).split('/')[0]));
  if (files.length === 0) throw new Error(`noise set: no audio files under ${root}; ${NOISE_LAYOUT}`);
  const seed = opts.seed ?? 0;
  const trainF = opts.trainFraction ?? 0.8;
  const validF = opts.validFraction ?? 0.1;
  const segmentLabels = readSegmentLabels(root);
  const tags: string[] = [];
  const tagIndex = new Map<string, number>();
  const clips: ClipRecord[] = files.map((path) => {
    const rel = relKey(root, path);
    // Label: AudioSet labels by YTID when a segments file names the clip,
    // otherwise the clip's folder (MUSAN source, demo family).
    const stem = basename(path, extname(path));
    const ytLabels = segmentLabels.get(stem) ?? segmentLabels.get(stem.replace(/_[-\d.]+(_[-\d.]+)?$/, ''));
    const parts = rel.split('/');
    const names = ytLabels ?? [parts.length > 1 ? parts.slice(0, -1).join('/') : '(root)'];
    const labels = names.map((n) => {
      if (!tagIndex.has(n)) {
        tagIndex.set(n, tags.length);
        tags.push(n);
      }
      return tagIndex.get(n)!;
    });
    return { id: rel, path, relPath: rel, split: noiseSplitOf(rel, seed, trainF, validF), labels };
  });
  const warnings: string[] = [];
  for (const s of ['train', 'valid', 'test'] as const) {
    if (!clips.some((c) => c.split === s)) warnings.push(`noise set ${root}: no file fell in the ${s} split`);
  }
  return { kind: 'noise', root, tags, clips, warnings };
}

/** YTID -> labels from every *_segments.csv directly under root (AudioSet format). */
export function readSegmentLabels(root: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of readdirSync(root)) {
    if (!name.endsWith('_segments.csv')) continue;
    const lines = readFileSync(join(root, name), 'utf8').split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#'));
    for (const row of parseDelimited(lines.join('\n'), ',')) {
      if (row.length < 4) continue;
      const labels = row[3].split(',').map((s) => s.trim()).filter(Boolean);
      out.set(row[0].trim(), labels);
    }
  }
  return out;
}
