import { HistoryIndex } from '../history/history-index';
import { parseSnapshot } from '../model/schema';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { azureDevOpsLens } from './azure-devops-velocity';
import { velocity } from './velocity';

/**
 * Golden case, worked by hand, for the Azure DevOps lens (its Velocity widget's rules). A Scrum team in
 * Europe/Berlin plans on dates; each item is in one iteration at a time, as in Azure DevOps:
 *   S1 2026-03-02 .. 2026-03-13, S2 2026-03-16 .. 2026-03-27, S3 2026-03-30 .. 2026-04-10 (active at asOf
 *   2026-04-03 12:00). Summer time starts on Sunday 29 March.
 *
 * P-1 (1)  done 11 Mar, moved into S2 at 08:45 on 16 Mar (the start date)  -> planned; completed (done before)
 * P-2 (5)  in S2 from its start, done 20 Mar                               -> planned; completed
 * P-3 (8)  in S2 from its start, done 26 Mar                               -> planned; completed
 * P-6 (3), P-7 (3)  in S1, not done, moved to S2 on Saturday 14 Mar        -> S1: not incomplete (they are in S2 now)
 *   P-6 done 25 Mar                                                        -> planned; completed
 *   P-7 not done, moved to S3 on Saturday 28 Mar                           -> planned; S2: not incomplete (in S3 now)
 * P-8 (2)  added to S2 on 18 Mar, done 24 Mar                              -> completed (not planned)
 * P-9 (2)  in S2 from its start, done Sunday 29 Mar 10:00, never moved     -> planned; completed late
 * P-10 (1) assigned to S2 on 17 Mar 09:00 (its second day), done 26 Mar    -> completed; planned only with 1 planned day
 *
 * S2 lens, offsets 0: Planned = P-1 1 + P-2 5 + P-3 8 + P-6 3 + P-7 3 + P-9 2 = 22 (6 items);
 *   Completed = P-1 1 + P-2 5 + P-3 8 + P-6 3 + P-8 2 + P-10 1 = 20 (6); Completed late = P-9 2 (1); Incomplete 0.
 * planned days 1 (snapshot at the end of 17 Mar): Planned 22 + P-10 1 = 23 (7).
 * late days 2 (late after the end of 29 Mar): P-9 is on time: Completed 22 (7), Completed late 0.
 * S1 lens: Planned 6 (P-6, P-7 at the end of 2 Mar), nothing currently assigned: Completed 0, Incomplete 0.
 * The neutral figures stay as they are: S2 Committed = P-2 5 + P-3 8 + P-6 3 + P-7 3 + P-9 2 = 21 (P-1 was done
 * when it joined: completed outside); Completed at the close = P-2 + P-3 + P-6 + P-8 + P-10 = 19; carried over
 * P-7 3 + P-9 2 = 5. S1 carried over 6.
 */
function golden() {
  const b = new SnapshotBuilder('2026-04-03T12:00:00+02:00', { timeZone: 'Europe/Berlin' });
  const day = (date: string, endOfDay = false) => (endOfDay ? `${date}T23:59:59.999+01:00` : `${date}T00:00:00+01:00`);
  b.sprint({ id: 's1', name: 'S1', state: 'closed', startAt: day('2026-03-02'), plannedEndAt: day('2026-03-13', true), closedAt: day('2026-03-13', true) });
  b.sprint({ id: 's2', name: 'S2', state: 'closed', startAt: day('2026-03-16'), plannedEndAt: day('2026-03-27', true), closedAt: day('2026-03-27', true) });
  b.sprint({ id: 's3', name: 'S3', state: 'active', startAt: '2026-03-30T00:00:00+02:00', plannedEndAt: '2026-04-10T23:59:59.999+02:00' });
  const t0 = '2026-02-20T10:00:00+01:00';
  const done = (key: string, points: number, at: string) => b.item(key, t0).estimate(t0, points).status(at, 'Done');
  done('P-1', 1, '2026-03-11T15:00:00+01:00').sprints('2026-03-16T08:45:00+01:00', ['s2']);
  b.item('P-2', t0).estimate(t0, 5).sprints('2026-03-13T16:00:00+01:00', ['s2']).status('2026-03-20T10:00:00+01:00', 'Done');
  b.item('P-3', t0).estimate(t0, 8).sprints('2026-03-13T16:00:00+01:00', ['s2']).status('2026-03-26T10:00:00+01:00', 'Done');
  b.item('P-6', t0).estimate(t0, 3).sprints('2026-02-27T16:00:00+01:00', ['s1']).sprints('2026-03-14T11:00:00+01:00', ['s2']).status('2026-03-25T10:00:00+01:00', 'Done');
  b.item('P-7', t0).estimate(t0, 3).sprints('2026-02-27T16:00:00+01:00', ['s1']).sprints('2026-03-14T11:00:00+01:00', ['s2']).sprints('2026-03-28T11:00:00+01:00', ['s3']);
  b.item('P-8', t0).estimate(t0, 2).sprints('2026-03-18T10:00:00+01:00', ['s2']).status('2026-03-24T10:00:00+01:00', 'Done');
  b.item('P-9', t0).estimate(t0, 2).sprints('2026-03-13T16:00:00+01:00', ['s2']).status('2026-03-29T10:00:00+02:00', 'Done');
  b.item('P-10', t0).estimate(t0, 1).sprints('2026-03-17T09:00:00+01:00', ['s2']).status('2026-03-26T10:00:00+01:00', 'Done');
  return new HistoryIndex(parseSnapshot(b.build()));
}

const keys = (ev: readonly { key: string; role: string }[], role: string) => ev.filter((e) => e.role === role).map((e) => e.key).sort();

describe("Azure DevOps' lens on velocity (golden case)", () => {
  const index = golden();
  const s2 = index.sprint('s2')!;

  it('plans what is assigned by the end of the start date, and counts completion by the iteration items are in now', () => {
    const lens = azureDevOpsLens(index, s2);
    expect(lens).toMatchObject({
      planned: { points: 22, items: 6 },
      completed: { points: 20, items: 6 },
      completedLate: { points: 2, items: 1 },
      incomplete: { points: 0, items: 0 },
      plannedAt: '2026-03-16T22:59:59.999Z',
      lateAfter: '2026-03-27T22:59:59.999Z',
    });
    expect(keys(lens.evidence, 'ado-planned')).toEqual(['P-1', 'P-2', 'P-3', 'P-6', 'P-7', 'P-9']);
    expect(keys(lens.evidence, 'ado-completed')).toEqual(['P-1', 'P-10', 'P-2', 'P-3', 'P-6', 'P-8']);
    expect(keys(lens.evidence, 'ado-completed-late')).toEqual(['P-9']);
  });

  it('takes the planned snapshot N days past the start date', () => {
    expect(azureDevOpsLens(index, s2, { plannedDaysAfterStart: 1 }).planned).toEqual({ points: 23, items: 7 });
  });

  it('counts completion as late only after the end date plus N days (across the change to summer time)', () => {
    const lens = azureDevOpsLens(index, s2, { lateDaysAfterEnd: 2 });
    expect(lens).toMatchObject({ completed: { points: 22, items: 7 }, completedLate: { points: 0, items: 0 }, lateAfter: '2026-03-29T21:59:59.999Z' });
  });

  it('leaves work moved on after the end out of the sprint it left', () => {
    expect(azureDevOpsLens(index, index.sprint('s1')!)).toMatchObject({ planned: { points: 6, items: 2 }, completed: { points: 0, items: 0 }, incomplete: { points: 0, items: 0 } });
    // P-7 is incomplete where it is now: the active S3.
    expect(azureDevOpsLens(index, index.sprint('s3')!)).toMatchObject({ incomplete: { points: 3, items: 1 } });
  });

  it('leaves the neutral figures as they are, and puts the offsets in the params', () => {
    const v = velocity(index, { azureDevOps: { plannedDaysAfterStart: 1, lateDaysAfterEnd: 2 } });
    const [v1, v2] = v.details.sprints;
    expect(v2).toMatchObject({ committed: { points: 21, items: 5 }, completed: { points: 19, items: 5 }, carriedOver: { points: 5, items: 2 }, completedOutside: { points: 1, items: 1 } });
    expect(v2!.azureDevOps).toMatchObject({ planned: { points: 23 }, completed: { points: 22 }, completedLate: { points: 0 } });
    expect(v1).toMatchObject({ carriedOver: { points: 6, items: 2 }, azureDevOps: { incomplete: { points: 0, items: 0 } } });
    expect(v.params['azureDevOps']).toEqual({ plannedDaysAfterStart: 1, lateDaysAfterEnd: 2 });
    expect(() => velocity(index, { azureDevOps: { lateDaysAfterEnd: -1 } })).toThrow(/lateDaysAfterEnd must be a whole number of days from 0 to 30/);
  });
});
