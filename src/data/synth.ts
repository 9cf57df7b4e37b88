// Procedural instruments, drums and noise for the synthetic demo data set.
// Instruments are wavetables (one period of a fixed harmonic recipe) read by
// a phase accumulator: each has its own timbre and envelope, so a small
// 1-D CNN can hear which ones play.
import type { Rng } from './rng.js';

const TABLE = 2048;

function wavetable(partials: (h: number) => number, count: number): Float32Array {
  const t = new Float32Array(TABLE);
  for (let h = 1; h <= count; h++) {
    const a = partials(h);
    if (a === 0) continue;
    for (let i = 0; i < TABLE; i++) t[i] += a * Math.sin((2 * Math.PI * h * i) / TABLE);
  }
  let peak = 0;
  for (const v of t) peak = Math.max(peak, Math.abs(v));
  for (let i = 0; i < TABLE; i++) t[i] /= peak;
  return t;
}

export type Instrument = 'piano' | 'strings' | 'synth' | 'bass' | 'flute';

interface Voice {
  table: Float32Array;
  /** MIDI range the instrument plays in. */
  low: number;
  high: number;
  attack: number; // seconds
  decay: number; // seconds to 1/e after the attack; Infinity = sustained
  vibrato: number; // depth in semitones
  breath: number; // noise amount
}

const VOICES: Record<Instrument, Voice> = {
  piano: { table: wavetable((h) => 1 / h ** 1.5, 10), low: 60, high: 76, attack: 0.003, decay: 0.35, vibrato: 0, breath: 0 },
  strings: { table: wavetable((h) => 1 / h, 14), low: 55, high: 70, attack: 0.12, decay: Infinity, vibrato: 0.15, breath: 0 },
  synth: { table: wavetable((h) => (h % 2 ? 1 / h : 0), 15), low: 60, high: 74, attack: 0.01, decay: Infinity, vibrato: 0, breath: 0 },
  bass: { table: wavetable((h) => (h === 1 ? 1 : h === 2 ? 0.4 : h === 3 ? 0.15 : 0), 3), low: 36, high: 48, attack: 0.005, decay: 0.5, vibrato: 0, breath: 0 },
  flute: { table: wavetable((h) => (h === 1 ? 1 : h === 2 ? 0.15 : h === 3 ? 0.05 : 0), 3), low: 74, high: 88, attack: 0.06, decay: Infinity, vibrato: 0.25, breath: 0.06 },
};

const MAJOR = [0, 2, 4, 5, 7, 9, 11];

/** Adds one note of `inst` into out, starting at sample `start` for `dur` samples. */
export function addNote(out: Float32Array, rate: number, inst: Instrument, midi: number, start: number, dur: number, gain: number, rng: Rng): void {
  const v = VOICES[inst];
  const f0 = 440 * 2 ** ((midi - 69) / 12);
  let phase = rng.next() * TABLE;
  const release = Math.round(0.03 * rate);
  const end = Math.min(out.length, start + dur + release);
  for (let i = Math.max(0, start); i < end; i++) {
    const t = (i - start) / rate;
    let env = t < v.attack ? t / v.attack : Number.isFinite(v.decay) ? Math.exp(-(t - v.attack) / v.decay) : 1;
    if (i >= start + dur) env *= 1 - (i - start - dur) / release;
    const vib = v.vibrato ? 2 ** ((v.vibrato * Math.sin(2 * Math.PI * 5.5 * t)) / 12) : 1;
    phase += (f0 * vib * TABLE) / rate;
    if (phase >= TABLE) phase -= TABLE * Math.floor(phase / TABLE);
    let s = v.table[Math.floor(phase)];
    if (v.breath) s += v.breath * (rng.next() * 2 - 1);
    out[i] += gain * env * s;
  }
}

/** A melody on the beat grid: one note per beat (two per beat for piano and synth at slow tempi feels busy; keep one). */
export function addMelody(out: Float32Array, rate: number, inst: Instrument, beatSamples: number, root: number, rng: Rng, gain: number): void {
  const v = VOICES[inst];
  const sustained = !Number.isFinite(v.decay);
  const step = sustained ? beatSamples * 2 : beatSamples;
  for (let start = 0; start < out.length; start += step) {
    let midi = root + MAJOR[rng.int(0, 6)] + 12 * rng.int(0, 1);
    while (midi > v.high) midi -= 12;
    while (midi < v.low) midi += 12;
    addNote(out, rate, inst, midi, start, Math.round(step * 0.9), gain, rng);
  }
}

/** Kick on beats 1 and 3, snare on 2 and 4, hi-hat on every half beat. */
export function addDrums(out: Float32Array, rate: number, beatSamples: number, rng: Rng, gain: number): void {
  for (let b = 0, start = 0; start < out.length; b++, start += beatSamples) {
    if (b % 2 === 0) {
      let phase = 0;
      for (let i = 0; i < Math.min(0.25 * rate, out.length - start); i++) {
        const t = i / rate;
        phase += (2 * Math.PI * (50 + 100 * Math.exp(-t / 0.03))) / rate;
        out[start + i] += gain * Math.exp(-t / 0.08) * Math.sin(phase);
      }
    } else {
      let lp = 0;
      for (let i = 0; i < Math.min(0.18 * rate, out.length - start); i++) {
        const t = i / rate;
        const n = rng.next() * 2 - 1;
        lp += 0.5 * (n - lp);
        out[start + i] += gain * 0.7 * Math.exp(-t / 0.05) * (lp + 0.5 * Math.sin(2 * Math.PI * 190 * t));
      }
    }
    for (const off of [0, Math.round(beatSamples / 2)]) {
      let prev = 0;
      const s0 = start + off;
      for (let i = 0; i < Math.min(0.04 * rate, out.length - s0); i++) {
        const n = rng.next() * 2 - 1;
        out[s0 + i] += gain * 0.25 * Math.exp(-i / rate / 0.012) * (n - prev); // differentiated noise: bright
        prev = n;
      }
    }
  }
}

export function normalizePeak(x: Float32Array, peak: number): void {
  let m = 0;
  for (const v of x) m = Math.max(m, Math.abs(v));
  if (m > 0) for (let i = 0; i < x.length; i++) x[i] *= peak / m;
}

/** A resonant band-pass (RBJ, constant 0 dB peak) as a stateful closure, for formants and wind. */
export function bandpass(rate: number): (x: number, f: number, q: number) => number {
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  return (x, f, q) => {
    const w = (2 * Math.PI * Math.min(f, rate * 0.45)) / rate;
    const alpha = Math.sin(w) / (2 * q);
    const a0 = 1 + alpha;
    const y = ((alpha * x - alpha * x2) - (-2 * Math.cos(w)) * y1 - (1 - alpha) * y2) / a0;
    x2 = x1; x1 = x; y2 = y1; y1 = y;
    return y;
  };
}
