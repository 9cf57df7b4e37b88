// Browser decoding for the tagger: the browser's own decoder (whatever formats
// it plays: WAV, MP3, FLAC, Ogg, AAC…), resampled to the model's rate and mixed
// to mono. Decoding happens inside an OfflineAudioContext running at the model's
// rate, because decodeAudioData always resamples to its context's rate: one
// resampling step, straight to the target, and none at all for audio that is
// already at the model's rate (which is what makes browser/Node parity testable).

export class AudioDecodeError extends Error {}

export interface DecodedAudio {
  /** Mono samples at `sampleRate`. */
  samples: Float32Array;
  sampleRate: number;
  /** The file's own rate and channel count, as the browser's decoder reported them. */
  sourceRate: number;
  channels: number;
  durationSeconds: number;
}

export async function decodeToMono(bytes: ArrayBuffer, sampleRate: number, name: string): Promise<DecodedAudio> {
  if (bytes.byteLength === 0) throw new AudioDecodeError(`${name}: the file is empty`);
  const Offline = globalThis.OfflineAudioContext;
  if (!Offline) throw new AudioDecodeError('This browser has no Web Audio API (OfflineAudioContext), so it cannot decode audio.');
  const ctx = new Offline(1, 1, sampleRate);
  let buffer: AudioBuffer;
  try {
    // decodeAudioData detaches its argument: give it a copy so a retry can reuse the bytes.
    buffer = await ctx.decodeAudioData(bytes.slice(0));
  } catch (e) {
    const why = e instanceof Error && e.message ? ` (${e.message})` : '';
    throw new AudioDecodeError(`${name}: this browser cannot decode the file as audio${why}. Try WAV, MP3, FLAC or Ogg Vorbis.`);
  }
  if (buffer.length === 0) throw new AudioDecodeError(`${name}: the file decodes to no audio samples`);
  return {
    samples: mixToMono(buffer),
    sampleRate: buffer.sampleRate,
    sourceRate: sourceRateOf(bytes) ?? buffer.sampleRate,
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

/** A WAV header's sample rate, for the status line only (the decoder does not report a file's own rate). */
function sourceRateOf(bytes: ArrayBuffer): number | null {
  if (bytes.byteLength < 28) return null;
  const v = new DataView(bytes);
  const tag = (o: number) => String.fromCharCode(v.getUint8(o), v.getUint8(o + 1), v.getUint8(o + 2), v.getUint8(o + 3));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE' || tag(12) !== 'fmt ') return null;
  return v.getUint32(24, true);
}
