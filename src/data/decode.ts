// Decodes WAV, MP3, FLAC and Ogg Vorbis files to mono float audio at the
// target rate. The container is recognised from its first bytes, not its
// extension, because datasets mislabel files (the demo set stores WAV under
// MTAT's mp3_path column).
import { open, readFile, stat } from 'node:fs/promises';
import { MPEGDecoder } from 'mpg123-decoder';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { parseWav, parseWavLayout, wavFrames } from './wav.js';
import type { PcmAudio } from './wav.js';
import { Resampler, TARGET_SAMPLE_RATE } from './resample.js';
import type { ResampleQuality } from './resample.js';

export const AUDIO_EXTENSIONS = ['.wav', '.wave', '.mp3', '.flac', '.ogg', '.oga'];

/** Refuse files larger than this: a tagging clip is never gigabytes. */
const MAX_FILE_BYTES = 1024 * 1024 * 1024;

export class DecodeError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
  }
}

export type Container = 'wav' | 'mp3' | 'flac' | 'ogg';

export function sniffContainer(b: Uint8Array): Container | null {
  const s = (o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));
  if (b.length >= 12 && s(0, 4) === 'RIFF' && s(8, 4) === 'WAVE') return 'wav';
  if (b.length >= 4 && s(0, 4) === 'fLaC') return 'flac';
  if (b.length >= 4 && s(0, 4) === 'OggS') return 'ogg';
  if (b.length >= 3 && s(0, 3) === 'ID3') return 'mp3';
  // An MPEG audio frame sync: 11 set bits.
  if (b.length >= 2 && b[0] === 0xff && (b[1] & 0xe0) === 0xe0) return 'mp3';
  return null;
}

export function mixToMono(channels: Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0];
  const n = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(n);
  for (const c of channels) for (let i = 0; i < n; i++) out[i] += c[i];
  const g = 1 / channels.length;
  for (let i = 0; i < n; i++) out[i] *= g;
  return out;
}

export interface DecodedClip {
  samples: Float32Array;
  sampleRate: number;
  sourceRate: number;
  container: Container;
}

/**
 * Holds one decoder instance per format (their WebAssembly start-up is the
 * expensive part) and a resampler; not thread safe, make one per worker.
 */
export class AudioDecoder {
  private mpeg: MPEGDecoder | null = null;
  private flac: FLACDecoder | null = null;
  private ogg: OggVorbisDecoder | null = null;
  private resampler: Resampler;

  constructor(readonly targetRate = TARGET_SAMPLE_RATE, quality: ResampleQuality = 'medium') {
    this.resampler = new Resampler(targetRate, quality);
  }

  async decodeFile(path: string): Promise<DecodedClip> {
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (e) {
      throw new DecodeError(path, `unreadable: ${(e as Error).message}`);
    }
    if (size === 0) throw new DecodeError(path, 'empty file');
    if (size > MAX_FILE_BYTES) throw new DecodeError(path, `file too large (${size} bytes)`);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new DecodeError(path, `unreadable: ${(e as Error).message}`);
    }
    return this.decodeBytes(bytes, path);
  }

  async decodeBytes(bytes: Uint8Array, path = '<buffer>'): Promise<DecodedClip> {
    if (bytes.length === 0) throw new DecodeError(path, 'empty file');
    const container = sniffContainer(bytes);
    if (!container) throw new DecodeError(path, 'unrecognised audio format (not WAV, MP3, FLAC or Ogg)');
    let pcm: PcmAudio;
    try {
      pcm = await this.decodeContainer(container, bytes);
    } catch (e) {
      if (e instanceof DecodeError) throw e;
      throw new DecodeError(path, `corrupt ${container}: ${(e as Error).message}`);
    }
    const mono = mixToMono(pcm.channels);
    if (mono.length === 0) throw new DecodeError(path, `corrupt ${container}: no audio decoded`);
    for (let i = 0; i < mono.length; i++) {
      if (!Number.isFinite(mono[i])) throw new DecodeError(path, `corrupt ${container}: non-finite sample at ${i}`);
    }
    const samples = await this.resampler.resample(mono, pcm.sampleRate);
    return { samples, sampleRate: this.targetRate, sourceRate: pcm.sampleRate, container };
  }

  /**
   * The file as blocks of mono audio at the target rate, read and converted a
   * block at a time, so memory stays flat however long the file is: WAV in
   * blocks of `blockSeconds`, compressed formats in chunks of `chunkBytes`.
   * Errors are DecodeErrors naming the file.
   */
  async *streamFile(path: string, blockSeconds = 2, chunkBytes = 1 << 18): AsyncGenerator<Float32Array> {
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (e) {
      throw new DecodeError(path, `unreadable: ${(e as Error).message}`);
    }
    try {
      const size = (await handle.stat()).size;
      if (size === 0) throw new DecodeError(path, 'empty file');
      const head = new Uint8Array(Math.min(size, 1 << 16));
      await handle.read(head, 0, head.length, 0);
      const container = sniffContainer(head);
      if (!container) throw new DecodeError(path, 'unrecognised audio format (not WAV, MP3, FLAC or Ogg)');
      if (container === 'wav') yield* this.streamWav(path, handle, head, size, blockSeconds);
      else yield* this.streamCompressed(path, container, handle, size, chunkBytes);
    } finally {
      await handle.close();
    }
  }

  private async *streamWav(path: string, handle: Awaited<ReturnType<typeof open>>, head: Uint8Array, size: number, blockSeconds: number): AsyncGenerator<Float32Array> {
    let layout;
    try {
      layout = parseWavLayout(head, size);
    } catch (e) {
      throw new DecodeError(path, `corrupt wav: ${(e as Error).message}`);
    }
    const resampler = await this.resampler.stream(layout.rate);
    try {
      const blockFrames = Math.max(1, Math.round(blockSeconds * layout.rate));
      const buf = new Uint8Array(blockFrames * layout.blockAlign);
      for (let frame = 0; frame < layout.frames; frame += blockFrames) {
        const n = Math.min(blockFrames, layout.frames - frame);
        const { bytesRead } = await handle.read(buf, 0, n * layout.blockAlign, layout.dataOffset + frame * layout.blockAlign);
        const mono = finiteMono(path, 'wav', wavFrames(buf.subarray(0, bytesRead), layout), frame);
        yield resampler.push(mono);
      }
    } finally {
      resampler.close();
    }
  }

  /** A ready decoder of `container` fed chunk by chunk; flush() gives what it still holds at the end. */
  private async chunkDecoder(container: 'mp3' | 'flac' | 'ogg'): Promise<{ decode(c: Uint8Array): Promise<Decoded>; flush(): Promise<Decoded | null> }> {
    switch (container) {
      case 'mp3': {
        const mpeg = (this.mpeg = await ready(this.mpeg, () => new MPEGDecoder()));
        return { decode: async (c) => quietly(() => mpeg.decode(c)), flush: async () => null };
      }
      case 'flac': {
        const flac = (this.flac = await ready(this.flac, () => new FLACDecoder()));
        return { decode: (c) => flac.decode(c), flush: () => flac.flush() };
      }
      case 'ogg': {
        const ogg = (this.ogg = await ready(this.ogg, () => new OggVorbisDecoder()));
        return { decode: (c) => ogg.decode(c), flush: () => ogg.flush() };
      }
    }
  }

  /** MP3, FLAC, Ogg: the file read in chunks, each chunk's audio resampled and handed on. */
  private async *streamCompressed(path: string, container: 'mp3' | 'flac' | 'ogg', handle: Awaited<ReturnType<typeof open>>, size: number, chunkBytes: number): AsyncGenerator<Float32Array> {
    const decoder = await this.chunkDecoder(container);
    let resampler: { push(b: Float32Array): Float32Array; close(): void } | null = null;
    let samples = 0;
    let errors: { message: string }[] = [];
    // The same damage threshold as whole-file decoding (see checked()).
    const damaged = (): boolean => errors.length > 0 && errors.length >= Math.max(1, (0.05 * samples) / 1152);
    const chunk = new Uint8Array(chunkBytes);
    try {
      // Chunks while there are bytes, then one flush for what the decoder still holds.
      for (let at = 0, last = false; !last && !damaged(); at += chunk.length) {
        last = at >= size;
        let r: Decoded | null;
        if (!last) {
          const { bytesRead } = await handle.read(chunk, 0, chunk.length, at);
          r = await decoder.decode(chunk.slice(0, bytesRead)).catch((e: Error) => { throw new DecodeError(path, `corrupt ${container}: ${e.message}`); });
        } else r = await decoder.flush();
        if (!r) continue;
        errors = errors.concat(r.errors);
        if (!r.samplesDecoded) continue;
        if (!resampler) {
          if (!(r.sampleRate >= 1000 && r.sampleRate <= 768000)) throw new DecodeError(path, `corrupt ${container}: bad sample rate ${r.sampleRate}`);
          resampler = await this.resampler.stream(r.sampleRate);
        }
        const mono = finiteMono(path, container, r.channelData.map((c) => c.subarray(0, r!.samplesDecoded)), samples);
        samples += r.samplesDecoded;
        if (!damaged()) yield resampler.push(mono);
      }
      if (!samples) throw new DecodeError(path, `corrupt ${container}: no audio frames decoded`);
      if (damaged()) throw new DecodeError(path, `corrupt ${container}: ${errors.length} decode error(s) in ${samples} samples (${errors[0].message})`);
    } finally {
      resampler?.close();
    }
  }

  private async decodeContainer(container: Container, bytes: Uint8Array): Promise<PcmAudio> {
    switch (container) {
      case 'wav':
        return parseWav(bytes);
      case 'mp3': {
        const mpeg = (this.mpeg = await ready(this.mpeg, () => new MPEGDecoder()));
        const r = quietly(() => mpeg.decode(bytes));
        return checked(r.channelData, r.samplesDecoded, r.sampleRate, r.errors);
      }
      case 'flac': {
        const flac = (this.flac = await ready(this.flac, () => new FLACDecoder()));
        const r = await flac.decodeFile(bytes);
        return checked(r.channelData, r.samplesDecoded, r.sampleRate, r.errors);
      }
      case 'ogg': {
        const ogg = (this.ogg = await ready(this.ogg, () => new OggVorbisDecoder()));
        const r = await ogg.decodeFile(bytes);
        return checked(r.channelData, r.samplesDecoded, r.sampleRate, r.errors);
      }
    }
  }

  close(): void {
    this.mpeg?.free();
    this.flac?.free();
    this.ogg?.free();
    this.mpeg = this.flac = this.ogg = null;
    this.resampler.close();
  }
}

/**
 * mpg123-decoder prints every frame error with console.error (81 lines for a
 * garbage file) and also returns them; we report them once, counted, in the
 * DecodeError. So its own printing is silenced for the (synchronous) call.
 */
function quietly<T>(decode: () => T): T {
  const print = console.error;
  console.error = () => {};
  try {
    return decode();
  } finally {
    console.error = print;
  }
}

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

/** Mixes one block to mono and refuses a non-finite sample (float WAVs can hold NaN). */
function finiteMono(path: string, container: Container, channels: Float32Array[], firstFrame: number): Float32Array {
  const mono = mixToMono(channels);
  for (let i = 0; i < mono.length; i++) {
    if (!Number.isFinite(mono[i])) throw new DecodeError(path, `corrupt ${container}: non-finite sample at ${firstFrame + i}`);
  }
  return mono;
}

function checked(channelData: Float32Array[], samples: number, rate: number, errors: { message: string }[]): PcmAudio {
  if (!samples || channelData.length === 0) throw new Error('no audio frames decoded');
  // Decoders resynchronise past damaged frames and still output audio, so a
  // file of garbage behind one valid header "decodes". One error per ~20
  // frames (1152 samples, the smallest frame of the three codecs) or more
  // means the file is damaged, not a stray glitch: reject it.
  if (errors.length > 0 && errors.length >= Math.max(1, (0.05 * samples) / 1152)) {
    throw new Error(`${errors.length} decode error(s) in ${samples} samples (${errors[0].message})`);
  }
  if (!(rate >= 1000 && rate <= 768000)) throw new Error(`bad sample rate ${rate}`);
  return { channels: channelData.map((c) => c.subarray(0, samples)), sampleRate: rate };
}

/** A format's decoder, kept across files: created once (its wasm loads then), reset for each new file. */
async function ready<D extends { ready: Promise<unknown>; reset(): Promise<unknown> }>(current: D | null, make: () => D): Promise<D> {
  if (current) {
    await current.reset();
    return current;
  }
  const d = make();
  await d.ready;
  return d;
}
