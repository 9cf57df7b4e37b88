// The page's plain-TS parts, without a browser: container sample rates (the
// fixtures the Node decoder is tested with, and hand-made headers for formats
// the repository has no file of), h:mm:ss times, the size check and the CSV.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { encodeWav } from '../../src/data/wav.js';
import { type TaggingResult, taggingCsv } from '../../src/eval/tagging.js';
import { formatTime } from '../../web/heatmap.js';
import { MAX_AUDIO_BYTES, UserError, checkSize, formatBytes } from '../../web/job.js';
import { sourceSampleRate } from '../../web/sourceRate.js';

const FIXTURES = resolve(import.meta.dirname, '../data/fixtures');
const bytes = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
const u32le = (v: number) => [v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255];

describe('sourceSampleRate: the file\'s own rate from its header', () => {
  test.each(['mp3', 'flac', 'ogg'])('the 16 kHz %s fixture', (ext) => {
    expect(sourceSampleRate(readFileSync(join(FIXTURES, `sine440-16k-stereo.${ext}`)))).toBe(16000);
  });

  test('WAV at 44.1 kHz, also with a chunk before fmt', () => {
    const wav = encodeWav({ channels: [new Float32Array(10)], sampleRate: 44100 }, 'pcm16');
    expect(sourceSampleRate(wav)).toBe(44100);
    // RIFF, WAVE, then a LIST chunk of 4 bytes, then the original fmt and data chunks.
    const moved = new Uint8Array([...wav.subarray(0, 12), ...bytes('LIST', u32le(4), 'INFO'), ...wav.subarray(12)]);
    expect(sourceSampleRate(moved)).toBe(44100);
  });

  test('MP3 frames after an ID3v2 tag: MPEG-1 44.1 kHz, MPEG-2 22.05 kHz', () => {
    // ID3v2.3, no flags, a 4-byte (syncsafe) body, then an MPEG-1 Layer III frame header.
    expect(sourceSampleRate(bytes('ID3', [3, 0, 0, 0, 0, 0, 4], 'abcd', [0xff, 0xfb, 0x90, 0x00]))).toBe(44100);
    expect(sourceSampleRate(bytes([0xff, 0xf3, 0x90, 0x00]))).toBe(22050);
  });

  test('raw AAC (ADTS) at 48 kHz', () => {
    expect(sourceSampleRate(bytes([0xff, 0xf1, 0x4c, 0x80, 0, 0, 0]))).toBe(48000);
  });

  test('Ogg Opus decodes at 48 kHz; Ogg Vorbis says its rate', () => {
    const page = (packet: number[]) => bytes('OggS', new Array(22).fill(0), [1, packet.length], packet);
    expect(sourceSampleRate(page([...bytes('OpusHead', [1, 2, 0, 0], u32le(44100))]))).toBe(48000);
    expect(sourceSampleRate(page([...bytes('\x01vorbis', u32le(0), [2], u32le(32000))]))).toBe(32000);
  });

  test('WebM (what MediaRecorder writes): SamplingFrequency as an 8-byte float', () => {
    const f = new Uint8Array(8);
    new DataView(f.buffer).setFloat64(0, 48000);
    expect(sourceSampleRate(bytes([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0x42, 0x86], [0xb5, 0x88], [...f]))).toBe(48000);
  });

  test('MP4/M4A: the mp4a sample entry, 16.16 fixed point', () => {
    const entry = bytes(u32le(0), 'mp4a', new Array(6 + 2 + 8 + 2 + 2 + 4).fill(0), [0xac, 0x44, 0, 0]);
    expect(sourceSampleRate(bytes([0, 0, 0, 20], 'ftypM4A ', new Array(8).fill(0), [...entry]))).toBe(44100);
  });

  test('unknown or damaged: null, never a guess', () => {
    expect(sourceSampleRate(bytes('hello, this is text'))).toBeNull();
    expect(sourceSampleRate(bytes('RIFF', u32le(4), 'WAVE'))).toBeNull();
    expect(sourceSampleRate(new Uint8Array(0))).toBeNull();
  });
});

test('formatTime: m:ss under an hour, h:mm:ss from an hour, tenths between whole seconds', () => {
  expect(formatTime(0)).toBe('0:00');
  expect(formatTime(59.5)).toBe('0:59.5');
  expect(formatTime(2.97)).toBe('0:03');
  expect(formatTime(0.297)).toBe('0:00.3');
  expect(formatTime(3599.96)).toBe('1:00:00');
  expect(formatTime(600)).toBe('10:00');
  expect(formatTime(3600)).toBe('1:00:00');
  expect(formatTime(3 * 3600 + 5 * 60 + 7)).toBe('3:05:07');
});

test('the size check refuses above the limit before reading, naming the size and the limit', () => {
  expect(formatBytes(MAX_AUDIO_BYTES)).toBe('300 MB');
  expect(() => checkSize({ size: MAX_AUDIO_BYTES } as Blob, 'ok.wav')).not.toThrow();
  expect(() => checkSize({ size: MAX_AUDIO_BYTES + 1 } as Blob, 'big.wav')).toThrow(UserError);
  expect(() => checkSize({ size: 3.2e9 } as Blob, 'big.wav')).toThrow(/big\.wav is 3\.0 GB; this page tags files up to 300 MB/);
});

test('taggingCsv: a file row, then one row per window; names with commas or quotes are quoted', () => {
  const r: TaggingResult = {
    durationSeconds: 0.6,
    windowSeconds: 0.3,
    tagNames: ['rock', 'pop, dance'],
    tags: [{ tag: 'pop, dance', probability: 0.7 }, { tag: 'rock', probability: 0.2 }],
    timeline: [
      { startSeconds: 0, endSeconds: 0.3, probabilities: [0.1, 0.6] },
      { startSeconds: 0.3, endSeconds: 0.6, probabilities: [0.3, 0.8] },
    ],
  };
  expect(taggingCsv([{ file: 'a "live" take.wav', result: r }])).toBe(
    'file,window,start_seconds,end_seconds,rock,"pop, dance"\r\n' +
      '"a ""live"" take.wav",file,0,0.6,0.2,0.7\r\n' +
      '"a ""live"" take.wav",0,0,0.3,0.1,0.6\r\n' +
      '"a ""live"" take.wav",1,0.3,0.6,0.3,0.8\r\n',
  );
});
