import { HistoryIndex } from '../history/history-index';
import { parseSnapshot } from '../model/schema';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { impedimentResolutionTime } from './impediment-resolution-time';

/**
 * Golden case, worked by hand. Team in UTC, working Mon-Fri 09:00-17:00, no sprints (window: 90 days),
 * asOf Wednesday 2025-03-19 12:00.
 *   F-1 flagged Fri 03-07 16:00, unflagged Mon 03-10 10:00: calendar 66 h; working 1 h Fri + 1 h Mon = 2 h
 *   I-1 impediment item created Tue 03-11 09:30, done 15:30:                calendar 6 h, working 6 h
 *   B-2 in status Blocked Wed 03-12 08:00 -> 20:00:                         calendar 12 h, working 8 h
 *   F-2 flagged Thu 03-13 09:00, done 13:00 while still flagged:            calendar 4 h, working 4 h
 *   F-3 flagged Mon 03-17 09:00, still open at asOf: age 51 h; working 8 + 8 + 3 = 19 h
 * Resolved calendar hours sorted: 4, 6, 12, 66 -> median (6 + 12) / 2 = 9; p85: rank 3 * 0.85 = 2.55,
 *   12 + 0.55 * (66 - 12) = 41.7; mean 88 / 4 = 22; max 66.
 * Resolved working hours sorted: 2, 4, 6, 8 -> median 5; p85 6 + 0.55 * 2 = 7.1; mean 5; max 8.
 */
function snapshot(team = {}) {
  const b = new SnapshotBuilder('2025-03-19T12:00:00Z', team);
  const t0 = '2025-03-01T10:00:00Z';
  b.item('F-1', t0).status('2025-03-06T10:00:00Z', 'In Progress').flagged('2025-03-07T16:00:00Z', true).flagged('2025-03-10T10:00:00Z', false);
  b.item('I-1', '2025-03-11T09:30:00Z', 'impediment').status('2025-03-11T15:30:00Z', 'Done');
  b.item('B-2', t0).status('2025-03-12T08:00:00Z', 'Blocked').status('2025-03-12T20:00:00Z', 'In Progress');
  b.item('F-2', t0).status('2025-03-12T10:00:00Z', 'In Progress').flagged('2025-03-13T09:00:00Z', true).status('2025-03-13T13:00:00Z', 'Done');
  b.item('F-3', t0).status('2025-03-14T10:00:00Z', 'In Progress').flagged('2025-03-17T09:00:00Z', true);
  return parseSnapshot(b.build());
}

describe('impedimentResolutionTime (golden case)', () => {
  const result = impedimentResolutionTime(new HistoryIndex(snapshot()));

  it('measures each impediment in calendar and working hours', () => {
    const byKey = Object.fromEntries(result.details.resolved.map((i) => [i.key, [i.source, i.calendarHours, i.workingHours]]));
    expect(byKey).toEqual({
      'F-1': ['flagged', 66, 2],
      'I-1': ['item-type', 6, 6],
      'B-2': ['blocked-status', 12, 8],
      'F-2': ['flagged', 4, 4],
    });
    expect(result.details.resolved.find((i) => i.key === 'F-2')!.resolvedAt).toBe('2025-03-13T13:00:00.000Z');
  });

  it('summarises the window', () => {
    expect(result.value).toEqual({
      raised: 5,
      resolved: 4,
      open: 1,
      calendarHours: { median: 9, p85: 41.7, mean: 22, max: 66 },
      workingHours: { median: 5, p85: 7.1, mean: 5, max: 8 },
    });
    expect(result.params).toMatchObject({ window: { days: 90 } });
  });

  it('lists open impediments with their age', () => {
    expect(result.details.open).toEqual([
      expect.objectContaining({ key: 'F-3', resolvedAt: null, calendarHours: 51, workingHours: 19 }),
    ]);
    expect(result.evidence.map((e) => [e.key, e.role])).toContainEqual(['F-3', 'open']);
  });

  it('reads only the configured sources', () => {
    const flaggedOnly = impedimentResolutionTime(new HistoryIndex(snapshot({ impedimentSources: ['flagged'] })));
    expect(flaggedOnly.details.resolved.map((i) => i.key).sort()).toEqual(['F-1', 'F-2']);
    expect(flaggedOnly.value).toMatchObject({ raised: 3, resolved: 2, open: 1, calendarHours: { median: 35, max: 66 } });
  });

  it('counts working hours in the team zone across a DST change', () => {
    // Europe/Berlin: flag on Fri 2025-03-28 16:00 (+01:00), off Mon 2025-03-31 10:00 (+02:00).
    // Clocks jump on Sunday, so the calendar interval is 65 h, not 66; working time is still 1 h + 1 h.
    const b = new SnapshotBuilder('2025-04-02T12:00:00+02:00', { timeZone: 'Europe/Berlin' });
    b.item('D-1', '2025-03-20T10:00:00+01:00').flagged('2025-03-28T16:00:00+01:00', true).flagged('2025-03-31T10:00:00+02:00', false);
    const r = impedimentResolutionTime(new HistoryIndex(parseSnapshot(b.build())));
    expect(r.details.resolved[0]).toMatchObject({ calendarHours: 65, workingHours: 2 });
  });

  it('is null with a reason when there is no impediment at all', () => {
    const b = new SnapshotBuilder('2025-03-19T12:00:00Z');
    b.item('N-1', '2025-03-01T10:00:00Z');
    const r = impedimentResolutionTime(new HistoryIndex(parseSnapshot(b.build())));
    expect(r.value).toBeNull();
    expect(r.reason).toMatch(/no impediment/);
  });
});
