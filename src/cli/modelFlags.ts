// Model-size flags shared by train and summary: the thesis SampleCNN by
// default; --input-exp/--width-divisor scale it; --model-config loads a JSON.
import type { Command } from 'commander';
import { Option } from 'commander';
import { type ModelConfig, defaultModelConfig, resolveModelConfig, scaledModelConfig } from '../models/index.js';
import { UsageError, intOption, readJsonFile } from './options.js';

export interface ModelFlags {
  modelConfig?: string;
  inputExp?: number;
  widthDivisor?: number;
}

export function addModelOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--model-config <file>', 'model configuration JSON (as printed by `summary --json`)').conflicts(['inputExp', 'widthDivisor']))
    .addOption(intOption('--input-exp <n>', 'scaled SampleCNN with 3^n input samples; the thesis uses 3^10 = 59,049 samples (2.68 s at 22,050 Hz)', { min: 3, max: 12 }))
    .addOption(intOption('--width-divisor <d>', 'divide every channel width by d', { min: 1, max: 512 }));
}

/** True when the user asked for a model size (so it must agree with the run's). */
export function modelFlagsGiven(v: ModelFlags): boolean {
  return v.modelConfig !== undefined || v.inputExp !== undefined || v.widthDivisor !== undefined;
}

export function modelConfigFromFlags(v: ModelFlags): ModelConfig {
  if (v.modelConfig !== undefined) {
    try {
      return resolveModelConfig(readJsonFile(v.modelConfig, '--model-config'));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--model-config ${v.modelConfig}: ${(e as Error).message}`);
    }
  }
  if (v.inputExp !== undefined || v.widthDivisor !== undefined) {
    const base = defaultModelConfig();
    const n = v.inputExp ?? Math.round(Math.log(base.sampleCnn.inputLength) / Math.log(3));
    return scaledModelConfig(n, v.widthDivisor ?? 1);
  }
  return defaultModelConfig();
}
