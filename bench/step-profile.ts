// Where the time of step (b) goes: every dispatch of one training step is
// recorded, then each is replayed alone (submitted and waited for, several
// times, the cost of an empty submit-and-wait subtracted) and the times are
// summed per kernel entry point. The replays read whatever the pool's buffers
// hold by then, which changes no kernel's amount of work.
import type { DispatchArgs, GpuContext } from '../src/gpu/context.js';
import type { Shader } from '../src/gpu/shader.js';
import { Tensor } from '../src/autograd/index.js';
import { buildModels } from '../src/models/index.js';
import { Adam, Random } from '../src/nn/index.js';
import { STEP_BATCH, stepConfig, supervisedStep } from './samplecnn-step.js';

interface Recorded {
  shader: Shader;
  entry: string;
  args: DispatchArgs;
}

async function waitMs(ctx: GpuContext, run: () => void, reps: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    run();
    await ctx.sync();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function profileStep(ctx: GpuContext, reps = 5): Promise<string> {
  const cfg = stepConfig();
  const model = buildModels(ctx, cfg, 'supervised', new Random(1)).supervised!;
  model.train();
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const L = cfg.sampleCnn.inputLength;
  const x = Tensor.fromData(ctx, Float32Array.from({ length: STEP_BATCH * L }, (_, i) => Math.sin(i * 0.37)), [STEP_BATCH, L]);
  const y = Tensor.fromData(ctx, Float32Array.from({ length: STEP_BATCH * cfg.sampleCnn.numClasses }, (_, i) => i % 3 === 0 ? 1 : 0), [STEP_BATCH, cfg.sampleCnn.numClasses]);
  (await supervisedStep(model, opt, x, y).read()); // warm: pipelines compiled, pool filled

  const recorded: Recorded[] = [];
  const dispatch = ctx.dispatch.bind(ctx);
  ctx.dispatch = (shader, entry, args) => {
    recorded.push({ shader, entry, args });
    dispatch(shader, entry, args);
  };
  const t0 = performance.now();
  const loss = supervisedStep(model, opt, x, y);
  await loss.read();
  const stepMs = performance.now() - t0;
  ctx.dispatch = dispatch;

  const empty = await waitMs(ctx, () => {}, reps);
  const perEntry = new Map<string, { ms: number; count: number }>();
  for (const r of recorded) {
    const ms = Math.max(0, (await waitMs(ctx, () => dispatch(r.shader, r.entry, r.args), reps)) - empty);
    const key = `${r.shader.name}:${r.entry}`;
    const e = perEntry.get(key) ?? { ms: 0, count: 0 };
    e.ms += ms;
    e.count++;
    perEntry.set(key, e);
  }
  loss.dispose();
  x.dispose();
  y.dispose();
  model.dispose();
  opt.dispose();

  const rows = [...perEntry].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, [, e]) => s + e.ms, 0);
  const lines = [`step (b): ${stepMs.toFixed(1)} ms in one submit chain, ${recorded.length} dispatches; replayed alone they sum to ${total.toFixed(1)} ms (empty submit+wait ${empty.toFixed(2)} ms subtracted)`];
  for (const [key, e] of rows) lines.push(`  ${key.padEnd(44)} ${String(e.count).padStart(4)}×  ${e.ms.toFixed(1).padStart(8)} ms  ${((100 * e.ms) / total).toFixed(1).padStart(5)}%`);
  return lines.join('\n');
}
