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
 * pretrain: stage 1 (FE with contrastive loss; the DC for the clean/noisy halves);
 * domain: stage 2 (DC trained on a frozen FE: no gradients, BatchNorm in eval mode);
 * finetune: stage 3 (FE finetuned, LP trained, DC adversarial);
 * supervised: the baseline SampleCNN with its fc classifier.
 */
export type Stage = 'pretrain' | 'domain' | 'finetune' | 'supervised';

export interface ModelSet {
  config: ModelConfig;
  featureExtractor?: FeatureExtractor;
  domainClassifier?: DomainClassifier;
  labelPredictor?: LabelPredictor;
  supervised?: SampleCNN;
}

export function buildModels(ctx: GpuContext, config: ModelConfig, stage: Stage, rng: Random): ModelSet {
  validateModelConfig(config);
  if (stage === 'supervised') return { config, supervised: new SampleCNN(ctx, config.sampleCnn, rng, { withFc: true }) };
  const featureExtractor = new FeatureExtractor(ctx, config, rng);
  const d = headInputDim(config);
  const domainClassifier = new DomainClassifier(ctx, d, config.domainClassifierHidden, rng);
  const set: ModelSet = { config, featureExtractor, domainClassifier };
  if (stage === 'domain') featureExtractor.requiresGrad(false).eval();
  if (stage === 'finetune') set.labelPredictor = new LabelPredictor(ctx, d, config.labelPredictorHidden, config.numTags, rng);
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
