// `grid --status`: the queue's view of a grid in a few lines.
import type { GridStatus } from './queue.js';

/** The job's last progress report (its text starts with the job id), or that it has not reported yet. */
function progressText(id: string, p: unknown): string {
  const q = (typeof p === 'object' && p !== null ? p : {}) as { text?: string; host?: string; pid?: number };
  return `${q.text ?? `${id}: starting`}${q.host ? ` (on ${q.host}, pid ${q.pid})` : ''}`;
}

export function formatGridStatus(s: GridStatus, queueName: string): string {
  if (s.total === null) return `queue "${queueName}": no grid (no report job); enqueue one with robust-tagger grid --spec FILE --queue URL`;
  const c = s.counts;
  const waiting = (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0);
  const known = s.jobs.length;
  const lines = [
    `grid "${s.name}" on queue "${queueName}": ${c.completed ?? 0} of ${s.total} jobs done, ${c.active ?? 0} running, ${waiting} waiting for a worker, ` +
      `${c['waiting-children'] ?? 0} waiting for their runs, ${c.failed ?? 0} failed; ${s.total - known} not queued yet (added when the stage they start from finishes).`,
  ];
  for (const j of s.jobs.filter((x) => x.state === 'active')) lines.push(`  running  ${progressText(j.id, j.progress)}${j.attempts > 1 ? ` (attempt ${j.attempts})` : ''}`);
  for (const j of s.jobs.filter((x) => x.state === 'failed')) lines.push(`  failed   ${j.id} after ${j.attempts} attempt${j.attempts === 1 ? '' : 's'}: ${j.failedReason}`);
  const report = s.jobs.find((j) => j.id === 'report');
  if (report?.state === 'completed') lines.push('  finished: the tables are in <runs>/report/tables.md');
  return lines.join('\n');
}
