// Full-size correctness beside PyTorch: one training step of the thesis
// SampleCNN (dropout 0) in robust-tagger on this adapter and in PyTorch eager
// (CPU) from the same weights and batch, printed as the largest relative error
// of each group of tensors. The test suite checks the same at test size
// (test/models/pytorchParity.test.ts); this is for a real GPU, where the kernels
// take paths the software adapters never do.
import type { GpuContext } from '../src/gpu/context.js';
import { defaultModelConfig } from '../src/models/index.js';
import { findTorchPython } from '../test/helpers/pytorch.js';
import { adamError, gradError, relativeError, stepBesidePytorch } from '../test/helpers/pytorchParity.js';

const LR = 1e-3;

export async function benchPytorchParity(ctx: GpuContext, batch: number): Promise<string> {
  const torch = findTorchPython();
  if (torch.python === null) return `pytorch parity: not measured (${torch.reason})`;
  const cfg = { ...defaultModelConfig().sampleCnn, dropout: 0 };
  const pair = await stepBesidePytorch(ctx, torch.python, cfg, batch, LR);
  const { ours } = pair;
  const worst = (names: Iterable<string>, f: (n: string) => number): string => {
    let at = '';
    let e = -1;
    for (const n of names) {
      const v = f(n);
      if (v > e) [e, at] = [v, n];
    }
    return `${e.toExponential(2)} (${at})`;
  };
  const rows = [
    `pytorch parity, thesis SampleCNN b${batch} × ${cfg.inputLength}, PyTorch ${torch.version} CPU; largest error relative to PyTorch's largest value:`,
    `  logits ${relativeError(ours.logits, pair.torch('logits')).toExponential(2)}, loss ${relativeError(ours.loss, pair.torch('loss')).toExponential(2)}, eval logits ${relativeError(ours.evalLogits, pair.torch('eval_logits')).toExponential(2)}`,
    `  gradients ${worst(ours.grads.keys(), (n) => gradError(pair, n))}`,
    `  running statistics ${worst(ours.buffers.keys(), (n) => relativeError(ours.buffers.get(n)!, pair.torch(`state.${n}`)))}`,
    `  after Adam ${worst(ours.after.keys(), (n) => adamError(pair, n, LR).updated)}, largest step ${worst(ours.after.keys(), (n) => adamError(pair, n, LR).stepOverLr)} × lr`,
  ];
  return rows.join('\n');
}
