#!/usr/bin/env node
// Runs vitest with test/helpers/countAssertions.ts and prints the number of
// assertions (expect calls) per test file, summed over the vitest projects the
// file ran in, then the total. Arguments go to `vitest run` (test files,
// --project, -t ...). `--json FILE` also writes the per-file totals as JSON, to
// compare two trees: node scripts/count-assertions.mjs --compare A.json B.json.
//   npm run test:count-assertions -- test/cnn/conv1d.test.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);

if (args[0] === '--compare') {
  const [a, b] = args.slice(1).map((f) => JSON.parse(readFileSync(f, 'utf8')));
  let ta = 0;
  let tb = 0;
  for (const file of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const x = a[file] ?? 0;
    const y = b[file] ?? 0;
    ta += x;
    tb += y;
    console.log(`${String(x).padStart(7)} → ${String(y).padStart(7)}  ${y < x ? 'DROP ' : '     '}${file}`);
  }
  console.log(`${String(ta).padStart(7)} → ${String(tb).padStart(7)}  total`);
  process.exit(tb < ta ? 1 : 0);
}

let jsonOut = null;
const jsonAt = args.indexOf('--json');
if (jsonAt >= 0) [, jsonOut] = args.splice(jsonAt, 2);

const lines = join(mkdtempSync(join(tmpdir(), 'robust-tagger-assertions-')), 'counts.jsonl');
const run = spawnSync('npx', ['vitest', 'run', ...args], {
  stdio: 'inherit',
  env: { ...process.env, ROBUST_TAGGER_COUNT_ASSERTIONS: lines, EGL_PLATFORM: process.env.EGL_PLATFORM ?? 'surfaceless' },
});
if (!existsSync(lines)) {
  console.error('count-assertions: no test file reported a count (did vitest find the files? is setupFiles in vitest.config.ts?)');
  process.exit(run.status || 1);
}
const perFile = {};
for (const line of readFileSync(lines, 'utf8').trim().split('\n')) {
  const r = JSON.parse(line);
  perFile[r.file] = (perFile[r.file] ?? 0) + r.assertions;
  console.log(`${String(r.assertions).padStart(7)} assertions in ${String(r.tests).padStart(3)} tests  ${r.file} [${r.project}]`);
}
const total = Object.values(perFile).reduce((a, b) => a + b, 0);
console.log(`${String(total).padStart(7)} assertions in ${Object.keys(perFile).length} files`);
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(perFile, null, 1)}\n`);
if (run.status !== 0) console.error(`count-assertions: vitest exited with ${run.status}; counts of failed tests are partial`);
process.exit(run.status ?? 1);
