// What the demo shows besides the grid, per training seed: did pretraining
// learn (NT-Xent and paired-view retrieval against chance, a tag probe against
// a random encoder), can the domain classifier tell clean from noisy, and how
// well a fresh linear probe still separates the domains in each finetuned
// encoder (what DAT tries to lower). Plus the warnings and curves of every
// stage's log. Summaries are means with t-intervals over seeds.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DomainClassifierReport, type PretrainDiagnostics, type ProbeDataOptions,
  heldOutPretrainBatch, loadEncoderModels, pretrainDiagnostics, runDomainProbe, runTagProbe,
} from '../eval/diagnostics.js';
import { stageCharts } from '../eval/curves.js';
import { parseLogJsonl } from '../eval/logSeries.js';
import type { DomainProbeResult, TagProbeComparison } from '../eval/probes.js';
import { formatEstimate } from '../eval/report.js';
import { tInterval } from '../eval/stats.js';
import type { GpuContext } from '../gpu/context.js';
import type { Stage } from './config.js';
import { type StageWarning, stageWarnings } from './warnings.js';

export interface SeedDiagnostics {
  seed: number;
  pretrain: PretrainDiagnostics;
  tagProbe: TagProbeComparison;
  domainClassifier: DomainClassifierReport;
  /** Domain-probe accuracy of each encoder: 'pretrained' and every finetuned model. */
  domainProbe: Record<string, DomainProbeResult>;
  warnings: StageWarning[];
}

export interface DiagnosticsInput {
  ctx: GpuContext;
  /** The seed's run folder (<run>/<stage>/...). */
  runDir: string;
  seed: number;
  musicCache: string;
  noiseCache: string;
  /** Finetuned models to probe: display name → checkpoint. */
  models: Record<string, string>;
  /** Batch size of each stage (chance levels depend on it). */
  batchSizes: Record<Stage, number>;
  temperature: number;
  inputLength: number;
  domainClassifierFrozen: boolean;
  /** Clips per split the probes embed (clean + every SNR of each). */
  probeClips: number;
  /** Folder for the stage curves (SVG). */
  curvesDir: string;
}

export async function seedDiagnostics(i: DiagnosticsInput): Promise<SeedDiagnostics> {
  const file = (stage: string) => join(i.runDir, stage, 'model.safetensors');
  const probe: ProbeDataOptions = { musicCache: i.musicCache, noiseCache: i.noiseCache, seed: i.seed, maxTrainClips: i.probeClips, maxTestClips: i.probeClips };
  const pretrained = loadEncoderModels(i.ctx, file('pretrain'), file('domain'));
  let pretrain: PretrainDiagnostics;
  let tagProbe: TagProbeComparison;
  let domain: { probe: DomainProbeResult; domainClassifier?: DomainClassifierReport };
  try {
    const batch = await heldOutPretrainBatch({ musicCache: i.musicCache, noiseCache: i.noiseCache, split: 'valid', batchSize: i.batchSizes.pretrain, sampleLength: i.inputLength, seed: i.seed });
    pretrain = await pretrainDiagnostics(i.ctx, pretrained.fe, batch, i.temperature);
    tagProbe = await runTagProbe(i.ctx, pretrained, { ...probe, randomSeed: i.seed + 1000 });
    domain = await runDomainProbe(i.ctx, pretrained, probe);
  } finally {
    pretrained.dispose();
  }
  const domainProbe: Record<string, DomainProbeResult> = { pretrained: domain.probe };
  for (const [name, path] of Object.entries(i.models)) {
    const m = loadEncoderModels(i.ctx, path);
    try {
      domainProbe[name] = (await runDomainProbe(i.ctx, m, probe)).probe;
    } finally {
      m.dispose();
    }
  }
  const warnings: StageWarning[] = [];
  mkdirSync(i.curvesDir, { recursive: true });
  for (const stage of ['pretrain', 'domain', 'dat', 'baseline', 'supervised'] as Stage[]) {
    const log = join(i.runDir, stage, 'log.jsonl');
    if (!existsSync(log)) continue;
    const records = parseLogJsonl(readFileSync(log, 'utf8'));
    warnings.push(...stageWarnings(stage, records, { batchSize: i.batchSizes[stage], domainClassifierFrozen: i.domainClassifierFrozen }));
    for (const chart of stageCharts(stage, records, { batchSize: i.batchSizes[stage] })) {
      writeFileSync(join(i.curvesDir, `seed-${i.seed}-${stage}-${chart.name}.svg`), chart.svg);
    }
  }
  return { seed: i.seed, pretrain, tagProbe, domainClassifier: domain.domainClassifier!, domainProbe, warnings };
}

/** Mean ± 95% t-interval half-width over seeds, as the grid's cells are written. */
function estimate(values: number[]): string {
  return formatEstimate(tInterval(values));
}

/** The diagnostics over seeds, as lines for the terminal and results.md: mean ± 95% t-interval half-width. */
export function diagnosticsSummary(all: readonly SeedDiagnostics[]): string {
  const n = all.length;
  const B = all[0].pretrain.batchSize;
  const lines = [
    `## Diagnostics (${n} seed${n === 1 ? '' : 's'}; mean ± 95% t-interval half-width${n < 2 ? ', no interval with one seed' : ''})`,
    '',
    `- pretrain, held-out batch of ${B}: NT-Xent ${estimate(all.map((d) => d.pretrain.ntXent))} (chance ln(2B−1) = ${all[0].pretrain.chanceNtXent.toFixed(2)}); paired-view top-1 retrieval ${estimate(all.map((d) => d.pretrain.top1))} (chance 1/B = ${all[0].pretrain.chanceTop1.toFixed(2)})`,
    `- tag probe (linear, clean clips): pretrained encoder ROC-AUC ${estimate(all.map((d) => d.tagProbe.pretrained.rocAuc ?? NaN))} vs random encoder ${estimate(all.map((d) => d.tagProbe.random.rocAuc ?? NaN))}`,
    `- domain classifier (stage 2, held-out clean vs noisy): balanced accuracy ${estimate(all.map((d) => d.domainClassifier.balancedAccuracy))} (chance 0.50)`,
  ];
  const names = Object.keys(all[0].domainProbe);
  lines.push(`- domain probe (fresh logistic regression on frozen h, held-out clean vs noisy at SNR 10 … −10; 0.50 = domain-invariant, lower is what DAT aims at):`);
  for (const name of names) {
    const snrs = all[0].domainProbe[name].perSnr.map((p) => p.snr);
    const per = snrs.map((snr) => `${snr} dB ${estimate(all.map((d) => d.domainProbe[name].perSnr.find((p) => p.snr === snr)!.accuracy))}`).join(', ');
    lines.push(`  - ${name}: ${estimate(all.map((d) => d.domainProbe[name].accuracy))} (per SNR: ${per})`);
  }
  const warnings = all.flatMap((d) => d.warnings.map((w) => `seed ${d.seed}: ${w.message}`));
  lines.push('', warnings.length ? `Warnings:\n${warnings.map((w) => `- ${w}`).join('\n')}` : 'No stage sat at chance, diverged or gamed its loss.');
  return lines.join('\n');
}
