// safetensors: bit-exact round trips, PyTorch-layout files built by hand, and
// validation that names the file and the tensor on every kind of damage.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Tensor } from '../../src/autograd/index.js';
import type { GpuContext } from '../../src/gpu/context.js';
import { loadModules, readSafetensors, saveModules, saveTensors } from '../../src/nn/checkpoint.js';
import { Module, Sequential } from '../../src/nn/index.js';
import { decodeSafetensors, encodeSafetensors, loadStateDict } from '../../src/nn/safetensors.js';
import { primaryAdapter } from '../helpers/adapters.js';

const { ctx } = await primaryAdapter();
const dir = mkdtempSync(join(tmpdir(), 'safetensors-'));

/** Parameter/buffer holders named like a conv and a BatchNorm, without needing their ops. */
class ConvLike extends Module {
  constructor(c: GpuContext) {
    super();
    this.registerParameter('weight', Tensor.zeros(c, [4, 1, 3]));
    this.registerParameter('bias', Tensor.zeros(c, [4]));
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}
class BnLike extends Module {
  constructor(c: GpuContext) {
    super();
    this.registerParameter('weight', Tensor.zeros(c, [4]));
    this.registerParameter('bias', Tensor.zeros(c, [4]));
    this.registerBuffer('running_mean', Tensor.zeros(c, [4]));
    this.registerBuffer('running_var', Tensor.zeros(c, [4]));
    this.registerBuffer('num_batches_tracked', Tensor.zeros(c, []));
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}
class Tiny extends Module {
  constructor(c: GpuContext) {
    super();
    this.registerModule('sequential', new Sequential(new Sequential(new ConvLike(c), new BnLike(c))));
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** A file laid out as safetensors.torch.save_file would: JSON header, then little-endian data. */
function handBuilt(entries: [string, string, number[], Uint8Array][], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let off = 0;
  for (const [name, dtype, shape, bytes] of entries) {
    header[name] = { dtype, shape, data_offsets: [off, off + bytes.length] };
    off += bytes.length;
  }
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  let at = 8 + h.length;
  for (const [, , , b] of entries) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
const f32 = (xs: number[]): Uint8Array => new Uint8Array(Float32Array.from(xs).buffer);
const i64 = (xs: number[]): Uint8Array => new Uint8Array(BigInt64Array.from(xs.map(BigInt)).buffer);
const seq = (n: number, k = 0.25): number[] => Array.from({ length: n }, (_, i) => (i - 2) * k);

function pytorchLayout(): [string, string, number[], Uint8Array][] {
  return [
    ['sequential.0.0.weight', 'F32', [4, 1, 3], f32(seq(12))],
    ['sequential.0.0.bias', 'F32', [4], f32(seq(4, 0.5))],
    ['sequential.0.1.weight', 'F32', [4], f32([1, 2, 3, 4])],
    ['sequential.0.1.bias', 'F32', [4], f32([0.1, 0.2, 0.3, 0.4])],
    ['sequential.0.1.running_mean', 'F32', [4], f32([-1, 0, 1, 2])],
    ['sequential.0.1.running_var', 'F32', [4], f32([0.5, 1, 1.5, 2])],
    ['sequential.0.1.num_batches_tracked', 'I64', [], i64([1234])],
  ];
}

describe('safetensors format', () => {
  test('round trip is bit-exact (signed zeros, subnormals, NaN payloads, extremes)', () => {
    const odd = new Float32Array(new Uint32Array([0x80000000, 0x00000001, 0x7fc00123, 0x7f7fffff, 0xff800000, 0x3eaaaaab]).buffer);
    const bytes = encodeSafetensors({ b: { shape: [2, 3], data: odd }, a: { shape: [], data: Float32Array.of(7), dtype: 'I64' } }, { step: '12' });
    // Data section 8-byte aligned, as the reference writer does.
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect([...back.tensors.get('b')!.raw]).toEqual([...new Uint8Array(odd.buffer)]);
    expect(back.tensors.get('a')).toMatchObject({ dtype: 'I64', shape: [] });
    expect(back.tensors.get('a')!.data[0]).toBe(7);
    expect(back.metadata).toEqual({ step: '12' });
  });

  test('F64, F16 and I64 convert to float32', () => {
    const f64 = new Uint8Array(Float64Array.of(0.1, -3).buffer);
    const f16 = new Uint8Array(Uint16Array.of(0x3c00, 0xc000, 0x3555, 0x0001).buffer);
    const f = decodeSafetensors(handBuilt([['d', 'F64', [2], f64], ['h', 'F16', [4], f16], ['n', 'I64', [2], i64([-5, 16777216])]]));
    expect([...f.tensors.get('d')!.data]).toEqual([Math.fround(0.1), -3]);
    expect([...f.tensors.get('h')!.data]).toEqual([1, -2, Math.fround(0.333251953125), Math.fround(2 ** -24)]);
    expect([...f.tensors.get('n')!.data]).toEqual([-5, 16777216]);
    expect(() => decodeSafetensors(handBuilt([['n', 'I64', [1], i64([2 ** 40])]]), 'big.safetensors')).toThrow(/big\.safetensors: tensor "n" holds the I64 value 1099511627776/);
  });

  test('damaged files fail with the file, the tensor and what to do', () => {
    const good = handBuilt(pytorchLayout());
    const where = '/ckpt/model.safetensors';
    expect(() => decodeSafetensors(good.subarray(0, 5), where)).toThrow(/model\.safetensors: 5 bytes is too short/);
    expect(() => decodeSafetensors(good.subarray(0, 40), where)).toThrow(/header length \d+ runs past the end of the file \(40 bytes\).*re-export/);
    expect(() => decodeSafetensors(good.subarray(0, good.length - 3), where)).toThrow(/tensor "sequential.0.1.num_batches_tracked" spans bytes \[\d+, \d+\) but the data section has only \d+ bytes: the file is truncated/);
    expect(() => decodeSafetensors(handBuilt([['w', 'F8_E4M3', [1], new Uint8Array(1)]]), where)).toThrow(/tensor "w" has dtype "F8_E4M3", which this reader does not know.*convert it to F32/);
    expect(() => decodeSafetensors(handBuilt([['w', 'F32', [3], f32([1, 2])]]), where)).toThrow(/tensor "w" \(\[3\] F32\) needs 12 bytes but its offsets give 8/);
    const overlap = handBuilt([['a', 'F32', [2], f32([1, 2])], ['b', 'F32', [2], f32([3, 4])]]);
    const text = new TextDecoder().decode(overlap).replace('[8,16]', '[4,12]');
    expect(() => decodeSafetensors(new TextEncoder().encode(text), where)).toThrow(/tensors "a" and "b" overlap/);
    const badMeta = new TextEncoder().encode(new TextDecoder().decode(handBuilt([['w', 'F32', [1], f32([1])]], { a: 'b' })).replace('{"a":"b"}', '["a","b"]'));
    expect(() => decodeSafetensors(badMeta, where)).toThrow(/__metadata__ is not a JSON object of strings/);
    const badJson = good.slice();
    badJson[8] = 0x7b + 1;
    expect(() => decodeSafetensors(badJson, where)).toThrow(/header is not valid UTF-8 JSON/);
  });
});

describe('files and modules', () => {
  test('a PyTorch-layout file (I64 num_batches_tracked, F32 weights) loads into PyTorch-named modules', async () => {
    const path = join(dir, 'torch.safetensors');
    writeFileSync(path, handBuilt(pytorchLayout(), { format: 'pt' }));
    const m = new Tiny(ctx);
    const names = loadStateDict(m, readSafetensors(path).tensors, { source: path });
    expect(names.length).toBe(7);
    const state = new Map(m.stateEntries());
    expect([...(await state.get('sequential.0.0.weight')!.read())]).toEqual(seq(12));
    expect([...(await state.get('sequential.0.1.running_var')!.read())]).toEqual([0.5, 1, 1.5, 2]);
    expect(await state.get('sequential.0.1.num_batches_tracked')!.item()).toBe(1234);
    m.dispose();
  });

  test('missing, unexpected and mis-shaped tensors are refused before anything is written', async () => {
    const path = join(dir, 'bad.safetensors');
    const m = new Tiny(ctx);
    const entries = pytorchLayout();
    writeFileSync(path, handBuilt(entries.slice(0, 6)));
    expect(() => loadStateDict(m, readSafetensors(path).tensors, { source: path })).toThrow(/bad\.safetensors: missing 1 tensor\(s\): "sequential.0.1.num_batches_tracked".*strip a wrapper prefix/);
    writeFileSync(path, handBuilt([...entries, ['fc.weight', 'F32', [1], f32([1])]]));
    expect(() => loadStateDict(m, readSafetensors(path).tensors, { source: path })).toThrow(/unexpected 1 tensor\(s\): "fc.weight".*strict: false/);
    expect(loadStateDict(m, readSafetensors(path).tensors, { strict: false }).length).toBe(7);
    const shaped = entries.map((e) => (e[0] === 'sequential.0.0.weight' ? (['sequential.0.0.weight', 'F32', [4, 3], e[3]] as typeof e) : e));
    writeFileSync(path, handBuilt(shaped));
    const fresh = new Tiny(ctx);
    expect(() => loadStateDict(fresh, readSafetensors(path).tensors, { source: path })).toThrow(/tensor "sequential.0.0.weight" has shape \[4, 3\] but the model expects \[4, 1, 3\]/);
    expect([...(await fresh.stateEntries()[2][1].read())]).toEqual([0, 0, 0, 0]);
    expect(() => readSafetensors(join(dir, 'nope.safetensors'))).toThrow(/nope\.safetensors: cannot read checkpoint/);
    m.dispose();
    fresh.dispose();
  });

  test('modules saved under prefixes round-trip byte for byte, atomically, with metadata', async () => {
    const a = new Tiny(ctx);
    loadStateDict(a, decodeSafetensors(handBuilt(pytorchLayout())).tensors);
    const head = new Sequential(new ConvLike(ctx));
    head.stateEntries()[0][1].write(seq(12, 0.1));
    const path = join(dir, 'ckpt.safetensors');
    await saveModules(path, { '': a, 'label_predictor.': head }, { modelConfig: { x: 1 }, tags: ['rock', 'jazz'], sampleRate: 22050, stage: 'finetune', step: 42 });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const file = readSafetensors(path);
    expect([...file.tensors.keys()].sort()).toContain('label_predictor.0.weight');
    expect(file.tensors.get('sequential.0.1.num_batches_tracked')!.dtype).toBe('I64');
    const b = new Tiny(ctx);
    const head2 = new Sequential(new ConvLike(ctx));
    const meta = loadModules(path, { '': b, 'label_predictor.': head2 });
    expect(meta).toMatchObject({ modelConfig: { x: 1 }, tags: ['rock', 'jazz'], sampleRate: 22050, stage: 'finetune', step: 42 });
    for (const [[n, x], [, y]] of [...a.stateEntries().map((e, i) => [e, b.stateEntries()[i]]), ...head.stateEntries().map((e, i) => [e, head2.stateEntries()[i]])] as [[string, Tensor], [string, Tensor]][]) {
      expect(new Uint8Array((await y.read()).buffer), n).toEqual(new Uint8Array((await x.read()).buffer));
    }
    // The bytes on disk are the bytes we wrote.
    const raw = readFileSync(path);
    expect(decodeSafetensors(raw).tensors.get('label_predictor.0.weight')!.raw).toEqual(new Uint8Array(Float32Array.from(seq(12, 0.1)).buffer));
    for (const m of [a, b, head, head2]) m.dispose();
  });

  test('saveTensors stores generic training state', () => {
    const path = join(dir, 'opt.safetensors');
    saveTensors(path, { 'adam.m.0': { shape: [3], data: Float32Array.of(1, 2, 3) } }, { rng: '12345' });
    const f = readSafetensors(path);
    expect([...f.tensors.get('adam.m.0')!.data]).toEqual([1, 2, 3]);
    expect(f.metadata.rng).toBe('12345');
  });
});
