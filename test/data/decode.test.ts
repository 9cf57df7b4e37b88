import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AudioDecoder, DecodeError, sniffContainer } from '../../src/data/decode.js';
import { encodeWav, parseWav, WavFormatError } from '../../src/data/wav.js';
import type { WavEncoding } from '../../src/data/wav.js';
import { tempDir, sine, peakFrequency, rms } from './helpers.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const decoder = new AudioDecoder();
const tmp = tempDir();
afterAll(() => {
  decoder.close();
  tmp.cleanup();
});

/**
 * The blocks of a stream joined give decodeFile's samples: the stateful
 * converter may hold back its last few filter taps; everything it gives matches.
 */
async function expectStreamedAsWhole(path: string, stream: AsyncIterable<Float32Array>): Promise<void> {
  const whole = (await decoder.decodeFile(path)).samples;
  const parts: Float32Array[] = [];
  for await (const b of stream) parts.push(b);
  const streamed = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((at, p) => (streamed.set(p, at), at + p.length), 0);
  expect(Math.abs(streamed.length - whole.length)).toBeLessThan(200);
  let worst = 0;
  for (let i = 0; i < Math.min(streamed.length, whole.length) - 200; i++) worst = Math.max(worst, Math.abs(streamed[i] - whole[i]));
  expect(worst).toBeLessThan(1e-3);
}

describe('WAV parsing', () => {
  const encodings: WavEncoding[] = ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64'];
  for (const enc of encodings) {
    for (const ext of [false, true]) {
      it(`round-trips ${enc}${ext ? ' (WAVE_FORMAT_EXTENSIBLE)' : ''}`, () => {
        const x = sine(440, 8000, 800, 0.7);
        const bytes = encodeWav({ channels: [x], sampleRate: 8000 }, enc, ext);
        const back = parseWav(bytes);
        expect(back.sampleRate).toBe(8000);
        expect(back.channels[0].length).toBe(800);
        const tol = enc === 'pcm8' ? 1 / 100 : 1e-4;
        let maxErr = 0;
        for (let i = 0; i < 800; i++) maxErr = Math.max(maxErr, Math.abs(back.channels[0][i] - x[i]));
        expect(maxErr).toBeLessThan(tol);
      });
    }
  }

  it('rejects bad headers instead of trusting them', () => {
    const good = encodeWav({ channels: [sine(100, 8000, 100)], sampleRate: 8000 });
    const badAlign = good.slice();
    new DataView(badAlign.buffer).setUint16(32, 7, true);
    expect(() => parseWav(badAlign)).toThrow(/block align/);
    const badRate = good.slice();
    new DataView(badRate.buffer).setUint32(24, 0, true);
    expect(() => parseWav(badRate)).toThrow(/sample rate/);
    const noData = good.slice(0, 36);
    expect(() => parseWav(noData)).toThrow(WavFormatError);
    expect(() => parseWav(new Uint8Array(4))).toThrow(/too short/);
  });

  it('tolerates a data chunk that claims more bytes than the file holds', () => {
    const good = encodeWav({ channels: [sine(100, 8000, 100)], sampleRate: 8000 });
    new DataView(good.buffer).setUint32(40, 0xffffffff, true);
    expect(parseWav(good).channels[0].length).toBe(100);
  });
});

describe('AudioDecoder', () => {
  it('recognises containers by their magic bytes', () => {
    expect(sniffContainer(new TextEncoder().encode('fLaC\0\0'))).toBe('flac');
    expect(sniffContainer(new TextEncoder().encode('OggS\0\0'))).toBe('ogg');
    expect(sniffContainer(new TextEncoder().encode('ID3\u0004'))).toBe('mp3');
    expect(sniffContainer(new TextEncoder().encode('hello'))).toBeNull();
  });

  it('mixes a stereo WAV to mono and resamples 16 kHz to 22,050 Hz keeping the pitch', async () => {
    const left = sine(1000, 16000, 16000, 0.4);
    const right = sine(1000, 16000, 16000, 0.2);
    const p = join(tmp.dir, 'stereo.wav');
    writeFileSync(p, encodeWav({ channels: [left, right], sampleRate: 16000 }));
    const clip = await decoder.decodeFile(p);
    expect(clip.sampleRate).toBe(22050);
    expect(clip.sourceRate).toBe(16000);
    expect(Math.abs(clip.samples.length - 22050)).toBeLessThanOrEqual(2);
    // mono = mean of channels: amplitude 0.3 -> rms 0.212
    expect(rms(clip.samples, 2000, 20000)).toBeCloseTo(0.3 / Math.SQRT2, 2);
    expect(peakFrequency(clip.samples.subarray(0, 8192), 22050, 950, 1050)).toBeCloseTo(1000, -1);
  });

  for (const ext of ['mp3', 'flac', 'ogg']) {
    it(`decodes the ${ext} fixture (0.5 s, 440 Hz, stereo, 16 kHz)`, async () => {
      const clip = await decoder.decodeFile(join(fixtures, `sine440-16k-stereo.${ext}`));
      expect(clip.container).toBe(ext);
      expect(clip.sourceRate).toBe(16000);
      // Encoders add priming/padding, so allow some slack on the length.
      expect(clip.samples.length).toBeGreaterThan(0.45 * 22050);
      expect(clip.samples.length).toBeLessThan(0.7 * 22050);
      expect(Math.abs(peakFrequency(clip.samples, 22050, 400, 480) - 440)).toBeLessThan(3);
    });
  }

  it('fails with a path and a reason on empty, truncated, corrupt and missing files', async () => {
    const empty = join(tmp.dir, 'empty.wav');
    writeFileSync(empty, new Uint8Array(0));
    await expect(decoder.decodeFile(empty)).rejects.toThrow(/empty\.wav: empty file/);
    const garbage = join(tmp.dir, 'garbage.mp3');
    const g = new Uint8Array(4000);
    for (let i = 0; i < g.length; i++) g[i] = (i * 7919 + 13) & 0xff;
    g[0] = 0x49; g[1] = 0x44; g[2] = 0x33; // "ID3" so it is taken for MP3
    writeFileSync(garbage, g);
    await expect(decoder.decodeFile(garbage)).rejects.toThrow(/corrupt mp3/);
    const flac = readFileSync(join(fixtures, 'sine440-16k-stereo.flac'));
    const cut = join(tmp.dir, 'cut.flac');
    writeFileSync(cut, flac.subarray(0, 30));
    await expect(decoder.decodeFile(cut)).rejects.toThrow(DecodeError);
    await expect(decoder.decodeFile(join(tmp.dir, 'missing.wav'))).rejects.toThrow(/unreadable/);
  });
});

describe('damaged MP3 (issue 11, defect 9)', () => {
  // A real MP3's first frames, then pseudo-random bytes: the decoder resynchronises and errs hundreds of times.
  const good = readFileSync(fileURLToPath(new URL('../fixtures/long-3min.mp3', import.meta.url))).subarray(0, 8192);
  let x = 12345;
  const junk = Uint8Array.from({ length: 300_000 }, () => ((x = (x * 1103515245 + 12345) >>> 0), x >>> 24));
  const damaged = join(tmp.dir, 'damaged.mp3');
  writeFileSync(damaged, Buffer.concat([good, junk]));

  it('is one counted error naming the file, with none of the decoder\'s own per-frame lines', async () => {
    const printed: unknown[] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => void printed.push(a.join(' '));
    try {
      await expect(decoder.decodeFile(damaged)).rejects.toThrow(/damaged\.mp3: corrupt mp3: \d+ decode error\(s\) in \d+ samples/);
      const stream = async () => {
        for await (const _ of decoder.streamFile(damaged)) void _;
      };
      await expect(stream()).rejects.toThrow(/damaged\.mp3: corrupt mp3: \d+ decode error\(s\)/);
    } finally {
      console.error = original;
    }
    expect(printed.filter((l) => String(l).includes('mpg123'))).toEqual([]);
  });

  it.each(['sine440-16k-stereo.mp3', 'sine440-16k-stereo.flac', 'sine440-16k-stereo.ogg'])('streamFile in 1 KiB chunks gives the audio of decodeFile: %s', async (name) => {
    const path = join(fixtures, name);
    await expectStreamedAsWhole(path, decoder.streamFile(path, 2, 1024));
  });

  it('streamFile gives the same audio as decodeFile for WAV (block joins are seamless)', async () => {
    const path = join(tmp.dir, 'stream.wav');
    writeFileSync(path, encodeWav({ channels: [sine(440, 44100, 44100 * 5), sine(660, 44100, 44100 * 5)], sampleRate: 44100 }));
    await expectStreamedAsWhole(path, decoder.streamFile(path, 0.7));
  });
});
