// Pitch shift that keeps the duration, as SoX's `pitch` (used by CLMR) does:
// time-stretch by the pitch ratio with WSOLA, then read the stretched signal
// back faster by that ratio. WSOLA picks each analysis frame within a search
// window where it best continues the previous one, so periodic sounds keep
// their phase across frames and the pitch moves by exactly the ratio.
// The final read uses linear interpolation: cheap, and its slight
// high-frequency smear is harmless in an augmentation.

const FRAME = 1024; // ~46 ms at 22,050 Hz
const HOP = FRAME / 2; // periodic Hann at 50 % overlap sums to 1
const SEARCH = 256; // +-12 ms: more than one period of any pitch above ~85 Hz

const HANN = (() => {
  const w = new Float32Array(FRAME);
  for (let i = 0; i < FRAME; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FRAME);
  return w;
})();

export function pitchShift(x: Float32Array, cents: number): Float32Array {
  const ratio = 2 ** (cents / 1200);
  if (Math.abs(ratio - 1) < 1e-6) return x.slice();
  const stretched = timeStretch(x, ratio);
  const out = new Float32Array(x.length);
  for (let t = 0; t < out.length; t++) {
    const pos = t * ratio;
    const p0 = Math.floor(pos);
    if (p0 + 1 >= stretched.length) {
      out[t] = p0 < stretched.length ? stretched[p0] : 0;
      continue;
    }
    const f = pos - p0;
    out[t] = stretched[p0] * (1 - f) + stretched[p0 + 1] * f;
  }
  return out;
}

/** WSOLA: output of length round(n * factor) at the original pitch. */
export function timeStretch(x: Float32Array, factor: number): Float32Array {
  const n = x.length;
  const m = Math.round(n * factor);
  const out = new Float32Array(m + FRAME);
  const norm = new Float32Array(m + FRAME);
  // Zero margins on both sides so the hot loops need no bounds checks.
  const pad = SEARCH + FRAME + 8;
  const xp = new Float32Array(n + 2 * pad + FRAME);
  xp.set(x, pad);
  const clampPos = (p: number) => Math.max(-pad + 8, Math.min(n + FRAME, p));
  let prev = 0; // input position of the previous frame
  for (let j = 0; j * HOP < m; j++) {
    const nominal = clampPos(Math.round((j * HOP) / factor));
    let best = nominal;
    if (j > 0) {
      // Match the continuation the previous frame would have had over the
      // overlap (HOP samples): coarse search, then refine to one sample.
      const target = pad + clampPos(prev + HOP);
      const score = (cand: number, step: number) => {
        const c = pad + cand;
        let s = 0;
        for (let k = 0; k < HOP; k += step) s += xp[c + k] * xp[target + k];
        return s;
      };
      let bestScore = -Infinity;
      for (let d = -SEARCH; d <= SEARCH; d += 4) {
        const s = score(nominal + d, 4);
        if (s > bestScore) { bestScore = s; best = nominal + d; }
      }
      const coarse = best;
      bestScore = -Infinity;
      for (let d = -3; d <= 3; d++) {
        const s = score(coarse + d, 1);
        if (s > bestScore) { bestScore = s; best = coarse + d; }
      }
    }
    const o = j * HOP;
    const src = pad + best;
    for (let k = 0; k < FRAME; k++) {
      out[o + k] += HANN[k] * xp[src + k];
      norm[o + k] += HANN[k];
    }
    prev = best;
  }
  const res = new Float32Array(m);
  for (let t = 0; t < m; t++) res[t] = norm[t] > 1e-3 ? out[t] / norm[t] : out[t];
  return res;
}
