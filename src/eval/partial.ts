// Resuming an evaluation per cell: every finished (checkpoint, condition)
// cell's clip scores are appended as one JSON line to <out>/partial.jsonl,
// and a rerun takes the cells it finds there instead of scoring them again.
//
// A cell is keyed by the checkpoint's sha256 (not its path or display name:
// a retrained model must not reuse old scores) and by a settings key that
// hashes what else decides the scores (the caches' index files, the splits,
// the noise seed, k, the clip limit). Lines written under other settings are
// ignored, not deleted. An append cut short by a crash leaves a truncated
// last line, which is skipped: that cell is simply scored again.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ClipScores } from './grid.js';

export const PARTIAL_FILE = 'partial.jsonl';

interface PartialLine {
  settings: string;
  checkpoint: string;
  condition: string;
  /** For a reader of the file; lookups do not use them. */
  model: string;
  seed: number;
  clipIds: string[];
  tags: number;
  /** Float32 little-endian, base64. */
  scores: string;
  /** Uint8, base64. */
  labels: string;
}

/** A short stable hash of any JSON-able settings object. */
export function settingsKey(settings: unknown): string {
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16);
}

function cellKey(checkpoint: string, condition: string): string {
  return `${checkpoint}\u0000${condition}`;
}

export class PartialResults {
  private readonly cells = new Map<string, ClipScores>();
  /** Lines skipped on load: unreadable (a torn last write) or from other settings. */
  readonly skipped = { unreadable: 0, otherSettings: 0 };
  /** The file ends inside a torn line: the next append must start a new line, or it would be glued to the fragment. */
  private torn = false;

  constructor(
    readonly path: string,
    private readonly settings: string,
    opts: { load?: boolean } = {},
  ) {
    // load: false starts afresh (new cells are still appended for a later resume).
    if (!existsSync(path)) return;
    const content = readFileSync(path, 'utf8');
    this.torn = content.length > 0 && !content.endsWith('\n');
    if (opts.load === false) return;
    for (const text of content.split('\n')) {
      if (!text.trim()) continue;
      let line: PartialLine;
      try {
        line = JSON.parse(text) as PartialLine;
      } catch {
        this.skipped.unreadable++;
        continue;
      }
      if (line.settings !== settings) {
        this.skipped.otherSettings++;
        continue;
      }
      const bytes = Buffer.from(line.scores, 'base64');
      const scores = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      const labels = new Uint8Array(Buffer.from(line.labels, 'base64'));
      if (scores.length !== line.clipIds.length * line.tags || labels.length !== scores.length) {
        this.skipped.unreadable++;
        continue;
      }
      this.cells.set(cellKey(line.checkpoint, line.condition), { clipIds: line.clipIds, tags: line.tags, scores, labels });
    }
  }

  get size(): number {
    return this.cells.size;
  }

  get(checkpointSha256: string, condition: string): ClipScores | undefined {
    return this.cells.get(cellKey(checkpointSha256, condition));
  }

  /** Records a finished cell: in memory and, durably, as one appended line. */
  put(checkpointSha256: string, condition: string, meta: { model: string; seed: number }, s: ClipScores): void {
    const line: PartialLine = {
      settings: this.settings,
      checkpoint: checkpointSha256,
      condition,
      model: meta.model,
      seed: meta.seed,
      clipIds: s.clipIds,
      tags: s.tags,
      scores: Buffer.from(s.scores.buffer, s.scores.byteOffset, s.scores.byteLength).toString('base64'),
      labels: Buffer.from(s.labels.buffer, s.labels.byteOffset, s.labels.byteLength).toString('base64'),
    };
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, (this.torn ? '\n' : '') + JSON.stringify(line) + '\n');
    this.torn = false;
    this.cells.set(cellKey(checkpointSha256, condition), s);
  }
}
