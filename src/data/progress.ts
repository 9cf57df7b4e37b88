// A one-line progress bar on stderr. On a terminal it redraws in place; in a
// log file (CI) it prints a line every 10 % so logs stay short.

export class ProgressBar {
  private start = Date.now();
  private lastDecile = -1;

  constructor(private readonly label: string, private readonly stream: NodeJS.WriteStream = process.stderr) {}

  /** `details` (e.g. the loss) goes after the rate; `rate` overrides done/s (e.g. clips/s of a training step). */
  update(done: number, total: number, details = '', rateOverride?: { value: number; unit: string }): void {
    const frac = total > 0 ? done / total : 1;
    const secs = (Date.now() - this.start) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const eta = rate > 0 ? (total - done) / rate : 0;
    const shown = rateOverride ?? { value: rate, unit: 'clips/s' };
    const text = `${this.label} ${done}/${total} ${(100 * frac).toFixed(0)}%${details ? ` ${details}` : ''} ${shown.value.toFixed(1)} ${shown.unit} ETA ${eta.toFixed(0)}s`;
    if (this.stream.isTTY) {
      const width = 30;
      const full = Math.round(frac * width);
      this.stream.write(`\r[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${text}`);
      if (done >= total) this.stream.write('\n');
    } else {
      const decile = Math.floor(frac * 10);
      if (decile !== this.lastDecile) {
        this.lastDecile = decile;
        this.stream.write(`${text}\n`);
      }
    }
  }
}
