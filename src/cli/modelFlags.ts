// Model-size flags shared by train, eval, tag and summary: the thesis SampleCNN
// by default; --input-exp/--width-divisor scale it; --model-config loads a JSON.
import { readFileSync } from 'node:fs';
import { type ModelConfig, defaultModelConfig, scaledModelConfig, validateModelConfig } from '../models/index.js';

export const MODEL_FLAGS = {
  'model-config': { type: 'string' },
  'input-exp': { type: 'string' },
  'width-divisor': { type: 'string' },
} as const;

export const MODEL_FLAGS_HELP = `  --model-config <file> model configuration JSON (as printed by \`summary --json\`)
  --input-exp <n>       scaled SampleCNN with 3^n input samples (thesis: 9)
  --width-divisor <d>   divide every channel width by d (with --input-exp)`;

function int(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected a positive integer, got "${v}"`);
  return n;
}

export function modelConfigFromFlags(v: { 'model-config'?: string; 'input-exp'?: string; 'width-divisor'?: string }): ModelConfig {
  if (v['model-config']) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(v['model-config'], 'utf8'));
    } catch (e) {
      throw new Error(`--model-config ${v['model-config']}: ${(e as Error).message}`);
    }
    const cfg = { ...defaultModelConfig(), ...(parsed as Partial<ModelConfig>) };
    validateModelConfig(cfg);
    return cfg;
  }
  if (v['input-exp'] || v['width-divisor']) {
    return scaledModelConfig(int('input-exp', v['input-exp'] ?? '9'), int('width-divisor', v['width-divisor'] ?? '1'));
  }
  return defaultModelConfig();
}
