// Second-order Butterworth high/low-pass (RBJ biquad with Q = 1/sqrt 2): its
// magnitude is exactly -3 dB at the cutoff, which is what the tests check.

export type FilterKind = 'lowpass' | 'highpass';

export function biquadCoefficients(kind: FilterKind, cutoffHz: number, sampleRate: number) {
  const w0 = (2 * Math.PI * Math.min(cutoffHz, sampleRate * 0.49)) / sampleRate;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * Math.SQRT1_2);
  const a0 = 1 + alpha;
  const b1 = kind === 'lowpass' ? 1 - cos : -(1 + cos);
  const b0 = kind === 'lowpass' ? (1 - cos) / 2 : (1 + cos) / 2;
  return { b0: b0 / a0, b1: b1 / a0, b2: b0 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** Filters x in place (direct form I, float64 state). */
export function applyBiquad(x: Float32Array, kind: FilterKind, cutoffHz: number, sampleRate: number): void {
  const { b0, b1, b2, a1, a2 } = biquadCoefficients(kind, cutoffHz, sampleRate);
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i];
    const y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1; x1 = x0; y2 = y1; y1 = y0;
    x[i] = y0;
  }
}
