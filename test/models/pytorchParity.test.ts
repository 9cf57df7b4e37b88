// The same SampleCNN training step in robust-tagger (GPU) and in PyTorch eager
// (CPU), from the same weights exchanged as a safetensors file: an independent
// check of the CLMR state-dict names, of PyTorch's layer semantics (BatchNorm
// batch statistics, momentum-0.1 running mean and unbiased running variance,
// eval mode, MaxPool, BCE with logits) and of Adam's first step (see
// test/helpers/pytorchParity.ts for how near-zero gradients are judged).
// Needs a Python with torch (CI installs Debian's python3-torch); without one
// the suite is skipped and says why.
import { describe, expect, test } from 'vitest';
import { type SampleCnnConfig, scaledSampleCnn } from '../../src/models/index.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { expectClose } from '../helpers/check.js';
import { findTorchPython } from '../helpers/pytorch.js';
import { adamError, gradError, stepBesidePytorch } from '../helpers/pytorchParity.js';

const torch = findTorchPython();
if (torch.python === null) console.warn(`[pytorch parity] skipped: ${torch.reason}`);

// Tolerances, relative to the largest magnitude of the PyTorch tensor: both sides
// compute in f32 with different summation orders.
const TOL = { logits: 1e-4, grad: 1e-4, runningStats: 1e-5, params: 1e-5 };
const LR = 1e-3;
const BATCH = 4;

const CASES: [string, SampleCnnConfig][] = [
  ['thesis layout (1×1 last conv), 3^6 input, widths ÷16', { ...scaledSampleCnn(6, 16), numClasses: 10, dropout: 0 }],
  ['CLMR layout (kernel-3 last conv), 3^5 input, widths ÷32', { ...scaledSampleCnn(5, 32), lastKernel: 3, numClasses: 7, dropout: 0 }],
];

describe.skipIf(!torch.python)(`SampleCNN step equals PyTorch ${torch.python === null ? '' : torch.version}`, async () => {
  const { ctx } = await primaryAdapter();

  test.each(CASES)('%s', async (_name, cfg) => {
    const pair = await stepBesidePytorch(ctx, torch.python!, cfg, BATCH, LR);
    const { ours } = pair;
    expectClose(ours.logits, pair.torch('logits'), { ofMax: TOL.logits }, 'logits');
    expectClose(ours.loss, pair.torch('loss'), { ofMax: TOL.logits }, 'loss');
    for (const name of ours.grads.keys()) expect(gradError(pair, name), `grad.${name}`).toBeLessThanOrEqual(TOL.grad);
    expectClose(ours.evalLogits, pair.torch('eval_logits'), { ofMax: TOL.logits }, 'eval-mode logits (running statistics)');
    for (const [name, v] of ours.buffers) expectClose(v, pair.torch(`state.${name}`), { ofMax: TOL.runningStats }, `state.${name}`);
    for (const name of ours.after.keys()) {
      const e = adamError(pair, name, LR);
      expect(e.stepOverLr, `state.${name}: Adam step larger than lr`).toBeLessThanOrEqual(1 + 1e-3);
      expect(e.updated, `state.${name} after Adam`).toBeLessThanOrEqual(TOL.params);
    }
  });
});
