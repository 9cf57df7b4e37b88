// The model card: which model is active, from the checkpoint's own metadata.
// Every stage writes a file called model.safetensors, so the file name alone
// does not say which model tags the audio; the stage, step and tags do.
import type { ModelCard } from './checkpoint.js';

export function showModelCard(card: ModelCard): void {
  const section = document.getElementById('model-card');
  const facts = document.getElementById('model-facts');
  const tags = document.getElementById('model-tags');
  const count = document.getElementById('model-tag-count');
  if (!section || !facts || !tags || !count) return;
  const seconds = card.windowLength / card.sampleRate;
  const rows: [string, string][] = [
    ['File', `${card.file} (${card.origin})`],
    ['Stage', card.stage ? stageName(card.stage) : 'not recorded in the checkpoint'],
    ['Trained', card.step !== null ? `${card.step.toLocaleString('en')} steps` : 'not recorded in the checkpoint'],
    ['Window', `${card.windowLength.toLocaleString('en')} samples (${seconds.toFixed(2)} s)`],
    ['Rate', `${card.sampleRate.toLocaleString('en')} Hz: audio is resampled to this`],
  ];
  facts.replaceChildren(
    ...rows.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      return [dt, dd];
    }),
  );
  count.textContent = String(card.tags.length);
  tags.replaceChildren(
    ...card.tags.map((t) => {
      const li = document.createElement('li');
      li.textContent = t;
      return li;
    }),
  );
  section.hidden = false;
}

const STAGES: Record<string, string> = {
  dat: 'dat: domain-adversarial training, robust to noise',
  baseline: 'baseline: trained on clean audio only',
  supervised: 'supervised: trained on clean and noisy audio with labels',
};

function stageName(stage: string): string {
  return STAGES[stage] ?? stage;
}
