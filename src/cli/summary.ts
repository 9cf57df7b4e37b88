// `robust-tagger summary`: the model as thesis Table 3.1 lays it out (layer,
// stride, output shape, parameters), computed from the config alone so it runs
// on machines without a GPU.
import { Command } from 'commander';
import { type ModelConfig, encoderDim, headInputDim, headParams, planParams, sampleCnnPlan } from '../models/config.js';
import { type ModelFlags, addModelOptions, modelConfigFromFlags } from './modelFlags.js';
import { onRun, runCommand } from './options.js';

const fmt = (n: number): string => n.toLocaleString('en-US');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The supervised SampleCNN table (encoder + fc), then the heads, with the trainable totals. */
export function summaryTable(config: ModelConfig): string {
  const plan = sampleCnnPlan(config.sampleCnn, { withFc: true });
  const rows = plan.map((r) => [r.name, r.kind, String(r.stride), `(${r.output.join(', ')})`, fmt(r.params)]);
  const total = planParams(plan);
  const conv = plan.filter((r) => !r.kind.startsWith('BatchNorm')).reduce((s, r) => s + r.params, 0);
  const heads = headParams(config);
  const d = headInputDim(config);
  const out: string[] = [];
  out.push(`SampleCNN, input (1, ${config.sampleCnn.inputLength}) = ${(config.sampleCnn.inputLength / config.sampleRate).toFixed(2)} s at ${config.sampleRate} Hz`);
  out.push(table(['name', 'layer', 'stride', 'output', 'params'], rows));
  out.push(`conv + fc parameters: ${fmt(conv)}; BatchNorm γ/β: ${fmt(total - conv)}`);
  out.push(`Trainable parameters (supervised SampleCNN): ${fmt(total)}`);
  out.push('');
  out.push(`Heads (reading the ${config.headInput} output, ${d}-d):`);
  out.push(table(['model', 'layers', 'params'], [
    ['projector', `Linear(${encoderDim(config.sampleCnn)}→${config.projectorHidden}) ReLU Linear(→${config.projectorOut}), no bias`, fmt(heads.projector)],
    ['domain_classifier', `Linear(${d}→${config.domainClassifierHidden}) BN ReLU Linear(→1)`, fmt(heads.domainClassifier)],
    ['label_predictor', `Linear(${d}→${config.labelPredictorHidden}) ReLU Linear(→${config.numTags})`, fmt(heads.labelPredictor)],
  ]));
  const encoder = total - plan.filter((r) => r.name === 'fc').reduce((s, r) => s + r.params, 0);
  out.push(`Trainable parameters (encoder + projector): ${fmt(encoder + heads.projector)}`);
  return out.join('\n');
}

export function summaryCommand(): Command {
  const cmd = new Command('summary')
    .description('print a model layer by layer as thesis Table 3.1 (layer, stride, output shape, parameters), from its config alone')
    .option('--clmr', 'CLMR\'s kernel-3 last conv instead of the thesis\' 1x1')
    .option('--json', 'print the model configuration as JSON (a file for --model-config)');
  addModelOptions(cmd);
  return onRun(cmd, async (v: ModelFlags & { clmr?: boolean; json?: boolean }) => {
    let cfg = modelConfigFromFlags(v);
    if (v.clmr) cfg = { ...cfg, sampleCnn: { ...cfg.sampleCnn, lastKernel: 3 } };
    console.log(v.json ? JSON.stringify(cfg, null, 2) : summaryTable(cfg));
    return 0;
  });
}

export const runSummary = (args: readonly string[]): Promise<number> => runCommand(summaryCommand(), args);
