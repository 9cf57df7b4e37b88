// A resumable training checkpoint: every module's weights and buffers under its
// prefix, Adam's moments per trainable parameter, and the step, in one
// safetensors file written atomically. Dropout masks and curriculum positions
// are functions of (seed, step), so the step is all the rest a resume needs.
import { existsSync } from 'node:fs';
import { Tensor, keep } from '../autograd/index.js';
import { readSafetensors, saveTensors } from '../nn/checkpoint.js';
import type { Adam, Module } from '../nn/index.js';
import { type TensorToWrite, loadStateDict, moduleTensors } from '../nn/safetensors.js';

export interface TrainStateMeta {
  stage: string;
  step: number;
  /** The run's configuration, to refuse resuming with a different one. */
  config: unknown;
  tags: readonly string[];
  sampleRate: number;
  modelConfig: unknown;
}

/** Names every trainable parameter `<prefix><name>` (the prefix of its module in the checkpoint). */
function namedTrainable(modules: Record<string, Module>): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [prefix, m] of Object.entries(modules)) for (const [n, t] of m.namedParameters(prefix)) out.set(n, t);
  return out;
}

export async function saveTrainState(path: string, modules: Record<string, Module>, optimizer: Adam, meta: TrainStateMeta): Promise<void> {
  const tensors: Record<string, TensorToWrite> = {};
  for (const [prefix, m] of Object.entries(modules)) Object.assign(tensors, await moduleTensors(m, prefix));
  for (const [name, p] of namedTrainable(modules)) {
    const m = optimizer.m.get(p);
    const v = optimizer.v.get(p);
    if (!m || !v) continue;
    tensors[`optimizer.exp_avg.${name}`] = { shape: [...p.shape], data: Float32Array.from(await m.read()) };
    tensors[`optimizer.exp_avg_sq.${name}`] = { shape: [...p.shape], data: Float32Array.from(await v.read()) };
  }
  saveTensors(path, tensors, {
    format: 'robust-tagger-train-state',
    stage: meta.stage,
    step: String(meta.step),
    adam_step: String(optimizer.stepCount),
    config: JSON.stringify(meta.config),
    tags: JSON.stringify(meta.tags),
    sample_rate: String(meta.sampleRate),
    model_config: JSON.stringify(meta.modelConfig),
  });
}

/**
 * Fields that cannot change what training computes: how often it logs or
 * checkpoints, and where its folders are. A resume may change them.
 */
const RESUME_FREE_FIELDS = new Set(['logEveryBatches', 'checkpointEveryEpochs', 'outDir', 'dataRoot']);

/** The fields (dotted paths) in which two JSON values differ, each with both values. */
export function differingFields(saved: unknown, now: unknown, path = ''): string[] {
  if (JSON.stringify(saved) === JSON.stringify(now)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(saved) && isObj(now)) {
    const keys = [...new Set([...Object.keys(saved), ...Object.keys(now)])];
    return keys.flatMap((k) => differingFields(saved[k], now[k], path ? `${path}.${k}` : k));
  }
  return [`${path || 'value'}: checkpoint has ${JSON.stringify(saved) ?? 'nothing'}, now ${JSON.stringify(now) ?? 'nothing'}`];
}

/**
 * Where a resumed run stands: a note for the log when it continues, or, when
 * its checkpoint is already at (or past) the steps asked for, `done` and the
 * message saying so (the run then trains nothing and keeps its model file).
 */
export function resumeStatus(stage: string, statePath: string, startStep: number, total: number): { done: boolean; message: string | null } {
  if (startStep === 0) return { done: false, message: null };
  if (startStep < total) return { done: false, message: `${stage}: resuming at step ${startStep} of ${total} from ${statePath}` };
  return {
    done: true,
    message:
      `${stage}: already done: ${statePath} is at step ${startStep}` +
      (startStep > total ? `, past the ${total} steps asked for` : ` of ${total}`) +
      '; nothing was trained. To train further, raise --max-steps (or the epochs, in a new --out run).',
  };
}

function checkFinite(path: string, name: string, data: Float32Array, nonNegative: boolean): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]) || (nonNegative && data[i] < 0)) {
      throw new Error(`${path}: optimizer state "${name}" holds ${data[i]} at element ${i}; the checkpoint is damaged. Delete it to start the stage over, or restore a good copy.`);
    }
  }
}

/**
 * Restores modules and optimizer from `path` when it exists; returns the step
 * to continue from (0 when there is nothing to resume). A checkpoint of another
 * stage, configuration or model is refused with a message naming what differs.
 */
export function loadTrainState(path: string, modules: Record<string, Module>, optimizer: Adam, expect: { stage: string; config: unknown; modelConfig?: unknown }): number {
  if (!existsSync(path)) return 0;
  const file = readSafetensors(path);
  const meta = file.metadata;
  if (meta.format !== 'robust-tagger-train-state') throw new Error(`${path}: not a robust-tagger training checkpoint (format "${meta.format ?? 'missing'}")`);
  if (meta.stage !== expect.stage) throw new Error(`${path}: a checkpoint of stage "${meta.stage}", not "${expect.stage}"; use another --out folder`);
  const parse = (k: string): unknown => {
    try {
      return JSON.parse(meta[k] ?? 'null');
    } catch {
      throw new Error(`${path}: metadata "${k}" is not valid JSON; the checkpoint is damaged`);
    }
  };
  const strip = (c: unknown): unknown => (typeof c === 'object' && c !== null ? Object.fromEntries(Object.entries(c).filter(([k]) => !RESUME_FREE_FIELDS.has(k))) : c);
  const changed = [
    ...differingFields(strip(parse('config')), strip(expect.config)),
    ...(expect.modelConfig !== undefined && meta.model_config !== undefined ? differingFields(parse('model_config'), expect.modelConfig, 'model') : []),
  ];
  if (changed.length) {
    throw new Error(`${path}: written with a different configuration (${changed.join('; ')}). Resume with the same settings, or use another --out folder.`);
  }
  const step = Number(meta.step);
  const adamStep = Number(meta.adam_step);
  if (!Number.isInteger(step) || step < 0 || !Number.isInteger(adamStep) || adamStep < 0) throw new Error(`${path}: invalid step metadata`);
  const modelEntries = new Map([...file.tensors].filter(([n]) => !n.startsWith('optimizer.')));
  const order = Object.keys(modules).sort((a, b) => b.length - a.length);
  const used = new Set<string>();
  for (const prefix of order) {
    const mine = new Map([...modelEntries].filter(([n]) => n.startsWith(prefix) && !used.has(n)));
    for (const n of loadStateDict(modules[prefix], mine, { strict: true, prefix, source: path })) used.add(prefix + n);
  }
  for (const [name, p] of namedTrainable(modules)) {
    const m = file.tensors.get(`optimizer.exp_avg.${name}`);
    const v = file.tensors.get(`optimizer.exp_avg_sq.${name}`);
    if (!m || !v) continue;
    if (m.data.length !== p.size || v.data.length !== p.size) throw new Error(`${path}: optimizer state of "${name}" has the wrong size`);
    checkFinite(path, `optimizer.exp_avg.${name}`, m.data, false);
    checkFinite(path, `optimizer.exp_avg_sq.${name}`, v.data, true);
    optimizer.m.get(p)?.dispose();
    optimizer.v.get(p)?.dispose();
    optimizer.m.set(p, keep(Tensor.fromData(p.ctx, m.data, p.shape)));
    optimizer.v.set(p, keep(Tensor.fromData(p.ctx, v.data, p.shape)));
  }
  optimizer.stepCount = adamStep;
  return step;
}
