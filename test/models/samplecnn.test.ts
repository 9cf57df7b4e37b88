// SampleCNN and heads on the GPU: parameter counts against Table 3.1, PyTorch
// CLMR state-dict names, and forward + backward of a small network against the
// float64 reference of the whole network.
import { describe, expect, test } from 'vitest';
import { Tensor, backward, mul, sum, tidy } from '../../src/autograd/index.js';
import { Random } from '../../src/nn/index.js';
import {
  FeatureExtractor, SampleCNN, buildModels, checkpointModules, clmrSampleCnn, defaultModelConfig, disposeModels, headParams,
  planParams, sampleCnnPlan, scaledModelConfig, scaledSampleCnn, thesisSampleCnn,
} from '../../src/models/index.js';
import { summaryTable } from '../../src/cli/summary.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { expectClose, seeded } from '../helpers/check.js';
import { sampleCnnReference } from '../reference/samplecnn.js';

const { ctx } = await primaryAdapter();

/** The keys of CLMR's PyTorch SampleCNN state_dict, in PyTorch's order, written out from its module tree. */
function pytorchSampleCnnKeys(blocks: number): string[] {
  const keys: string[] = [];
  for (let i = 0; i < blocks; i++) {
    keys.push(`sequential.${i}.0.weight`, `sequential.${i}.0.bias`);
    for (const k of ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']) keys.push(`sequential.${i}.1.${k}`);
  }
  keys.push('fc.weight', 'fc.bias');
  return keys;
}

describe('parameter counts', () => {
  test('default SampleCNN built on the GPU: 1,869,874 trainable, equal to the summary table', () => {
    const m = new SampleCNN(ctx, thesisSampleCnn(), new Random(1));
    expect(m.parameterCount()).toBe(1_869_874);
    expect(m.parameterCount()).toBe(planParams(sampleCnnPlan(thesisSampleCnn())));
    expect(summaryTable(defaultModelConfig())).toContain(`Trainable parameters (supervised SampleCNN): ${(1_869_874).toLocaleString('en-US')}`);
    m.dispose();
  });

  test('CLMR variant (kernel-3 last conv): 2,394,162; scaled models match their plans', () => {
    const clmr = new SampleCNN(ctx, clmrSampleCnn(), new Random(1));
    expect(clmr.parameterCount()).toBe(2_394_162);
    expect(clmr.namedParameters().find(([n]) => n === 'sequential.10.0.weight')![1].shape).toEqual([512, 512, 3]);
    clmr.dispose();
    const small = scaledSampleCnn(6, 16);
    const m = new SampleCNN(ctx, small, new Random(1));
    expect(m.parameterCount()).toBe(planParams(sampleCnnPlan(small)));
    m.dispose();
  });

  test('heads and feature extractor match the config counts', () => {
    const cfg = defaultModelConfig();
    const set = buildModels(ctx, cfg, 'finetune', new Random(3));
    const h = headParams(cfg);
    expect(set.featureExtractor!.parameterCount()).toBe(1_869_874 - 25_650 + h.projector);
    expect(set.domainClassifier!.parameterCount()).toBe(h.domainClassifier);
    expect(set.labelPredictor!.parameterCount()).toBe(h.labelPredictor);
    disposeModels(set);
  });
});

describe('state-dict names', () => {
  test('default SampleCNN: the PyTorch CLMR key set', () => {
    const m = new SampleCNN(ctx, thesisSampleCnn(), new Random(1));
    const ours = m.stateEntries().map(([n]) => n);
    const theirs = pytorchSampleCnnKeys(11);
    expect(ours.length).toBe(79);
    expect(ours[0]).toBe('sequential.0.0.weight');
    expect(theirs.at(-1)).toBe('fc.bias');
    expect([...ours].sort()).toEqual([...theirs].sort());
    const shapes = new Map(m.stateEntries().map(([n, t]) => [n, t.shape]));
    expect(shapes.get('sequential.0.0.weight')).toEqual([128, 1, 3]);
    expect(shapes.get('sequential.10.1.num_batches_tracked')).toEqual([]);
    expect(shapes.get('fc.weight')).toEqual([50, 512]);
    m.dispose();
  });

  test('feature extractor: sequential.* and projector.{0,2}.weight, no fc; heads under their prefixes', () => {
    const set = buildModels(ctx, scaledModelConfig(4, 16), 'finetune', new Random(2));
    const fe = set.featureExtractor!.stateEntries().map(([n]) => n);
    expect(fe.filter((n) => n.startsWith('projector.'))).toEqual(['projector.0.weight', 'projector.2.weight']);
    expect(fe.filter((n) => !n.startsWith('projector.')).sort()).toEqual(pytorchSampleCnnKeys(5).filter((n) => !n.startsWith('fc.')).sort());
    expect(set.domainClassifier!.stateEntries().map(([n]) => n)).toEqual([
      '0.weight', '0.bias', '1.weight', '1.bias', '3.weight', '3.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked',
    ]);
    expect(set.labelPredictor!.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(Object.keys(checkpointModules(set))).toEqual(['', 'domain_classifier.', 'label_predictor.']);
    disposeModels(set);
  });

  test('stage "domain" freezes the feature extractor and puts it in eval mode', () => {
    const set = buildModels(ctx, scaledModelConfig(3, 16), 'domain', new Random(2));
    expect(set.featureExtractor!.parameters().every((p) => !p.requiresGrad)).toBe(true);
    expect(set.featureExtractor!.training).toBe(false);
    expect(set.domainClassifier!.parameters().every((p) => p.requiresGrad)).toBe(true);
    expect(set.labelPredictor).toBeUndefined();
    disposeModels(set);
  });
});

describe('small SampleCNN against the float64 reference', () => {
  test('3^6 input, widths ÷ 16, batch 4: logits, every parameter gradient and running stats within 1e-4', async () => {
    const cfg = { ...scaledSampleCnn(6, 16), numClasses: 5, dropout: 0 };
    const N = 4;
    const model = new SampleCNN(ctx, cfg, new Random(11));
    const rand = seeded(5);
    const x = Float32Array.from({ length: N * cfg.inputLength }, () => rand() * 2 - 1);
    const r = Float32Array.from({ length: N * cfg.numClasses }, () => rand() * 2 - 1);
    const params = new Map<string, Float64Array>();
    for (const [n, t] of model.stateEntries()) params.set(n, Float64Array.from(await t.read()));

    const xT = Tensor.fromData(ctx, x, [N, cfg.inputLength]);
    const rT = Tensor.fromData(ctx, r, [N, cfg.numClasses]);
    const logits = model.forward(xT);
    tidy(() => backward(sum(mul(logits, rT))));

    const ref = sampleCnnReference(cfg, params, Float64Array.from(x), N, Float64Array.from(r));
    expectClose(await logits.read(), ref.logits, { ofMax: 1e-4 }, 'logits');
    const grads = model.namedParameters();
    expect(grads.length).toBe(ref.grads.size);
    for (const [name, p] of grads) {
      expect(p.grad, `${name} got no gradient`).not.toBeNull();
      const got = await p.grad!.read();
      if (/^sequential\.\d+\.0\.bias$/.test(name)) {
        // A conv bias followed by training-mode BatchNorm is cancelled by the mean
        // subtraction: its exact gradient is 0, so only f32 round-off is left to
        // compare, measured against the scale of the same conv's weight gradient.
        const scale = Math.max(...ref.grads.get(name.replace('bias', 'weight'))!.map(Math.abs));
        expect(Math.max(...ref.grads.get(name)!.map(Math.abs))).toBeLessThan(1e-9 * scale);
        expect(Math.max(...got.map(Math.abs)), `grad ${name}`).toBeLessThanOrEqual(1e-4 * scale);
      } else expectClose(got, ref.grads.get(name)!, { ofMax: 1e-4 }, `grad ${name}`);
    }
    for (const [name, t] of model.namedBuffers()) {
      if (name.endsWith('num_batches_tracked')) expect(await t.item(), name).toBe(1);
      else expectClose(await t.read(), params.get(name)!, { ofMax: 1e-4 }, name);
    }
    for (const t of [xT, rT, logits]) t.dispose();
    model.dispose();
  });

  test('eval mode uses running statistics: a single example gives the same logits alone or in a batch', async () => {
    const cfg = scaledSampleCnn(4, 16);
    const model = new SampleCNN(ctx, cfg, new Random(4)).eval();
    const rand = seeded(9);
    const x = Float32Array.from({ length: 3 * cfg.inputLength }, () => rand() - 0.5);
    const all = tidy(() => model.forward(Tensor.fromData(ctx, x, [3, cfg.inputLength])));
    const one = tidy(() => model.forward(Tensor.fromData(ctx, x.subarray(cfg.inputLength, 2 * cfg.inputLength), [1, cfg.inputLength])));
    expectClose(await one.read(), (await all.read()).subarray(cfg.numClasses, 2 * cfg.numClasses), { ofMax: 1e-5 }, 'eval logits');
    all.dispose();
    one.dispose();
    expect(() => model.forward(Tensor.zeros(ctx, [2, 100]))).toThrow(/expected input \[N, 81\] or \[N, 1, 81\]/);
    model.dispose();
  });

  test('feature extractor: encoder output [N, d], projection [N, out], heads read the configured embedding', () => {
    const cfg = scaledModelConfig(4, 16);
    const fe = new FeatureExtractor(ctx, cfg, new Random(1));
    const x = Tensor.zeros(ctx, [2, cfg.sampleCnn.inputLength]);
    tidy(() => {
      expect(fe.encode(x).shape).toEqual([2, 32]);
      expect(fe.forward(x).shape).toEqual([2, cfg.projectorOut]);
      expect(fe.embed(x).shape).toEqual([2, 32]);
    });
    const fp = new FeatureExtractor(ctx, { ...cfg, headInput: 'projector' }, new Random(1));
    tidy(() => expect(fp.embed(x).shape).toEqual([2, cfg.projectorOut]));
    for (const m of [fe, fp]) m.dispose();
    x.dispose();
  });
});
