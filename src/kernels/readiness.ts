// GPU readiness measured without a GPU: per kernel entry point of one step,
// how many dispatches, how many invocations each, the longest loop of one
// invocation and the variant that ran, from GpuContext.dispatchLog. A dispatch
// with more than 10 MFLOP of work spread over fewer than 32k invocations cannot
// fill a large GPU (an H100 holds ~270k resident threads): it is flagged, since
// the software adapters, where such serial shapes win, hide the problem.
import type { DispatchRecord } from '../gpu/context.js';
import { OPTIONAL_SHADERS, SHADERS } from './registry.js';

export const HOSTILE_MAX_INVOCATIONS = 32 * 1024;
export const HOSTILE_MIN_FLOP = 10e6;

/** Threads per workgroup of `entry`: its @workgroup_size; names are override constants (from the dispatch, else their defaults) or consts. */
export function workgroupThreads(source: string, entry: string, overrides: Record<string, number> = {}): number {
  const m = new RegExp(`@workgroup_size\\(([^)]*)\\)\\s*fn\\s+${entry}\\s*\\(`).exec(source);
  if (!m) throw new Error(`no @workgroup_size for ${entry}`);
  return m[1].split(',').map((d) => d.trim()).filter(Boolean).reduce((acc, d) => {
    if (/^\d+u?$/.test(d)) return acc * parseInt(d, 10);
    const value = overrides[d] ?? Number(new RegExp(`(?:override|const)\\s+${d}\\s*:\\s*u32\\s*=\\s*(\\d+)u?`).exec(source)?.[1]);
    if (!Number.isFinite(value)) throw new Error(`${entry}: workgroup size ${d} unknown`);
    return acc * value;
  }, 1);
}

interface Row {
  kernel: string;
  variant: string;
  dispatches: number;
  minInvocations: number;
  maxInvocations: number;
  maxLoops: number | undefined;
  flop: number;
  hostile: number;
}

export function readinessRows(log: readonly DispatchRecord[]): Row[] {
  const sources = new Map([...SHADERS, ...OPTIONAL_SHADERS].map((s) => [s.name, s.source]));
  const rows = new Map<string, Row>();
  for (const d of log) {
    const [shader, entry] = d.kernel.split(':');
    const source = sources.get(shader);
    let invocations = NaN;
    try {
      if (source) invocations = d.workgroups * workgroupThreads(source, entry, d.overrides);
    } catch {
      // A workgroup size this reader cannot evaluate: shown as '?', never flagged.
    }
    const key = `${d.kernel} ${d.variant ?? ''}`;
    const r = rows.get(key) ?? { kernel: d.kernel, variant: d.variant ?? '—', dispatches: 0, minInvocations: Infinity, maxInvocations: 0, maxLoops: undefined, flop: 0, hostile: 0 };
    r.dispatches++;
    r.minInvocations = Math.min(r.minInvocations, invocations);
    r.maxInvocations = Math.max(r.maxInvocations, invocations);
    if (d.loops !== undefined) r.maxLoops = Math.max(r.maxLoops ?? 0, d.loops);
    r.flop += d.flop ?? 0;
    if ((d.flop ?? 0) > HOSTILE_MIN_FLOP && invocations < HOSTILE_MAX_INVOCATIONS) r.hostile++;
    rows.set(key, r);
  }
  return [...rows.values()].sort((a, b) => b.flop - a.flop || a.kernel.localeCompare(b.kernel));
}

const count = (n: number): string => (Number.isNaN(n) ? '?' : n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(0)}k` : String(n));

export function formatReadiness(log: readonly DispatchRecord[]): string {
  const rows = readinessRows(log);
  const lines = [
    `GPU readiness: ${log.length} dispatches; '!' = dispatches with > ${HOSTILE_MIN_FLOP / 1e6} MFLOP over < ${HOSTILE_MAX_INVOCATIONS / 1024}k invocations`,
    `${'entry point'.padEnd(44)} ${'variant'.padEnd(36)} ${'disp'.padStart(5)} ${'invocations/dispatch'.padStart(20)} ${'max loop'.padStart(9)} ${'GFLOP'.padStart(7)}  flag`,
  ];
  for (const r of rows) {
    const inv = r.minInvocations === r.maxInvocations ? count(r.maxInvocations) : `${count(r.minInvocations)}–${count(r.maxInvocations)}`;
    lines.push(`${r.kernel.padEnd(44)} ${r.variant.padEnd(36)} ${String(r.dispatches).padStart(5)} ${inv.padStart(20)} ${(r.maxLoops === undefined ? '—' : count(r.maxLoops)).padStart(9)} ${(r.flop / 1e9).toFixed(2).padStart(7)}  ${r.hostile ? `! ${r.hostile} GPU-hostile` : ''}`);
  }
  const hostile = rows.reduce((s, r) => s + r.hostile, 0);
  lines.push(hostile ? `${hostile} GPU-hostile dispatches (on a GPU the tuner should pick another candidate for them; see the variant column)` : 'no GPU-hostile dispatches');
  return lines.join('\n');
}
