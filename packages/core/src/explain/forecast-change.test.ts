import { computeMetrics } from '../compute-metrics';
import { parseSnapshot } from '../model/schema';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { forecastChange } from './forecast-change';

/**
 * Golden case, worked by hand. Every sprint completes exactly 10 points, so every Monte Carlo draw is 10 and
 * a forecast needs ceil(remaining / 10) sprints of 14 days: no chance left in it.
 *   S1 03-03 09:00 -> 03-17 09:00 (F-1, 10, done)   S2 03-17 -> 03-31 (F-2, 10, done)
 *   S3 03-31 -> 04-14 (X-1 5 done 04-03, X-2 5 done 04-09)
 * Release 2.4 (start 03-01, planned 2025-05-20) holds X-1 5, X-2 5, X-3 8, X-4 3 from 03-01.
 *   04-05 X-4 leaves the release; 04-07 Y-1 (12) joins; 04-08 X-3 re-estimated 8 -> 13.
 * Earlier forecast, asOf Tue 04-01 12:00 (S3 active): samples [10, 10]; remaining X-1..X-4 = 21 -> 3 sprints
 *   -> P85 04-01 + 42 days = 05-13; planned 05-20 is 49 days away = 3 whole sprints: probability 1.
 * Forecast asOf Tue 04-15 12:00: samples [10, 10, 10]; remaining X-3 13 + Y-1 12 = 25 -> 3 sprints
 *   -> P85 04-15 + 42 = 05-27; the planned date is 35 days away = 2 sprints: probability 0.
 * Change 05-13 -> 05-27 = +14 days, replayed one step at a time:
 *   time passed     21 from 04-15: 3 sprints -> 05-27                 +14
 *   work finished   21 - X-1 5 - X-2 5 = 11: 2 sprints -> 05-13       -14
 *   scope dropped   11 - X-4 3 = 8: 1 sprint -> 04-29                 -14
 *   re-estimated    8 + (13 - 8) = 13: 2 sprints -> 05-13             +14
 *   scope added     13 + Y-1 12 = 25: 3 sprints -> 05-27              +14
 *   throughput      samples [10, 10, 10] still draw 10: 05-27         0 (no cause)
 *   sum 14 - 14 - 14 + 14 + 14 = +14
 */
function snapshot() {
  const b = new SnapshotBuilder('2025-04-15T12:00:00Z');
  const sprint = (id: string, from: string, to: string) => b.sprint({ id, name: id.toUpperCase(), state: 'closed', startAt: `${from}T09:00:00Z`, plannedEndAt: `${to}T09:00:00Z`, closedAt: `${to}T09:00:00Z` });
  sprint('s1', '2025-03-03', '2025-03-17');
  sprint('s2', '2025-03-17', '2025-03-31');
  sprint('s3', '2025-03-31', '2025-04-14');
  b.release({ id: 'r24', name: '2.4', startAt: '2025-03-01T00:00:00Z', plannedDate: [{ at: '2025-03-01T00:00:00Z', value: '2025-05-20' }] });
  const t0 = '2025-02-28T10:00:00Z';
  b.item('F-1', t0).estimate(t0, 10).sprints('2025-03-02T10:00:00Z', ['s1']).status('2025-03-05T10:00:00Z', 'In Progress').status('2025-03-10T10:00:00Z', 'Done');
  b.item('F-2', t0).estimate(t0, 10).sprints('2025-03-16T10:00:00Z', ['s2']).status('2025-03-19T10:00:00Z', 'In Progress').status('2025-03-24T10:00:00Z', 'Done');
  const inRelease = (key: string, points: number) => b.item(key, t0).estimate(t0, points).releases('2025-03-01T10:00:00Z', ['r24']);
  inRelease('X-1', 5).sprints('2025-03-30T10:00:00Z', ['s3']).status('2025-04-02T10:00:00Z', 'In Progress').status('2025-04-03T10:00:00Z', 'Done');
  inRelease('X-2', 5).sprints('2025-03-30T10:00:00Z', ['s3']).status('2025-04-07T10:00:00Z', 'In Progress').status('2025-04-09T10:00:00Z', 'Done');
  inRelease('X-3', 8).estimate('2025-04-08T10:00:00Z', 13);
  inRelease('X-4', 3).releases('2025-04-05T10:00:00Z', []);
  b.item('Y-1', t0).estimate(t0, 12).releases('2025-04-07T10:00:00Z', ['r24']);
  return b.build();
}

describe('forecastChange (golden case)', () => {
  const now = computeMetrics(parseSnapshot(snapshot()));
  const earlier = computeMetrics(parseSnapshot({ ...snapshot(), asOf: '2025-04-01T12:00:00Z' }));
  const e = forecastChange(earlier, now, { release: '2.4' });

  it("gives the doc comment's example", () => {
    expect(e.change).toBe(14);
    expect([e.before, e.after]).toEqual(['2025-05-13', '2025-05-27']);
  });

  it('reads the two forecasts it explains', () => {
    const f0 = earlier.releasePredictability.details.releases[0]!.forecast!;
    const f1 = now.releasePredictability.details.releases[0]!.forecast!;
    expect([f0.samples, f0.remaining.points, f0.p85, f0.probabilityOnTime]).toEqual([[10, 10], 21, '2025-05-13', 1]);
    expect([f1.samples, f1.remaining.points, f1.p85, f1.probabilityOnTime]).toEqual([[10, 10, 10], 25, '2025-05-27', 0]);
    expect(e).toMatchObject({ kpi: 'releaseForecast', unit: 'days', before: '2025-05-13', after: '2025-05-27', change: 14 });
    expect(e.alongside).toEqual([
      { figure: 'probability of the planned date', unit: 'ratio', before: 1, after: 0 },
      { figure: 'planned date', unit: 'date', before: '2025-05-20', after: '2025-05-20' },
      { figure: 'remaining scope', unit: 'points', before: 21, after: 25 },
    ]);
  });

  it('replays the forecast one difference at a time; the steps add up to the change', () => {
    expect(e.causes.map((c) => [c.code, c.effect])).toEqual([
      ['time-passed', 14],
      ['work-finished', -14],
      ['scope-dropped', -14],
      ['re-estimated', 14],
      ['scope-added', 14],
    ]);
    expect(e.causes.reduce((a, c) => a + c.effect, 0)).toBe(e.change);
  });

  it('names the items of each scope step with the points the forecast counted', () => {
    const items = (code: string) => e.causes.find((c) => c.code === code)!.items.map((i) => [i.key, i.contribution]);
    expect(items('work-finished')).toEqual([
      ['X-1', 5],
      ['X-2', 5],
    ]);
    expect(items('scope-dropped')).toEqual([['X-4', 3]]);
    expect(items('re-estimated')).toEqual([['X-3', 5]]);
    expect(items('scope-added')).toEqual([['Y-1', 12]]);
    expect(e.causes.find((c) => c.code === 'scope-added')!.measure).toEqual({ now: 12, usual: null, unit: 'points', nowItems: 1 });
    expect(e.causes[0]!.measure).toEqual({ now: 14, usual: null, unit: 'days' });
  });

  it('says when there is no earlier forecast, and names the releases it knows', () => {
    // On 02-27 nothing had been completed yet, so there was no throughput to forecast from.
    const before = computeMetrics(parseSnapshot({ ...snapshot(), asOf: '2025-02-27T12:00:00Z' }));
    expect(forecastChange(before, now)).toMatchObject({
      before: null,
      after: '2025-05-27',
      change: null,
      reason: "2.4 has no P85 date as of 2025-02-27T12:00:00.000Z (nothing completed in the sampled periods, or beyond the forecast's horizon)",
    });
    expect(() => forecastChange(earlier, now, { release: '9.9' })).toThrow("no release '9.9' here: give one of '2.4' (a name or an id)");
  });
});
