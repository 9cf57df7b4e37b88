// Compares our metrics with the committed fixture. Its expected numbers were
// computed by make_fixtures.py from the brute-force definitions (see the
// header of that script: scikit-learn was not installable here); rerunning
// the script with sklearn and diffing the JSON is the sklearn check.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { multiLabelMetrics } from '../../src/eval/metrics.js';

interface Fixture {
  reference: string;
  clips: number;
  tags: number;
  scores: number[];
  labels: number[];
  expected: {
    perTag: { rocAuc: number | null; prAuc: number | null }[];
    macroRocAuc: number;
    macroPrAuc: number;
  };
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/metrics_fixture.json', import.meta.url), 'utf8'),
) as Fixture;

describe('metrics fixture (make_fixtures.py)', () => {
  const got = multiLabelMetrics(fixture.scores, fixture.labels, fixture.clips, fixture.tags);

  it('has the degenerate tags it was built to have', () => {
    expect(fixture.expected.perTag[0]).toEqual({ rocAuc: null, prAuc: null });
    expect(fixture.expected.perTag[1].rocAuc).toBeNull();
  });

  it('per-tag values match', () => {
    fixture.expected.perTag.forEach((want, t) => {
      for (const key of ['rocAuc', 'prAuc'] as const) {
        if (want[key] === null) expect(got.perTag[t][key]).toBeNull();
        else expect(got.perTag[t][key]).toBeCloseTo(want[key], 12);
      }
    });
  });

  it('macro averages match, over the non-excluded tags', () => {
    expect(got.rocAuc).toBeCloseTo(fixture.expected.macroRocAuc, 12);
    expect(got.prAuc).toBeCloseTo(fixture.expected.macroPrAuc, 12);
    expect(got.excluded.map((e) => `${e.tag}:${e.metric}`)).toEqual(['tag0:rocAuc', 'tag0:prAuc', 'tag1:rocAuc']);
  });
});
