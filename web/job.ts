// One tagging job at a time: reading the file (in chunks, with progress, so a
// big file is never a silent multi-second stall), decoding, tagging. A job can
// be cancelled at any chunk or batch boundary; a new pick cancels the old job
// first, so a slow huge file can no longer overwrite a later, smaller one.

/**
 * The largest file the page reads. Decoding needs the whole file plus the
 * decoded audio in memory at once (about 5 bytes per source byte for a 16-bit
 * stereo WAV), so this keeps a tab under ~2 GB: about 30 min of CD-quality WAV,
 * or many hours of MP3.
 */
export const MAX_AUDIO_BYTES = 300 * 1024 * 1024;

/** Thrown out of a job that was cancelled; never shown as an error. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** A user-facing failure: the message is written for people, not developers. */
export class UserError extends Error {}

export class Job {
  private cancelled = false;
  private readonly onCancel: (() => void)[] = [];
  /** Settles when the job has finished or unwound after a cancel. */
  done: Promise<void> = Promise.resolve();

  get isCancelled(): boolean {
    return this.cancelled;
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const f of this.onCancel) f();
  }

  whenCancelled(f: () => void): void {
    this.onCancel.push(f);
  }

  /**
   * Waits for `p`, or rejects with Cancelled as soon as the job is cancelled.
   * For steps that cannot be interrupted (decodeAudioData): the step finishes
   * unseen in the background and its result is dropped, but the page moves on.
   */
  race<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((ok, fail) => {
      this.whenCancelled(() => fail(new Cancelled()));
      if (this.cancelled) fail(new Cancelled());
      p.then(ok, fail);
    });
  }

  /** Call at every point where stopping is safe. */
  check(): void {
    if (this.cancelled) throw new Cancelled();
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  for (; v >= 1024 && i < units.length - 1; i++) v /= 1024;
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** Refuses a too-large file before a single byte is read. */
export function checkSize(file: Blob, name: string): void {
  if (file.size > MAX_AUDIO_BYTES) {
    throw new UserError(
      `${name} is ${formatBytes(file.size)}; this page tags files up to ${formatBytes(MAX_AUDIO_BYTES)}, because the whole file and its decoded audio must fit in the tab's memory. ` +
        'Cut it into shorter pieces or convert it to MP3 or FLAC, or use the command line (robust-tagger tag), which has no such limit.',
    );
  }
}

/** The file's bytes, read chunk by chunk into one buffer of the file's size. */
export async function readFile(file: Blob, name: string, job: Job, onProgress: (fraction: number) => void): Promise<Uint8Array<ArrayBuffer>> {
  checkSize(file, name);
  let out: Uint8Array<ArrayBuffer>;
  try {
    out = new Uint8Array(file.size);
  } catch {
    throw new UserError(`${name}: the browser could not set aside ${formatBytes(file.size)} of memory to read it. Close other tabs, or try a smaller file.`);
  }
  const reader = file.stream().getReader();
  job.whenCancelled(() => void reader.cancel().catch(() => {}));
  let at = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      job.check();
      if (done) break;
      if (at + value.length > out.length) throw new Error('the file grew while it was being read');
      out.set(value, at);
      at += value.length;
      onProgress(at / Math.max(1, out.length));
    }
  } catch (e) {
    if (e instanceof Cancelled || job.isCancelled) throw new Cancelled();
    const why = e instanceof Error && e.message ? ` (${e.message})` : '';
    throw new UserError(`${name} could not be read${why}. It may have been moved, changed or deleted since it was chosen; choose it again.`);
  } finally {
    reader.releaseLock();
  }
  if (at !== out.length) throw new UserError(`${name} could not be read completely (${formatBytes(at)} of ${formatBytes(out.length)}); choose it again.`);
  return out;
}
