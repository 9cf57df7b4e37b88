// What a worker reports to its job while a stage trains: the last step
// logged in the stage's log.jsonl, read from the file's end, skipping a line
// cut in half by a write in progress and lines without a step (notes, events).
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { lastLoggedStep } from '../../src/grid/runJob.js';

test('the last logged step of a training log', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'rt-progress-')), 'log.jsonl');
  expect(lastLoggedStep(path)).toBeNull();
  writeFileSync(path, '{"stage":"dat","note":"dat: resuming at step 2 of 6"}\n');
  expect(lastLoggedStep(path)).toBeNull();
  // Long enough that only the file's last 8 KiB are read.
  for (let step = 1; step <= 400; step++) appendFileSync(path, `${JSON.stringify({ stage: 'dat', step, epoch: 0, loss: 0.5, padding: 'x'.repeat(40) })}\n`);
  appendFileSync(path, '{"stage":"dat","kernels":{}}\n{"stage":"dat","step":401,"los');
  expect(lastLoggedStep(path)).toBe(400);
});
