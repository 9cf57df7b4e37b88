// A file's own sample rate, read from its container or codec header. The page
// needs this because the browser's decodeAudioData always resamples to its
// context's rate and never says what the file's rate was; without it a 44.1 kHz
// MP3 was shown as 22,050 Hz. Only the first header of each kind is read: no
// decoding, a few bytes near the start (and, for MP4, the end) of the file.

const MPEG_RATES = [44100, 48000, 32000];
const AAC_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** The rate, or null when the format is not one this knows or its header is damaged. */
export function sourceSampleRate(b: Uint8Array): number | null {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const tag = (o: number, s: string) => o + s.length <= b.length && [...s].every((c, i) => b[o + i] === c.charCodeAt(0));
  if (tag(0, 'RIFF') && tag(8, 'WAVE')) return wavRate(b, v);
  if (tag(0, 'fLaC') && b.length >= 21) return ok((b[18] << 12) | (b[19] << 4) | (b[20] >> 4));
  if (tag(0, 'OggS')) return oggRate(b, v, tag);
  if (tag(0, '\x1a\x45\xdf\xa3')) return webmRate(b, v);
  if (tag(4, 'ftyp')) return mp4Rate(b, v, tag);
  return mpegOrAdtsRate(b);
}

const ok = (r: number): number | null => (Number.isFinite(r) && r >= 1000 && r <= 768000 ? Math.round(r) : null);

/** The fmt chunk, wherever it sits among the RIFF chunks (usually first, not always). */
function wavRate(b: Uint8Array, v: DataView): number | null {
  for (let o = 12; o + 8 <= b.length; ) {
    const id = String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
    const size = v.getUint32(o + 4, true);
    if (id === 'fmt ' && o + 16 <= b.length) return ok(v.getUint32(o + 12, true));
    o += 8 + size + (size & 1);
  }
  return null;
}

/** The first packet of an Ogg stream is the codec's identification header: Vorbis or Opus. */
function oggRate(b: Uint8Array, v: DataView, tag: (o: number, s: string) => boolean): number | null {
  if (b.length < 27) return null;
  const packet = 27 + b[26];
  if (tag(packet, '\x01vorbis') && packet + 16 <= b.length) return ok(v.getUint32(packet + 12, true));
  // Opus always decodes at 48 kHz; the header's "input rate" is only what the encoder was fed.
  if (tag(packet, 'OpusHead')) return 48000;
  if (tag(packet, '\x7fFLAC') && packet + 30 <= b.length) return ok((b[packet + 27] << 12) | (b[packet + 28] << 4) | (b[packet + 29] >> 4));
  return null;
}

/** WebM/Matroska (what MediaRecorder writes): the first SamplingFrequency element (ID 0xB5), a 4- or 8-byte float. */
function webmRate(b: Uint8Array, v: DataView): number | null {
  const end = Math.min(b.length - 9, 1 << 16);
  for (let o = 0; o < end; o++) {
    if (b[o] !== 0xb5) continue;
    if (b[o + 1] === 0x88) {
      const r = ok(v.getFloat64(o + 2));
      if (r) return r;
    } else if (b[o + 1] === 0x84) {
      const r = ok(v.getFloat32(o + 2));
      if (r) return r;
    }
  }
  return null;
}

/** MP4/M4A: the AudioSampleEntry ('mp4a', 'alac', …) holds the rate as 16.16 fixed point. The moov box may be at either end. */
function mp4Rate(b: Uint8Array, v: DataView, tag: (o: number, s: string) => boolean): number | null {
  const span = 4 << 20;
  const ranges: [number, number][] = [[0, Math.min(b.length, span)], [Math.max(0, b.length - span), b.length]];
  for (const [from, to] of ranges) {
    for (let o = from + 4; o + 32 <= to; o++) {
      if (tag(o, 'mp4a') || tag(o, 'alac') || tag(o, 'fLaC') || tag(o, 'Opus')) {
        const r = ok(v.getUint16(o + 28));
        if (r) return r;
      }
    }
  }
  return null;
}

/** An MP3 (after any ID3v2 tag) or a raw AAC (ADTS) stream: the first plausible frame header (free-format and reserved values skipped). */
function mpegOrAdtsRate(b: Uint8Array): number | null {
  let o = 0;
  if (b.length >= 10 && b[0] === 0x49 && b[1] === 0x44 && b[2] === 0x33) {
    o = 10 + ((b[6] & 0x7f) << 21) + ((b[7] & 0x7f) << 14) + ((b[8] & 0x7f) << 7) + (b[9] & 0x7f) + (b[5] & 0x10 ? 10 : 0);
  }
  // A frame header is 4 bytes, but the rate is in the third: that much is enough.
  const end = Math.min(b.length - 2, o + (1 << 16));
  for (; o < end; o++) {
    if (b[o] !== 0xff || (b[o + 1] & 0xe0) !== 0xe0) continue;
    const layer = (b[o + 1] >> 1) & 3;
    if (layer === 0 && (b[o + 1] & 0xf0) === 0xf0) {
      const r = AAC_RATES[(b[o + 2] >> 2) & 0xf];
      if (r) return r;
      continue;
    }
    const version = (b[o + 1] >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    const rateIndex = (b[o + 2] >> 2) & 3;
    const bitrateIndex = b[o + 2] >> 4;
    if (version === 1 || layer === 0 || rateIndex === 3 || bitrateIndex === 15 || bitrateIndex === 0) continue;
    return MPEG_RATES[rateIndex] / (version === 3 ? 1 : version === 2 ? 2 : 4);
  }
  return null;
}
