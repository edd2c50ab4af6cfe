import { HistoryIndex } from '../history/history-index';
import { parseSnapshot } from '../model/schema';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { velocity } from './velocity';

/**
 * Golden case, worked by hand. Team in UTC, three two-week sprints:
 *   S1 2025-03-03 09:00 -> closed 2025-03-14 17:00
 *   S2 2025-03-17 09:00 -> closed 2025-03-28 17:00
 *   S3 2025-03-31 09:00 -> active at asOf 2025-04-04 12:00
 *
 * S1 at start: A-1 (5), A-2 (3), A-3 (2), A-5 (3), A-8 (5)             -> Committed 18
 *   A-2 re-estimated 3 -> 5 on 03-05 (+2)
 *   A-3 removed on 03-06 (stays in Committed; Removed 2)
 *   A-4 (8) added 03-05, done 03-13                                     -> Added 8
 *   A-6 (2) done 03-04, added 03-07: already done when it joined       -> Completed outside 2
 *   A-7 sub-task with 2 points, done                                    -> excluded
 *   A-8 done 03-10, reopened 03-12, not done at close                   -> carried over
 *   done at close: A-1 5 + A-2 5 (estimate at close) + A-4 8            -> Completed 18
 *   carried over: A-5 3 + A-8 5                                         -> 8
 * S2 at start: A-5 (3), A-8 (5) (carried over; Jira keeps S1 in the list), A-9 (no estimate),
 *   A-10 (3), B-1 (2)                                                   -> Committed 13 (+ warning for A-9)
 *   done at close: A-5 3 + A-10 3                                       -> Completed 6
 *   carried over: A-8 5, A-9 (unestimated), B-1 2                       -> 7
 *   Azure DevOps' lens: planned (in S2 at the end of 03-17) 13; completed (in S2 now, done by 03-28) A-5 3 +
 *   A-10 3 = 6; B-1 is never moved on and is done on 04-01: completed late 2; A-8 and A-9 are in S3 now, so
 *   incomplete 0 (azure-devops-velocity.test.ts works the lens's rules through).
 * S3 (active) at start: A-8 (5), A-9 (none); A-8 done 04-02           -> Committed 5, Completed so far 5
 *
 * Team, last 3 closed sprints (only 2 exist): velocity = mean(18, 6) = 12; median 12;
 * sample sd of (18, 6) = sqrt(72) = 8.485, CV = 8.485 / 12 = 0.707; trend = 6 - 18 = -12 per sprint;
 * say/do = (18 + 6) / (18 + 13) = 24 / 31 = 0.774.
 */
function goldenSnapshot() {
  const b = new SnapshotBuilder('2025-04-04T12:00:00Z');
  b.sprint({ id: 's1', name: 'S1', state: 'closed', startAt: '2025-03-03T09:00:00Z', plannedEndAt: '2025-03-14T17:00:00Z', closedAt: '2025-03-14T17:00:00Z', goal: 'Checkout' });
  b.sprint({ id: 's2', name: 'S2', state: 'closed', startAt: '2025-03-17T09:00:00Z', plannedEndAt: '2025-03-28T17:00:00Z', closedAt: '2025-03-28T17:00:00Z' });
  b.sprint({ id: 's3', name: 'S3', state: 'active', startAt: '2025-03-31T09:00:00Z', plannedEndAt: '2025-04-11T17:00:00Z' });
  const t0 = '2025-03-01T10:00:00Z';
  b.item('A-1', t0).estimate(t0, 5).sprints('2025-03-02T10:00:00Z', ['s1']).status('2025-03-04T10:00:00Z', 'In Progress').status('2025-03-10T10:00:00Z', 'Done');
  b.item('A-2', t0).estimate(t0, 3).sprints('2025-03-02T10:00:00Z', ['s1']).estimate('2025-03-05T10:00:00Z', 5).status('2025-03-06T10:00:00Z', 'In Progress').status('2025-03-12T10:00:00Z', 'Done');
  b.item('A-3', t0).estimate(t0, 2).sprints('2025-03-02T10:00:00Z', ['s1']).sprints('2025-03-06T10:00:00Z', []);
  b.item('A-4', t0).estimate(t0, 8).sprints('2025-03-05T10:00:00Z', ['s1']).status('2025-03-06T10:00:00Z', 'In Progress').status('2025-03-13T10:00:00Z', 'Done');
  b.item('A-5', t0).estimate(t0, 3).sprints('2025-03-02T10:00:00Z', ['s1']).sprints('2025-03-14T17:00:01Z', ['s1', 's2']).status('2025-03-18T10:00:00Z', 'In Progress').status('2025-03-20T10:00:00Z', 'Done');
  b.item('A-6', t0).estimate(t0, 2).status('2025-03-03T10:00:00Z', 'In Progress').status('2025-03-04T10:00:00Z', 'Done').sprints('2025-03-07T10:00:00Z', ['s1']);
  b.item('A-7', t0, 'subtask').set({ parentId: 'test:issue:A-1' }).estimate(t0, 2).sprints('2025-03-02T10:00:00Z', ['s1']).status('2025-03-05T10:00:00Z', 'In Progress').status('2025-03-07T10:00:00Z', 'Done');
  b.item('A-8', t0)
    .estimate(t0, 5)
    .sprints('2025-03-02T10:00:00Z', ['s1'])
    .status('2025-03-05T10:00:00Z', 'In Progress')
    .status('2025-03-10T10:00:00Z', 'Done')
    .status('2025-03-12T10:00:00Z', 'In Progress')
    .sprints('2025-03-14T17:00:01Z', ['s1', 's2'])
    .sprints('2025-03-28T17:00:01Z', ['s1', 's2', 's3'])
    .status('2025-04-02T10:00:00Z', 'Done');
  b.item('A-9', t0).sprints('2025-03-16T10:00:00Z', ['s2']).sprints('2025-03-28T17:00:01Z', ['s2', 's3']);
  b.item('A-10', t0).estimate(t0, 3).sprints('2025-03-16T10:00:00Z', ['s2']).status('2025-03-19T10:00:00Z', 'In Progress').status('2025-03-25T10:00:00Z', 'Done');
  b.item('B-1', t0, 'bug').estimate(t0, 2).sprints('2025-03-16T10:00:00Z', ['s2']).status('2025-03-26T10:00:00Z', 'In Progress').status('2025-04-01T10:00:00Z', 'Done');
  return parseSnapshot(b.build());
}

const keys = (ev: readonly { key: string; role: string }[], role: string) => ev.filter((e) => e.role === role).map((e) => e.key).sort();

describe('velocity (golden case)', () => {
  const result = velocity(new HistoryIndex(goldenSnapshot()));
  const [s1, s2, s3] = result.details.sprints;

  it('reconstructs sprint 1 from history', () => {
    expect(s1).toMatchObject({
      sprintId: 's1',
      state: 'closed',
      committed: { points: 18, items: 5 },
      completed: { points: 18, items: 3 },
      added: { points: 8, items: 1 },
      removed: { points: 2, items: 1 },
      reEstimated: { points: 2, items: 1 },
      carriedOver: { points: 8, items: 2 },
      completedOutside: { points: 2, items: 1 },
      sayDo: 1,
    });
    expect(keys(s1!.evidence, 'committed')).toEqual(['A-1', 'A-2', 'A-3', 'A-5', 'A-8']);
    expect(keys(s1!.evidence, 'completed')).toEqual(['A-1', 'A-2', 'A-4']);
    expect(keys(s1!.evidence, 'completed-outside')).toEqual(['A-6']);
    expect(result.excluded.map((e) => e.key)).toContain('A-7');
  });

  it('counts a carried-over item in the next sprint commitment, and an unestimated one with a warning', () => {
    expect(s2).toMatchObject({
      committed: { points: 13, items: 5 },
      completed: { points: 6, items: 2 },
      carriedOver: { points: 7, items: 3 },
      azureDevOps: { planned: { points: 13 }, completed: { points: 6, items: 2 }, completedLate: { points: 2, items: 1 }, incomplete: { points: 0, items: 0 } },
    });
    expect(keys(s2!.evidence, 'ado-completed-late')).toEqual(['B-1']);
    expect(result.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'committed-unestimated', itemKey: 'A-9', sprintId: 's2' })]));
  });

  it('shows the active sprint completed so far', () => {
    expect(s3).toMatchObject({ state: 'active', committed: { points: 5, items: 2 }, completed: { points: 5, items: 1 }, endAt: '2025-04-04T12:00:00.000Z' });
    expect(result.details.active?.sprintId).toBe('s3');
  });

  it('computes the team figures', () => {
    expect(result.value).toEqual({ velocity: 12, median: 12, coefficientOfVariation: 0.707, trend: -12, sayDo: 0.774, sprintsAveraged: 2 });
    expect(result.warnings.map((w) => w.code)).toContain('few-closed-sprints');
    expect(result.unit).toBe('points');
    expect(result.params).toMatchObject({ lastN: 3, historyCount: 7 });
  });

  it('the evidence of the team figure names the completed items with their contributions', () => {
    const completed = result.evidence.filter((e) => e.role === 'completed');
    expect(completed.map((e) => [e.key, e.contribution])).toEqual(
      expect.arrayContaining([
        ['A-1', 5],
        ['A-2', 5],
        ['A-4', 8],
        ['A-5', 3],
        ['A-10', 3],
      ]),
    );
    expect(completed.reduce((s, e) => s + (e.contribution ?? 0), 0)).toBe(24);
  });

  it('changes nothing when the estimate unit is counted instead of points', () => {
    const snap = goldenSnapshot();
    const counted = velocity(new HistoryIndex({ ...snap, team: { ...snap.team, estimateUnit: 'count' } }));
    expect(counted.details.sprints[0]).toMatchObject({ committed: { points: 5 }, completed: { points: 3 } });
    expect(counted.unit).toBe('items');
  });

  // On 03-10 at noon S1 is active: A-1 (5) and A-8 (5) both reached Done at 10:00 -> 10 so far.
  it('returns null with a reason before any sprint closes', () => {
    const snap = goldenSnapshot();
    const early = velocity(new HistoryIndex({ ...snap, asOf: '2025-03-10T12:00:00Z' }));
    expect(early.value).toBeNull();
    expect(early.reason).toMatch(/no closed sprint/);
    expect(early.details.active).toMatchObject({ sprintId: 's1', completed: { points: 10, items: 2 } });
  });

  it('rejects a nonsensical option with a message that names the fix', () => {
    expect(() => velocity(new HistoryIndex(goldenSnapshot()), { lastN: 0 })).toThrow(/lastN must be a whole number/);
  });
});
