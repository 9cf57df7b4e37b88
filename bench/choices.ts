// Tuned kernel choices beside the hand choices (handChoices.ts) of one step:
// both are run once with the context's dispatch log on and the two logs are
// compared dispatch by dispatch (kernel entry point, variant, workgroups,
// override constants). Identical logs mean the two runs did the same GPU work
// through the same dispatch path (Tuner.choose is the only code that differs,
// a map lookup against a pin rule), so a time difference between them is
// measurement noise; otherwise the ops whose choices differ are named.
import type { DispatchRecord, GpuContext } from '../src/gpu/context.js';

export interface ChoiceComparison {
  dispatches: number;
  /** 'op=tuned vs hand' for each op whose candidate differs (empty: same choices). */
  differences: string[];
  /** Same kernels, variants, grids and overrides in the same order. */
  identical: boolean;
}

async function logOf(ctx: GpuContext, run: () => Promise<unknown>): Promise<DispatchRecord[]> {
  const before = ctx.dispatchLog;
  const log: DispatchRecord[] = [];
  ctx.dispatchLog = log;
  try {
    await run();
  } finally {
    ctx.dispatchLog = before;
  }
  return log;
}

const signature = (d: DispatchRecord): string => `${d.kernel} ${d.variant ?? ''} ${d.workgroups} ${JSON.stringify(d.overrides ?? {})}`;

export async function compareChoices(ctx: GpuContext, run: () => Promise<unknown>, byHand: <T>(f: () => Promise<T>) => Promise<T>): Promise<ChoiceComparison> {
  const tuned = await logOf(ctx, run);
  const hand = await byHand(() => logOf(ctx, run));
  const differences = new Set<string>();
  for (let i = 0; i < Math.max(tuned.length, hand.length); i++) {
    const [t, h] = [tuned[i]?.variant ?? '', hand[i]?.variant ?? ''];
    if (t !== h) differences.add(`${t || '(none)'} vs ${h.split('=')[1] ?? (h || '(none)')}`);
  }
  const identical = tuned.length === hand.length && tuned.every((d, i) => signature(d) === signature(hand[i]));
  if (!identical && differences.size === 0) differences.add('same variants, different grids or overrides');
  return { dispatches: tuned.length, differences: [...differences], identical };
}

/** One line for the bench report: whether the choices differ and what the time difference means. */
export function formatChoices(c: ChoiceComparison, tunedMs: number[], handMs: number[]): string {
  const range = (a: number[]): string => `${Math.min(...a).toFixed(1)}–${Math.max(...a).toFixed(1)} ms`;
  const spread = `runs: tuned ${range(tunedMs)}, hand ${range(handMs)}`;
  if (c.identical) return `tuned and hand choices are the same (${c.dispatches} identical dispatches): their time difference is measurement noise (${spread})`;
  return `tuned and hand choices differ: ${c.differences.join('; ')} (${spread})`;
}
