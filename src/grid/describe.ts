// The dry run's listing: every run of every seed with the stage folders it
// goes through, and which of those stages are shared between runs.
import { type GridJob, type GridPlan, type TrainJob, gridRows, jobDir } from './plan.js';

/** A run's chain of stage jobs, first stage first. */
export function runChain(plan: GridPlan, last: TrainJob): TrainJob[] {
  const byId = new Map(plan.jobs.map((j) => [j.id, j]));
  const chain: TrainJob[] = [last];
  for (let j: GridJob | undefined = last; j && j.deps.length === 1; ) {
    j = byId.get(j.deps[0]);
    if (j?.kind === 'train') chain.unshift(j);
  }
  return chain;
}

export function labelJobs(plan: GridPlan): TrainJob[] {
  return plan.jobs.filter((j): j is TrainJob => j.kind === 'train' && j.row !== undefined);
}

function stepsOf(j: TrainJob): string {
  return j.maxSteps !== undefined ? `${j.maxSteps} steps` : `${j.config.epochs} epochs`;
}

export function describePlan(plan: GridPlan): string {
  const { spec } = plan;
  const rows = gridRows(spec);
  const train = plan.jobs.filter((j): j is TrainJob => j.kind === 'train');
  const count = (stage: string) => train.filter((j) => j.stage === stage).length;
  const runs = labelJobs(plan);
  const perSeed = rows.length * spec.noiseCounts.length;
  const users = new Map<string, number>();
  for (const r of runs) for (const s of runChain(plan, r)) users.set(s.id, (users.get(s.id) ?? 0) + 1);
  const width = Math.max(...rows.map((r) => r.name.length)) + 2;
  const lines = [
    `Grid "${spec.name}": noise counts ${spec.noiseCounts.join(', ')} × ${rows.length} models (${rows.map((r) => r.name).join('; ')}) = ${perSeed} runs per seed; ` +
      `${spec.seeds.length} seed${spec.seeds.length === 1 ? '' : 's'} (${spec.seeds.join(', ')}): ${runs.length} runs.`,
    `Jobs: ${train.length} training stages (${count('pretrain')} pretrain, ${count('domain')} domain, ${runs.length} label stages), ` +
      `${plan.jobs.filter((j) => j.kind === 'eval').length} evaluations (one per noise count), 1 report. Model: SampleCNN 3^${spec.model.inputExp} input, widths ÷ ${spec.model.widthDivisor}; λ ${spec.dat.lambda}.`,
    `Stage lengths: ${(['pretrain', 'domain', 'dat', 'baseline', 'supervised'] as const).flatMap((s) => { const j = train.find((t) => t.stage === s); return j ? [`${s} ${stepsOf(j)} (batch ${j.config.batchSize})`] : []; }).join(', ')}.`,
    'A stage marked * is shared: trained once, used by every run that lists it.',
  ];
  for (const seed of spec.seeds) {
    const mine = runs.filter((r) => r.seed === seed);
    lines.push('', `Seed ${seed}: ${mine.length} runs`);
    for (const r of mine) {
      const chain = runChain(plan, r).map((s) => `${(users.get(s.id) ?? 0) > 1 ? '*' : ' '}${jobDir(s)}`);
      lines.push(`  noise ${r.noiseCount}  ${r.row!.padEnd(width)}${chain.join(' → ')}`);
    }
    lines.push(`  shared: ${train.filter((j) => j.seed === seed && (users.get(j.id) ?? 0) > 1).map((j) => `${jobDir(j)} (${users.get(j.id)} runs)`).join(', ')}`);
  }
  lines.push('', `Then: ${plan.jobs.filter((j) => j.kind !== 'train').map((j) => `${j.id} → ${jobDir(j)}/`).join(', ')}.`);
  return lines.join('\n');
}
