import type { ChangeCause, ChangeExplanation } from '@agile-kpi/core';
import { causeWords, changeWords, effectWords, whyWords } from './change-words';

const item = (key: string, contribution: number) => ({ itemId: `test:issue:${key}`, key, contribution, events: [] });
const part = (code: string, effect: number, extra: Partial<ChangeCause> = {}): ChangeCause => ({ code, kind: 'part', effect, items: [], ...extra });

/** core's velocityChange golden case (S3 against S1 and S2), as the function returns it. */
const velocity: ChangeExplanation = {
  kpi: 'velocity',
  figure: 'completed points of the sprint',
  unit: 'points',
  period: { label: 'S3', sprintId: 's3', size: 1 },
  baseline: { label: 'the 2 closed sprints before', size: 2 },
  before: 11.5,
  after: 10,
  change: -1.5,
  causes: [
    part('re-estimated', -5, { measure: { now: -5, usual: 0, unit: 'points', nowItems: 1, usualItems: 0 }, items: [item('D-1', -5)] }),
    part('committed', 4.5, { measure: { now: 16, usual: 11.5, unit: 'points', nowItems: 3, usualItems: 3 }, items: [item('D-1', 8), item('D-2', 5), item('D-3', 3), item('D-4', 1)] }),
    part('carried-over', -3, { measure: { now: 3, usual: 0, unit: 'points', nowItems: 1, usualItems: 0 }, items: [item('D-3', 3)] }),
    { code: 'shorter-sprint', kind: 'context', effect: -1.15, measure: { now: 9, usual: 10, unit: 'working days' }, detail: { holidays: ['2025-04-04'] }, items: [] },
  ],
  alongside: [],
  params: {},
};

describe('whyWords', () => {
  it("gives the doc comment's example: the two largest causes with their effect and items", () => {
    expect(whyWords(velocity)).toBe('re-estimates (-5 pts: D-1), more committed at the start (+4.5 pts: D-1, D-2, D-3 and 1 more)');
  });

  it('says a context cause is an expectation, with the holidays behind it', () => {
    expect(causeWords(velocity.causes[3]!, velocity)).toBe('a shorter sprint, 9 working days against 10, holidays 2025-04-04 (-1.1 pts expected)');
    expect(causeWords(velocity.causes[2]!, velocity)).toBe('more work carried over (-3 pts: D-3)');
  });

  it('is empty without a change, and a clause names the period and the baseline', () => {
    expect(whyWords({ ...velocity, change: null, causes: [], reason: 'first sprint' })).toBe('');
    expect(changeWords({ ...velocity, change: null, causes: [] })).toBe('');
    expect(changeWords(velocity)).toBe('S3 -1.5 pts against the 2 closed sprints before: re-estimates (-5 pts: D-1), more committed at the start (+4.5 pts: D-1, D-2, D-3 and 1 more)');
  });

  it('reads each KPI in its unit', () => {
    expect(effectWords(-0.0833, 'ratio')).toBe('-8.3 percentage points');
    expect(effectWords(14, 'days')).toBe('+14 days');
    expect(effectWords(1, 'days')).toBe('+1 day');
    expect(effectWords(2, 'hours')).toBe('+2 h');
    const goal = part('sprint-outcome', -0.08, {
      subject: 'G5',
      detail: { outcome: 'missed', rule: 'inferred', completionRatio: 0.7, threshold: 0.8 },
      items: [item('Z-3', 3)],
    });
    expect(causeWords(goal, { unit: 'ratio' })).toBe('G5 missed its goal, judged from 70% of the commitment completed (threshold 80%) (-8 percentage points: Z-3)');
    const verdict = part('sprint-outcome', -0.5, { subject: 'G2', detail: { outcome: 'partly', rule: 'verdict', verdict: { by: 'sm@example.test', at: '2025-04-18T18:00:00Z' } } });
    expect(causeWords(verdict, { unit: 'ratio' })).toBe('G2 partly met its goal, by the verdict sm@example.test recorded on 2025-04-18 (-50 percentage points)');
    const review = part('status-time', 2, { subject: 'In Review', measure: { now: 3, usual: 1, unit: 'days per item' }, items: [item('C-3', 5), item('C-4', 1)] });
    expect(causeWords(review, { unit: 'days' })).toBe('more time in In Review (+2 days: C-3, C-4)');
    const added = part('scope-added', 14, { measure: { now: 12, usual: null, unit: 'points', nowItems: 1 }, items: [item('Y-1', 12)] });
    expect(causeWords(added, { unit: 'days' })).toBe('scope added to the release (+14 days: Y-1)');
  });
});
