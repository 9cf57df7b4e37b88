// Recursive, sorted listing of audio files: sorted so that every run (and
// every machine) sees the same order, which seeded splits and sampling need.
import { readdirSync } from 'node:fs';
import { join, relative, extname, sep } from 'node:path';
import { AUDIO_EXTENSIONS } from './decode.js';

export function listAudioFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && AUDIO_EXTENSIONS.includes(extname(e.name).toLowerCase())) out.push(p);
    }
  };
  walk(root);
  return out;
}

/** Relative path with forward slashes, so keys and hashes match across OSes. */
export function relKey(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
