// docs/pytorch-conversion.md end to end: PyTorch writes a checkpoint shaped like
// CLMR's (plain state dict and Lightning .ckpt), scripts/convert_clmr_checkpoint.py
// turns it into safetensors, the FeatureExtractor loads it strictly with the
// config the converter inferred, and its eval-mode h and z equal PyTorch's.
// Needs a Python with torch; without one the suite is skipped and says why.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { Tensor, noGrad } from '../../src/autograd/index.js';
import { readSafetensors } from '../../src/nn/checkpoint.js';
import { Random } from '../../src/nn/index.js';
import { decodeMeta, loadStateDict } from '../../src/nn/safetensors.js';
import { FeatureExtractor, resolveModelConfig, scaledSampleCnn } from '../../src/models/index.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { expectClose } from '../helpers/check.js';
import { findTorchPython, runPython } from '../helpers/pytorch.js';

const torch = findTorchPython();
if (torch.python === null) console.warn(`[clmr conversion] skipped: ${torch.reason}`);

const script = (rel: string): string => fileURLToPath(new URL(rel, import.meta.url));
const CONVERTER = script('../../scripts/convert_clmr_checkpoint.py');
const FIXTURE = script('../fixtures/make_clmr_checkpoint.py');
/** f32 on both sides, different summation orders; relative to the largest PyTorch value. */
const TOL = 1e-4;

describe.skipIf(!torch.python)('a converted CLMR checkpoint loads and computes what PyTorch does', async () => {
  const { ctx } = await primaryAdapter();
  // CLMR's layout (kernel-3 last conv) at test size.
  const sampleCnn = { ...scaledSampleCnn(5, 32), lastKernel: 3 as const };

  test.each([['plain state dict (.pt)', false], ['Lightning checkpoint (.ckpt)', true]])('%s', async (_name, lightning) => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-clmr-'));
    const pt = join(dir, lightning ? 'epoch=9999.ckpt' : 'clmr_checkpoint.pt');
    const ref = join(dir, 'ref.safetensors');
    const out = join(dir, 'clmr.safetensors');
    runPython(torch.python!, FIXTURE, [JSON.stringify({ ...sampleCnn, projectorHidden: 16, projectorOut: 8 }), pt, ref, ...(lightning ? ['--lightning'] : [])]);
    const said = runPython(torch.python!, CONVERTER, [pt, out]);

    const file = readSafetensors(out);
    // Encoder blocks (conv weight, bias; BN weight, bias, running mean, var, count) and two projector weights; optimizer state dropped.
    expect(file.tensors.size).toBe((sampleCnn.blockChannels.length + 2) * 7 + 2);
    expect(said).toContain(`wrote ${file.tensors.size} tensors`);
    const meta = decodeMeta(file.metadata, out);
    expect(meta.stage).toBe('pretrain');
    const cfg = resolveModelConfig(meta.modelConfig);
    expect(cfg.sampleCnn).toMatchObject({ inputLength: 243, firstChannels: sampleCnn.firstChannels, blockChannels: sampleCnn.blockChannels, lastKernel: 3 });
    expect([cfg.projectorHidden, cfg.projectorOut]).toEqual([16, 8]);
    expect(file.tensors.get('sequential.0.1.num_batches_tracked')?.dtype).toBe('I64');

    const fe = new FeatureExtractor(ctx, cfg, new Random(1));
    const loaded = loadStateDict(fe, file.tensors, { source: out }); // strict: every name on both sides
    expect(loaded.length).toBe(file.tensors.size);
    fe.eval();
    const want = readSafetensors(ref).tensors;
    const xe = want.get('input.x')!;
    const x = Tensor.fromData(ctx, xe.data, xe.shape);
    const [h, z] = noGrad(() => {
      const hh = fe.encode(x);
      return [hh, fe.project(hh)];
    });
    expectClose(await h.read(), want.get('h')!.data, { ofMax: TOL }, 'encoder output h');
    expectClose(await z.read(), want.get('z')!.data, { ofMax: TOL }, 'projection z');
    for (const t of [x, h, z]) t.dispose();
    fe.dispose();
  });
});
