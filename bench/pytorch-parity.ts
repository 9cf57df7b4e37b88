// Full-size correctness beside PyTorch: one training step of the thesis
// SampleCNN (dropout 0) in robust-tagger on this adapter and in PyTorch eager
// (CPU, float32 and float64) from the same weights and batch. For each group of
// tensors it prints the largest relative error of ours and of PyTorch's float32
// step, both against the float64 step: float32 itself is only so close (max-pool
// near-ties route gradients differently), so the two columns are the comparison.
// The test suite checks ours against PyTorch float32 at test size
// (test/models/pytorchParity.test.ts); this is for thesis size and a real GPU,
// where the kernels take paths the test shapes do not.
import type { GpuContext } from '../src/gpu/context.js';
import { defaultModelConfig } from '../src/models/index.js';
import { findTorchPython } from '../test/helpers/pytorch.js';
import { type StepPair, adamError, gradError, relativeError, stepBesidePytorch } from '../test/helpers/pytorchParity.js';

const LR = 1e-3;

interface Side {
  logits: Float32Array;
  evalLogits: Float32Array;
  loss: Float32Array;
  grad(n: string): Float32Array;
  buffer(n: string): Float32Array;
  after(n: string): Float32Array;
}

function worst(names: Iterable<string>, f: (n: string) => number): string {
  let at = '';
  let e = -1;
  for (const n of names) {
    const v = f(n);
    if (v > e) [e, at] = [v, n];
  }
  return `${e.toExponential(2)} ${at}`;
}

function rows(pair: StepPair, side: Side): string[] {
  const { ours } = pair;
  const ref = (n: string): Float32Array => pair.torch(`f64.${n}`);
  return [
    `${relativeError(side.logits, ref('logits')).toExponential(2)} / ${relativeError(side.evalLogits, ref('eval_logits')).toExponential(2)} / ${relativeError(side.loss, ref('loss')).toExponential(2)}`,
    worst(ours.grads.keys(), (n) => gradError(pair, n, side.grad(n), 'f64.')),
    worst(ours.buffers.keys(), (n) => relativeError(side.buffer(n), ref(`state.${n}`))),
    worst(ours.after.keys(), (n) => adamError(pair, n, LR, side.after(n), side.grad(n), 'f64.').updated),
  ];
}

export async function benchPytorchParity(ctx: GpuContext, batch: number): Promise<string> {
  const torch = findTorchPython();
  if (torch.python === null) return `pytorch parity: not measured (${torch.reason})`;
  const cfg = { ...defaultModelConfig().sampleCnn, dropout: 0 };
  const pair = await stepBesidePytorch(ctx, torch.python, cfg, batch, LR, { float64: true });
  const { ours } = pair;
  const mine = rows(pair, { ...ours, grad: (n) => ours.grads.get(n)!, buffer: (n) => ours.buffers.get(n)!, after: (n) => ours.after.get(n)! });
  const theirs = rows(pair, {
    logits: pair.torch('logits'), evalLogits: pair.torch('eval_logits'), loss: pair.torch('loss'),
    grad: (n) => pair.torch(`grad.${n}`), buffer: (n) => pair.torch(`state.${n}`), after: (n) => pair.torch(`state.${n}`),
  });
  const labels = ['logits / eval logits / loss', 'gradients (worst)', 'running statistics', 'after Adam'];
  const lines = [`pytorch parity, thesis SampleCNN b${batch} × ${cfg.inputLength}: largest error relative to PyTorch ${torch.version}'s float64 step (CPU)`];
  lines.push(`  ${''.padEnd(28)} ${'ours (this adapter)'.padEnd(44)} PyTorch float32 (CPU)`);
  labels.forEach((l, i) => lines.push(`  ${l.padEnd(28)} ${mine[i].padEnd(44)} ${theirs[i]}`));
  return lines.join('\n');
}
