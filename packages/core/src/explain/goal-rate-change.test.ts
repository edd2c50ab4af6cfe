import { computeMetrics } from '../compute-metrics';
import { parseSnapshot } from '../model/schema';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { goalRateChange } from './goal-rate-change';

/**
 * Golden case, worked by hand: five one-week sprints (Mon 09:00 -> Fri 17:00 UTC), asOf 2025-05-12.
 *   G1 goal "Checkout", goal item X-1 done                                                -> met (goal items)
 *   G2 goal "Search", verdict partly recorded by sm@example.test on 04-18                 -> partly (verdict)
 *   G3 no goal text, no verdict, no goal items                                           -> no-goal, left out
 *   G4 goal "Payments", goal items Y-1 (done) and Y-2 (not done at close)               -> missed (goal items)
 *   G5 goal "Reports", no goal items: committed Z-1 5 + Z-2 2 + Z-3 3 = 10, completed Z-1 5 + Z-2 2 = 7;
 *      7 / 10 = 0.7 < 0.8                                                                -> missed (inferred)
 * The rate counts met only: met / (met + partly + missed).
 * G5 against the judged sprints before it (G1 met, G2 partly, G4 missed): 1 / 3 = 0.333 -> with G5 1 / 4 = 0.25;
 *   change 0.25 - 0.333 = -0.083 = (0 - 1/3) / 4, G5's outcome the one part (-0.08 rounded).
 * G4 against G1 and G2: 1 / 2 = 0.5 -> 1 / 3 = 0.333, change -0.167 = (0 - 0.5) / 3.
 * G2 against G1: 1 / 1 = 1 -> 1 / 2 = 0.5, change -0.5 = (0 - 1) / 2, decided by the recorded verdict.
 */
function snapshot() {
  const b = new SnapshotBuilder('2025-05-12T12:00:00Z');
  const week = (id: string, mon: string, fri: string, extra: object = {}) =>
    b.sprint({ id: id.toLowerCase(), name: id, state: 'closed', startAt: `${mon}T09:00:00Z`, plannedEndAt: `${fri}T17:00:00Z`, closedAt: `${fri}T17:00:00Z`, ...extra });
  week('G1', '2025-04-07', '2025-04-11', { goal: 'Checkout' });
  week('G2', '2025-04-14', '2025-04-18', { goal: 'Search', verdict: { outcome: 'partly', by: 'sm@example.test', at: '2025-04-18T18:00:00Z' } });
  week('G3', '2025-04-21', '2025-04-25');
  week('G4', '2025-04-28', '2025-05-02', { goal: 'Payments' });
  week('G5', '2025-05-05', '2025-05-09', { goal: 'Reports' });
  const t0 = '2025-04-01T10:00:00Z';
  const planned = (key: string, sprint: string, mon: string, points: number) => b.item(key, t0).estimate(t0, points).sprints(`${mon}T08:00:00Z`, [sprint]);
  planned('X-1', 'g1', '2025-04-07', 2).labels(t0, ['sprint-goal']).status('2025-04-09T10:00:00Z', 'Done');
  planned('P-1', 'g2', '2025-04-14', 3).status('2025-04-16T10:00:00Z', 'Done');
  planned('W-1', 'g3', '2025-04-21', 1).status('2025-04-23T10:00:00Z', 'Done');
  planned('Y-1', 'g4', '2025-04-28', 2).labels(t0, ['sprint-goal']).status('2025-04-30T10:00:00Z', 'Done');
  planned('Y-2', 'g4', '2025-04-28', 3).labels(t0, ['sprint-goal']);
  planned('Z-1', 'g5', '2025-05-05', 5).status('2025-05-06T10:00:00Z', 'Done');
  planned('Z-2', 'g5', '2025-05-05', 2).status('2025-05-07T10:00:00Z', 'Done');
  planned('Z-3', 'g5', '2025-05-05', 3);
  return parseSnapshot(b.build());
}

describe('goalRateChange (golden case)', () => {
  const report = computeMetrics(snapshot());

  it("gives the doc comment's example", () => {
    expect(goalRateChange(report).change).toBe(-0.083);
  });

  it('explains the last sprint by its outcome and the rule that decided it', () => {
    expect(report.sprintGoalRate.details.sprints.map((s) => [s.name, s.outcome, s.rule])).toEqual([
      ['G1', 'met', 'goal-items'],
      ['G2', 'partly', 'verdict'],
      ['G3', 'no-goal', 'none'],
      ['G4', 'missed', 'goal-items'],
      ['G5', 'missed', 'inferred'],
    ]);
    const e = goalRateChange(report);
    expect(e).toMatchObject({ kpi: 'sprintGoalRate', unit: 'ratio', before: 0.333, after: 0.25, change: -0.083 });
    expect(e.baseline).toMatchObject({ label: 'the 3 judged sprints before it in the window', size: 3 });
    expect(e.causes).toHaveLength(1);
    expect(e.causes[0]).toMatchObject({
      code: 'sprint-outcome',
      subject: 'G5',
      effect: -0.08,
      measure: { now: 0, usual: 0.333, unit: 'met' },
      detail: { outcome: 'missed', rule: 'inferred', goal: 'Reports', completionRatio: 0.7, threshold: 0.8 },
    });
    // The inferred rule read Completed / Committed: the committed item not completed is what fell short.
    expect(e.causes[0]!.items.map((i) => [i.key, i.contribution])).toEqual([['Z-3', 3]]);
  });

  it('lists the goal items not done first when goal items decided', () => {
    const e = goalRateChange(report, { sprint: 'G4' });
    expect(e).toMatchObject({ before: 0.5, after: 0.333, change: -0.167 });
    expect(e.causes[0]).toMatchObject({ effect: -0.17, detail: { outcome: 'missed', rule: 'goal-items', goalItems: { total: 2, done: 1 } } });
    expect(e.causes[0]!.items.map((i) => [i.key, i.contribution])).toEqual([
      ['Y-2', 0],
      ['Y-1', 1],
    ]);
  });

  it('names who recorded a verdict and when', () => {
    const e = goalRateChange(report, { sprint: 'g2' });
    expect(e).toMatchObject({ before: 1, after: 0.5, change: -0.5 });
    expect(e.causes[0]).toMatchObject({ effect: -0.5, detail: { outcome: 'partly', rule: 'verdict', verdict: { by: 'sm@example.test', at: '2025-04-18T18:00:00Z' } } });
  });

  it('leaves a sprint without a goal out, and says when there is nothing before', () => {
    expect(goalRateChange(report, { sprint: 'G1' })).toMatchObject({ change: null, reason: 'G1 is the first judged sprint in the window: there is no rate before it to compare with' });
    expect(goalRateChange(report, { sprint: 'G3' })).toMatchObject({
      before: 0.5,
      after: 0.5,
      change: 0,
      causes: [],
      reason: 'G3 had no goal, verdict or goal items: it is left out of the rate, which it does not move',
    });
  });
});
