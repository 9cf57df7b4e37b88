// A RIFF/WAVE reader and writer. WAV files come from untrusted folders, so
// every header field is checked before it sizes an allocation or a loop.

export interface PcmAudio {
  /** One Float32Array per channel, values nominally in [-1, 1]. */
  channels: Float32Array[];
  sampleRate: number;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
const MAX_CHANNELS = 64;

export class WavFormatError extends Error {}

function fourcc(b: Uint8Array, o: number): string {
  return String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
}

export interface WavLayout {
  tag: number;
  channels: number;
  rate: number;
  blockAlign: number;
  bits: number;
  isFloat: boolean;
  /** Byte offset of the samples in the file, and how many whole frames are really there. */
  dataOffset: number;
  frames: number;
}

/**
 * Reads the chunk headers. `head` holds at least the file's first bytes up to
 * the data chunk's header; `fileSize` bounds the data (streaming readers pass
 * only the head, parseWav the whole file).
 */
export function parseWavLayout(head: Uint8Array, fileSize = head.length): WavLayout {
  if (head.length < 12) throw new WavFormatError(`file too short for a RIFF header (${head.length} bytes)`);
  if (fourcc(head, 0) !== 'RIFF' || fourcc(head, 8) !== 'WAVE') throw new WavFormatError('not a RIFF/WAVE file');
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let fmt: { tag: number; channels: number; rate: number; blockAlign: number; bits: number } | null = null;
  let dataOffset = -1;
  let dataSize = 0;
  let pos = 12;
  while (pos + 8 <= head.length) {
    const id = fourcc(head, pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > head.length) throw new WavFormatError(`fmt chunk too small (${size} bytes)`);
      let tag = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const rate = view.getUint32(body + 4, true);
      const blockAlign = view.getUint16(body + 12, true);
      const bits = view.getUint16(body + 14, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE) {
        // The real format is the first two bytes of the SubFormat GUID.
        if (size < 40 || body + 26 > head.length) throw new WavFormatError('WAVE_FORMAT_EXTENSIBLE fmt chunk truncated');
        tag = view.getUint16(body + 24, true);
      }
      fmt = { tag, channels, rate, blockAlign, bits };
    } else if (id === 'data') {
      dataOffset = body;
      // A truncated or streaming-written file may claim more than it holds
      // (or 0xFFFFFFFF); trust only the bytes that are really there.
      dataSize = Math.max(0, Math.min(size, fileSize - body));
      if (fmt) break;
    }
    // Chunks are word aligned: an odd size is followed by a pad byte.
    pos = body + size + (size & 1);
  }
  if (!fmt) throw new WavFormatError('no fmt chunk');
  if (dataOffset < 0) throw new WavFormatError('no data chunk');
  const { tag, channels, rate, blockAlign, bits } = fmt;
  if (channels < 1 || channels > MAX_CHANNELS) throw new WavFormatError(`bad channel count ${channels}`);
  if (rate < 1000 || rate > 768000) throw new WavFormatError(`bad sample rate ${rate}`);
  const isFloat = tag === WAVE_FORMAT_IEEE_FLOAT;
  if (tag !== WAVE_FORMAT_PCM && !isFloat) throw new WavFormatError(`unsupported format tag 0x${tag.toString(16)}`);
  const okBits = isFloat ? [32, 64] : [8, 16, 24, 32];
  if (!okBits.includes(bits)) throw new WavFormatError(`unsupported ${isFloat ? 'float' : 'PCM'} bit depth ${bits}`);
  const bytesPerSample = bits / 8;
  if (blockAlign !== bytesPerSample * channels) {
    throw new WavFormatError(`block align ${blockAlign} does not match ${channels} x ${bits}-bit`);
  }
  const frames = Math.floor(dataSize / blockAlign);
  if (frames === 0) throw new WavFormatError('data chunk holds no samples');
  return { tag, channels, rate, blockAlign, bits, isFloat, dataOffset, frames };
}

/** Frames of `bytes` (whole frames from its start) as one Float32Array per channel. */
export function wavFrames(bytes: Uint8Array, layout: WavLayout, frames = Math.floor(bytes.length / layout.blockAlign)): Float32Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { channels, blockAlign, bits, isFloat } = layout;
  const bytesPerSample = bits / 8;
  const out: Float32Array[] = [];
  for (let c = 0; c < channels; c++) out.push(new Float32Array(frames));
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) out[c][i] = readSample(view, i * blockAlign + c * bytesPerSample, bits, isFloat);
  }
  return out;
}

export function parseWav(bytes: Uint8Array): PcmAudio {
  const layout = parseWavLayout(bytes);
  const data = bytes.subarray(layout.dataOffset, layout.dataOffset + layout.frames * layout.blockAlign);
  return { channels: wavFrames(data, layout, layout.frames), sampleRate: layout.rate };
}

function readSample(view: DataView, o: number, bits: number, isFloat: boolean): number {
  if (isFloat) return bits === 32 ? view.getFloat32(o, true) : view.getFloat64(o, true);
  switch (bits) {
    case 8:
      return (view.getUint8(o) - 128) / 128; // 8-bit WAV is unsigned
    case 16:
      return view.getInt16(o, true) / 32768;
    case 24: {
      const v = view.getUint8(o) | (view.getUint8(o + 1) << 8) | (view.getInt8(o + 2) << 16);
      return v / 8388608;
    }
    default:
      return view.getInt32(o, true) / 2147483648;
  }
}

export type WavEncoding = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';

/** Encodes audio as a canonical WAV (used by the demo generator and test fixtures). */
export function encodeWav(audio: PcmAudio, encoding: WavEncoding = 'pcm16', extensible = false): Uint8Array {
  const channels = audio.channels.length;
  const frames = audio.channels[0]?.length ?? 0;
  const bits = { pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32, float32: 32, float64: 64 }[encoding];
  const isFloat = encoding.startsWith('float');
  const bps = bits / 8;
  const fmtSize = extensible ? 40 : 16;
  const dataSize = frames * channels * bps;
  const total = 12 + 8 + fmtSize + 8 + dataSize + (dataSize & 1);
  const bytes = new Uint8Array(total);
  const v = new DataView(bytes.buffer);
  const put4 = (o: number, s: string) => { for (let i = 0; i < 4; i++) bytes[o + i] = s.charCodeAt(i); };
  put4(0, 'RIFF');
  v.setUint32(4, total - 8, true);
  put4(8, 'WAVE');
  put4(12, 'fmt ');
  v.setUint32(16, fmtSize, true);
  const tag = isFloat ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM;
  v.setUint16(20, extensible ? WAVE_FORMAT_EXTENSIBLE : tag, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, audio.sampleRate, true);
  v.setUint32(28, audio.sampleRate * channels * bps, true);
  v.setUint16(32, channels * bps, true);
  v.setUint16(34, bits, true);
  if (extensible) {
    v.setUint16(36, 22, true); // cbSize
    v.setUint16(38, bits, true); // valid bits
    v.setUint32(40, 0, true); // channel mask: unspecified
    // SubFormat GUID xxxxxxxx-0000-0010-8000-00aa00389b71 with the tag first.
    const guidTail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
    v.setUint16(44, tag, true);
    bytes.set(guidTail, 46);
  }
  const d = 20 + fmtSize;
  put4(d, 'data');
  v.setUint32(d + 4, dataSize, true);
  let o = d + 8;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      const x = audio.channels[c][i];
      const s = Math.max(-1, Math.min(1, x));
      if (encoding === 'float32') v.setFloat32(o, x, true);
      else if (encoding === 'float64') v.setFloat64(o, x, true);
      else if (bits === 8) v.setUint8(o, Math.max(0, Math.min(255, Math.round(s * 128 + 128))));
      else if (bits === 16) v.setInt16(o, Math.max(-32768, Math.min(32767, Math.round(s * 32768))), true);
      else if (bits === 24) {
        const q = Math.max(-8388608, Math.min(8388607, Math.round(s * 8388608)));
        v.setUint8(o, q & 0xff);
        v.setUint8(o + 1, (q >> 8) & 0xff);
        v.setInt8(o + 2, q >> 16);
      } else v.setInt32(o, Math.max(-2147483648, Math.min(2147483647, Math.round(s * 2147483648))), true);
      o += bps;
    }
  }
  return bytes;
}
