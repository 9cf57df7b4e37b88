// Sample grid results: the thesis's test figures for the noise-1 models
// (Fig. 4.7 internal noise, Fig. 4.8 external noise), as (ROC-AUC, PR-AUC)
// pairs for clean, SNR 10, 5, 0, −5, −10. Used to exercise the reports with
// realistic numbers; per-tag data is left empty.
import type { GridResult } from '../../src/eval/grid.js';
import { listConditions } from '../../src/eval/grid.js';

type Row = [number, number][];
const INTERNAL: Record<string, Row> = {
  Baseline: [[0.87, 0.366], [0.694, 0.198], [0.74, 0.225], [0.725, 0.211], [0.592, 0.105], [0.52, 0.075]],
  'Fully supervised': [[0.865, 0.356], [0.744, 0.227], [0.78, 0.254], [0.764, 0.239], [0.619, 0.121], [0.536, 0.079]],
  'DAT α≠1': [[0.872, 0.375], [0.73, 0.223], [0.763, 0.239], [0.754, 0.231], [0.602, 0.11], [0.523, 0.075]],
  'DAT α=1': [[0.869, 0.366], [0.717, 0.209], [0.753, 0.231], [0.743, 0.223], [0.607, 0.11], [0.52, 0.075]],
};
const EXTERNAL: Record<string, Row> = {
  Baseline: [[0.87, 0.366], [0.677, 0.187], [0.722, 0.208], [0.701, 0.202], [0.623, 0.125], [0.543, 0.083]],
  'Fully supervised': [[0.865, 0.356], [0.731, 0.216], [0.769, 0.246], [0.748, 0.229], [0.65, 0.139], [0.55, 0.087]],
  'DAT α≠1': [[0.872, 0.375], [0.715, 0.203], [0.752, 0.23], [0.734, 0.218], [0.627, 0.131], [0.547, 0.085]],
  'DAT α=1': [[0.869, 0.366], [0.696, 0.193], [0.738, 0.214], [0.724, 0.208], [0.627, 0.132], [0.545, 0.084]],
};

export function thesisResults(): GridResult[] {
  const conditions = listConditions().map((c) => c.id);
  const out: GridResult[] = [];
  for (const model of Object.keys(INTERNAL)) {
    for (const condition of conditions) {
      let pair: [number, number];
      if (condition === 'clean') pair = INTERNAL[model][0];
      else {
        const [noise, snr] = condition.split('/snr');
        const column = 1 + [10, 5, 0, -5, -10].indexOf(Number(snr));
        pair = (noise === 'internal' ? INTERNAL : EXTERNAL)[model][column];
      }
      out.push({ model, condition, rocAuc: pair[0], prAuc: pair[1], perTag: [], excluded: [], clips: 5329 });
    }
  }
  return out;
}
