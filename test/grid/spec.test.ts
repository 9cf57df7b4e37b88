// The grid spec and its expansion: the thesis grid is 30 runs per seed over
// 3 noise counts, with one pretrain per (noise count, seed) and one domain
// stage per (noise count, seed, E2H) shared between runs; a bad spec is
// refused with every problem named by its field.
import { readFileSync } from 'node:fs';
import type { FlowJob } from 'bullmq';
import { describe, expect, test } from 'vitest';
import { describePlan, labelJobs, runChain } from '../../src/grid/describe.js';
import { type TrainJob, expandGrid, jobDir } from '../../src/grid/plan.js';
import { type QueuedJob, queuedTree } from '../../src/grid/queue.js';
import { GridSpecError, parseGridSpec } from '../../src/grid/spec.js';

const thesis = JSON.parse(readFileSync(new URL('../../examples/thesis-grid.json', import.meta.url), 'utf8')) as Record<string, unknown>;

function issuesOf(raw: unknown): string[] {
  try {
    parseGridSpec(raw, 'spec.json');
  } catch (e) {
    if (e instanceof GridSpecError) return e.issues;
    throw e;
  }
  throw new Error('the spec was accepted');
}

describe('thesis grid expansion', () => {
  const plan = expandGrid(parseGridSpec(thesis, 'thesis-grid.json'));
  const train = plan.jobs.filter((j): j is TrainJob => j.kind === 'train');

  test('30 runs per seed: per noise count baseline, fully supervised and 8 DAT settings', () => {
    const runs = labelJobs(plan);
    expect(runs).toHaveLength(90);
    for (const seed of [0, 1, 2]) expect(runs.filter((r) => r.seed === seed)).toHaveLength(30);
    const dat = runs.filter((r) => r.seed === 0 && r.noiseCount === 2 && r.stage === 'dat');
    expect(dat).toHaveLength(8);
    const settings = dat.map((r) => r.config.stage === 'dat' && `${r.config.domainClassifier}/${r.config.curriculum}/${r.config.alphaSchedule}/${r.config.lambda}/${r.config.noisesPerMix}`);
    expect(new Set(settings).size).toBe(8);
    for (const s of settings) expect(s).toMatch(/\/0\.05\/2$/);
  });

  test('stages are shared: one pretrain per (noise count, seed), one domain stage per (noise count, seed, E2H)', () => {
    expect(train.filter((j) => j.stage === 'pretrain')).toHaveLength(9);
    const domains = train.filter((j) => j.stage === 'domain');
    expect(domains).toHaveLength(18);
    expect(new Set(domains.map((d) => `${d.noiseCount}/${d.seed}/${d.config.stage === 'domain' && d.config.curriculum}`)).size).toBe(18);
    for (const run of labelJobs(plan)) {
      const chain = runChain(plan, run);
      expect(chain[0].stage).toBe('pretrain');
      expect(chain.every((s) => s.seed === run.seed && s.noiseCount === run.noiseCount)).toBe(true);
      if (run.config.stage === 'dat') {
        expect(chain.map((s) => s.stage)).toEqual(['pretrain', 'domain', 'dat']);
        // The DAT run's E2H is its domain stage's E2H.
        expect(chain[1].config.stage === 'domain' && chain[1].config.curriculum).toBe(run.config.curriculum);
        expect(run.domainClassifier).toBe(jobDir(chain[1]));
      } else expect(chain.map((s) => s.stage)).toEqual(['pretrain', run.stage]);
      expect(run.pretrained).toBe(jobDir(chain[0]));
    }
    // Every job writes its own folder.
    expect(new Set(train.map(jobDir)).size).toBe(train.length);
  });

  test('the baseline trains on clean data only; the others mix the run\'s noise count', () => {
    for (const j of train) {
      if (j.config.stage === 'baseline') expect('noisesPerMix' in j.config).toBe(false);
      else expect(j.config.noisesPerMix).toBe(j.noiseCount);
    }
  });

  test('evaluations wait for every run of their noise count; the report for every evaluation', () => {
    const evals = plan.jobs.filter((j) => j.kind === 'eval');
    expect(evals.map((e) => e.id)).toEqual(['n1.eval', 'n2.eval', 'n4.eval']);
    for (const e of evals) expect(e.deps).toHaveLength(30);
    expect(plan.jobs.at(-1)).toMatchObject({ id: 'report', deps: ['n1.eval', 'n2.eval', 'n4.eval'] });
    // Dependencies come first, so running the list in order is a valid schedule.
    const seen = new Set<string>();
    for (const j of plan.jobs) {
      for (const d of j.deps) expect(seen.has(d), `${j.id} after ${d}`).toBe(true);
      seen.add(j.id);
    }
  });

  test('fingerprints change with a job\'s settings and with what it starts from', () => {
    const more = structuredClone(thesis) as { stages: Record<string, unknown> };
    more.stages.pretrain = { learningRate: 1e-3 };
    const other = expandGrid(parseGridSpec(more, 'x'));
    const fp = (p: typeof plan, id: string) => p.jobs.find((j) => j.id === id)!.fingerprint;
    expect(fp(other, 'n1.s0.pretrain')).not.toBe(fp(plan, 'n1.s0.pretrain'));
    expect(fp(other, 'n1.s0.frozen-e2h-alpha')).not.toBe(fp(plan, 'n1.s0.frozen-e2h-alpha'));
    expect(fp(expandGrid(parseGridSpec(thesis, 'y')), 'n1.s0.frozen-e2h-alpha')).toBe(fp(plan, 'n1.s0.frozen-e2h-alpha'));
  });

  test('the dry-run listing names every run of each seed and marks the shared stages', () => {
    const text = describePlan(plan);
    expect(text).toContain('= 30 runs per seed');
    expect(text).toContain('Seed 2: 30 runs');
    expect(text).toContain('*noise4/seed1/pretrain → *noise4/seed1/e2h/domain →  noise4/seed1/frozen-e2h-alpha/dat');
    expect(text).toContain('noise4/seed1/pretrain (10 runs)');
    expect(text).toContain('noise4/seed1/noe2h/domain (4 runs)');
    expect(text.split('\n').filter((l) => / {2}noise \d {2}/.test(l))).toHaveLength(90);
  });
});

describe('spec validation', () => {
  test('every problem is reported, each naming its field', () => {
    const issues = issuesOf({
      ...thesis, version: 2, seeds: [0, 0], noiseCounts: [3], models: ['dat', 'dann'],
      dat: { lambda: -1, domainClassifier: ['frozen', 'thawed'], e2h: [], alphaSchedule: [true], extra: 1 },
      stages: { pretrain: { batchSize: 0, steps: 1.5 }, dat: { seed: 4, lambda: 1 }, domain: { checkpoints: 2 }, label: {} },
      evaluation: { testClips: 0 },
    });
    const expected = [
      'version: expected 1', 'seeds: 0 is listed twice', 'noiseCounts: expected noise clips per mix, each 1, 2 or 4, got 3',
      'models: expected names from', 'dat.lambda: expected a number from 0 to 10, got -1', 'dat.domainClassifier: expected "frozen" or "finetune", got "thawed"',
      'dat.e2h: expected a non-empty list', 'dat.extra: unknown field', 'stages.pretrain.steps: expected an integer >= 1, got 1.5',
      'stages.pretrain: batchSize: expected an integer >= 1', 'stages.dat.seed: set by "seeds"', 'stages.dat.lambda: set by "dat.lambda"',
      'stages.domain.checkpoints: needs stages.domain.steps', 'stages.label: unknown field', 'evaluation.testClips: expected an integer >= 1 or null',
    ];
    for (const e of expected) expect(issues.some((i) => i.includes(e)), `${e}\n${issues.join('\n')}`).toBe(true);
  });

  test('a misspelt training field is named with its stage and a suggestion', () => {
    const issues = issuesOf({ ...thesis, stages: { baseline: { learningRat: 0.1 } } });
    expect(issues.join('\n')).toContain('stages.baseline: unknown field "learningRat" (did you mean "learningRate"?); allowed: steps, checkpoints, epochs, batchSize, learningRate');
    // The fields the grid sets itself are not offered.
    expect(issues.join('\n')).not.toMatch(/seed|outDir|dataRoot|chunkLength/);
  });

  test('"dat" settings are required with the DAT model and refused without it', () => {
    expect(issuesOf({ ...thesis, dat: undefined })).toEqual([expect.stringContaining('dat: "models" has "dat"')]);
    expect(issuesOf({ ...thesis, models: ['baseline'] })).toEqual(['dat: given, but "models" has no "dat"']);
  });

  test('a spec without DAT expands to baseline and supervised runs only', () => {
    const plan = expandGrid(parseGridSpec({ ...thesis, models: ['baseline', 'supervised'], dat: undefined, noiseCounts: [1], seeds: [5] }, 'x'));
    expect(labelJobs(plan).map((j) => j.id)).toEqual(['n1.s5.baseline', 'n1.s5.supervised']);
    expect(plan.jobs.some((j) => j.kind === 'train' && j.stage === 'domain')).toBe(false);
  });
});

describe('the queued form of the thesis grid', () => {
  test('every job is in the flow or added by exactly one finished stage, after what it starts from', () => {
    const plan = expandGrid(parseGridSpec(thesis, 'thesis-grid.json'));
    const tree = queuedTree(plan, '/data', 'grid');
    const seen: string[] = [];
    const visitAdded = (q: QueuedJob, after: string) => {
      seen.push(q.job.id);
      expect(q.job.deps, q.job.id).toEqual([after]);
      for (const t of q.then) visitAdded(t, q.job.id);
    };
    const visitFlow = (n: FlowJob, parent: FlowJob | null) => {
      const q = n.data as QueuedJob;
      seen.push(q.job.id);
      expect(n.opts?.jobId).toBe(q.job.id);
      expect(n.queueName).toBe('grid');
      if (q.job.kind === 'train') {
        expect(q.job.deps).toEqual([]);
        expect((parent!.data as QueuedJob).job).toMatchObject({ kind: 'eval', noiseCount: q.job.noiseCount });
      }
      for (const t of q.then) visitAdded(t, q.job.id);
      for (const c of ('children' in n && n.children) || []) visitFlow(c as FlowJob, n);
    };
    visitFlow(tree, null);
    expect(seen.sort()).toEqual(plan.jobs.map((j) => j.id).sort());
    expect((tree.data as QueuedJob).total).toBe(121);
    // Added jobs land under the evaluation of their own noise count (the worker uses its job's parent).
    expect(('children' in tree && tree.children!.map((c) => (c.data as QueuedJob).job.id))).toEqual(['n1.eval', 'n2.eval', 'n4.eval']);
  });
});

test('examples/demo-grid.json is the thesis grid\'s shape on the demo data, with 2 seeds', () => {
  const demo = JSON.parse(readFileSync(new URL('../../examples/demo-grid.json', import.meta.url), 'utf8'));
  const plan = expandGrid(parseGridSpec(demo, 'demo-grid.json'));
  expect(plan.spec.data).toBe('demo');
  expect(labelJobs(plan)).toHaveLength(60);
  expect(plan.jobs.filter((j) => j.kind === 'train')).toHaveLength(78);
  for (const j of labelJobs(plan)) expect(j.maxSteps).toBe(40);
});
