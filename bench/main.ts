// `npm run bench`: kernel and step benchmarks on the current adapter, each beside
// its JavaScript WebGPU peers measured in the same run, reported as ratios.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { parseBackend } from '../src/gpu/backend.js';
import { getDevice } from '../src/gpu/device.js';
import { SAMPLECNN_SHAPES, benchConv1dKernels, formatKernelRows, stepShapes } from './conv1d-kernels.js';
import { LAYER_FLOP, benchLayerJax, benchLayerOurs, benchLayerTf } from './conv1d-layer.js';
import type { PeerTiming } from './peers.js';
import { type BenchResult, benchMatmul } from './matmul.js';
import { STEP_BATCH, benchStepJax, benchStepOurs, benchStepTf, stepConfig } from './samplecnn-step.js';
import { benchStepTorch } from './pytorch-step.js';
import { profileStep } from './step-profile.js';
import { benchPytorchParity } from './pytorch-parity.js';
import { benchPytorchPinned } from './pytorch-pinned.js';
import { benchDataVsStep } from './data-vs-step.js';
import { benchThesisStep, convForwardFlop, formatThesisStep } from './thesis-step.js';
import { compareChoices, formatChoices } from './choices.js';
import { interleaved, median } from './timing.js';
import { handChoices } from './handChoices.js';
import { formatReadiness } from '../src/kernels/readiness.js';
import { defaultModelConfig, scaledModelConfig } from '../src/models/index.js';

function report(r: BenchResult): string {
  let line = `${r.name.padEnd(34)} ours ${r.ms.toFixed(1).padStart(9)} ms ${r.gflops.toFixed(2).padStart(7)} GFLOP/s`;
  if (r.peer && 'ms' in r.peer) {
    const { ratio } = r.peer;
    const ci = ratio.ci ? ` [${ratio.ci[0].toFixed(2)}, ${ratio.ci[1].toFixed(2)}]` : '';
    line += ` | ${r.peer.name} ${r.peer.ms.toFixed(1).padStart(9)} ms ${r.peer.gflops.toFixed(2).padStart(7)} GFLOP/s | speed-up ×${(r.peer.ms / r.ms).toFixed(2)} (medians); paired over ${ratio.n} runs ×${ratio.ratio.toFixed(2)}${ci}`;
  } else if (r.peer) {
    line += ` | ${r.peer.name}: not measured (${r.peer.error})`;
  }
  return line;
}

/** Peer time ÷ our time, said the way round it is. */
function speedUp(peerMs: number, oursMs: number): string {
  return peerMs >= oursMs ? `ours is ×${(peerMs / oursMs).toFixed(2)} faster` : `ours is ×${(oursMs / peerMs).toFixed(2)} slower`;
}

/** Ours beside each peer, as peer time ÷ our time (> 1: we are faster). */
function reportPeers(name: string | null, oursMs: number, peers: PeerTiming[], flop?: number): string {
  const rate = (ms: number): string => (flop ? ` ${(flop / (ms * 1e6)).toFixed(2).padStart(6)} GFLOP/s` : '');
  // name null: our own line was printed already (the peers' lines only).
  const lines = name === null ? [] : [`${name.padEnd(34)} ours ${oursMs.toFixed(1).padStart(9)} ms${rate(oursMs)}`];
  for (const p of peers) {
    if ('ms' in p) lines.push(`${''.padEnd(34)} ${p.name.padEnd(12)} ${p.ms.toFixed(1).padStart(9)} ms${rate(p.ms)} | ${speedUp(p.ms, oursMs)}`);
    else lines.push(`${''.padEnd(34)} ${p.name}: not measured (${p.error})`);
  }
  return lines.join('\n');
}

export async function runBench(argv: string[]): Promise<number> {
  // The device bundle (scripts/device/pack.sh) carries the tune command too: `bench.mjs tune …`.
  if (argv[0] === 'tune') return (await import('../src/cli/tune.js')).runTune(argv.slice(1));
  const { values } = parseArgs({
    args: argv,
    options: { backend: { type: 'string' }, only: { type: 'string' }, shapes: { type: 'string' }, reps: { type: 'string' }, batch: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log('usage: robust-tagger bench [--backend auto|vulkan|opengl|swiftshader] [--only matmul,conv1d-kernels,conv1d-layer,samplecnn-step,data,thesis-step,step-profile,pytorch-parity,pytorch-pinned] [--shapes step|TEXT] [--reps N] [--batch N (thesis-step: default 48; pytorch-parity: default 4)]');
    return 0;
  }
  // ROBUST_TAGGER_VARIANTS='{"conv1d.forward":"gemm"}': pinned kernel variants, for A/B runs.
  const variants = process.env.ROBUST_TAGGER_VARIANTS ? (JSON.parse(process.env.ROBUST_TAGGER_VARIANTS) as Record<string, string>) : undefined;
  const ctx = await getDevice({ backend: parseBackend(values.backend, '--backend'), variants });
  console.log(`adapter: ${ctx.adapter.backend} ${ctx.adapter.featureLevel} — ${ctx.adapter.description || ctx.adapter.device}; kernel tuning: ${ctx.tuner.mode}`);
  /** Runs `f` once so every shape it meets is tuned (mode full) before it is timed. */
  const settle = async (f: () => Promise<unknown>): Promise<void> => {
    if (ctx.tuner.mode === 'off') return;
    await f();
    await ctx.tuner.tunePending();
  };
  /**
   * Tuned and hand-chosen runs of one measurement, interleaved in ABBA order
   * (tuned, hand, hand, tuned, …) so a shared machine's changing load, and
   * whatever the run after a pin switch pays, fall on both alike; the median
   * of each, every run, and whether the two choices run the same dispatches
   * (bench/choices.ts). `f(1)` is one warm-up and one timed run.
   */
  const tunedVsHand = async (f: (reps: number) => Promise<number>): Promise<{ tuned: number; hand: number; note: string }> => {
    const tunedRun = async (): Promise<number> => {
      const ms = await f(1);
      Object.assign(tunedChoices, ctx.tuner.chosenVariants());
      return ms;
    };
    const [tuned, hand] = await interleaved([tunedRun, () => byHand(() => f(1))], reps);
    const choices = await compareChoices(ctx, () => f(0), byHand);
    return { tuned: median(tuned), hand: median(hand), note: formatChoices(choices, tuned, hand) };
  };
  /** What the tuned runs chose, taken after each tuned run: the hand-choice runs overwrite the tuner's record of the buckets they share. */
  const tunedChoices: Record<string, string> = {};
  /** The same measurement with the pre-tuner hand choices pinned (bench/handChoices.ts). */
  const byHand = async <T>(f: () => Promise<T>): Promise<T> => {
    const restore = ctx.configure({ variants: handChoices(ctx) });
    try {
      return await f();
    } finally {
      restore();
    }
  };
  const reps = values.reps ? Number(values.reps) : 5;
  const want = (name: string): boolean => !values.only || values.only.split(',').includes(name);
  console.log(`load average: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
  if (want('matmul')) {
    await settle(() => benchMatmul(ctx, 1));
    console.log(report(await benchMatmul(ctx, reps)));
  }
  if (want('conv1d-kernels')) {
    // --shapes step: the conv layers of (b); --shapes TEXT: the default shapes whose label contains TEXT.
    const shapes = values.shapes === 'step' ? stepShapes() : SAMPLECNN_SHAPES;
    const filter = values.shapes && values.shapes !== 'step' ? values.shapes : undefined;
    console.log(formatKernelRows(await benchConv1dKernels(ctx, Math.min(reps, 3), shapes, filter)));
  }
  if (want('conv1d-layer')) {
    await settle(() => benchLayerOurs(ctx, 1));
    const { tuned: ours, hand, note } = await tunedVsHand((r) => benchLayerOurs(ctx, r));
    const peers = [{ name: 'hand choices', ms: hand }, await benchLayerJax(ctx, reps), await benchLayerTf(ctx, reps)];
    console.log(reportPeers('(a) conv1d layer fwd+bwd', ours, peers, LAYER_FLOP));
    console.log(`${''.padEnd(34)} ${note}`);
  }
  if (want('samplecnn-step')) {
    await settle(() => benchStepOurs(ctx, 1));
    const { tuned, hand, note } = await tunedVsHand(async (r) => (await benchStepOurs(ctx, r)).ms);
    const ours = { ms: tuned, peakBytes: ctx.poolStats().peakBytes };
    // PyTorch runs on its own device (CUDA if it sees one, else these CPU cores), not on this adapter.
    const peers = [{ name: 'hand choices', ms: hand }, await benchStepJax(ctx, reps), await benchStepTf(ctx, reps), benchStepTorch(stepConfig().sampleCnn, STEP_BATCH, reps)];
    // GFLOP/s of the conv layers alone (forward, grad-input, grad-weight), for ours and the peers alike.
    console.log(reportPeers('(b) SampleCNN step (3^8, ÷4, b8)', ours.ms, peers, 3 * STEP_BATCH * convForwardFlop(stepConfig())));
    console.log(`${''.padEnd(34)} ${note}`);
    console.log(`${''.padEnd(34)} ours: peak pool memory ${(ours.peakBytes / 2 ** 20).toFixed(1)} MiB`);
  }
  // Only when named: a per-dispatch breakdown of (b), and full-size correctness beside PyTorch (not timings).
  const named = (name: string): boolean => values.only?.split(',').includes(name) ?? false;
  if (named('step-profile')) console.log(await profileStep(ctx, reps));
  // pytorch-parity: the free comparison and the mask-pinned one; pytorch-pinned: the second alone.
  if (named('pytorch-parity')) console.log(await benchPytorchParity(ctx, values.batch ? Number(values.batch) : 4));
  if (named('pytorch-parity') || named('pytorch-pinned')) console.log(await benchPytorchPinned(ctx, values.batch ? Number(values.batch) : 4));
  if (want('thesis-step')) {
    // A thesis-size step takes minutes on a software adapter: there it runs only when named.
    if (ctx.software && !named('thesis-step')) console.log('thesis SampleCNN step: skipped on a software adapter (minutes per step); run with --only thesis-step');
    else {
      const batch = values.batch ? Number(values.batch) : 48;
      if (!Number.isInteger(batch) || batch < 1) throw new Error(`--batch: a positive integer, got ${values.batch}`);
      const ours = await benchThesisStep(ctx, batch, ctx.software ? 1 : reps, ctx.software ? 0 : 1);
      console.log(formatThesisStep(ours));
      console.log(formatReadiness(ours.log));
      // The GPU target: within 2× of PyTorch's fp32 eager step on the same GPU.
      console.log(reportPeers(null, ours.ms, [benchStepTorch(defaultModelConfig().sampleCnn, batch, ctx.software ? 1 : reps, ctx.software ? 0 : 2)]));
    }
  }
  if (want('data')) {
    // Thesis size on a real GPU; the demo's model on a software adapter (a thesis step takes minutes there).
    console.log(await benchDataVsStep(ctx, ctx.software ? scaledModelConfig(9, 16) : defaultModelConfig(), reps));
  }
  console.log('kernel variants that ran (op bucket: candidate):');
  for (const [k, v] of Object.entries({ ...ctx.tuner.chosenVariants(), ...tunedChoices }).sort(([a], [b]) => a.localeCompare(b))) console.log(`  ${k}: ${v}`);
  console.log(`load average: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
  return 0;
}

// Run on its own only as bench.js/main.ts: bundled into dist/cli.js, import.meta.url is the CLI's too.
const isMain = import.meta.url === `file://${process.argv[1]}` && /(^|\/)(bench\.js|main\.ts)$/.test(process.argv[1] ?? '');
if (isMain) {
  runBench(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
