// Shared helpers for the data tests: temp dirs and signal measurements.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'rt-data-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function sine(freq: number, rate: number, n: number, amp = 0.5): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return x;
}

export function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, to - from));
}

/** Frequency of the strongest DFT bin in [fLo, fHi], scanned at 0.5 Hz steps (Goertzel-style). */
export function peakFrequency(x: Float32Array, rate: number, fLo: number, fHi: number, step = 0.5): number {
  let best = fLo;
  let bestP = -1;
  for (let f = fLo; f <= fHi; f += step) {
    let re = 0;
    let im = 0;
    const w = (2 * Math.PI * f) / rate;
    for (let i = 0; i < x.length; i++) {
      // Hann window against leakage from the clip edges.
      const h = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (x.length - 1));
      re += x[i] * h * Math.cos(w * i);
      im -= x[i] * h * Math.sin(w * i);
    }
    const p = re * re + im * im;
    if (p > bestP) {
      bestP = p;
      best = f;
    }
  }
  return best;
}
