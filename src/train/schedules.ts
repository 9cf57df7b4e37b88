// Training schedules of the thesis, as the runner and stages.ts use them: the
// progress p of a run, the DANN α(p) ramp that scales the reversed domain
// gradient, and the easy-to-hard (E2H) SNR curriculum (thesis §4.3). Plain
// numbers in, plain numbers out. Nothing here is stored: a resumed run
// recomputes p from its step and the SNR range from its epoch.
import { type SnrRange, TRAINING_SNR_RANGE } from '../data/mix.js';

/**
 * Progress p in [0, 1] of a run of `totalSteps` steps at 0-based `step`:
 * step / (totalSteps − 1), so the first step sees 0 and the last sees 1.
 * The thesis (§4.3: "the batch index, number of epochs, and length of the
 * dataloader") divides by totalSteps instead and never reaches 1; the two
 * differ by less than 1 / totalSteps.
 */
export function trainingProgress(step: number, totalSteps: number): number {
  if (!(totalSteps >= 1)) throw new Error(`trainingProgress: totalSteps must be ≥ 1, got ${totalSteps}`);
  return totalSteps > 1 ? Math.min(1, step / (totalSteps - 1)) : 1;
}

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
 * raise the upper bound 1 dB every 3 epochs to the full range's 10 (reached after 45 epochs).
 * `periodEpochs` is a parameter so short demo runs see the whole ramp.
 */
export function domainStageCurriculum(periodEpochs = 3): SnrCurriculumSpec {
  return { start: [-10, -5], end: TRAINING_SNR_RANGE, stepDb: 1, periodEpochs };
}

/**
 * Stage 3 (DAT): start easy [5, 10], lower the lower bound 1 dB every
 * 30 epochs to the full range's −10 (reached after 450 of the 800 epochs).
 */
export function datStageCurriculum(periodEpochs = 30): SnrCurriculumSpec {
  return { start: [5, 10], end: TRAINING_SNR_RANGE, stepDb: 1, periodEpochs };
}

function moveTowards(from: number, to: number, by: number): number {
  return from < to ? Math.min(to, from + by) : Math.max(to, from - by);
}

/** The SNR range in force during `epoch` (0-based). */
export function snrRangeAt(spec: SnrCurriculumSpec, epoch: number): SnrRange {
  const steps = Math.floor(Math.max(0, epoch) / spec.periodEpochs);
  return [moveTowards(spec.start[0], spec.end[0], steps * spec.stepDb), moveTowards(spec.start[1], spec.end[1], steps * spec.stepDb)];
}
