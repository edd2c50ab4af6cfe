import { computeMetrics } from '../compute-metrics';
import { parseSnapshot } from '../model/schema';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { explainChange } from './explain-change';
import { velocityChange } from './velocity-change';

/**
 * Golden case, worked by hand. UTC team, Monday to Friday 09:00-17:00, a holiday on Friday 2025-04-04.
 *   S1 Mon 03-03 09:00 -> Fri 03-14 17:00: 10 working days
 *   S2 Mon 03-17 09:00 -> Fri 03-28 17:00: 10 working days
 *   S3 Mon 03-31 09:00 -> Fri 04-11 17:00: 9 working days (the holiday)
 *
 * S1: committed A-1 5, A-2 3, A-3 2 = 10; B-1 (3) added and done; all done  -> Completed 13
 *     10 + 3 (added) - 0 + 0 - 0 = 13
 * S2: committed C-1 5, C-2 5, C-3 3 = 13; C-3 removed (3); C-1, C-2 done    -> Completed 10
 *     13 + 0 - 3 + 0 - 0 = 10
 * S3: committed D-1 8, D-2 5, D-3 3 = 16; D-1 re-estimated 8 -> 3 (-5) and done; D-2 done; D-3 not done
 *     (carried over 3); E-1 (2) added and done                                -> Completed 3 + 5 + 2 = 10
 *     16 + 2 - 0 - 5 - 3 = 10
 *
 * S3 against the mean of S1 and S2: Completed 10 - (13 + 10) / 2 = 10 - 11.5 = -1.5, split into parts
 * (sprint N's figure - the mean before, with its sign in Completed = Committed + Added - Removed + Re-est - Carried):
 *   re-estimated  -5 - 0               = -5
 *   committed     16 - (10 + 13) / 2  = +4.5
 *   carried over  -(3 - 0)            = -3
 *   removed       -(0 - (0 + 3) / 2)  = +1.5
 *   added         2 - (3 + 0) / 2     = +0.5
 *   sum -5 + 4.5 - 3 + 1.5 + 0.5 = -1.5
 * Context: 9 working days against 10; S1 and S2 completed 23 points in 20 working days = 1.15 a day, so a day
 * less is expected to cost 1.15 points: shorter sprint -1.15 (ranked between removed and added).
 * Items completed: S1 4, S2 2 (mean 3), S3 3 (D-1, D-2, E-1).
 */
function goldenSnapshot() {
  const b = new SnapshotBuilder('2025-04-12T12:00:00Z', { holidays: ['2025-04-04'] });
  b.sprint({ id: 's1', name: 'S1', state: 'closed', startAt: '2025-03-03T09:00:00Z', plannedEndAt: '2025-03-14T17:00:00Z', closedAt: '2025-03-14T17:00:00Z' });
  b.sprint({ id: 's2', name: 'S2', state: 'closed', startAt: '2025-03-17T09:00:00Z', plannedEndAt: '2025-03-28T17:00:00Z', closedAt: '2025-03-28T17:00:00Z' });
  b.sprint({ id: 's3', name: 'S3', state: 'closed', startAt: '2025-03-31T09:00:00Z', plannedEndAt: '2025-04-11T17:00:00Z', closedAt: '2025-04-11T17:00:00Z' });
  const t0 = '2025-03-01T10:00:00Z';
  const done = (key: string, points: number, sprint: string, joined: string, doneAt: string) =>
    b.item(key, t0).estimate(t0, points).sprints(joined, [sprint]).status(doneAt, 'In Progress').status(doneAt.replace('T10', 'T15'), 'Done');
  done('A-1', 5, 's1', '2025-03-02T10:00:00Z', '2025-03-05T10:00:00Z');
  done('A-2', 3, 's1', '2025-03-02T10:00:00Z', '2025-03-06T10:00:00Z');
  done('A-3', 2, 's1', '2025-03-02T10:00:00Z', '2025-03-07T10:00:00Z');
  done('B-1', 3, 's1', '2025-03-05T10:00:00Z', '2025-03-10T10:00:00Z');
  done('C-1', 5, 's2', '2025-03-16T10:00:00Z', '2025-03-19T10:00:00Z');
  done('C-2', 5, 's2', '2025-03-16T10:00:00Z', '2025-03-20T10:00:00Z');
  b.item('C-3', t0).estimate(t0, 3).sprints('2025-03-16T10:00:00Z', ['s2']).sprints('2025-03-18T10:00:00Z', []);
  b.item('D-1', t0).estimate(t0, 8).sprints('2025-03-30T10:00:00Z', ['s3']).estimate('2025-04-02T10:00:00Z', 3).status('2025-04-03T10:00:00Z', 'In Progress').status('2025-04-07T10:00:00Z', 'Done');
  done('D-2', 5, 's3', '2025-03-30T10:00:00Z', '2025-04-08T10:00:00Z');
  b.item('D-3', t0).estimate(t0, 3).sprints('2025-03-30T10:00:00Z', ['s3']).status('2025-04-09T10:00:00Z', 'In Progress');
  done('E-1', 2, 's3', '2025-04-01T10:00:00Z', '2025-04-09T10:00:00Z');
  return parseSnapshot(b.build());
}

describe('velocityChange (golden case)', () => {
  const report = computeMetrics(goldenSnapshot());
  const e = velocityChange(report);

  it("gives the doc comments' examples (velocityChange, explainChange)", () => {
    expect(velocityChange(report).change).toBe(-1.5);
    expect(explainChange({ kpi: 'velocity', report }).causes[0]).toMatchObject({ code: 're-estimated', kind: 'part', effect: -5, items: [{ key: 'D-1' }] });
  });

  it('compares the last closed sprint with the mean of the sprints before it', () => {
    expect(report.velocity.details.sprints.map((s) => s.completed.points)).toEqual([13, 10, 10]);
    expect(e).toMatchObject({ kpi: 'velocity', unit: 'points', before: 11.5, after: 10, change: -1.5 });
    expect(e.period).toMatchObject({ label: 'S3', sprintId: 's3' });
    expect(e.baseline).toMatchObject({ label: 'the 2 closed sprints before', size: 2 });
  });

  it('ranks the parts and the shorter sprint by size, the parts adding up to the change', () => {
    expect(e.causes.map((c) => [c.code, c.kind, c.effect])).toEqual([
      ['re-estimated', 'part', -5],
      ['committed', 'part', 4.5],
      ['carried-over', 'part', -3],
      ['removed', 'part', 1.5],
      ['shorter-sprint', 'context', -1.15],
      ['added', 'part', 0.5],
    ]);
    const parts = e.causes.filter((c) => c.kind === 'part').reduce((a, c) => a + c.effect, 0);
    expect(parts).toBeCloseTo(e.change!, 9);
  });

  it('names the items and events behind each cause', () => {
    const reEstimated = e.causes.find((c) => c.code === 're-estimated')!;
    expect(reEstimated.items).toEqual([
      expect.objectContaining({ key: 'D-1', url: 'https://example.test/browse/D-1', contribution: -5, events: [expect.objectContaining({ field: 'estimate', from: 8, to: 3, at: '2025-04-02T10:00:00Z' })] }),
    ]);
    expect(reEstimated.measure).toEqual({ now: -5, usual: 0, unit: 'points', nowItems: 1, usualItems: 0 });
    expect(e.causes.find((c) => c.code === 'carried-over')!.items.map((i) => [i.key, i.contribution])).toEqual([['D-3', 3]]);
    expect(e.causes.find((c) => c.code === 'added')!.items.map((i) => [i.key, i.contribution, i.events[0]?.field])).toEqual([['E-1', 2, 'sprint']]);
    expect(e.causes.find((c) => c.code === 'committed')!.items.map((i) => i.key)).toEqual(['D-1', 'D-2', 'D-3']);
    expect(e.causes.find((c) => c.code === 'shorter-sprint')).toMatchObject({
      measure: { now: 9, usual: 10, unit: 'working days' },
      detail: { pointsPerWorkingDay: 1.15, holidays: ['2025-04-04'] },
    });
    expect(e.alongside).toEqual([
      { figure: 'items completed', unit: 'items', before: 3, after: 3 },
      { figure: 'working days', unit: 'days', before: 10, after: 9 },
    ]);
  });

  it('explains any closed sprint by name or id against the sprints before it', () => {
    // S2 against S1: 10 - 13 = -3 = committed (13 - 10 = +3) + added (0 - 3 = -3) + removed (-(3 - 0) = -3).
    const s2 = explainChange({ kpi: 'velocity', report, sprint: 's2' });
    expect(s2).toMatchObject({ before: 13, after: 10, change: -3 });
    expect(s2.causes.map((c) => [c.code, c.effect])).toEqual([
      ['committed', 3],
      ['added', -3],
      ['removed', -3],
    ]);
    expect(velocityChange(report, { sprint: 's2 ' }).causes).toEqual(velocityChange(report, { sprint: 'S2' }).causes);
  });

  it('says why there is nothing to compare, and names the sprints it knows', () => {
    expect(velocityChange(report, { sprint: 'S1' })).toMatchObject({ change: null, causes: [], reason: 'S1 is the first closed sprint shown: there is nothing before it to compare with' });
    expect(() => velocityChange(report, { sprint: 'Sprint 99' })).toThrow("no closed sprint 'Sprint 99' here: give one of 'S1', 'S2', 'S3' (a name or an id)");
  });

  it('does not explain a sprint that is still active', () => {
    const active = computeMetrics(parseSnapshot({ ...goldenSnapshot(), asOf: '2025-04-09T12:00:00Z' }));
    expect(velocityChange(active, { sprint: 'S3' })).toMatchObject({ change: null, reason: 'S3 is still active: its Completed is only what is done so far; ask again once it is closed' });
  });
});
