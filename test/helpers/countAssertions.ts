// Counts the expect() calls of each test file, so a refactoring of the suite can
// show it kept its coverage (issue 14: "the number of assertions does not drop").
// Loaded as a vitest setup file only when ROBUST_TAGGER_COUNT_ASSERTIONS names an
// output file (see vitest.config.ts); scripts/count-assertions.mjs runs it and
// sums the lines. One JSON line per test file and project is appended:
// { file, project, tests, assertions }.
// expect.getState().assertionCalls is vitest's own per-test counter (reset before
// each try, read by expect.assertions()); it counts expect(...) and expect.soft(...),
// not expect.fail(...), which only ever fails.
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import { afterAll, afterEach, expect } from 'vitest';

const out = process.env.ROBUST_TAGGER_COUNT_ASSERTIONS;
if (!out) throw new Error('test/helpers/countAssertions.ts is loaded only with ROBUST_TAGGER_COUNT_ASSERTIONS=<output file> (see vitest.config.ts)');

let tests = 0;
let assertions = 0;
let file = '';
let project = '';

afterEach((ctx) => {
  tests++;
  assertions += expect.getState().assertionCalls;
  file = relative(process.cwd(), ctx.task.file.filepath);
  project = ctx.task.file.projectName ?? '';
});

afterAll(() => {
  if (tests > 0) appendFileSync(out, `${JSON.stringify({ file, project, tests, assertions })}\n`);
});
