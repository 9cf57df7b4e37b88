// Timing helpers: warm up, then the median of several timed repetitions.

export interface Timing {
  ms: number;
  reps: number;
}

export async function timeIt(run: () => Promise<void>, opts: { warmup?: number; reps?: number; maxMs?: number } = {}): Promise<Timing> {
  for (let i = 0; i < (opts.warmup ?? 1); i++) await run();
  const times: number[] = [];
  const deadline = performance.now() + (opts.maxMs ?? 60_000);
  for (let i = 0; i < (opts.reps ?? 5); i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
    if (performance.now() > deadline) break;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], reps: times.length };
}

export function gflops(flop: number, ms: number): number {
  return flop / (ms * 1e6);
}

export function row(cells: (string | number)[]): string {
  return cells.map((c) => (typeof c === 'number' ? c.toFixed(c >= 100 ? 0 : 2) : c)).join(' | ');
}
