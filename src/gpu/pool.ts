// Size-bucketed buffer pool. A released buffer is parked until the commands that
// used it have been submitted (release → pending → free on submit), because a
// queue.writeBuffer into a reused buffer would otherwise overtake recorded but
// unsubmitted commands that still read the old contents. A buffer that only GPU
// commands will write (a kernel's output) may take a parked buffer at once:
// commands run in recording order, so the earlier reads happen first.

const MIN_BYTES = 256;

/** Bucket sizes: powers of two with four steps between them (≤ 19% waste). */
export function bucketBytes(bytes: number): number {
  if (bytes <= MIN_BYTES) return MIN_BYTES;
  const p = 2 ** Math.floor(Math.log2(bytes));
  if (p === bytes) return p;
  const step = p / 4;
  return p + Math.ceil((bytes - p) / step) * step;
}

export interface PoolStats {
  /** Buffers the pool owns: in use + pending + free. */
  buffers: number;
  bytes: number;
  inUse: number;
  free: number;
  pending: number;
  peakBytes: number;
}

export class BufferPool {
  private free = new Map<number, GPUBuffer[]>();
  private pending = new Map<number, GPUBuffer[]>();
  private pendingCount = 0;
  private inUse = new Set<GPUBuffer>();
  private totalBytes = 0;
  private totalBuffers = 0;
  private peak = 0;

  constructor(private device: GPUDevice, private usage: GPUBufferUsageFlags, private label: string, private maxBufferSize: number) {}

  /** `hostWrite`: the caller will fill it with queue.writeBuffer, so parked buffers are off limits. */
  acquire(bytes: number, hostWrite = true): GPUBuffer {
    const size = bucketBytes(bytes);
    if (size > this.maxBufferSize) {
      throw new Error(`${this.label}: a buffer of ${bytes} bytes exceeds the device's maxBufferSize (${this.maxBufferSize}); use smaller batches or a GPU with a larger limit`);
    }
    let buf = this.free.get(size)?.pop();
    if (!buf && !hostWrite) {
      buf = this.pending.get(size)?.pop();
      if (buf) this.pendingCount--;
    }
    if (!buf) {
      buf = this.device.createBuffer({ size, usage: this.usage, label: `${this.label}[${size}]` });
      this.totalBytes += size;
      this.totalBuffers++;
      this.peak = Math.max(this.peak, this.totalBytes);
    }
    this.inUse.add(buf);
    return buf;
  }

  /** Returns a buffer; it becomes reusable after the next submit. */
  release(buf: GPUBuffer): void {
    if (!this.inUse.delete(buf)) throw new Error(`${this.label}: released a buffer the pool does not hold (double dispose?)`);
    const list = this.pending.get(buf.size);
    if (list) list.push(buf);
    else this.pending.set(buf.size, [buf]);
    this.pendingCount++;
  }

  /** Called right after queue.submit(): parked buffers become reusable. */
  onSubmit(): void {
    for (const [size, bufs] of this.pending) {
      const list = this.free.get(size);
      if (list) list.push(...bufs);
      else this.free.set(size, bufs);
    }
    this.pending = new Map();
    this.pendingCount = 0;
  }

  /** Destroys free buffers (e.g. between experiments); in-use ones are untouched. */
  trim(): void {
    for (const list of this.free.values()) {
      for (const b of list) {
        this.totalBytes -= b.size;
        this.totalBuffers--;
        b.destroy();
      }
    }
    this.free.clear();
  }

  stats(): PoolStats {
    let free = 0;
    for (const l of this.free.values()) free += l.length;
    return { buffers: this.totalBuffers, bytes: this.totalBytes, inUse: this.inUse.size, free, pending: this.pendingCount, peakBytes: this.peak };
  }
}
