// Reading a stage's log.jsonl back as series, and the chance levels its losses
// are judged against. Shared by the curves (eval) and the warnings (train);
// it lives here because train already imports eval (the demo), not the reverse.

/** A log.jsonl line as parsed: StepRecord fields, a note, or anything the stage added. */
export type LogRecord = Record<string, unknown>;

export interface SeriesPoint {
  step: number;
  value: number;
}

export const LN2 = Math.log(2);

/** NT-Xent of a model that cannot tell the positive from the 2B − 2 negatives. */
export function ntXentChance(batchSize: number): number {
  return Math.log(2 * batchSize - 1);
}

/** Parses log.jsonl text; blank and unparsable lines (a line cut by a crash) are skipped. */
export function parseLogJsonl(text: string): LogRecord[] {
  const out: LogRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r: unknown = JSON.parse(line);
      if (r && typeof r === 'object' && !Array.isArray(r)) out.push(r as LogRecord);
    } catch {
      // A half-written last line must not hide the rest of the run.
    }
  }
  return out;
}

/** The values of one field over the records that have it with a step; null/"NaN" entries are kept as NaN. */
export function series(records: readonly LogRecord[], field: string): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const r of records) {
    if (!(field in r) || typeof r.step !== 'number') continue;
    const v = r[field];
    // JSON writes NaN and ±Infinity as null, so null in a loss field means it was not finite.
    const value = typeof v === 'number' ? v : v === null || v === 'NaN' || v === 'Infinity' || v === '-Infinity' ? Number(v ?? NaN) : undefined;
    if (value !== undefined) out.push({ step: r.step, value });
  }
  return out;
}
