// Tuned kernel choices beside the hand choices (handChoices.ts) of one step:
// both are run once, tracing the tuner's choice for each (op, shape bucket)
// and logging every dispatch. The choices are compared by (op, bucket), not by
// position: two candidates of one op may take different numbers of dispatches.
// Identical dispatch logs (kernel entry point, variant, workgroups, override
// constants) mean the two runs did the same GPU work through the same path
// (Tuner.choose is the only code that differs, a map lookup against a pin
// rule), so a time difference between them is measurement noise.
import type { DispatchRecord, GpuContext } from '../src/gpu/context.js';
import { pairedRatio } from '../src/eval/stats.js';

export interface ChoiceComparison {
  dispatches: number;
  /** 'op bucket: tuned vs hand' for each (op, bucket) whose candidate differs (empty: same choices). */
  differences: string[];
  /** Same kernels, variants, grids and overrides in the same order. */
  identical: boolean;
}

interface RunLog {
  dispatches: DispatchRecord[];
  choices: Map<string, string>;
}

async function logOf(ctx: GpuContext, run: () => Promise<unknown>): Promise<RunLog> {
  const before = ctx.dispatchLog;
  const dispatches: DispatchRecord[] = [];
  ctx.dispatchLog = dispatches;
  try {
    const { choices } = await ctx.tuner.tracing(run);
    return { dispatches, choices };
  } finally {
    ctx.dispatchLog = before;
  }
}

const signature = (d: DispatchRecord): string => `${d.kernel} ${d.variant ?? ''} ${d.workgroups} ${JSON.stringify(d.overrides ?? {})}`;

export async function compareChoices(ctx: GpuContext, run: () => Promise<unknown>, byHand: <T>(f: () => Promise<T>) => Promise<T>): Promise<ChoiceComparison> {
  const tuned = await logOf(ctx, run);
  const hand = await byHand(() => logOf(ctx, run));
  return compareLogs(tuned, hand);
}

/** The comparison of two traced runs. */
function compareLogs(tuned: RunLog, hand: RunLog): ChoiceComparison {
  const keys = [...new Set([...tuned.choices.keys(), ...hand.choices.keys()])].sort();
  const differences = keys
    .filter((k) => tuned.choices.get(k) !== hand.choices.get(k))
    .map((k) => `${k}: ${tuned.choices.get(k) ?? '(not met)'} vs ${hand.choices.get(k) ?? '(not met)'}`);
  const [t, h] = [tuned.dispatches, hand.dispatches];
  const identical = t.length === h.length && t.every((d, i) => signature(d) === signature(h[i]));
  if (!identical && differences.length === 0) differences.push('same choices, different grids or overrides');
  return { dispatches: t.length, differences, identical };
}

/**
 * One line for the bench report: whether the choices differ and what the time
 * difference means. tunedMs[i] and handMs[i] ran one after the other, so the
 * ratio is estimated from the pairs (pairedRatio); a difference whose 95%
 * interval holds 1 is called noise.
 */
export function formatChoices(c: ChoiceComparison, tunedMs: number[], handMs: number[]): string {
  const range = (a: number[]): string => `${Math.min(...a).toFixed(1)}–${Math.max(...a).toFixed(1)} ms`;
  const spread = `runs: tuned ${range(tunedMs)}, hand ${range(handMs)}`;
  const r = pairedRatio(tunedMs, handMs);
  const verdict = !r.ci ? 'one pair: no interval' : r.ci[0] > 1 ? 'tuned faster' : r.ci[1] < 1 ? 'tuned slower' : 'within noise';
  const paired = `hand ÷ tuned over ${r.n} pairs ×${r.ratio.toFixed(3)}${r.ci ? ` [${r.ci[0].toFixed(3)}, ${r.ci[1].toFixed(3)}]` : ''}: ${verdict}`;
  if (c.identical) return `tuned and hand choices are the same (${c.dispatches} identical dispatches): their time difference is measurement noise (${paired}; ${spread})`;
  return `tuned and hand choices differ: ${c.differences.join('; ')} (${paired}; ${spread})`;
}
