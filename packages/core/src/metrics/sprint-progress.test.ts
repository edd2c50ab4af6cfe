import { HistoryIndex } from '../history/history-index';
import { parseSnapshot } from '../model/schema';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { sprintProgress } from './sprint-progress';

/**
 * Golden case, worked by hand. UTC team, Mon-Fri 09:00-17:00. Sprint S runs Mon 2025-03-03 09:00 to
 * Fri 2025-03-14 17:00 (10 working days); asOf Fri 2025-03-07 17:00.
 *   committed at start: C-1 (5), C-2 (3), C-3 (8), C-5 (3) = 19
 *   C-1 done Tue 03-04 15:00; C-4 (2) added Wed 03-05 10:00; C-2 done Thu 03-06 11:00; C-5 removed Thu 12:00
 * End-of-day samples (scope / completed / remaining):
 *   start 19/0/19, Mon 19/0/19, Tue 19/5/14, Wed 21/5/16, Thu 18/8/10, Fri (asOf) 18/8/10
 * Ideal: 19 at start, minus 1.9 per working day: Fri 03-07 after 5 of 10 days = 9.5; Fri 03-14 = 0.
 * Pace: 8 points in 40 working hours = 0.2 per hour. 40 working hours remain to the planned end:
 *   projected completed at end = 8 + 0.2 * 40 = 16; the 10 remaining need 50 h: 40 h to 03-14 17:00,
 *   8 h on Mon 03-17, 2 h on Tue 03-18 -> projected finish 2025-03-18 11:00, not on track.
 */
function snapshot(asOf = '2025-03-07T17:00:00Z') {
  const b = new SnapshotBuilder(asOf);
  b.sprint({ id: 'S', name: 'Sprint S', state: 'active', startAt: '2025-03-03T09:00:00Z', plannedEndAt: '2025-03-14T17:00:00Z' });
  const t0 = '2025-03-01T10:00:00Z';
  const planned = '2025-03-02T10:00:00Z';
  b.item('C-1', t0).estimate(t0, 5).sprints(planned, ['S']).status('2025-03-03T10:00:00Z', 'In Progress').status('2025-03-04T15:00:00Z', 'Done');
  b.item('C-2', t0).estimate(t0, 3).sprints(planned, ['S']).status('2025-03-06T11:00:00Z', 'Done');
  b.item('C-3', t0).estimate(t0, 8).sprints(planned, ['S']).status('2025-03-05T10:00:00Z', 'In Progress');
  b.item('C-4', t0).estimate(t0, 2).sprints('2025-03-05T10:00:00Z', ['S']);
  b.item('C-5', t0).estimate(t0, 3).sprints(planned, ['S']).sprints('2025-03-06T12:00:00Z', []);
  return parseSnapshot(b.build());
}

describe('sprintProgress (golden case)', () => {
  const result = sprintProgress(new HistoryIndex(snapshot()));

  it('draws the burndown and burnup day by day', () => {
    const past = result.details.days.filter((d) => d.at !== null).map((d) => [d.kind, d.date, d.scope, d.completed, d.remaining, d.ideal]);
    expect(past.map((p) => p[0])).toEqual(['start', 'day-end', 'day-end', 'day-end', 'day-end', 'day-end']);
    expect(past.map((p) => p.slice(1))).toEqual([
      ['2025-03-03', 19, 0, 19, 19],
      ['2025-03-03', 19, 0, 19, 17.1],
      ['2025-03-04', 19, 5, 14, 15.2],
      ['2025-03-05', 21, 5, 16, 13.3],
      ['2025-03-06', 18, 8, 10, 11.4],
      ['2025-03-07', 18, 8, 10, 9.5],
    ]);
    const future = result.details.days.filter((d) => d.kind === 'future');
    expect(future.map((d) => d.date)).toEqual(['2025-03-08', '2025-03-09', '2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14']);
    expect(future.map((d) => d.ideal)).toEqual([9.5, 9.5, 7.6, 5.7, 3.8, 1.9, 0]);
  });

  it('projects the close at the current pace', () => {
    expect(result.value).toEqual({
      sprintId: 'S',
      name: 'Sprint S',
      committed: 19,
      scope: 18,
      completed: 8,
      remaining: 10,
      idealRemaining: 9.5,
      workingDaysElapsed: 5,
      workingDaysTotal: 10,
      pacePerWorkingHour: 0.2,
      projectedCompletedAtEnd: 16,
      projectedFinish: '2025-03-18T11:00:00.000Z',
      onTrack: false,
    });
  });

  it('shows the items behind the lines', () => {
    const rows = result.evidence.map((e) => [e.role, e.key, e.contribution]);
    expect(rows).toEqual([
      ['done', 'C-1', 5],
      ['done', 'C-2', 3],
      ['remaining', 'C-3', 8],
      ['remaining', 'C-4', 2],
      ['added', 'C-4', 2],
      ['removed', 'C-5', 3],
    ]);
  });

  it('says why there is nothing to draw without an active sprint', () => {
    const r = sprintProgress(new HistoryIndex(snapshot('2025-03-01T12:00:00Z')));
    expect(r.value).toBeNull();
    expect(r.reason).toBe('no sprint is active at asOf');
  });

  it('has no projection before anything is done', () => {
    const r = sprintProgress(new HistoryIndex(snapshot('2025-03-03T17:00:00Z')));
    expect(r.value).toMatchObject({ completed: 0, remaining: 19, pacePerWorkingHour: 0, projectedFinish: null, onTrack: null });
    expect(r.warnings.map((w) => w.code)).toContain('no-pace-yet');
  });
});

/**
 * A sprint left open two months past its planned end, worked by hand. UTC team, Mon-Fri. Sprint L runs Mon
 * 2024-01-01 09:00 to Fri 2024-01-12 17:00: 10 working days. asOf Fri 2024-03-01 17:00, the sprint still active.
 *   working days from 01-01 through 03-01: January 23 (5 + 5 + 5 + 5 + 29-31: 3), February 21 (Thu 1 and Fri 2,
 *   then 5 + 5 + 5, then 26-29: 4), March 1 -> 45
 *   committed: L-1 (4 points), never done. Ideal: 4 minus 0.4 per working day: Fri 01-05 after 5 days 2, Sat 01-06
 *   still 2, Fri 01-12 0, and 0 from then on (never below).
 *   The chart runs from 01-01 through 03-01 (61 days, all in the past), one point per day and the start.
 */
describe('sprintProgress of a sprint left open long past its end', () => {
  const b = new SnapshotBuilder('2024-03-01T17:00:00Z');
  b.sprint({ id: 'L', name: 'Sprint L', state: 'active', startAt: '2024-01-01T09:00:00Z', plannedEndAt: '2024-01-12T17:00:00Z' });
  b.item('L-1', '2023-12-20T10:00:00Z').estimate('2023-12-20T10:00:00Z', 4).sprints('2023-12-29T10:00:00Z', ['L']);
  const result = sprintProgress(new HistoryIndex(parseSnapshot(b.build())));

  it('counts the working days elapsed and in the plan', () => {
    expect(result.value).toMatchObject({ workingDaysElapsed: 45, workingDaysTotal: 10, idealRemaining: 0, committed: 4, remaining: 4 });
  });

  it('draws every day to asOf with the ideal line flat after the planned end', () => {
    const days = result.details.days;
    expect(days).toHaveLength(62);
    expect(days.filter((d) => d.kind === 'future')).toEqual([]);
    const ideal = new Map(days.filter((d) => d.kind === 'day-end').map((d) => [d.date, d.ideal]));
    expect([ideal.get('2024-01-05'), ideal.get('2024-01-06'), ideal.get('2024-01-12'), ideal.get('2024-02-15'), ideal.get('2024-03-01')]).toEqual([2, 2, 0, 0, 0]);
  });
});
