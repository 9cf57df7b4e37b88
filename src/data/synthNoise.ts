// Noise families of the demo. The training ("internal") families and the
// held-out ("external") ones differ in kind, so the demo can show how a
// model copes with noise it never saw.
import { bandpass } from './synth.js';
import type { Rng } from './rng.js';

export const INTERNAL_NOISE = ['babble', 'traffic', 'white', 'pink'] as const;
export const EXTERNAL_NOISE = ['hum-clicks', 'wind', 'speech'] as const;
export type NoiseFamily = (typeof INTERNAL_NOISE)[number] | (typeof EXTERNAL_NOISE)[number];

const VOWELS = [[730, 1090, 2440], [270, 2290, 3010], [530, 1840, 2480], [300, 870, 2240], [570, 840, 2410], [660, 1720, 2410]];

/** One synthetic talker: a jittered glottal pulse train through three moving formants, syllable-paced. */
function voice(n: number, rate: number, rng: Rng, pauses: boolean): Float32Array {
  const out = new Float32Array(n);
  const filters = [bandpass(rate), bandpass(rate), bandpass(rate)];
  let f0 = rng.uniform(95, 240);
  let phase = 0;
  let vowel = rng.pick(VOWELS);
  let nextSyllable = 0;
  let syllableLen = 1;
  let talking = true;
  for (let i = 0; i < n; i++) {
    if (i >= nextSyllable) {
      syllableLen = Math.round(rng.uniform(0.12, 0.3) * rate);
      nextSyllable = i + syllableLen;
      vowel = rng.pick(VOWELS);
      f0 *= rng.uniform(0.92, 1.08);
      f0 = Math.max(80, Math.min(280, f0));
      talking = !pauses || rng.bernoulli(0.75);
    }
    phase += f0 / rate;
    let src = 0;
    if (phase >= 1) {
      phase -= 1;
      src = 1;
    }
    const pos = 1 - (nextSyllable - i) / syllableLen;
    const env = talking ? Math.sin(Math.PI * pos) : 0;
    let y = 0;
    vowel.forEach((f, k) => { y += filters[k](src * env, f, 8) / (k + 1); });
    out[i] = y;
  }
  return out;
}

export function synthNoise(family: NoiseFamily, n: number, rate: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  switch (family) {
    case 'white':
      for (let i = 0; i < n; i++) out[i] = rng.normal();
      break;
    case 'pink': {
      // Three one-pole low-passes of white noise at spread corners add up to a ~1/f slope.
      let a = 0, b = 0, c = 0;
      for (let i = 0; i < n; i++) {
        const w = rng.normal();
        a = 0.997 * a + 0.029 * w;
        b = 0.963 * b + 0.032 * w;
        c = 0.57 * c + 0.11 * w;
        out[i] = a + b + c + 0.05 * w;
      }
      break;
    }
    case 'traffic': {
      // Brown rumble swelling as cars pass, plus an engine tone that drifts.
      let brown = 0;
      let phase = 0;
      const passes = [rng.uniform(0, n), rng.uniform(0, n), rng.uniform(0, n)];
      for (let i = 0; i < n; i++) {
        brown = 0.995 * brown + 0.1 * rng.normal();
        const swell = 0.3 + passes.reduce((s, p) => s + Math.exp(-(((i - p) / (0.7 * rate)) ** 2)), 0);
        phase += (2 * Math.PI * (55 + 15 * Math.sin((2 * Math.PI * i) / (2.3 * rate)))) / rate;
        out[i] = swell * (brown + 0.3 * Math.sin(phase));
      }
      break;
    }
    case 'babble': {
      for (let v = 0; v < 6; v++) {
        const one = voice(n, rate, rng, false);
        for (let i = 0; i < n; i++) out[i] += one[i];
      }
      break;
    }
    case 'speech':
      out.set(voice(n, rate, rng, true));
      break;
    case 'hum-clicks': {
      const mains = rng.bernoulli(0.5) ? 50 : 60;
      for (let i = 0; i < n; i++) {
        const t = i / rate;
        out[i] = 0.5 * Math.sin(2 * Math.PI * mains * t) + 0.3 * Math.sin(2 * Math.PI * 2 * mains * t) + 0.2 * Math.sin(2 * Math.PI * 3 * mains * t);
      }
      const clicks = rng.int(6, 20);
      for (let c = 0; c < clicks; c++) {
        const at = rng.int(0, n - 1);
        const amp = rng.uniform(1, 3) * (rng.bernoulli(0.5) ? 1 : -1);
        for (let k = 0; k < 40 && at + k < n; k++) out[at + k] += amp * Math.exp(-k / 6);
      }
      break;
    }
    case 'wind': {
      const bp = bandpass(rate);
      let gust = 0.5;
      for (let i = 0; i < n; i++) {
        gust += 0.0005 * rng.normal() - 0.0001 * (gust - 0.5);
        gust = Math.max(0.05, Math.min(1, gust));
        out[i] = gust * bp(rng.normal(), 300 + 900 * gust, 1.5);
      }
      break;
    }
  }
  let m = 0;
  for (const v of out) m = Math.max(m, Math.abs(v));
  if (m > 0) for (let i = 0; i < n; i++) out[i] *= 0.8 / m;
  return out;
}
