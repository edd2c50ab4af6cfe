import { HistoryIndex } from '../history/history-index';
import { parseSnapshot } from '../model/schema';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { sprintGoalRate } from './sprint-goal-rate';

/**
 * Golden case, worked by hand: five one-week sprints (Mon 09:00 -> Fri 17:00 UTC), asOf 2025-05-12.
 *   G1 goal "Checkout", verdict "partly" recorded by the Scrum Master          -> partly (verdict)
 *   G2 goal "Search", goal items X-1 (done) and X-2 (not done at close)       -> missed (goal items)
 *   G3 goal "Payments", no goal items; committed 5+3+2 = 10, completed 5+3 = 8,
 *      8 / 10 = 0.8 >= 0.8                                                    -> met (inferred)
 *   G4 no goal text, no verdict, no goal items                                 -> no-goal, left out
 *   G5 goal "Reports": Y-1 gets the label mid-sprint and is done; Y-2 loses the
 *      label before close, so the only goal item at close is Y-1 (done)       -> met (goal items)
 * Rate = met / (met + partly + missed) = 2 / (2 + 1 + 1) = 0.5.
 * With threshold 0.85, G3 becomes missed: 1 / 4 = 0.25.
 */
function snapshot() {
  const b = new SnapshotBuilder('2025-05-12T12:00:00Z');
  const week = (id: string, mon: string, fri: string, extra: object = {}) =>
    b.sprint({ id, name: id, state: 'closed', startAt: `${mon}T09:00:00Z`, plannedEndAt: `${fri}T17:00:00Z`, closedAt: `${fri}T17:00:00Z`, ...extra });
  week('G1', '2025-04-07', '2025-04-11', { goal: 'Checkout', verdict: { outcome: 'partly', by: 'sm@example.test', at: '2025-04-11T18:00:00Z' } });
  week('G2', '2025-04-14', '2025-04-18', { goal: 'Search' });
  week('G3', '2025-04-21', '2025-04-25', { goal: 'Payments' });
  week('G4', '2025-04-28', '2025-05-02');
  week('G5', '2025-05-05', '2025-05-09', { goal: 'Reports' });
  const t0 = '2025-04-01T10:00:00Z';
  const done = (key: string, sprint: string, plannedOn: string, doneOn: string, points: number) =>
    b.item(key, t0).estimate(t0, points).sprints(`${plannedOn}T08:00:00Z`, [sprint]).status(`${doneOn}T10:00:00Z`, 'Done');
  done('P-1', 'G1', '2025-04-07', '2025-04-09', 3);
  done('X-1', 'G2', '2025-04-14', '2025-04-16', 2).labels(t0, ['sprint-goal']);
  b.item('X-2', t0).estimate(t0, 3).labels(t0, ['sprint-goal']).sprints('2025-04-14T08:00:00Z', ['G2']);
  done('Z-1', 'G3', '2025-04-21', '2025-04-22', 5);
  done('Z-2', 'G3', '2025-04-21', '2025-04-24', 3);
  b.item('Z-3', t0).estimate(t0, 2).sprints('2025-04-21T08:00:00Z', ['G3']);
  done('W-1', 'G4', '2025-04-28', '2025-04-30', 1);
  done('Y-1', 'G5', '2025-05-05', '2025-05-08', 2).labels('2025-05-06T10:00:00Z', ['sprint-goal']);
  b.item('Y-2', t0).estimate(t0, 3).labels(t0, ['sprint-goal']).sprints('2025-05-05T08:00:00Z', ['G5']).labels('2025-05-07T10:00:00Z', []);
  return parseSnapshot(b.build());
}

describe('sprintGoalRate (golden case)', () => {
  const result = sprintGoalRate(new HistoryIndex(snapshot()));

  it('decides each sprint by the first rule that applies', () => {
    expect(result.details.sprints.map((s) => [s.sprintId, s.outcome, s.rule])).toEqual([
      ['G1', 'partly', 'verdict'],
      ['G2', 'missed', 'goal-items'],
      ['G3', 'met', 'inferred'],
      ['G4', 'no-goal', 'none'],
      ['G5', 'met', 'goal-items'],
    ]);
    expect(result.details.sprints[2]!.completionRatio).toBe(0.8);
    expect(result.details.sprints[1]!.goalItems).toEqual({ total: 2, done: 1 });
    expect(result.details.sprints[4]!.goalItems).toEqual({ total: 1, done: 1 });
    expect(result.details.sprints[0]!.verdict).toEqual({ by: 'sm@example.test', at: '2025-04-11T18:00:00Z' });
  });

  it('computes the rate over decided sprints only', () => {
    expect(result.value).toEqual({ rate: 0.5, met: 2, partly: 1, missed: 1, noGoal: 1, sprintsConsidered: 5 });
    expect(result.excluded).toEqual([expect.objectContaining({ id: 'G4', reason: expect.stringMatching(/no goal text/) })]);
  });

  it('lists the goal items as evidence, with 1 for done and 0 for not done', () => {
    const goalRows = result.evidence.filter((e) => e.role === 'goal-item').map((e) => [e.key, e.contribution]);
    expect(goalRows).toEqual([
      ['X-1', 1],
      ['X-2', 0],
      ['Y-1', 1],
    ]);
  });

  it('uses the configured threshold and window', () => {
    expect(sprintGoalRate(new HistoryIndex(snapshot()), { inferredThreshold: 0.85 }).value?.rate).toBe(0.25);
    // The last two closed sprints are G4 (no goal) and G5 (met).
    expect(sprintGoalRate(new HistoryIndex(snapshot()), { lastN: 2 }).value).toMatchObject({ rate: 1, met: 1, sprintsConsidered: 2 });
  });

  it('is null with a reason when no sprint in the window has a goal', () => {
    const r = sprintGoalRate(new HistoryIndex({ ...snapshot(), asOf: '2025-05-05T08:00:00Z' }), { lastN: 1 });
    expect(r.value).toBeNull();
    expect(r.reason).toMatch(/had a goal/);
  });
});
