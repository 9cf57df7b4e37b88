// What a training run tells its user: a progress line (redrawn on a terminal,
// plain lines when piped) and a JSONL file with every logged step.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ProgressBar } from '../data/progress.js';

export interface StepRecord {
  stage: string;
  step: number;
  epoch: number;
  loss: number;
  /** Extra named losses or metrics (label loss, domain loss, λ, SNR range...). */
  [key: string]: number | string | number[];
}

export class TrainLog {
  private bar: ProgressBar;
  private lastTime = performance.now();
  private lastStep: number;

  constructor(readonly stage: string, private readonly jsonlPath: string | null, private readonly totalSteps: number, startStep: number, private readonly clipsPerStep: number, private readonly quiet = false) {
    this.bar = new ProgressBar(stage);
    this.lastStep = startStep;
    if (jsonlPath) mkdirSync(dirname(jsonlPath), { recursive: true });
  }

  record(r: StepRecord): void {
    const now = performance.now();
    const steps = r.step - this.lastStep;
    const clipsPerSec = steps > 0 ? (steps * this.clipsPerStep) / ((now - this.lastTime) / 1000) : 0;
    this.lastTime = now;
    this.lastStep = r.step;
    if (this.jsonlPath) appendFileSync(this.jsonlPath, `${JSON.stringify({ ...r, clipsPerSec: Number(clipsPerSec.toFixed(2)), time: new Date().toISOString() })}\n`);
    if (!this.quiet) this.bar.update(r.step, this.totalSteps, `loss ${r.loss.toFixed(4)}`, { value: clipsPerSec, unit: 'clips/s' });
  }

  /** A structured line in log.jsonl only (not the terminal), e.g. the kernel variants that ran. */
  event(fields: Record<string, unknown>): void {
    if (this.jsonlPath) appendFileSync(this.jsonlPath, `${JSON.stringify({ stage: this.stage, ...fields, time: new Date().toISOString() })}\n`);
  }

  note(message: string): void {
    if (!this.quiet) process.stderr.write(`${message}\n`);
    if (this.jsonlPath) appendFileSync(this.jsonlPath, `${JSON.stringify({ stage: this.stage, note: message, time: new Date().toISOString() })}\n`);
  }
}
