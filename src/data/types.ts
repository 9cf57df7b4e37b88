// Records shared by the dataset readers, the cache and the batch loader.

export type Split = 'train' | 'valid' | 'test';
export const SPLITS: readonly Split[] = ['train', 'valid', 'test'];

/** One audio file of a dataset, before decoding. */
export interface ClipRecord {
  /** Stable id (MTAT clip_id, Jamendo TRACK_ID, or the relative path for noise). */
  id: string;
  /** Absolute path of the audio file. */
  path: string;
  /** Path relative to the dataset's audio folder: the cache key. */
  relPath: string;
  split: Split;
  /** Indices into the dataset's tag list of the tags that are on. */
  labels: number[];
}

export interface DatasetListing {
  kind: 'mtat' | 'jamendo' | 'noise';
  root: string;
  tags: string[];
  clips: ClipRecord[];
  /** Things a user should know (tags without positives in a split, dropped rows). */
  warnings: string[];
}

/** Warns about every tag that has no positive example in some split. */
export function reportEmptyTags(tags: string[], clips: ClipRecord[]): string[] {
  const warnings: string[] = [];
  for (const split of ['train', 'valid', 'test'] as const) {
    const inSplit = clips.filter((c) => c.split === split);
    if (inSplit.length === 0) continue;
    const counts = new Array<number>(tags.length).fill(0);
    for (const c of inSplit) for (const l of c.labels) counts[l]++;
    const empty = tags.filter((_, i) => counts[i] === 0);
    if (empty.length > 0) warnings.push(`${split} split: no positive example for tag(s) ${empty.map((t) => JSON.stringify(t)).join(', ')}`);
  }
  return warnings;
}
