// Evaluation progress on stderr: redrawn in place on a terminal; in a log
// (CI, a pipe) one line per finished cell instead of thousands of \r updates.
import { type EvalProgress, formatProgress } from '../eval/evaluate.js';

export function writeEvalProgress(p: EvalProgress): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${formatProgress(p)}   `);
  else if (p.clipsDone === p.clipsTotal) process.stderr.write(`${formatProgress(p)}\n`);
}
