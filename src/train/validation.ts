// Model selection on the validation split, as the thesis does (§4.1,
// Tables 4.3-4.5): the clean validation clips and the same clips mixed with
// the training noise set's validation files at SNR 10 … −10 dB. The score is
// the mean macro ROC-AUC over those six cells; the finetuning stages keep the
// weights with the best score as best.safetensors.
import { CacheClipProvider } from '../eval/cacheClips.js';
import { CLEAN, GRID_SNRS_DB, type PredictFn, noisyCondition, runGrid } from '../eval/grid.js';

export interface ValidationData {
  musicCache: string;
  /** The training noise set: its valid split is mixed in (never its train or test files). */
  noiseCache: string;
  seed: number;
  /** Validate on the first N validation clips only (quick runs). */
  maxClips?: number;
}

export interface ValidationScore {
  /** Mean macro ROC-AUC over the cells that have one. */
  rocAuc: number;
  /** ROC-AUC per cell id (clean, internal@10dB, ...). */
  cells: Record<string, number | null>;
}

export async function validationScore(predict: PredictFn, chunkLength: number, data: ValidationData): Promise<ValidationScore> {
  const provider = new CacheClipProvider({
    musicCache: data.musicCache,
    split: 'valid',
    noise: { internal: { cacheDir: data.noiseCache, split: 'valid' } },
    k: 1,
    seed: data.seed,
    maxClips: data.maxClips,
  });
  try {
    const conditions = [CLEAN, ...GRID_SNRS_DB.map((snr) => noisyCondition('internal', snr))];
    const results = await runGrid({ model: 'validation', predict, provider, conditions, chunkLength, maxChunksPerCall: 64 });
    const cells = Object.fromEntries(results.map((r) => [r.condition, r.rocAuc]));
    const scored = results.map((r) => r.rocAuc).filter((v): v is number => v !== null);
    if (scored.length === 0) throw new Error(`${data.musicCache}: no validation cell has a tag with both positives and negatives; validation needs more clips`);
    return { rocAuc: scored.reduce((a, b) => a + b, 0) / scored.length, cells };
  } finally {
    provider.close();
  }
}

/**
 * Keeps the best-scoring weights of a run at `path` (with the score in the
 * file's metadata, so a resumed run keeps comparing against it).
 */
export class BestCheckpoint {
  private best: number;

  constructor(readonly path: string, previousScore: number | undefined) {
    this.best = previousScore ?? -Infinity;
  }

  get score(): number {
    return this.best;
  }

  /** Writes the weights through `write` when `score` beats the best so far; says whether it did. */
  async offer(score: ValidationScore, write: (extra: Record<string, string>) => Promise<void>): Promise<boolean> {
    if (!(score.rocAuc > this.best)) return false;
    this.best = score.rocAuc;
    await write({ validation_roc_auc: String(score.rocAuc), validation_cells: JSON.stringify(score.cells) });
    return true;
  }
}
