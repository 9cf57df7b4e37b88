// The models of each training stage, built from one config, and the prefixes
// they take in a checkpoint.
import type { GpuContext } from '../gpu/context.js';
import type { Module } from '../nn/module.js';
import type { Random } from '../nn/random.js';
import { type ModelConfig, headInputDim, validateModelConfig } from './config.js';
import { FeatureExtractor } from './featureExtractor.js';
import { DomainClassifier, LabelPredictor } from './heads.js';
import { SampleCNN } from './samplecnn.js';

export * from './config.js';
export { SampleCNN, type SampleCnnOptions } from './samplecnn.js';
export { Projector, DomainClassifier, LabelPredictor } from './heads.js';
export { FeatureExtractor } from './featureExtractor.js';

/**
 * Which models buildModels makes (the training stages are train/config.ts's
 * Stage; stages.ts maps each to one of these):
 * pretrain: FE and DC, both trained (stage 1);
 * domain: the DC on a frozen FE: no gradients, BatchNorm in eval mode (stage 2);
 * finetune: FE, LP and DC (stage 3, and the baseline and fully supervised stages);
 * supervised: the plain SampleCNN with its fc classifier (benchmarks and tests).
 */
export type ModelSetKind = 'pretrain' | 'domain' | 'finetune' | 'supervised';

export interface ModelSet {
  config: ModelConfig;
  featureExtractor?: FeatureExtractor;
  domainClassifier?: DomainClassifier;
  labelPredictor?: LabelPredictor;
  supervised?: SampleCNN;
}

export function buildModels(ctx: GpuContext, config: ModelConfig, kind: ModelSetKind, rng: Random): ModelSet {
  validateModelConfig(config);
  if (kind === 'supervised') return { config, supervised: new SampleCNN(ctx, config.sampleCnn, rng, { withFc: true }) };
  const featureExtractor = new FeatureExtractor(ctx, config, rng);
  const d = headInputDim(config);
  const domainClassifier = new DomainClassifier(ctx, d, config.domainClassifierHidden, rng);
  const set: ModelSet = { config, featureExtractor, domainClassifier };
  if (kind === 'domain') featureExtractor.requiresGrad(false).eval();
  if (kind === 'finetune') set.labelPredictor = new LabelPredictor(ctx, d, config.labelPredictorHidden, config.numTags, rng);
  return set;
}

/** The checkpoint layout: the FE (or supervised SampleCNN) unprefixed, as in CLMR; heads under their own prefixes. */
export function checkpointModules(set: ModelSet): Record<string, Module> {
  const out: Record<string, Module> = {};
  if (set.featureExtractor) out[''] = set.featureExtractor;
  if (set.supervised) out[''] = set.supervised;
  if (set.domainClassifier) out['domain_classifier.'] = set.domainClassifier;
  if (set.labelPredictor) out['label_predictor.'] = set.labelPredictor;
  return out;
}

export function disposeModels(set: ModelSet): void {
  for (const m of Object.values(checkpointModules(set))) m.dispose();
}
export { type Tagger, loadTagger } from './tagger.js';
