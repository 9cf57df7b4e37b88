// Acceptance for `tag`: a 3-minute MP3 gets tags and a timeline; a corrupt file
// is named with the reason and the command exits non-zero.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { runTag } from '../../src/cli/tag.js';
import { primaryAdapter } from '../helpers/adapters.js';
import { writeTinyTagger } from '../helpers/tinyModel.js';

const { ctx } = await primaryAdapter();
const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const TAGS = ['piano', 'strings', 'drums', 'synth', 'bass'];
const { path: model } = await writeTinyTagger(ctx, TAGS);

function capture(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  return { out, err };
}

afterEach(() => vi.restoreAllMocks());

describe('robust-tagger tag', () => {
  test('a 3-minute MP3: top-k tags for the file and a per-window timeline (JSON)', async () => {
    const io = capture();
    const code = await runTag(['--model', model, '--json', '--top-k', '3', '--backend', 'opengl', fixture('long-3min.mp3')]);
    expect(code, io.err.join('\n')).toBe(0);
    const doc = JSON.parse(io.out.join('\n'));
    const f = doc.files[0];
    expect(f.durationSeconds).toBeGreaterThan(179);
    expect(f.durationSeconds).toBeLessThan(181);
    expect(f.tags).toHaveLength(3);
    expect(f.allTags.map((t: { tag: string }) => t.tag).sort()).toEqual([...TAGS].sort());
    // 3^8-sample windows at 22,050 Hz, the last partial one dropped.
    expect(f.timeline).toHaveLength(Math.floor((f.durationSeconds * 22050 + 1) / 6561));
    for (const w of f.timeline) for (const p of w.probabilities) expect(p).toBeGreaterThan(0), expect(p).toBeLessThan(1);
    // File probability = mean of the window sigmoids.
    const mean = f.timeline.reduce((s: number, w: { probabilities: number[] }) => s + w.probabilities[0], 0) / f.timeline.length;
    const first = f.allTags.find((t: { tag: string }) => t.tag === TAGS[0]).probability;
    expect(first).toBeCloseTo(mean, 5);
  });

  test('plain text output lists top tags and the timeline', async () => {
    const io = capture();
    const short = fileURLToPath(new URL('../data/fixtures/sine440-16k-stereo.mp3', import.meta.url));
    expect(await runTag(['--model', model, '--top-k', '2', '--backend', 'opengl', short])).toBe(0);
    const text = io.out.join('\n');
    expect(text).toContain(short);
    expect(text).toMatch(/top tags:\n {2}\S+ +0\.\d{3}/);
    expect(text).toMatch(/timeline \(window start → its most probable tags\):\n {2}0:00\.0 {2}\S+ 0\.\d\d/);
  });

  test('a corrupt file is named with the reason; the exit status is non-zero', async () => {
    const io = capture();
    const bad = fixture('corrupt-garbage.mp3');
    const code = await runTag(['--model', model, '--backend', 'opengl', bad]);
    expect(code).toBe(1);
    expect(io.err.join('\n')).toContain(bad);
    expect(io.err.join('\n')).toMatch(/corrupt|unrecognised|no audio/);
  });

  test('a file that is not a checkpoint, and missing options, get clear errors', async () => {
    const io = capture();
    await expect(runTag(['--model', fixture('long-3min.mp3'), '--backend', 'opengl', fixture('long-3min.mp3')])).rejects.toThrow(/long-3min\.mp3/);
    expect(await runTag([fixture('long-3min.mp3')])).toBe(2);
    expect(io.err.join('\n')).toMatch(/required option '--model <file>' not specified/);
  });
});
