// The tuner (src/gpu/tuner.ts) on a real op: conv1d forward's candidates plus
// two planted ones, 'wrong' (writes zeros: must never win however fast) and
// 'slow' (the GEMM run 30 times: must lose to its own single run). Checks pins,
// modes, the agreement rule, the cache round trip through the Node file store
// in a temporary folder, and that a readback in 'full' mode tunes what was met.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GpuContext } from '../../src/gpu/context.js';
import { getDevice } from '../../src/gpu/device.js';
import { nodeTuneStore } from '../../src/gpu/node-gpu.js';
import { TUNE_MARGIN, type Tunable, Tuner, memoryTuneStore } from '../../src/gpu/tuner.js';
import { CONV1D_FORWARD, type Conv1dGeometry, conv1dForwardKernel } from '../../src/kernels/conv1d.js';
import { describeAdapters } from '../helpers/adapters.js';

type ForwardTunable = typeof CONV1D_FORWARD;
type Args = ForwardTunable extends Tunable<Conv1dGeometry, infer A> ? A : never;

const planted: Tunable<Conv1dGeometry, Args> = {
  ...CONV1D_FORWARD,
  op: 'test.conv1dForward',
  candidates: [
    ...CONV1D_FORWARD.candidates,
    { name: 'wrong', applies: () => true, run: (ctx, _g, a) => ctx.clear((a.out as GPUBuffer)) },
    { name: 'slow', applies: () => true, run: (ctx, g, a) => { for (let i = 0; i < 30; i++) CONV1D_FORWARD.candidates[2].run(ctx, g, a); } },
  ],
};

const G: Conv1dGeometry = { N: 2, Cin: 16, L: 300, Cout: 16, K: 3, stride: 1, padding: 1 };

async function context(): Promise<GpuContext> {
  process.env.EGL_PLATFORM ??= 'surfaceless';
  return getDevice({ backend: 'opengl', tune: 'off' });
}

describe('kernel tuner', () => {
  it('off: the first applicable candidate, nothing queued; a pin wins where it applies, else the default; unknown names throw', async () => {
    const ctx = await context();
    const t = new Tuner(ctx, 'k', memoryTuneStore(), { mode: 'off' });
    expect(t.choose(planted, G).name).toBe('k3-storage');
    expect(t.pendingCount).toBe(0);
    t.pin(planted.op, 'gemm');
    expect(t.choose(planted, G).name).toBe('gemm');
    // k3-uniform needs 16 output rows.
    const undo = t.pin(planted.op, 'k3-uniform');
    expect(t.choose(planted, { ...G, Cout: 4 }).name).toBe('k3-storage');
    undo();
    expect(t.choose(planted, G).name).toBe('gemm');
    t.pin(planted.op, 'no-such');
    expect(() => t.choose(planted, G)).toThrow(/no candidate named 'no-such'/);
    expect(t.chosenVariants()).toEqual({ 'test.conv1dForward 16->4 k3 s1 p1 cols~1024': 'k3-storage', 'test.conv1dForward 16->16 k3 s1 p1 cols~1024': 'gemm' });
    ctx.destroy();
  });

  it('tracing: the choices made while a run lasts, by (op, bucket), nested traces passing theirs outward', async () => {
    const ctx = await context();
    const t = new Tuner(ctx, 'k', memoryTuneStore(), { mode: 'off' });
    t.choose(planted, { ...G, Cout: 4 }); // before the trace: not in it
    const outer = await t.tracing(async () => {
      t.choose(planted, G);
      const inner = await t.tracing(async () => {
        const undo = t.pin(planted.op, 'gemm');
        t.choose(planted, { ...G, L: 5000 });
        undo();
        return 7;
      });
      expect(inner.result).toBe(7);
      expect([...inner.choices]).toEqual([['test.conv1dForward 16->16 k3 s1 p1 cols~16384', 'gemm']]);
    });
    expect(Object.fromEntries(outer.choices)).toEqual({ 'test.conv1dForward 16->16 k3 s1 p1 cols~1024': 'k3-storage', 'test.conv1dForward 16->16 k3 s1 p1 cols~16384': 'gemm' });
    ctx.destroy();
  });

  it('full: measures once, never picks a candidate that disagrees or the 30× one; cached mode reuses the file without measuring', async () => {
    const ctx = await context();
    const dir = mkdtempSync(join(tmpdir(), 'tuner-test-'));
    const store = nodeTuneStore({ ROBUST_TAGGER_CACHE_DIR: dir })!;
    const t = new Tuner(ctx, 'adapter-key', store, { mode: 'full', reps: 3 });
    expect(t.choose(planted, G).name, 'the default until measured').toBe('k3-storage');
    expect(t.pendingCount).toBe(1);
    const seen: string[] = [];
    await t.tunePending((p) => seen.push(`${p.index}/${p.total}`));
    expect(seen).toEqual(['0/1', '1/1']);
    const rec = Object.values(t.measured())[0];
    expect(Number.isNaN(rec.ms.wrong), 'zeros disagree with the default').toBe(true);
    expect(rec.ms.slow).toBeGreaterThan(rec.ms.gemm);
    expect(['k3-storage', 'k3-uniform', 'gemm']).toContain(rec.winner);
    // The fastest wins unless it is within TUNE_MARGIN of the default (k3-storage), which then stays.
    const fastest = Math.min(...Object.values(rec.ms).filter((v) => !Number.isNaN(v)));
    expect(rec.ms[rec.winner] === fastest || (rec.winner === 'k3-storage' && fastest >= TUNE_MARGIN * rec.ms['k3-storage'])).toBe(true);
    expect(t.choose(planted, G).name).toBe(rec.winner);
    const file = JSON.parse(readFileSync(join(dir, 'kernel-tuning.json'), 'utf8'));
    expect(file['adapter-key']['test.conv1dForward 16->16 k3 s1 p1 cols~1024'].winner).toBe(rec.winner);
    const again = new Tuner(ctx, 'adapter-key', nodeTuneStore({ ROBUST_TAGGER_CACHE_DIR: dir })!, { mode: 'cached' });
    expect(again.choose(planted, G).name).toBe(rec.winner);
    expect(again.pendingCount).toBe(0);
    expect(new Tuner(ctx, 'another-adapter', store, { mode: 'cached' }).choose(planted, G).name, 'keyed by adapter').toBe('k3-storage');
    ctx.destroy();
  });

  it('a candidate whose agreement check alone shows it over 3× the fastest is not run again', async () => {
    const ctx = await context();
    let hopelessRuns = 0;
    const busy = (ms: number): void => {
      const t0 = performance.now();
      while (performance.now() - t0 < ms);
    };
    const withHopeless: Tunable<Conv1dGeometry, Args> = {
      ...CONV1D_FORWARD,
      op: 'test.hopeless',
      candidates: [
        ...CONV1D_FORWARD.candidates,
        // Right, and 600 ms of recording per run: ~100× the others here.
        { name: 'hopeless', applies: () => true, run: (c, g, a) => { hopelessRuns++; busy(600); CONV1D_FORWARD.candidates[2].run(c, g, a); } },
      ],
    };
    // Compile every real candidate first, so the checks time runs, not compilation.
    const trial = CONV1D_FORWARD.trial(ctx, G);
    for (const c of CONV1D_FORWARD.candidates) if (c.applies(ctx, G)) c.run(ctx, G, trial.args);
    await ctx.sync();
    trial.dispose();
    const t = new Tuner(ctx, 'k', memoryTuneStore(), { mode: 'full', reps: 3, compileSlackMs: 0 });
    t.choose(withHopeless, G);
    const seconds: number[] = [];
    await t.tunePending((p) => p.seconds !== undefined && seconds.push(p.seconds));
    const rec = Object.values(t.measured())[0];
    expect(hopelessRuns, 'the agreement check only: no warm-up, no samples').toBe(1);
    expect(rec.ms.hopeless, 'its check time is what it is given').toBeGreaterThanOrEqual(600);
    expect(rec.winner).not.toBe('hopeless');
    expect(seconds).toHaveLength(1);
    expect(seconds[0]).toBeGreaterThanOrEqual(0.6);
    // With the default slack (2 s) a 600 ms candidate is not ruled out by its check; the warm-up rule drops it.
    hopelessRuns = 0;
    const lenient = new Tuner(ctx, 'k', memoryTuneStore(), { mode: 'full', reps: 3 });
    lenient.choose(withHopeless, G);
    await lenient.tunePending();
    expect(hopelessRuns, 'check and warm-up').toBe(2);
    ctx.destroy();
  });

  it('full mode on a context: the kernel met before a readback is tuned at that readback', async () => {
    const ctx = await getDevice({ backend: 'opengl', tune: 'full' });
    const buf = (n: number): GPUBuffer => ctx.storage.acquire(n * 4, false);
    const [x, w, out] = [buf(G.N * G.Cin * G.L), buf(G.Cout * G.Cin * 3), buf(G.N * G.Cout * G.L)];
    conv1dForwardKernel(ctx, G, x, w, null, out);
    expect(ctx.tuner.pendingCount).toBe(1);
    await ctx.read(out, 4);
    expect(ctx.tuner.pendingCount).toBe(0);
    expect(Object.keys(ctx.tuner.measured())).toEqual(['conv1d.forward 16->16 k3 s1 p1 cols~1024']);
    ctx.destroy();
  });
});

await describeAdapters('GPU timestamps', ({ ctx }) => {
  it('time the passes a run records where the device has timestamp-query, else say null', async () => {
    const buf = (n: number): GPUBuffer => ctx.storage.acquire(n * 4, false);
    const [x, w, out] = [buf(G.N * G.Cin * G.L), buf(G.Cout * G.Cin * 3), buf(G.N * G.Cout * G.L)];
    // A first run compiles the pipeline and warms the driver; timed, it can take longer than twenty warm ones.
    conv1dForwardKernel(ctx, G, x, w, null, out);
    await ctx.sync();
    const once = await ctx.timeGpu(() => conv1dForwardKernel(ctx, G, x, w, null, out));
    if (!ctx.device.features.has('timestamp-query')) {
      expect(once).toBeNull();
      console.info(`[tuner] ${ctx.adapter.description}: no timestamp-query; the tuner uses wall time`);
    } else {
      expect(once).toBeGreaterThan(0);
      // Twenty runs in one timing take longer than one (a timestamp that ignored the passes would not).
      const twenty = await ctx.timeGpu(() => { for (let i = 0; i < 20; i++) conv1dForwardKernel(ctx, G, x, w, null, out); });
      expect(twenty!).toBeGreaterThan(once!);
    }
    for (const b of [x, w, out]) ctx.storage.release(b);
  });
});
