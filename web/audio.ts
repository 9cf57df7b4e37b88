// Browser decoding for the tagger: the browser's own decoder (whatever formats
// it plays: WAV, MP3, FLAC, Ogg, AAC…), resampled to the model's rate and mixed
// to mono. Decoding happens inside an OfflineAudioContext running at the model's
// rate, because decodeAudioData always resamples to its context's rate: one
// resampling step, straight to the target, and none at all for audio that is
// already at the model's rate (which is what makes browser/Node parity testable).

import { sourceSampleRate } from './sourceRate.js';

export class AudioDecodeError extends Error {}

export interface DecodedAudio {
  /** Mono samples at `sampleRate`. */
  samples: Float32Array;
  sampleRate: number;
  /** The file's own rate from its container header (null: a format whose header this page cannot read). */
  sourceRate: number | null;
  /** Channels as the browser's decoder reported them. */
  channels: number;
  durationSeconds: number;
}

/**
 * Decodes `bytes` (which it detaches: the caller keeps the File, not the bytes,
 * so nothing but the mono samples outlives the call).
 */
export async function decodeToMono(bytes: Uint8Array<ArrayBuffer>, sampleRate: number, name: string): Promise<DecodedAudio> {
  if (bytes.byteLength === 0) throw new AudioDecodeError(`${name}: the file is empty`);
  const Offline = globalThis.OfflineAudioContext;
  if (!Offline) throw new AudioDecodeError('This browser has no Web Audio API (OfflineAudioContext), so it cannot decode audio.');
  const sourceRate = sourceSampleRate(bytes);
  const ctx = new Offline(1, 1, sampleRate);
  let buffer: AudioBuffer;
  try {
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
    buffer = await ctx.decodeAudioData(whole);
  } catch (e) {
    const why = e instanceof Error && e.message ? ` (${e.message})` : '';
    throw new AudioDecodeError(`${name}: this browser cannot decode the file as audio${why}. Try WAV, MP3, FLAC or Ogg Vorbis.`);
  }
  if (buffer.length === 0) throw new AudioDecodeError(`${name}: the file decodes to no audio samples`);
  return {
    samples: mixToMono(buffer),
    sampleRate: buffer.sampleRate,
    sourceRate,
    channels: buffer.numberOfChannels,
    durationSeconds: buffer.duration,
  };
}

/** The channel mean, summed then scaled as src/data/decode.ts does, so mono WAVs match Node bit for bit. */
function mixToMono(buffer: AudioBuffer): Float32Array {
  if (buffer.numberOfChannels === 1) return buffer.getChannelData(0).slice();
  const out = new Float32Array(buffer.length);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const ch = buffer.getChannelData(c);
    for (let i = 0; i < out.length; i++) out[i] += ch[i];
  }
  const g = 1 / buffer.numberOfChannels;
  for (let i = 0; i < out.length; i++) out[i] *= g;
  return out;
}
