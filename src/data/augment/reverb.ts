// A Schroeder/Moorer reverberator (eight damped feedback combs in parallel,
// four allpasses in series) driven by the three parameters of SoX's reverb
// that CLMR randomises: reverberance (tail length), HF damping and room size.

// Comb and allpass delays in samples at 44.1 kHz: mutually prime-ish lengths
// of the classic public Freeverb tuning, so echoes do not pile up.
const COMB_44K = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617];
const ALLPASS_44K = [556, 441, 341, 225];
const INPUT_GAIN = 0.015;
const WET_GAIN = 3;

export interface ReverbParams {
  /** 0-100: feedback of the combs, i.e. how long the tail rings. */
  reverberance: number;
  /** 0-100: how fast high frequencies die away in the tail. */
  damping: number;
  /** 0-100: scales every delay line (a small room has dense, short echoes). */
  roomSize: number;
}

export function applyReverb(x: Float32Array, p: ReverbParams, sampleRate: number): void {
  const feedback = 0.7 + 0.28 * (clamp01(p.reverberance / 100));
  const damp = 0.4 * clamp01(p.damping / 100);
  const scale = (sampleRate / 44100) * (0.2 + 0.8 * clamp01(p.roomSize / 100));
  const combs = COMB_44K.map((d) => ({ buf: new Float32Array(Math.max(1, Math.round(d * scale))), i: 0, store: 0 }));
  const allpasses = ALLPASS_44K.map((d) => ({ buf: new Float32Array(Math.max(1, Math.round(d * scale))), i: 0 }));
  for (let n = 0; n < x.length; n++) {
    const input = x[n] * INPUT_GAIN;
    let acc = 0;
    for (const c of combs) {
      const y = c.buf[c.i];
      // One-pole low-pass inside the loop: damping removes highs each round trip.
      c.store = y * (1 - damp) + c.store * damp;
      c.buf[c.i] = input + c.store * feedback;
      if (++c.i === c.buf.length) c.i = 0;
      acc += y;
    }
    for (const a of allpasses) {
      const b = a.buf[a.i];
      a.buf[a.i] = acc + b * 0.5;
      acc = b - acc;
      if (++a.i === a.buf.length) a.i = 0;
    }
    x[n] = x[n] + acc * WET_GAIN;
  }
}

function clamp01(v: number): number {
  return Math.max(0, Math.min(1, v));
}
