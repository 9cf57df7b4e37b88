// Training schedules of the thesis: the DANN α(p) ramp that scales the
// reversed domain gradient, and the easy-to-hard (E2H) SNR curriculum
// (thesis §4.3). Plain numbers in, plain numbers out: the trainers call these
// once per batch or epoch, and the curriculum position is a JSON value so a
// resumed run continues where it stopped.

/**
 * DANN's adaptation factor α(p) = 2 / (1 + exp(−10 p)) − 1 (Ganin et al.
 * 2016, used in the thesis's "α ≠ 1" rows): 0 at the start, so the random
 * early domain gradient does not disturb the features, rising to ≈1.
 */
export function dannAlpha(progress: number): number {
  if (Number.isNaN(progress)) throw new Error('training progress is NaN');
  const p = Math.min(1, Math.max(0, progress));
  return 2 / (1 + Math.exp(-10 * p)) - 1;
}

/**
 * Progress p in [0, 1] from the batch position, the way the thesis computes
 * it (§4.3: "the batch index, number of epochs, and length of the
 * dataloader"): p = (epoch · batchesPerEpoch + batch) / (epochs · batchesPerEpoch).
 */
export function trainingProgress(epoch: number, batch: number, batchesPerEpoch: number, totalEpochs: number): number {
  if (batchesPerEpoch <= 0 || totalEpochs <= 0) throw new Error('batchesPerEpoch and totalEpochs must be positive');
  return Math.min(1, (epoch * batchesPerEpoch + batch) / (totalEpochs * batchesPerEpoch));
}

export interface ReversalSchedule {
  /** Weight of the domain loss / gradient-reversal scale (thesis: 0.05). */
  lambda: number;
  /** Multiply λ by α(p) ("α ≠ 1") or keep it constant ("α = 1"). */
  alphaSchedule: boolean;
}

/** The factor the gradient-reversal layer multiplies the gradient by (negated there). */
export function reversalScale(schedule: ReversalSchedule, progress: number): number {
  return schedule.alphaSchedule ? schedule.lambda * dannAlpha(progress) : schedule.lambda;
}

/** An inclusive range of integer SNRs in dB. */
export interface SnrRange {
  min: number;
  max: number;
}

/** Without a curriculum, every noisy sample draws an integer SNR from [−10, 10] (§4.3). */
export const FULL_SNR_RANGE: Readonly<SnrRange> = Object.freeze({ min: -10, max: 10 });

/**
 * A curriculum moves each bound of the SNR range from `start` towards `end`
 * by `stepDb` every `periodEpochs` epochs, stopping at `end`.
 */
export interface SnrCurriculumSpec {
  start: SnrRange;
  end: SnrRange;
  stepDb: number;
  periodEpochs: number;
}

/**
 * Stage 2 (domain-classifier pretraining): start at the hard end [−10, −5],
 * raise the upper bound 1 dB every 3 epochs to 10 (reached after 45 epochs).
 * `periodEpochs` is a parameter so short demo runs see the whole ramp.
 */
export function domainStageCurriculum(periodEpochs = 3): SnrCurriculumSpec {
  return { start: { min: -10, max: -5 }, end: { ...FULL_SNR_RANGE }, stepDb: 1, periodEpochs };
}

/**
 * Stage 3 (DAT): start easy [5, 10], lower the lower bound 1 dB every
 * 30 epochs to −10 (reached after 450 of the 800 epochs).
 */
export function datStageCurriculum(periodEpochs = 30): SnrCurriculumSpec {
  return { start: { min: 5, max: 10 }, end: { ...FULL_SNR_RANGE }, stepDb: 1, periodEpochs };
}

function moveTowards(from: number, to: number, by: number): number {
  return from < to ? Math.min(to, from + by) : Math.max(to, from - by);
}

/** The SNR range in force during `epoch` (0-based). */
export function snrRangeAt(spec: SnrCurriculumSpec, epoch: number): SnrRange {
  const steps = Math.floor(Math.max(0, epoch) / spec.periodEpochs);
  return {
    min: moveTowards(spec.start.min, spec.end.min, steps * spec.stepDb),
    max: moveTowards(spec.start.max, spec.end.max, steps * spec.stepDb),
  };
}

/**
 * Serialisable position in the SNR schedule; `spec: null` is "no
 * curriculum" (the full range throughout). Stored in checkpoints.
 */
export interface SnrScheduleState {
  version: 1;
  spec: SnrCurriculumSpec | null;
  /** Epochs completed so far, i.e. the 0-based index of the current epoch. */
  epoch: number;
}

export function createSnrSchedule(spec: SnrCurriculumSpec | null, epoch = 0): SnrScheduleState {
  if (spec) checkSpec(spec);
  if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`epoch must be a non-negative integer, got ${epoch}`);
  return { version: 1, spec: spec ? structuredClone(spec) : null, epoch };
}

export function currentSnrRange(state: SnrScheduleState): SnrRange {
  return state.spec ? snrRangeAt(state.spec, state.epoch) : { ...FULL_SNR_RANGE };
}

/** Call at the end of each epoch; returns the new state (the old one is left unchanged). */
export function advanceEpoch(state: SnrScheduleState): SnrScheduleState {
  return { ...state, epoch: state.epoch + 1 };
}

/** Integer SNR uniform over the inclusive range; `random` returns [0, 1) (seeded by the caller). */
export function sampleSnrDb(range: SnrRange, random: () => number): number {
  const width = range.max - range.min + 1;
  return range.min + Math.min(width - 1, Math.floor(random() * width));
}

function checkRange(r: unknown, where: string): void {
  const o = r as SnrRange;
  if (typeof r !== 'object' || r === null || !Number.isInteger(o.min) || !Number.isInteger(o.max) || o.min > o.max) {
    throw new Error(`${where} must be {min, max} with integers min <= max, got ${JSON.stringify(r)}`);
  }
}

function checkSpec(spec: SnrCurriculumSpec): void {
  checkRange(spec.start, 'curriculum start');
  checkRange(spec.end, 'curriculum end');
  if (!(spec.stepDb > 0)) throw new Error(`curriculum stepDb must be > 0, got ${spec.stepDb}`);
  if (!Number.isInteger(spec.periodEpochs) || spec.periodEpochs < 1) {
    throw new Error(`curriculum periodEpochs must be an integer >= 1, got ${spec.periodEpochs}`);
  }
}

export function serialiseSnrSchedule(state: SnrScheduleState): string {
  return JSON.stringify(state);
}

/** Parse and check a stored schedule, so a corrupt checkpoint fails loudly instead of training on a wrong range. */
export function parseSnrSchedule(json: string): SnrScheduleState {
  const raw = JSON.parse(json) as Partial<SnrScheduleState>;
  if (raw.version !== 1) throw new Error(`unsupported SNR schedule version ${String(raw.version)}`);
  if (raw.spec === undefined) throw new Error('SNR schedule has no "spec" (use null for no curriculum)');
  return createSnrSchedule(raw.spec, raw.epoch ?? Number.NaN);
}
