import { HistoryIndex } from '../history/history-index';
import { parseSnapshot } from '../model/schema';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { flow } from './flow';

/**
 * Golden case, worked by hand. UTC; asOf Wed 2025-03-26 12:00; weeks = 2, so the complete weeks are those
 * of Mon 03-10 and Mon 03-17, and the current week starts Mon 03-24.
 *   F-1 created 03-03, started 03-10, done 03-12                       cycle 2, lead 9     week 03-10
 *   F-2 created 03-05, started 03-11, done 03-13, reopened 03-14,
 *       done again 03-18 (time after the reopen counts)               cycle 7, lead 13    week 03-17
 *   F-3 created 03-10, done 03-19 without ever starting               cycle -, lead 9     week 03-17
 *   F-4 created 03-01, started 03-17, review 03-18, done 03-21         cycle 4, lead 20    week 03-17
 *   F-5 created 03-24 10:00, started 03-25 10:00, done 03-25 22:00     cycle 0.5, lead 1.5 current week
 *   W-1 started 03-19 12:00 (7 days at asOf), W-2 started 03-25 12:00 (1 day), T-1 never started.
 * Throughput: 1 and 3 in the complete weeks -> 2 per week; 1 so far this week.
 * Cycle days 0.5, 2, 4, 7 -> median 3; p85 (R-7, rank 2.55) 4 + 0.55 * 3 = 5.65; p95 (2.85) 6.55; mean 3.38.
 * Lead days 1.5, 9, 9, 13, 20 -> median 9; p85 (3.4) 13 + 0.4 * 7 = 15.8; p95 (3.8) 18.6; mean 10.5.
 * WIP 2: W-1 at 7 days is above p85 (5.65); W-2 at 1 day is within the median.
 */
function snapshot() {
  const b = new SnapshotBuilder('2025-03-26T12:00:00Z');
  const at = (d: string, h = '10:00') => `2025-03-${d}T${h}:00Z`;
  b.item('F-1', at('03')).status(at('10'), 'In Progress').status(at('12'), 'Done');
  b.item('F-2', at('05')).status(at('11'), 'In Progress').status(at('13'), 'Done').status(at('14'), 'In Progress').status(at('18'), 'Done');
  b.item('F-3', at('10')).status(at('19'), 'Done');
  b.item('F-4', at('01')).status(at('17'), 'In Progress').status(at('18'), 'In Review').status(at('21'), 'Done');
  b.item('F-5', at('24')).status(at('25'), 'In Progress').status(at('25', '22'), 'Done');
  b.item('W-1', at('01')).status(at('19', '12'), 'In Progress');
  b.item('W-2', at('01')).status(at('25', '12'), 'In Progress');
  b.item('T-1', at('01'));
  b.item('S-1', at('01'), 'subtask').status(at('11'), 'In Progress').status(at('12'), 'Done');
  return parseSnapshot(b.build());
}

describe('flow (golden case)', () => {
  const result = flow(new HistoryIndex(snapshot()), { weeks: 2 });

  it('counts throughput per complete week in the team zone', () => {
    expect(result.details.weeks).toEqual([
      { week: '2025-03-10', finished: 1 },
      { week: '2025-03-17', finished: 3 },
    ]);
    expect(result.details.currentWeek).toEqual({ week: '2025-03-24', finished: 1 });
  });

  it('measures cycle and lead time from first start and last done', () => {
    expect(result.details.finished.map((f) => [f.key, f.cycleDays, f.leadDays])).toEqual([
      ['F-1', 2, 9],
      ['F-2', 7, 13],
      ['F-3', null, 9],
      ['F-4', 4, 20],
      ['F-5', 0.5, 1.5],
    ]);
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'done-without-start', itemKey: 'F-3' }));
  });

  it('summarises the window', () => {
    expect(result.value).toEqual({
      throughputPerWeek: 2,
      cycleTimeDays: { median: 3, p85: 5.65, p95: 6.55, mean: 3.38 },
      leadTimeDays: { median: 9, p85: 15.8, p95: 18.6, mean: 10.5 },
      wip: 2,
      agingAboveP85: 1,
    });
  });

  it('ages the work in progress against the cycle-time percentiles', () => {
    expect(result.details.aging.map((a) => [a.key, a.title, a.ageDays, a.band])).toEqual([
      ['W-1', 'Item W-1', 7, 'above-p85'],
      ['W-2', 'Item W-2', 1, 'within-p50'],
    ]);
  });

  it('draws cumulative flow by category and by column', () => {
    const day = (d: string) => result.details.cumulativeFlow.find((x) => x.date === d)!;
    expect(day('2025-03-12').byCategory).toEqual({ todo: 5, in_progress: 1, done: 1 });
    expect(day('2025-03-21').byCategory).toEqual({ todo: 2, in_progress: 1, done: 4 });
    expect(day('2025-03-18').byColumn).toEqual({ 'To Do': 4, 'In Progress': 0, 'In Review': 1, Done: 2 });
    expect(result.details.cumulativeFlow[0]!.date).toBe('2025-03-10');
    expect(result.details.cumulativeFlow.at(-1)!.date).toBe('2025-03-26');
  });

  it('has evidence for every finished and in-progress item', () => {
    expect(result.evidence.filter((e) => e.role === 'finished').map((e) => e.key)).toEqual(['F-1', 'F-2', 'F-3', 'F-4', 'F-5']);
    expect(result.evidence.filter((e) => e.role === 'wip').map((e) => e.key)).toEqual(['W-1', 'W-2']);
  });
});
