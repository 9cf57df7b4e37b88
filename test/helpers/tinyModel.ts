// A small tagger checkpoint with seeded random weights, written the way the
// training stages write theirs (FE unprefixed, label_predictor.*, metadata).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GpuContext } from '../../src/gpu/context.js';
import { type ModelConfig, buildModels, checkpointModules, disposeModels, scaledModelConfig } from '../../src/models/index.js';
import { saveModules } from '../../src/nn/checkpoint.js';
import { Random } from '../../src/nn/index.js';

export async function writeTinyTagger(ctx: GpuContext, tags: string[], n = 8, divisor = 32): Promise<{ path: string; config: ModelConfig }> {
  const config = { ...scaledModelConfig(n, divisor), numTags: tags.length };
  const set = buildModels(ctx, config, 'finetune', new Random(11));
  const path = join(mkdtempSync(join(tmpdir(), 'rt-model-')), 'model.safetensors');
  await saveModules(path, checkpointModules(set), { modelConfig: config, tags, sampleRate: 22050, stage: 'dat', step: 0 });
  disposeModels(set);
  return { path, config };
}
