import { computeMetrics } from '../compute-metrics';
import { parseSnapshot } from '../model/schema';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { cycleTimeChange } from './cycle-time-change';

/**
 * Golden case, worked by hand. UTC; asOf Mon 2025-03-31 12:00; flow window 4 weeks (from Mon 03-03); the period
 * is the items finished from 03-17 00:00 on, the baseline those finished before (from 03-03).
 *
 * Baseline:
 *   C-1 In Progress 03-03 10:00, In Review 03-05 10:00, Done 03-06 10:00   In Progress 2, In Review 1  = 3 days
 *   C-2 In Progress 03-04 10:00, In Review 03-07 10:00, Done 03-08 10:00   In Progress 3, In Review 1  = 4 days
 *   mean 3.5 (median 3.5); per item: In Progress (2 + 3) / 2 = 2.5, In Review 1, Blocked 0
 * Period:
 *   C-3 In Progress 03-17, In Review 03-19, Done 03-24 (all 10:00)         In Progress 2, In Review 5  = 7 days
 *   C-4 In Progress 03-18, Blocked 03-19, In Progress 03-21, In Review 03-22, Done 03-23
 *                                             In Progress 1 + 1 = 2, Blocked 2, In Review 1  = 5 days
 *   mean 6 (median 6); per item: In Progress 2, In Review 3, Blocked 1
 * Change 6 - 3.5 = +2.5 = In Review (3 - 1 = +2) + Blocked (1 - 0 = +1) + In Progress (2 - 2.5 = -0.5).
 */
function goldenSnapshot() {
  const b = new SnapshotBuilder('2025-03-31T12:00:00Z');
  const at = (d: string) => `2025-03-${d}T10:00:00Z`;
  b.item('C-1', at('01')).status(at('03'), 'In Progress').status(at('05'), 'In Review').status(at('06'), 'Done');
  b.item('C-2', at('01')).status(at('04'), 'In Progress').status(at('07'), 'In Review').status(at('08'), 'Done');
  b.item('C-3', at('01')).status(at('17'), 'In Progress').status(at('19'), 'In Review').status(at('24'), 'Done');
  b.item('C-4', at('01')).status(at('18'), 'In Progress').status(at('19'), 'Blocked').status(at('21'), 'In Progress').status(at('22'), 'In Review').status(at('23'), 'Done');
  return parseSnapshot(b.build());
}

describe('cycleTimeChange (golden case)', () => {
  const report = computeMetrics(goldenSnapshot(), { flow: { weeks: 4 } });
  const e = cycleTimeChange(report, { since: '2025-03-17T00:00:00Z' });

  it("gives the doc comment's example", () => {
    expect(e.causes[0]).toMatchObject({ code: 'status-time', subject: 'In Review', effect: 2 });
  });

  it('compares the mean cycle time of the period with the items finished before it', () => {
    expect(report.flow.details.finished.map((f) => [f.key, f.cycleDays])).toEqual([
      ['C-1', 3],
      ['C-2', 4],
      ['C-3', 7],
      ['C-4', 5],
    ]);
    expect(e).toMatchObject({ kpi: 'cycleTime', unit: 'days', before: 3.5, after: 6, change: 2.5 });
    expect(e.period).toMatchObject({ from: '2025-03-17T00:00:00.000Z', to: '2025-03-31T12:00:00.000Z', size: 2 });
    expect(e.baseline).toMatchObject({ from: '2025-03-03T00:00:00.000Z', size: 2 });
    expect(e.alongside).toEqual([
      { figure: 'median cycle time', unit: 'days', before: 3.5, after: 6 },
      { figure: 'items finished', unit: 'items', before: 2, after: 2 },
    ]);
  });

  it('splits the change by the days spent in each status, largest first', () => {
    expect(e.causes.map((c) => [c.subject, c.effect])).toEqual([
      ['In Review', 2],
      ['Blocked', 1],
      ['In Progress', -0.5],
    ]);
    expect(e.causes.reduce((a, c) => a + c.effect, 0)).toBeCloseTo(e.change!, 9);
    expect(e.causes[0]!.measure).toEqual({ now: 3, usual: 1, unit: 'days per item', nowItems: 2 });
  });

  it('names the items that spent the time, with the event that brought them there', () => {
    const review = e.causes[0]!;
    expect(review.items.map((i) => [i.key, i.contribution])).toEqual([
      ['C-3', 5],
      ['C-4', 1],
    ]);
    expect(review.items[0]!.events).toEqual([{ at: '2025-03-19T10:00:00Z', field: 'status', from: 'In Progress', to: 'In Review' }]);
    expect(e.causes[1]!.items.map((i) => [i.key, i.contribution, i.url])).toEqual([['C-4', 2, 'https://example.test/browse/C-4']]);
  });

  it('defaults to the last 28 days, and says when a period has nothing to compare', () => {
    // 28 days before asOf is 03-03 12:00: all four items finished after it, so nothing is left to compare with.
    expect(cycleTimeChange(report)).toMatchObject({ change: null, reason: 'no item with a cycle time finished in the flow window before 2025-03-03T12:00:00.000Z: nothing to compare with' });
    expect(cycleTimeChange(report, { since: '2025-03-25T00:00:00Z' })).toMatchObject({ change: null, reason: 'no item with a cycle time finished from 2025-03-25T00:00:00.000Z to 2025-03-31T12:00:00.000Z' });
    expect(() => cycleTimeChange(report, { since: 'last week' })).toThrow("since must be an ISO-8601 instant with an offset, such as 2025-06-02T00:00:00Z, got 'last week'");
  });
});
