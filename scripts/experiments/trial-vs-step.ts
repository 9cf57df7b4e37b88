// Why the tuner's pick for conv1d.gradInput at bench (a)'s shape (N 8, 128 →
// 128 channels, L 2187, K 3) loses inside the step: the tuner times each
// candidate alone on the same operands, one after another; the step runs it
// between other kernels on other data (bench (a) times that, tuned against
// hand choices). This times k3-storage against k3-uniform two ways,
// interleaved (ABBA…), wall time to onSubmittedWorkDone:
//   hot   — the tuner's way: the same operands run after run;
//   cold  — a 64 MiB buffer is copied between runs (evicting the CPU caches a
//           software adapter runs in), not timed.
// Build and run:
//   node scripts/build.mjs scripts/experiments/trial-vs-step.ts
//   EGL_PLATFORM=surfaceless node dist/trial-vs-step.js [--backend opengl] [--reps 12]
import { parseArgs } from 'node:util';
import { getDevice } from '../../src/gpu/device.js';
import { parseBackend } from '../../src/gpu/backend.js';
import { CONV1D_GRAD_INPUT } from '../../src/kernels/conv1d.js';
import type { Conv1dGeometry } from '../../src/kernels/conv1d.js';

const { values } = parseArgs({ options: { backend: { type: 'string' }, reps: { type: 'string' } } });
const reps = Number(values.reps ?? 12);
const ctx = await getDevice({ backend: parseBackend(values.backend, '--backend'), tune: 'off' });
const g: Conv1dGeometry = { N: 8, Cin: 128, L: 2187, Cout: 128, K: 3, stride: 1, padding: 1 };
const trial = CONV1D_GRAD_INPUT.trial(ctx, g);
const names = ['k3-storage', 'k3-uniform'];
const candidate = (n: string) => CONV1D_GRAD_INPUT.candidates.find((c) => c.name === n)!;
const big = ctx.storage.acquire(64 << 20, true);
const big2 = ctx.storage.acquire(64 << 20, true);

async function timed(run: () => void): Promise<number> {
  await ctx.sync();
  const t0 = performance.now();
  run();
  await ctx.sync();
  return performance.now() - t0;
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

for (const mode of ['hot', 'cold'] as const) {
  const ms: Record<string, number[]> = { 'k3-storage': [], 'k3-uniform': [] };
  for (const n of names) await timed(() => candidate(n).run(ctx, g, trial.args)); // compile
  for (let i = 0; i < reps; i++) {
    for (const n of i % 2 ? [...names].reverse() : names) {
      if (mode === 'cold') {
        ctx.copy(big, 0, big2, 0, 64 << 20);
        await ctx.sync();
      }
      ms[n].push(await timed(() => candidate(n).run(ctx, g, trial.args)));
    }
  }
  console.log(`${mode}: ${names.map((n) => `${n} median ${median(ms[n]).toFixed(1)} ms (${Math.min(...ms[n]).toFixed(1)}–${Math.max(...ms[n]).toFixed(1)})`).join('; ')}`);
}
trial.dispose();
ctx.destroy();
