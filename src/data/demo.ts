// The synthetic demo data set: a small MagnaTagATune-format collection
// (annotations_final.csv in MTAT's TAB/quoted format, audio in folders 0-f,
// WAV files under the mp3_path column) whose tags are audible properties of
// procedurally synthesised music, plus two noise sets whose families differ
// (seen in training vs. held out). Seeded: same seed, same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, mixSeed } from './rng.js';
import { addDrums, addMelody, normalizePeak } from './synth.js';
import type { Instrument } from './synth.js';
import { EXTERNAL_NOISE, INTERNAL_NOISE, synthNoise } from './synthNoise.js';
import { encodeWav } from './wav.js';

export const DEMO_TAGS = ['piano', 'strings', 'drums', 'synth', 'bass', 'flute', 'fast', 'slow', 'loud', 'quiet'];
const INSTRUMENTS: Instrument[] = ['piano', 'strings', 'synth', 'bass', 'flute'];

export interface DemoOptions {
  seed?: number;
  /** Music clips across all splits (MTAT folders: 75 % train, 6 % valid, 19 % test). Default 320. */
  clips?: number;
  /** Seconds per music clip; default 3 (longer than 59,049 samples at 22,050 Hz). */
  seconds?: number;
  /** Sample rate of the written files; default 11,025 Hz (resampled to 22,050 by prepare). */
  sampleRate?: number;
  /** Clips per noise family; default 8, each 4 s. */
  noiseClipsPerFamily?: number;
}

export interface DemoLayout {
  /** MTAT-format root (annotations_final.csv). */
  music: string;
  /** Noise families used for training and the internal test. */
  noiseInternal: string;
  /** Noise families kept for the external test only. */
  noiseExternal: string;
  tags: string[];
}

export function demoLayout(dir: string): DemoLayout {
  return { music: join(dir, 'mtat'), noiseInternal: join(dir, 'noise', 'internal'), noiseExternal: join(dir, 'noise', 'external'), tags: DEMO_TAGS };
}

export function generateDemoData(dir: string, opts: DemoOptions = {}): DemoLayout {
  const seed = opts.seed ?? 0;
  const count = opts.clips ?? 320;
  const rate = opts.sampleRate ?? 11025;
  const n = Math.round((opts.seconds ?? 3) * rate);
  const layout = demoLayout(dir);
  const q = (s: string) => `"${s}"`;
  const lines = [['clip_id', ...DEMO_TAGS, 'mp3_path'].map(q).join('\t')];
  for (let c = 0; c < count; c++) {
    const rng = new Rng(mixSeed(seed, 0xc11b, c));
    const { audio, tags } = synthClip(rng, n, rate);
    const folder = (c % 16).toString(16);
    const rel = `${folder}/demo-${String(c).padStart(4, '0')}.wav`;
    mkdirSync(join(layout.music, folder), { recursive: true });
    writeFileSync(join(layout.music, rel), encodeWav({ channels: [audio], sampleRate: rate }, 'pcm16'));
    lines.push([String(c + 1), ...DEMO_TAGS.map((t) => (tags.has(t) ? '1' : '0')), rel].map(q).join('\t'));
  }
  writeFileSync(join(layout.music, 'annotations_final.csv'), lines.join('\r\n') + '\r\n');

  const perFamily = opts.noiseClipsPerFamily ?? 8;
  const noiseLen = 4 * rate;
  for (const [root, families] of [[layout.noiseInternal, INTERNAL_NOISE], [layout.noiseExternal, EXTERNAL_NOISE]] as const) {
    for (const family of families) {
      mkdirSync(join(root, family), { recursive: true });
      for (let k = 0; k < perFamily; k++) {
        const rng = new Rng(mixSeed(seed, 0x9015e, family.length * 131 + family.charCodeAt(0), k));
        const x = synthNoise(family, noiseLen, rate, rng);
        // Noise needs no fine resolution: 8-bit keeps the demo small.
        writeFileSync(join(root, family, `${family}-${String(k).padStart(4, '0')}.wav`), encodeWav({ channels: [x], sampleRate: rate }, 'pcm8'));
      }
    }
  }
  return layout;
}

/** One clip: tempo class, 1-3 instruments, level class; the tags say which. */
function synthClip(rng: Rng, n: number, rate: number): { audio: Float32Array; tags: Set<string> } {
  const tags = new Set<string>();
  const tempoClass = rng.int(0, 2);
  const bpm = tempoClass === 0 ? rng.uniform(165, 190) : tempoClass === 1 ? rng.uniform(60, 75) : rng.uniform(100, 125);
  if (tempoClass === 0) tags.add('fast');
  if (tempoClass === 1) tags.add('slow');
  const beat = Math.round((60 / bpm) * rate);
  const audio = new Float32Array(n);
  const drums = rng.bernoulli(0.45);
  const pitched = INSTRUMENTS.filter(() => rng.bernoulli(0.35));
  if (pitched.length === 0 && !drums) pitched.push(rng.pick(INSTRUMENTS));
  const root = 48 + rng.int(0, 11);
  for (const inst of pitched) {
    addMelody(audio, rate, inst, beat, root, rng, inst === 'bass' ? 0.8 : 0.5);
    tags.add(inst);
  }
  if (drums) {
    addDrums(audio, rate, beat, rng, 0.8);
    tags.add('drums');
  }
  const level = rng.int(0, 2);
  normalizePeak(audio, level === 0 ? 0.9 : level === 1 ? 0.05 : 0.3);
  if (level === 0) tags.add('loud');
  if (level === 1) tags.add('quiet');
  return { audio, tags };
}
