// Files that could not be used are skipped, never fatal: one bad MP3 must not
// stop a 25,000-clip preparation run. Each skip is logged with its path and
// reason and counted for the run summary.

export interface SkippedFile {
  path: string;
  reason: string;
}

export class SkipLog {
  readonly skipped: SkippedFile[] = [];

  constructor(private readonly log: (line: string) => void = (l) => console.warn(l)) {}

  add(path: string, reason: string): void {
    this.skipped.push({ path, reason });
    this.log(`skipped ${path}: ${reason}`);
  }

  get count(): number {
    return this.skipped.length;
  }

  /** Counts by reason, e.g. "2 skipped (1 empty file, 1 corrupt mp3: ...)". */
  summary(): string {
    if (this.skipped.length === 0) return '0 skipped';
    const byReason = new Map<string, number>();
    for (const s of this.skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
    const parts = [...byReason].map(([r, n]) => `${n} ${r}`);
    return `${this.skipped.length} skipped (${parts.join('; ')})`;
  }
}
