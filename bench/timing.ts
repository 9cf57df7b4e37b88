// Timing helpers: warm up, then the median of several timed repetitions;
// or several measurements taken in turn, for comparing them.

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
  return { ms: median(times), reps: times.length };
}

export function gflops(flop: number, ms: number): number {
  return flop / (ms * 1e6);
}

export function row(cells: (string | number)[]): string {
  return cells.map((c) => (typeof c === 'number' ? c.toFixed(c >= 100 ? 0 : 2) : c)).join(' | ');
}

export const median = (a: readonly number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

/**
 * Each measurement `reps` times, in rounds that visit all of them in ABBA order
 * (A B, B A, A B, …), so a change in the machine's speed falls on each alike;
 * times[j][i] is measurement j's value in round i, so rounds pair them
 * (pairedRatio). Each measurement returns its own time in ms.
 */
export async function interleaved(measurements: (() => Promise<number>)[], reps: number): Promise<number[][]> {
  const times: number[][] = measurements.map(() => []);
  for (let i = 0; i < reps; i++) {
    const order = measurements.map((_, j) => j);
    if (i % 2 === 1) order.reverse();
    for (const j of order) times[j].push(await measurements[j]());
  }
  return times;
}
