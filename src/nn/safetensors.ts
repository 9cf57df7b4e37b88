// The safetensors format, in memory: 8-byte little-endian header length N, N
// bytes of UTF-8 JSON {name: {dtype, shape, data_offsets}, __metadata__}, then
// the tensor bytes. Pure byte handling (no node:*), so the browser bundle can
// load weights too; file IO with atomic writes lives in checkpoint.ts.
//
// Everything read is validated before use: a checkpoint is untrusted input, and
// a silently misread tensor would show up only as a model that does not learn.
import type { Tensor } from '../autograd/index.js';
import type { Module } from './module.js';

export type SafeDType = 'F32' | 'F64' | 'F16' | 'BF16' | 'I64' | 'I32' | 'U8';

const ITEM_SIZE: Record<SafeDType, number> = { F32: 4, F64: 8, F16: 2, BF16: 2, I64: 8, I32: 4, U8: 1 };

/** One tensor as read: values converted to float32, plus the raw bytes for bit-exact comparisons. */
export interface TensorEntry {
  dtype: SafeDType;
  shape: number[];
  data: Float32Array;
  raw: Uint8Array;
}

export interface SafetensorsFile {
  tensors: Map<string, TensorEntry>;
  metadata: Record<string, string>;
}

/** What to write: float32 values (F32), or integer counters written as I64 like PyTorch does. */
export interface TensorToWrite {
  shape: readonly number[];
  data: Float32Array;
  dtype?: 'F32' | 'I64';
}

const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Header offsets are relative to the byte buffer; entries are laid out in name order, 8-byte aligned. */
export function encodeSafetensors(tensors: Record<string, TensorToWrite>, metadata: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new Error(`safetensors: metadata "${k}" must be a string (JSON-encode structured values)`);
    header.__metadata__ = metadata;
  }
  let offset = 0;
  const parts: Uint8Array[] = [];
  for (const name of names) {
    if (name === '__metadata__') throw new Error('safetensors: "__metadata__" is reserved and cannot name a tensor');
    const t = tensors[name];
    const dtype = t.dtype ?? 'F32';
    if (numel(t.shape) !== t.data.length) throw new Error(`safetensors: tensor "${name}" has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    let bytes: Uint8Array;
    if (dtype === 'F32') {
      bytes = new Uint8Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength));
    } else {
      const out = new BigInt64Array(t.data.length);
      for (let i = 0; i < t.data.length; i++) {
        if (!Number.isInteger(t.data[i])) throw new Error(`safetensors: tensor "${name}" is I64 but holds ${t.data[i]}`);
        out[i] = BigInt(t.data[i]);
      }
      bytes = new Uint8Array(out.buffer);
    }
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  // Pad the header with spaces to a multiple of 8 so tensor data is aligned (as the reference writer does).
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

function toFloat32(name: string, where: string, dtype: SafeDType, raw: Uint8Array, n: number): Float32Array {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    switch (dtype) {
      case 'F32': out[i] = dv.getFloat32(i * 4, true); break;
      case 'F64': out[i] = dv.getFloat64(i * 8, true); break;
      case 'F16': out[i] = halfToFloat(dv.getUint16(i * 2, true)); break;
      case 'BF16': out[i] = new Float32Array(new Uint32Array([dv.getUint16(i * 2, true) << 16]).buffer)[0]; break;
      case 'I32': out[i] = dv.getInt32(i * 4, true); break;
      case 'U8': out[i] = raw[i]; break;
      case 'I64': {
        // Counters such as num_batches_tracked: exact in float32 only up to 2^24.
        const v = dv.getBigInt64(i * 8, true);
        if (v > 16777216n || v < -16777216n) throw new Error(`${where}: tensor "${name}" holds the I64 value ${v}, beyond what float32 represents exactly (2^24)`);
        out[i] = Number(v);
        break;
      }
    }
  }
  return out;
}

/** Parses and validates a safetensors buffer; `where` (usually the file path) prefixes every error. */
export function decodeSafetensors(bytes: Uint8Array, where = 'safetensors'): SafetensorsFile {
  const hint = 'the file is damaged or was not fully written; re-export it or use an earlier checkpoint';
  if (bytes.length < 8) throw new Error(`${where}: ${bytes.length} bytes is too short for a safetensors file (8-byte header length missing); ${hint}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = dv.getBigUint64(0, true);
  if (headerLen > BigInt(bytes.length - 8)) throw new Error(`${where}: header length ${headerLen} runs past the end of the file (${bytes.length} bytes): truncated or not a safetensors file; ${hint}`);
  const n = Number(headerLen);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new Error(`${where}: the header is not valid UTF-8 JSON (${(e as Error).message}); ${hint}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new Error(`${where}: the header is not a JSON object; ${hint}`);
  const body = bytes.subarray(8 + n);
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, TensorEntry>();
  const spans: [number, number, string][] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where}: __metadata__ is not a JSON object of strings; ${hint}`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') throw new Error(`${where}: metadata "${k}" is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const info = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = info?.dtype as SafeDType;
    if (typeof dtype !== 'string' || !(dtype in ITEM_SIZE)) {
      throw new Error(`${where}: tensor "${name}" has dtype ${JSON.stringify(info?.dtype)}, which this reader does not know (F32, F64, F16, BF16, I64, I32, U8); convert it to F32 before loading`);
    }
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`${where}: tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    const offs = info.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isInteger(o) && o >= 0) || offs[0] > offs[1]) {
      throw new Error(`${where}: tensor "${name}" has invalid data_offsets ${JSON.stringify(offs)}`);
    }
    const [begin, end] = offs as [number, number];
    if (end > body.length) throw new Error(`${where}: tensor "${name}" spans bytes [${begin}, ${end}) but the data section has only ${body.length} bytes: the file is truncated; ${hint}`);
    const count = numel(shape as number[]);
    if (end - begin !== count * ITEM_SIZE[dtype]) {
      throw new Error(`${where}: tensor "${name}" ([${(shape as number[]).join(', ')}] ${dtype}) needs ${count * ITEM_SIZE[dtype]} bytes but its offsets give ${end - begin}`);
    }
    spans.push([begin, end, name]);
    const raw = new Uint8Array(body.subarray(begin, end)); // a copy, and a plain Uint8Array even when given a Node Buffer
    tensors.set(name, { dtype, shape: [...(shape as number[])], data: toFloat32(name, where, dtype, raw, count), raw });
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i][0] < spans[i - 1][1]) throw new Error(`${where}: tensors "${spans[i - 1][2]}" and "${spans[i][2]}" overlap in the data section; ${hint}`);
  }
  return { tensors, metadata };
}

/** Names PyTorch stores as integer counters (I64) rather than floats. */
export const isCounter = (name: string): boolean => name.endsWith('num_batches_tracked');

/** Reads a module's parameters and buffers (PyTorch names) to host arrays, ready for encodeSafetensors. */
export async function moduleTensors(module: Module, prefix = ''): Promise<Record<string, TensorToWrite>> {
  const out: Record<string, TensorToWrite> = {};
  for (const [name, t] of module.stateEntries(prefix)) {
    const data = Float32Array.from(await t.read());
    out[name] = { shape: [...t.shape], data, dtype: isCounter(name) ? 'I64' : 'F32' };
  }
  return out;
}

export interface LoadOptions {
  /** Every tensor of the file must be used and every entry of the module filled (default true). */
  strict?: boolean;
  /** Only entries whose names start with this are considered; it is stripped before matching. */
  prefix?: string;
  /** Names the caller's errors by (usually the file path). */
  source?: string;
  /** Check everything, write nothing (to validate several modules before loading any). */
  validateOnly?: boolean;
}

/**
 * A NaN or Inf weight, or a negative BatchNorm variance, makes every output
 * the same garbage (or NaN) without any error downstream: refuse it at load,
 * naming the tensor.
 */
function checkValues(source: string, name: string, data: Float32Array): void {
  const variance = name.endsWith('running_var');
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v) || (variance && v < 0)) {
      const what = Number.isFinite(v) ? `a negative variance (${v})` : `${v}`;
      throw new Error(`${source}: tensor "${name}" holds ${what} at element ${i}; the checkpoint is damaged or training diverged before it was written. Use an earlier checkpoint.`);
    }
  }
}

/**
 * Copies `entries` into the module's parameters and buffers, matching PyTorch names.
 * Validates everything before writing anything, so a failed load leaves the module as it was.
 * Returns the names that were loaded.
 */
export function loadStateDict(module: Module, entries: Map<string, TensorEntry>, opts: LoadOptions = {}): string[] {
  const strict = opts.strict ?? true;
  const source = opts.source ?? 'state dict';
  const prefix = opts.prefix ?? '';
  const targets = new Map<string, Tensor>(module.stateEntries());
  const plan: [Tensor, TensorEntry, string][] = [];
  const unexpected: string[] = [];
  for (const [fullName, e] of entries) {
    if (!fullName.startsWith(prefix)) continue;
    const name = fullName.slice(prefix.length);
    const t = targets.get(name);
    if (!t) {
      unexpected.push(fullName);
      continue;
    }
    if (t.shape.length !== e.shape.length || t.shape.some((d, i) => d !== e.shape[i])) {
      throw new Error(`${source}: tensor "${fullName}" has shape [${e.shape.join(', ')}] but the model expects [${t.shape.join(', ')}]; the checkpoint was made for another model configuration (check --config / the checkpoint's model_config metadata)`);
    }
    checkValues(source, fullName, e.data);
    plan.push([t, e, name]);
  }
  const loaded = new Set(plan.map(([, , n]) => n));
  const missing = [...targets.keys()].filter((n) => !loaded.has(n));
  if (strict && (missing.length || unexpected.length)) {
    const parts: string[] = [];
    if (missing.length) parts.push(`missing ${missing.length} tensor(s): ${missing.slice(0, 8).map((n) => `"${prefix}${n}"`).join(', ')}${missing.length > 8 ? ', …' : ''}`);
    if (unexpected.length) parts.push(`unexpected ${unexpected.length} tensor(s): ${unexpected.slice(0, 8).map((n) => `"${n}"`).join(', ')}${unexpected.length > 8 ? ', …' : ''}`);
    // A wrapper module's attribute in front of the names (CLMR's SimCLR `encoder.`, Lightning's `model.`) is the usual cause.
    const wrapper = unexpected.map((n) => n.slice(0, n.indexOf('.') + 1)).find((p) => p && unexpected.some((n) => n.startsWith(p) && targets.has(n.slice(p.length))));
    const hint = wrapper ? `the file's names carry a wrapper prefix "${wrapper}": strip it (see docs/pytorch-conversion.md)` : 'check the model configuration, strip a wrapper prefix (e.g. "encoder."), or load with strict: false';
    throw new Error(`${source}: ${parts.join('; ')}. The checkpoint does not match this model; ${hint}`);
  }
  if (!opts.validateOnly) for (const [t, e] of plan) t.write(e.data);
  return plan.map(([, , n]) => n);
}

/** What a model checkpoint carries besides weights; stored as strings in __metadata__. */
export interface CheckpointMeta {
  modelConfig?: unknown;
  tags?: readonly string[];
  sampleRate?: number;
  stage?: string;
  step?: number;
  /** Anything else, already string-valued. */
  extra?: Record<string, string>;
}

export function encodeMeta(meta: CheckpointMeta): Record<string, string> {
  const m: Record<string, string> = { format: 'robust-tagger', ...(meta.extra ?? {}) };
  if (meta.modelConfig !== undefined) m.model_config = JSON.stringify(meta.modelConfig);
  if (meta.tags) m.tags = JSON.stringify(meta.tags);
  if (meta.sampleRate !== undefined) m.sample_rate = String(meta.sampleRate);
  if (meta.stage !== undefined) m.stage = meta.stage;
  if (meta.step !== undefined) m.step = String(meta.step);
  return m;
}

export function decodeMeta(m: Record<string, string>, where = 'checkpoint'): CheckpointMeta {
  const parse = (k: string): unknown => {
    try {
      return JSON.parse(m[k]);
    } catch {
      throw new Error(`${where}: metadata "${k}" is not valid JSON`);
    }
  };
  const known = new Set(['model_config', 'tags', 'sample_rate', 'stage', 'step']);
  const integer = (k: string, min: number, max: number): number | undefined => {
    if (m[k] === undefined) return undefined;
    const n = /^\d+$/.test(m[k].trim()) ? Number(m[k]) : NaN;
    if (!(n >= min && n <= max)) throw new Error(`${where}: metadata "${k}" is ${JSON.stringify(m[k])}; expected an integer from ${min} to ${max}. The checkpoint's metadata is damaged`);
    return n;
  };
  const tags = m.tags !== undefined ? parse('tags') : undefined;
  if (tags !== undefined) {
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t === '')) throw new Error(`${where}: metadata "tags" must be a JSON list of non-empty strings`);
    const dup = tags.find((t, i) => tags.indexOf(t) !== i);
    if (dup !== undefined) throw new Error(`${where}: metadata "tags" lists "${dup}" twice (${tags.length} tags); every tag must be distinct`);
  }
  return {
    modelConfig: m.model_config !== undefined ? parse('model_config') : undefined,
    tags: tags as string[] | undefined,
    // Rates a recording can have: 8 kHz telephone audio up to 384 kHz studio masters.
    sampleRate: integer('sample_rate', 8000, 384000),
    stage: m.stage,
    step: integer('step', 0, Number.MAX_SAFE_INTEGER),
    extra: Object.fromEntries(Object.entries(m).filter(([k]) => !known.has(k))),
  };
}
