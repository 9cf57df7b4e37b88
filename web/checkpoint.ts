// Opening a checkpoint the page's user picked, with messages written for them.
// The validation itself is the shared one (decodeSafetensors, loadTagger); this
// only recognises the common wrong picks first and says what to choose instead,
// rather than listing optimizer tensors or header byte counts.
import type { GpuContext } from '../src/gpu/context.js';
import { type Tagger, loadTagger } from '../src/models/tagger.js';
import { decodeMeta, decodeSafetensors } from '../src/nn/safetensors.js';
import { UserError } from './job.js';

/** What the model card shows: everything from the checkpoint's own metadata. */
export interface ModelCard {
  file: string;
  /** Where it came from: "default model of this page" or "your file". */
  origin: string;
  stage: string | null;
  step: number | null;
  tags: readonly string[];
  windowLength: number;
  sampleRate: number;
}

export const TRAINING_CHECKPOINT = 'This is a training checkpoint; choose model.safetensors from the same folder.';
export const NOT_SAFETENSORS = 'Not a safetensors checkpoint.';

export function openCheckpoint(gpu: GpuContext, bytes: Uint8Array, file: string, origin: string): { tagger: Tagger; card: ModelCard } {
  let parsed;
  try {
    parsed = decodeSafetensors(bytes, file);
  } catch {
    throw new UserError(`${file}: ${NOT_SAFETENSORS} Choose the model.safetensors file that training wrote (in <run>/dat, baseline or supervised).`);
  }
  const raw = parsed.metadata;
  // Training state files carry Adam's moments beside the weights (src/train/trainState.ts).
  if (raw.format === 'robust-tagger-train-state' || [...parsed.tensors.keys()].some((n) => n.startsWith('optimizer.'))) {
    throw new UserError(`${file}: ${TRAINING_CHECKPOINT}`);
  }
  let meta;
  try {
    meta = decodeMeta(raw, file);
  } catch {
    throw new UserError(`${file}: the checkpoint's description (its metadata) is damaged; choose another model.safetensors.`);
  }
  if (meta.modelConfig === undefined || !meta.tags) {
    throw new UserError(`${file}: this safetensors file was not written by robust-tagger training (it does not say which model or tags it holds), so it cannot be used here.`);
  }
  if (![...parsed.tensors.keys()].some((n) => n.startsWith('label_predictor.'))) {
    const stage = meta.stage ? `the ${meta.stage} stage's model` : 'a model without a tag classifier';
    throw new UserError(`${file} is ${stage}, which learns features but cannot tag. Choose model.safetensors from the dat, baseline or supervised folder of the same run.`);
  }
  let tagger: Tagger;
  try {
    tagger = loadTagger(gpu, bytes, file);
  } catch (e) {
    // Weights that do not fit the model the metadata describes: rare, and the details matter to whoever made the file.
    throw new UserError(`${file}: the checkpoint is damaged or does not match the model it describes (${(e as Error).message.replace(`${file}: `, '')}).`);
  }
  return {
    tagger,
    card: { file, origin, stage: meta.stage ?? null, step: meta.step ?? null, tags: tagger.tags, windowLength: tagger.windowLength, sampleRate: tagger.sampleRate },
  };
}
