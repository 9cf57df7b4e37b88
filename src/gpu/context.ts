// One GPU device and everything that talks to it: pipelines, the buffer pools,
// command batching and readback. Kernel modules go through `dispatch`; nothing
// else records compute work.
import { BufferPool, type PoolStats } from './pool.js';
import { type EntryInfo, Shader, formatCompileMessage, packUniforms } from './shader.js';
import { type Pin, type TuneMode, type TuneStore, Tuner, adapterKey, memoryTuneStore } from './tuner.js';

export type BufferBinding = GPUBuffer | { buffer: GPUBuffer; offset?: number; size?: number };

export interface DispatchArgs {
  bindings: Record<string, BufferBinding>;
  uniforms?: Record<string, number | readonly number[]>;
  workgroups: readonly [number, number?, number?];
  /** Values for the shader's `override` constants (workgroup sizes). */
  overrides?: Record<string, number>;
  /** The work behind this dispatch, for the GPU-readiness table (dispatchLog): FLOPs and the longest loop of one invocation. */
  profile?: { flop?: number; loops?: number };
}

/** One recorded dispatch (GpuContext.dispatchLog). */
export interface DispatchRecord {
  kernel: string;
  workgroups: number;
  overrides?: Record<string, number>;
  flop?: number;
  loops?: number;
  /** The tunable op and candidate that issued it, if any. */
  variant?: string;
}

export interface AdapterDescription {
  backend: string;
  featureLevel: 'core' | 'compatibility';
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

/** How kernels are chosen and bounded on one context (getDevice options, or configure()). */
export interface KernelOptions {
  /** off: every op's default candidate; cached: measured winners where known; full: measure what is unknown. */
  tune?: TuneMode;
  /** op → candidate, used wherever it applies (e.g. { 'conv1d.forward': 'gemm' }). */
  variants?: Record<string, Pin>;
  /** Largest storage binding kernels may use (lowered by tests to reach the chunked paths). */
  maxBindingBytes?: number;
  /** Where measured winners persist; memory when absent. */
  tuneStore?: TuneStore;
  /** Goes into the cache key, so a new release measures afresh. */
  version?: string;
}

/** Dispatches recorded before an automatic submit; bounds encoder memory and latency. */
const SUBMIT_THRESHOLD = 256;
const UNIFORM_ARENA_BYTES = 256 * 256;

export class GpuContext {
  readonly storage: BufferPool;
  private staging: BufferPool;
  private shaders = new Map<string, Shader>();
  private modules = new Map<string, GPUShaderModule>();
  /** Per shader: resolves to whether it compiled, once Dawn has said so. */
  private moduleOk = new Map<string, Promise<boolean>>();
  private pipelines = new Map<string, GPUComputePipeline>();
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private pendingDispatches = 0;
  private batchKernels: string[] = [];
  private arenaCpu = new ArrayBuffer(UNIFORM_ARENA_BYTES);
  private arenaView = new DataView(this.arenaCpu);
  private arenaUsed = 0;
  private arenaGpu: GPUBuffer;
  private deferredError: Error | null = null;
  private lost: string | null = null;
  private compileChecks: Promise<void>[] = [];
  /** Counters for tests and benchmarks. */
  readonly counters = { dispatches: 0, submits: 0, readbacks: 0, pipelines: 0 };
  /** When an array, every dispatch is appended to it (bench's GPU-readiness table); null: nothing recorded. */
  dispatchLog: DispatchRecord[] | null = null;
  /**
   * When an array, kernels that make a discrete decision (max-pool argmax, ReLU
   * masks) append copies of what they decided, in dispatch order, for the
   * mask-pinned PyTorch comparison (bench/pytorch-pinned.ts); null: nothing kept.
   */
  captures: { name: string; buffer: GPUBuffer; size: number }[] | null = null;

  /** Appends a copy of `size` 4-byte elements of `buf` to `captures` (a no-op when it is null). */
  capture(name: string, buf: GPUBuffer, size: number): void {
    if (!this.captures) return;
    const copy = this.storage.acquire(Math.max(size, 1) * 4, false);
    if (size > 0) this.copy(buf, 0, copy, 0, size * 4);
    this.captures.push({ name, buffer: copy, size });
  }

  /**
   * The GPU object (Dawn instance) that made the device. Held so it is not
   * garbage-collected while the device lives: Dawn tears the device down with it.
   */
  private readonly instance: GPU | undefined;

  /** Picks each op's kernel variant (pins, cached measurements, defaults); see tuner.ts. */
  readonly tuner: Tuner;

  constructor(readonly device: GPUDevice, readonly adapter: AdapterDescription, instance?: GPU, opts: KernelOptions = {}) {
    this.instance = instance;
    const limits = device.limits;
    this.storage = new BufferPool(device, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, 'tensor', limits.maxBufferSize);
    this.staging = new BufferPool(device, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, 'readback', limits.maxBufferSize);
    this.maxBindingBytes = Math.min(opts.maxBindingBytes ?? Infinity, limits.maxStorageBufferBindingSize);
    this.tuner = new Tuner(this, adapterKey(adapter, opts.version ?? 'dev'), opts.tuneStore ?? memoryTuneStore(), { mode: opts.tune, pins: opts.variants });
    this.arenaGpu = device.createBuffer({ size: UNIFORM_ARENA_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'uniform-arena' });
    device.addEventListener('uncapturederror', (ev) => {
      const err = (ev as GPUUncapturedErrorEvent).error;
      this.deferredError ??= new Error(`WebGPU error in a batch running [${this.batchSummary()}]: ${err.message}`);
    });
    void device.lost.then((info) => {
      if (info.reason !== 'destroyed') this.lost = `GPU device lost (${info.reason}): ${info.message}`;
      else this.lost = 'GPU device was destroyed';
    });
  }

  /**
   * A CPU implementation (llvmpipe, SwiftShader, lavapipe, WARP). Kernels never
   * choose by it (the tuner measures); benchmarks use it to skip sizes that take
   * minutes on a CPU.
   */
  get software(): boolean {
    const a = this.adapter;
    return /llvmpipe|swiftshader|lavapipe|softpipe|microsoft basic render/i.test(`${a.description} ${a.device} ${a.architecture} ${a.vendor}`);
  }

  get limits(): GPUSupportedLimits {
    return this.device.limits;
  }

  /**
   * Largest storage binding kernels may use: the device limit, or less when a
   * test lowers it (configure or getDevice's maxBindingBytes) to exercise the
   * chunked paths on small tensors.
   */
  maxBindingBytes = 0;

  /**
   * Changes kernel options on a live context (tests and benchmarks pin variants
   * or lower the binding size); returns a function that restores the previous ones.
   */
  configure(opts: Pick<KernelOptions, 'variants' | 'maxBindingBytes' | 'tune'>): () => void {
    const restores: (() => void)[] = [];
    for (const [op, name] of Object.entries(opts.variants ?? {})) restores.push(this.tuner.pin(op, name));
    if (opts.maxBindingBytes !== undefined) {
      const before = this.maxBindingBytes;
      this.maxBindingBytes = Math.min(opts.maxBindingBytes, this.limits.maxStorageBufferBindingSize);
      restores.push(() => void (this.maxBindingBytes = before));
    }
    if (opts.tune !== undefined) {
      const before = this.tuner.mode;
      this.tuner.mode = opts.tune;
      restores.push(() => void (this.tuner.mode = before));
    }
    return () => restores.reverse().forEach((r) => r());
  }

  shader(name: string, source: string): Shader {
    let s = this.shaders.get(name);
    if (!s) {
      s = new Shader(name, source);
      this.shaders.set(name, s);
    }
    return s;
  }

  private module(shader: Shader): GPUShaderModule {
    let m = this.modules.get(shader.name);
    if (!m) {
      // Captured in an error scope so the compile error is reported once, with
      // the offending source line, instead of as a bare uncaptured error.
      this.device.pushErrorScope('validation');
      m = this.device.createShaderModule({ code: shader.source, label: shader.name });
      this.modules.set(shader.name, m);
      const scope = this.device.popErrorScope();
      const compiled = Promise.all([m.getCompilationInfo(), scope]).then(([info, scopeError]) => {
        const errors = info.messages.filter((x) => x.type === 'error');
        if (errors.length) this.deferredError ??= new Error(errors.map((e) => formatCompileMessage(shader.name, shader.source, e)).join('\n'));
        else if (scopeError) this.deferredError ??= new Error(`shader ${shader.name}: ${scopeError.message}`);
        return errors.length === 0 && !scopeError;
      });
      this.moduleOk.set(shader.name, compiled);
      this.compileChecks.push(compiled.then(() => undefined));
    }
    return m;
  }

  pipeline(shader: Shader, entry: string, overrides?: Record<string, number>): GPUComputePipeline {
    const key = `${shader.name}:${entry}:${overrides ? JSON.stringify(overrides) : ''}`;
    let p = this.pipelines.get(key);
    if (!p) {
      shader.entry(entry);
      const module = this.module(shader);
      this.device.pushErrorScope('validation');
      p = this.device.createComputePipeline({
        layout: 'auto',
        label: `${shader.name}:${entry}`,
        compute: { module, entryPoint: entry, constants: overrides },
      });
      const scope = this.device.popErrorScope();
      // A pipeline on a module that failed to compile fails too; that error is already reported.
      const moduleOk = this.moduleOk.get(shader.name) ?? Promise.resolve(true);
      this.compileChecks.push(Promise.all([moduleOk, scope]).then(([ok, err]) => {
        if (err && ok) this.deferredError ??= new Error(`pipeline ${shader.name}:${entry}: ${err.message}`);
      }));
      this.pipelines.set(key, p);
      this.counters.pipelines++;
    }
    return p;
  }

  /** Compiles every entry point of a shader now and reports compile errors with source lines. */
  async compile(shader: Shader): Promise<void> {
    for (const e of shader.entries.keys()) this.pipeline(shader, e);
    await this.checkErrors();
  }

  private ensurePass(): GPUComputePassEncoder {
    this.throwIfBroken();
    if (!this.encoder) this.encoder = this.device.createCommandEncoder({ label: 'batch' });
    if (!this.pass) {
      const t = this.passTimestamps;
      // While timing (timeGpu): the first pass writes the start, every pass the end (the last one counts).
      this.pass = this.encoder.beginComputePass(t ? { timestampWrites: { querySet: t.querySet, ...(t.started ? {} : { beginningOfPassWriteIndex: 0 }), endOfPassWriteIndex: 1 } } : undefined);
      if (t) t.started = true;
    }
    return this.pass;
  }

  private passTimestamps: { querySet: GPUQuerySet; started: boolean } | null = null;
  private timestampQueries: { querySet: GPUQuerySet; resolve: GPUBuffer } | null = null;

  /**
   * GPU time in ms of the compute passes `run` records (from the first pass's
   * start to the last one's end), by timestamp queries; null where the device
   * lacks 'timestamp-query' (the caller falls back to wall time).
   */
  async timeGpu(run: () => void): Promise<number | null> {
    if (!this.device.features.has('timestamp-query')) return null;
    this.submit();
    this.timestampQueries ??= {
      querySet: this.device.createQuerySet({ type: 'timestamp', count: 2 }),
      resolve: this.device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC, label: 'timestamps' }),
    };
    const q = this.timestampQueries;
    this.passTimestamps = { querySet: q.querySet, started: false };
    try {
      run();
    } finally {
      if (this.pass) {
        this.pass.end();
        this.pass = null;
      }
      this.passTimestamps = null;
    }
    this.ensureEncoderNoPass().resolveQuerySet(q.querySet, 0, 2, q.resolve, 0);
    const [begin, end] = new BigUint64Array(await this.read(q.resolve, 16));
    return Number(end - begin) / 1e6;
  }

  private ensureEncoderNoPass(): GPUCommandEncoder {
    this.throwIfBroken();
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    if (!this.encoder) this.encoder = this.device.createCommandEncoder({ label: 'batch' });
    return this.encoder;
  }

  dispatch(shader: Shader, entryName: string, args: DispatchArgs): void {
    const entry = shader.entry(entryName);
    const [x, y = 1, z = 1] = args.workgroups;
    const maxDim = this.limits.maxComputeWorkgroupsPerDimension;
    if (x > maxDim || y > maxDim || z > maxDim) {
      throw new Error(`${shader.name}:${entryName}: grid ${x}×${y}×${z} exceeds ${maxDim} workgroups per dimension; the kernel module must split it`);
    }
    if (x === 0 || y === 0 || z === 0) return;
    const slot = entry.uniform ? this.packUniformSlot(shader, entry, args.uniforms ?? {}) : -1;
    const pipeline = this.pipeline(shader, entryName, args.overrides);
    const entries: GPUBindGroupEntry[] = [];
    if (entry.uniform) entries.push({ binding: entry.uniform.binding, resource: { buffer: this.arenaGpu, offset: slot, size: entry.uniform.size } });
    for (const b of entry.storage) {
      const given = args.bindings[b.name];
      if (!given) throw new Error(`${shader.name}:${entryName}: no buffer given for binding '${b.name}'`);
      const res: GPUBufferBinding = 'buffer' in given ? given : { buffer: given };
      entries.push({ binding: b.binding, resource: res });
    }
    for (const k of Object.keys(args.bindings)) {
      if (!entry.storage.some((b) => b.name === k)) throw new Error(`${shader.name}:${entryName}: the entry point has no binding '${k}' (has ${entry.storage.map((b) => b.name).join(', ')})`);
    }
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries, label: `${shader.name}:${entryName}` });
    const pass = this.ensurePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y, z);
    this.counters.dispatches++;
    this.dispatchLog?.push({ kernel: `${shader.name}:${entryName}`, workgroups: x * y * z, overrides: args.overrides, ...args.profile, variant: this.tuner.active });
    this.pendingDispatches++;
    if (this.batchKernels.length < 64) this.batchKernels.push(`${shader.name}:${entryName}`);
    if (this.pendingDispatches >= SUBMIT_THRESHOLD) this.submit();
  }

  private packUniformSlot(shader: Shader, entry: EntryInfo, values: Record<string, number | readonly number[]>): number {
    const layout = entry.uniform!;
    const align = this.limits.minUniformBufferOffsetAlignment;
    const need = Math.ceil(layout.size / align) * align;
    if (this.arenaUsed + need > UNIFORM_ARENA_BYTES) this.submit();
    const slot = this.arenaUsed;
    new Uint8Array(this.arenaCpu, slot, need).fill(0);
    packUniforms(shader.name, entry.name, layout, values, this.arenaView, slot);
    this.arenaUsed += need;
    return slot;
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    this.ensureEncoderNoPass().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  clear(buf: GPUBuffer, offset = 0, bytes?: number): void {
    this.ensureEncoderNoPass().clearBuffer(buf, offset, bytes);
  }

  /** Uploads host data. Ordered before every command recorded so far in this batch. */
  write(buf: GPUBuffer, data: ArrayBufferView, offset = 0): void {
    this.throwIfBroken();
    this.device.queue.writeBuffer(buf, offset, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Submits everything recorded so far. */
  submit(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    if (this.arenaUsed > 0) this.device.queue.writeBuffer(this.arenaGpu, 0, this.arenaCpu, 0, this.arenaUsed);
    if (this.encoder) {
      this.device.queue.submit([this.encoder.finish()]);
      this.counters.submits++;
    }
    this.encoder = null;
    this.arenaUsed = 0;
    this.pendingDispatches = 0;
    this.storage.onSubmit();
    this.staging.onSubmit();
    if (!this.deferredError) this.batchKernels = [];
  }

  /** Reads `bytes` bytes of `buf` from `offset` back to the host. */
  async read(buf: GPUBuffer, bytes: number, offset = 0): Promise<ArrayBuffer> {
    const staging = this.staging.acquire(bytes);
    this.ensureEncoderNoPass().copyBufferToBuffer(buf, offset, staging, 0, Math.ceil(bytes / 4) * 4);
    this.submit();
    this.counters.readbacks++;
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, Math.ceil(bytes / 4) * 4);
    } catch (e) {
      this.staging.release(staging);
      await this.checkErrors();
      throw e;
    }
    const out = staging.getMappedRange(0, Math.ceil(bytes / 4) * 4).slice(0, bytes);
    staging.unmap();
    this.staging.release(staging);
    await this.checkErrors();
    // A readback is the first await point after shapes were met: measure them
    // now, so the next step runs the winners (tuner.ts; no-op unless mode 'full').
    if (this.tuner.pendingCount > 0 && this.tuner.mode === 'full' && !this.tuner.holdPending) await this.tuner.tunePending();
    return out;
  }

  /** Waits for all submitted work; surfaces deferred validation/compile errors. */
  async sync(): Promise<void> {
    this.submit();
    await this.device.queue.onSubmittedWorkDone();
    await this.checkErrors();
  }

  async checkErrors(): Promise<void> {
    if (this.compileChecks.length) {
      const checks = this.compileChecks;
      this.compileChecks = [];
      await Promise.all(checks);
    }
    this.throwIfBroken();
  }

  private throwIfBroken(): void {
    if (this.lost) throw new Error(`${this.lost} (last kernels: ${this.batchSummary()})`);
    if (this.deferredError) {
      const e = this.deferredError;
      this.deferredError = null;
      this.batchKernels = [];
      throw e;
    }
  }

  private batchSummary(): string {
    const uniq = [...new Set(this.batchKernels)];
    return uniq.length ? uniq.join(', ') : 'no kernels';
  }

  poolStats(): PoolStats {
    return this.storage.stats();
  }

  destroy(): void {
    this.submit();
    this.storage.trim();
    this.staging.trim();
    this.device.destroy();
  }
}
