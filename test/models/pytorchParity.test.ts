// The same SampleCNN training step in robust-tagger (GPU) and in PyTorch eager
// (CPU), from the same weights exchanged as a safetensors file: an independent
// check of the CLMR state-dict names, of PyTorch's layer semantics (BatchNorm
// batch statistics, momentum-0.1 running mean and unbiased running variance,
// eval mode, MaxPool, BCE with logits) and of Adam's first step.
// Needs a Python with torch (CI installs Debian's python3-torch); without one
// the suite is skipped and says why.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Tensor, backward, bceWithLogits, noGrad } from '../../src/autograd/index.js';
import { readSafetensors, saveTensors } from '../../src/nn/checkpoint.js';
import { Adam, Random } from '../../src/nn/index.js';
import { moduleTensors } from '../../src/nn/safetensors.js';
import { SampleCNN, type SampleCnnConfig, scaledSampleCnn } from '../../src/models/index.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { expectClose, seeded } from '../helpers/check.js';
import { findTorchPython, pytorchStepScript, runPython } from '../helpers/pytorch.js';

const torch = findTorchPython();
if (torch.python === null) console.warn(`[pytorch parity] skipped: ${torch.reason}`);

// Tolerances, relative to the largest magnitude of the PyTorch tensor: both sides
// compute in f32 with different summation orders.
const TOL = { logits: 1e-4, grad: 1e-4, runningStats: 1e-5, params: 1e-5 };
const LR = 1e-3;
const BATCH = 4;
const isBiasBeforeBn = (name: string): boolean => /^sequential\.\d+\.0\.bias$/.test(name);

const CASES: [string, SampleCnnConfig][] = [
  ['thesis layout (1×1 last conv), 3^6 input, widths ÷16', { ...scaledSampleCnn(6, 16), numClasses: 10, dropout: 0 }],
  ['CLMR layout (kernel-3 last conv), 3^5 input, widths ÷32', { ...scaledSampleCnn(5, 32), lastKernel: 3, numClasses: 7, dropout: 0 }],
];

describe.skipIf(!torch.python)(`SampleCNN step equals PyTorch ${torch.python === null ? '' : torch.version}`, async () => {
  const { ctx } = await primaryAdapter();

  test.each(CASES)('%s', async (_name, cfg) => {
    const rand = seeded(42);
    const L = cfg.inputLength;
    const xData = Float32Array.from({ length: BATCH * L }, () => rand() * 2 - 1);
    const yData = Float32Array.from({ length: BATCH * cfg.numClasses }, () => (rand() < 0.3 ? 1 : 0));
    const model = new SampleCNN(ctx, cfg, new Random(7));
    const dir = mkdtempSync(join(tmpdir(), 'rt-torch-'));
    const inPath = join(dir, 'in.safetensors');
    const outPath = join(dir, 'out.safetensors');
    saveTensors(inPath, {
      ...(await moduleTensors(model)),
      'input.x': { shape: [BATCH, L], data: xData, dtype: 'F32' },
      'input.y': { shape: [BATCH, cfg.numClasses], data: yData, dtype: 'F32' },
    }, { model_config: JSON.stringify({ sampleCnn: cfg }), lr: String(LR) });
    runPython(torch.python!, pytorchStepScript(), ['parity', inPath, outPath]);
    const want = readSafetensors(outPath).tensors;
    const get = (name: string): Float32Array => {
      const e = want.get(name);
      if (!e) throw new Error(`PyTorch output has no tensor "${name}"`);
      return e.data;
    };

    const x = Tensor.fromData(ctx, xData, [BATCH, L]);
    const y = Tensor.fromData(ctx, yData, [BATCH, cfg.numClasses]);
    model.train();
    const logits = model.forward(x);
    const loss = bceWithLogits(logits, y);
    backward(loss);
    expectClose(await logits.read(), get('logits'), TOL.logits, 'logits');
    expectClose(await loss.read(), get('loss'), TOL.logits, 'loss');

    const params = model.namedParameters();
    const before = new Map<string, Float32Array>();
    const grads = new Map<string, Float32Array>();
    for (const [name, p] of params) {
      before.set(name, Float32Array.from(await p.read()));
      const g = Float32Array.from(await p.grad!.read());
      grads.set(name, g);
      // A conv bias feeding BatchNorm has a zero gradient in exact arithmetic (BN
      // subtracts the batch mean); both sides give rounding noise there, so it is
      // judged against the scale of its conv's weight gradient.
      if (isBiasBeforeBn(name)) {
        const wScale = Math.max(...get(`grad.${name.replace(/bias$/, 'weight')}`).map(Math.abs));
        const worst = Math.max(...g.map((v) => Math.abs(v)), ...get(`grad.${name}`).map(Math.abs));
        expect(worst / wScale, `grad.${name}: |grad| ${worst} vs weight-grad scale ${wScale}`).toBeLessThanOrEqual(TOL.grad);
      } else {
        expectClose(g, get(`grad.${name}`), TOL.grad, `grad.${name}`);
      }
    }

    model.eval();
    const evalLogits = noGrad(() => model.forward(x));
    expectClose(await evalLogits.read(), get('eval_logits'), TOL.logits, 'eval-mode logits (running statistics)');
    model.train();

    const opt = new Adam(model.parameters(), { lr: LR });
    opt.step();
    for (const [name, t] of model.namedBuffers()) {
      expectClose(await t.read(), get(`state.${name}`), TOL.runningStats, `state.${name}`);
    }
    // Adam's first step moves each parameter by lr·g/(|g| + eps) ≈ ±lr. Where the
    // gradient is rounding noise (|g| below 1e-3 of its tensor's largest) the sign
    // is arbitrary on both sides (all of a conv bias before BatchNorm): there only
    // the step size is checked.
    for (const [name, p] of params) {
      const after = await p.read();
      const torchAfter = get(`state.${name}`);
      const g = grads.get(name)!;
      const gScale = Math.max(...get(`grad.${name}`).map(Math.abs));
      const start = before.get(name)!;
      const settled: number[] = [];
      const settledTorch: number[] = [];
      for (let i = 0; i < after.length; i++) {
        expect(Math.abs(after[i] - start[i]), `state.${name}[${i}]: Adam step larger than lr`).toBeLessThanOrEqual(LR * (1 + 1e-3));
        if (!isBiasBeforeBn(name) && Math.abs(g[i]) >= 1e-3 * gScale) {
          settled.push(after[i]);
          settledTorch.push(torchAfter[i]);
        }
      }
      expectClose(settled, settledTorch, TOL.params, `state.${name} after Adam`);
    }
    for (const t of [x, y, logits, loss, evalLogits]) t.dispose();
    opt.dispose();
    model.dispose();
  });
});
