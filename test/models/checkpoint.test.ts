// Stage checkpoints of real models: a bit-exact round trip after training has
// moved weights and BatchNorm state, PyTorch CLMR-layout files loading into the
// feature extractor, and clear refusals of files made for another model.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Tensor, backward, mean, tidy } from '../../src/autograd/index.js';
import { loadModules, readSafetensors, saveModules } from '../../src/nn/checkpoint.js';
import { Adam, Random } from '../../src/nn/index.js';
import { decodeSafetensors, encodeSafetensors, loadStateDict } from '../../src/nn/safetensors.js';
import { FeatureExtractor, type ModelSet, buildModels, checkpointModules, clmrSampleCnn, disposeModels, scaledModelConfig, scaledSampleCnn } from '../../src/models/index.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { seeded } from '../helpers/check.js';

const { ctx } = await primaryAdapter();
const dir = mkdtempSync(join(tmpdir(), 'models-ckpt-'));
const cfg = scaledModelConfig(4, 16);

/** One Adam step through encoder, DC and LP, so every weight, running stat and counter moves away from init. */
function trainStep(set: ModelSet): void {
  const fe = set.featureExtractor!;
  const params = [fe, set.domainClassifier!, set.labelPredictor!].flatMap((m) => m.parameters());
  const opt = new Adam(params, { lr: 1e-2 });
  const rand = seeded(3);
  tidy(() => {
    const x = Tensor.fromData(ctx, Float32Array.from({ length: 4 * cfg.sampleCnn.inputLength }, () => rand() - 0.5), [4, cfg.sampleCnn.inputLength]);
    const h = fe.embed(x);
    const loss = mean(set.labelPredictor!.forward(h));
    const d = mean(set.domainClassifier!.forward(h));
    backward(loss);
    backward(d);
    opt.step();
  });
  opt.dispose();
}

async function bytesOf(m: ReturnType<typeof checkpointModules>): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const [prefix, mod] of Object.entries(m)) for (const [n, t] of mod.stateEntries(prefix)) out.set(n, new Uint8Array((await t.read()).buffer.slice(0)));
  return out;
}

describe('stage checkpoints', () => {
  test('write, read, and every byte of every tensor is back, with the metadata', async () => {
    const a = buildModels(ctx, cfg, 'finetune', new Random(1));
    trainStep(a);
    const path = join(dir, 'stage3.safetensors');
    await saveModules(path, checkpointModules(a), { modelConfig: cfg, tags: ['a', 'b'], sampleRate: cfg.sampleRate, stage: 'finetune', step: 7 });
    const file = readSafetensors(path);
    expect(file.tensors.get('sequential.0.1.num_batches_tracked')).toMatchObject({ dtype: 'I64', shape: [] });
    expect(file.tensors.get('sequential.0.1.num_batches_tracked')!.data[0]).toBe(1);
    expect(file.tensors.has('domain_classifier.1.running_var')).toBe(true);
    expect(file.tensors.has('label_predictor.2.bias')).toBe(true);

    const b = buildModels(ctx, cfg, 'finetune', new Random(99));
    const before = await bytesOf(checkpointModules(b));
    const meta = loadModules(path, checkpointModules(b));
    expect(meta).toMatchObject({ modelConfig: cfg, tags: ['a', 'b'], sampleRate: 22050, stage: 'finetune', step: 7 });
    const want = await bytesOf(checkpointModules(a));
    const got = await bytesOf(checkpointModules(b));
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    let changed = 0;
    for (const [n, bytes] of want) {
      expect(got.get(n), n).toEqual(bytes);
      if (!before.get(n)!.every((v, i) => v === bytes[i])) changed++;
    }
    // The comparison means something only if loading changed the second model.
    expect(changed).toBeGreaterThan(want.size / 2);
    disposeModels(a);
    disposeModels(b);
  });

  test('a checkpoint of another configuration is refused, naming the file and the tensor', async () => {
    const small = buildModels(ctx, cfg, 'pretrain', new Random(1));
    const path = join(dir, 'small.safetensors');
    await saveModules(path, checkpointModules(small));
    const wider = buildModels(ctx, scaledModelConfig(4, 8), 'pretrain', new Random(1));
    expect(() => loadModules(path, checkpointModules(wider))).toThrow(/small\.safetensors: tensor "domain_classifier\.0\.bias" has shape \[16\] but the model expects \[32\].*another model configuration/);
    const deeper = buildModels(ctx, scaledModelConfig(5, 16), 'pretrain', new Random(1));
    const dcBefore = await deeper.domainClassifier!.parameters()[0].read();
    expect(() => loadModules(path, checkpointModules(deeper))).toThrow(/small\.safetensors: tensor "sequential\.3\.0\.bias" has shape \[32\] but the model expects \[16\]/);
    // The domain classifier's tensors fit, but nothing was loaded because the encoder's did not.
    expect(await deeper.domainClassifier!.parameters()[0].read()).toEqual(dcBefore);
    // Truncated on disk: the loader says so before touching the model.
    writeFileSync(path, readFileSync(path).subarray(0, 2000));
    expect(() => loadModules(path, checkpointModules(small))).toThrow(/small\.safetensors: .*truncated/);
    for (const s of [small, wider, deeper]) disposeModels(s);
  });

  test('a PyTorch CLMR-layout file (encoder. prefix, I64 counters) loads into the feature extractor', async () => {
    const fcfg = { ...cfg, sampleCnn: { ...scaledSampleCnn(4, 16, clmrSampleCnn()) } };
    const src = new FeatureExtractor(ctx, fcfg, new Random(5));
    // Build the file as torch would name it: SimCLR's `encoder.` wrapper, F32 weights, I64 num_batches_tracked = 42.
    const tensors: Parameters<typeof encodeSafetensors>[0] = {};
    for (const [n, t] of src.stateEntries()) {
      const isCounter = n.endsWith('num_batches_tracked');
      tensors[n.startsWith('sequential.') ? `encoder.${n}` : n] = { shape: t.shape, data: isCounter ? Float32Array.of(42) : Float32Array.from(await t.read()), dtype: isCounter ? 'I64' : 'F32' };
    }
    const path = join(dir, 'clmr.safetensors');
    writeFileSync(path, encodeSafetensors(tensors, { source: 'torch' }));
    const file = readSafetensors(path);
    const fe = new FeatureExtractor(ctx, fcfg, new Random(6));
    // Without stripping, strict loading points at the prefix.
    expect(() => loadStateDict(fe, file.tensors, { source: path })).toThrow(/unexpected 35 tensor\(s\): "encoder\.sequential\.0\.0\.bias".*names carry a wrapper prefix "encoder\."/);
    const stripped = new Map([...file.tensors].map(([n, e]) => [n.replace(/^encoder\./, ''), e]));
    expect(loadStateDict(fe, stripped, { source: path }).length).toBe(src.stateEntries().length);
    for (const [[n, a], [, b]] of src.stateEntries().map((e, i) => [e, fe.stateEntries()[i]]) as [[string, Tensor], [string, Tensor]][]) {
      if (n.endsWith('num_batches_tracked')) expect(await b.item()).toBe(42);
      else expect(await b.read(), n).toEqual(await a.read());
    }
    // A thesis-layout (1x1 last conv) model refuses CLMR's kernel-3 weights.
    const thesis = new FeatureExtractor(ctx, cfg, new Random(6));
    expect(() => loadStateDict(thesis, stripped, { source: path })).toThrow(/tensor "sequential\.4\.0\.weight" has shape \[32, 32, 3\] but the model expects \[32, 32, 1\]/);
    expect(decodeSafetensors(readFileSync(path)).metadata.source).toBe('torch');
    for (const m of [src, fe, thesis]) m.dispose();
  });
});
