// `robust-tagger summary`: the model as thesis Table 3.1 lays it out (layer,
// stride, output shape, parameters), computed from the config alone so it runs
// on machines without a GPU.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type ModelConfig, defaultModelConfig, encoderDim, headInputDim, headParams, planParams, resolveModelConfig, sampleCnnPlan, scaledModelConfig } from '../models/config.js';

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

const HELP = `Usage: robust-tagger summary [options]

Prints the SampleCNN (thesis Table 3.1 layout) and the heads with parameter counts.

Options:
  --config <file.json>     model config (partial JSON merged over the defaults)
  --input-length <N>       input samples, a power of 3 (3^n: n − 1 pooling blocks)
  --width-divisor <D>      divide every channel/hidden width by D (tiny demo models)
  --clmr                   CLMR's kernel-3 last conv instead of the thesis' 1x1
  -h, --help               show this help`;

export async function runSummary(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        config: { type: 'string' },
        'input-length': { type: 'string' },
        'width-divisor': { type: 'string' },
        clmr: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    console.error(`summary: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  try {
    let cfg = defaultModelConfig();
    if (v.config) {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(v.config, 'utf8'));
      } catch (e) {
        throw new Error(`cannot read config ${v.config}: ${(e as Error).message}`);
      }
      cfg = resolveModelConfig(json);
    }
    if (v.clmr) cfg = { ...cfg, sampleCnn: { ...cfg.sampleCnn, lastKernel: 3 } };
    if (v['input-length'] !== undefined || v['width-divisor'] !== undefined) {
      const len = v['input-length'] !== undefined ? Number(v['input-length']) : cfg.sampleCnn.inputLength;
      const n = Math.round(Math.log(len) / Math.log(3));
      if (!Number.isInteger(len) || 3 ** n !== len || n < 2) throw new Error(`--input-length must be a power of 3 ≥ 9, got ${v['input-length']}`);
      const div = v['width-divisor'] !== undefined ? Number(v['width-divisor']) : 1;
      if (!(div >= 1)) throw new Error(`--width-divisor must be a number ≥ 1, got ${v['width-divisor']}`);
      cfg = scaledModelConfig(n, div, cfg);
    }
    console.log(summaryTable(cfg));
    return 0;
  } catch (e) {
    console.error(`summary: ${(e as Error).message}`);
    return 1;
  }
}
