import { HistoryIndex } from '../history/history-index';
import { parseSnapshot } from '../model/schema';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { releasePredictability } from './release-predictability';

/**
 * Golden case, worked by hand. UTC team; two closed 14-day sprints, S1 (03-03 -> 03-17) and S2 (03-17 ->
 * 03-31), each completing 10 of 10 committed points; asOf 2025-04-02 12:00.
 * R1: start 03-01, planned 03-20 (snapshot), released 03-20.
 *     Planned R-1 (3), R-2 (5), R-3 (2) = 3 items / 10 points; R-3 dropped 03-10; R-4 (1) added 03-12.
 *     Delivered R-1 + R-2 = 8 points -> 8 / 10 = 0.8; on time, slip 0.
 * R2: start 03-10, planned 03-28 at start, re-planned to 04-01 on 03-24 (snapshot), released 04-01.
 *     Planned Q-1 (5), Q-2 (5); Q-3 was already done when added (excluded). Delivered Q-1 -> 0.5;
 *     slip = 04-01 - 03-28 = 4 days, late.
 * R3: open, start 03-25, no date snapshot, tracker's current date 04-20 (warned). Remaining P-1 (13),
 *     P-2 (8), P-3 (unestimated -> median 10.5) = 31.5 points; P-4 done.
 *     Forecast samples [10, 10], 14-day periods: always 4 sprints -> 04-02 + 56 days = 05-28 for P50/85/95;
 *     planned 04-20 is 18 days away = 1 whole period -> probability 0.
 * Team: predictability = mean(0.8, 0.5) = 0.65; on-time rate 1/2; mean slip (0 + 4) / 2 = 2; say/do 20/20 = 1.
 * By item count: R1 2/3 = 0.667, R2 1/2 = 0.5 -> 0.583.
 */
function snapshot(velocities: [number, number] = [10, 10], r3Date = '2025-04-20') {
  const b = new SnapshotBuilder('2025-04-02T12:00:00Z');
  b.sprint({ id: 'S1', name: 'S1', state: 'closed', startAt: '2025-03-03T09:00:00Z', plannedEndAt: '2025-03-17T09:00:00Z', closedAt: '2025-03-17T09:00:00Z' });
  b.sprint({ id: 'S2', name: 'S2', state: 'closed', startAt: '2025-03-17T09:00:00Z', plannedEndAt: '2025-03-31T09:00:00Z', closedAt: '2025-03-31T09:00:00Z' });
  b.release({ id: 'R1', name: 'R1', startAt: '2025-03-01T00:00:00Z', releasedAt: '2025-03-20T15:00:00Z', plannedDate: [{ at: '2025-03-01T00:00:00Z', value: '2025-03-20' }] });
  b.release({
    id: 'R2',
    name: 'R2',
    startAt: '2025-03-10T00:00:00Z',
    releasedAt: '2025-04-01T10:00:00Z',
    plannedDate: [
      { at: '2025-03-10T00:00:00Z', value: '2025-03-28' },
      { at: '2025-03-24T00:00:00Z', value: '2025-04-01' },
    ],
  });
  b.release({ id: 'R3', name: 'R3', startAt: '2025-03-25T00:00:00Z', plannedDate: [], currentPlannedDate: r3Date });
  const t0 = '2025-02-28T10:00:00Z';
  b.item('X-1', t0).estimate(t0, velocities[0]).sprints('2025-03-02T10:00:00Z', ['S1']).status('2025-03-10T10:00:00Z', 'Done');
  b.item('X-2', t0).estimate(t0, velocities[1]).sprints('2025-03-16T10:00:00Z', ['S2']).status('2025-03-20T10:00:00Z', 'Done');
  b.item('R-1', t0).estimate(t0, 3).releases(t0, ['R1']).status('2025-03-12T10:00:00Z', 'Done');
  b.item('R-2', t0).estimate(t0, 5).releases(t0, ['R1']).status('2025-03-19T10:00:00Z', 'Done');
  b.item('R-3', t0).estimate(t0, 2).releases(t0, ['R1']).releases('2025-03-10T10:00:00Z', []);
  b.item('R-4', t0).estimate(t0, 1).releases('2025-03-12T10:00:00Z', ['R1']).status('2025-03-14T10:00:00Z', 'Done');
  b.item('Q-1', t0).estimate(t0, 5).releases('2025-03-09T10:00:00Z', ['R2']).status('2025-03-30T10:00:00Z', 'Done');
  b.item('Q-2', t0).estimate(t0, 5).releases('2025-03-09T10:00:00Z', ['R2']);
  b.item('Q-3', t0).estimate(t0, 8).status('2025-03-05T10:00:00Z', 'Done').releases('2025-03-08T10:00:00Z', ['R2']);
  b.item('P-1', t0).estimate(t0, 13).releases('2025-03-24T10:00:00Z', ['R3']);
  b.item('P-2', t0).estimate(t0, 8).releases('2025-03-24T10:00:00Z', ['R3']);
  b.item('P-3', t0).releases('2025-03-24T10:00:00Z', ['R3']);
  b.item('P-4', t0).estimate(t0, 3).releases('2025-03-24T10:00:00Z', ['R3']).status('2025-03-28T10:00:00Z', 'Done');
  return parseSnapshot(b.build());
}

describe('releasePredictability (golden case)', () => {
  const result = releasePredictability(new HistoryIndex(snapshot()));
  const [r1, r2, r3] = result.details.releases;

  it('compares planned and delivered scope per release', () => {
    expect(r1).toMatchObject({
      releaseId: 'R1',
      state: 'released',
      baselineFrom: 'start',
      plannedDate: '2025-03-20',
      planned: { items: 3, points: 10 },
      delivered: { items: 2, points: 8 },
      added: { items: 1, points: 1 },
      dropped: { items: 1, points: 2 },
      predictability: 0.8,
      slipDays: 0,
      onTime: true,
    });
    expect(r2).toMatchObject({
      plannedDate: '2025-03-28',
      latestPlannedDate: '2025-04-01',
      planned: { items: 2, points: 10 },
      delivered: { items: 1, points: 5 },
      predictability: 0.5,
      slipDays: 4,
      onTime: false,
    });
    expect(result.excluded).toContainEqual(expect.objectContaining({ key: 'Q-3', reason: expect.stringMatching(/already done/) }));
  });

  it('forecasts the open release with a seeded Monte Carlo', () => {
    expect(r3).toMatchObject({ state: 'open', plannedDate: '2025-04-20', predictability: null });
    expect(r3!.forecast).toEqual({
      remaining: { items: 3, points: 31.5 },
      sampledFrom: 'sprints',
      samples: [10, 10],
      periodDays: 14,
      p50: '2025-05-28',
      p85: '2025-05-28',
      p95: '2025-05-28',
      probabilityOnTime: 0,
      trials: 10000,
      seed: 42,
    });
    const codes = result.warnings.map((w) => w.code);
    expect(codes).toEqual(expect.arrayContaining(['release-date-not-snapshotted', 'forecast-unestimated-scope']));
  });

  it('summarises the team', () => {
    // The next open release is the one with a forecast of its planned date: R3, 0 % by 2025-04-20.
    expect(result.value).toEqual({
      predictability: 0.65,
      onTimeRate: 0.5,
      meanSlipDays: 2,
      releasesConsidered: 2,
      sprintSayDo: 1,
      nextRelease: { releaseId: r3!.releaseId, name: r3!.name, plannedDate: '2025-04-20', probabilityOnTime: 0 },
    });
    expect(result.evidence.filter((e) => e.role === 'delivered').map((e) => e.key).sort()).toEqual(['Q-1', 'R-1', 'R-2']);
  });

  it('can count items instead of points', () => {
    expect(releasePredictability(new HistoryIndex(snapshot()), { basis: 'count' }).value?.predictability).toBe(0.583);
  });

  it('gives the probability of meeting the planned date when throughput varies', () => {
    // Sprints completing 5 and 15 points -> samples [5, 15] against 31.5 remaining points.
    // Within 3 sprints the draws need at least two 15s: P = 4/8 = 0.5. Within 4: 20 + 10j >= 31.5 needs
    // j >= 2 of 4: 11/16 = 0.6875. Within 5: j >= 1 of 5: 31/32 = 0.969 -> P85 = P95 = 5 sprints = 70 days
    // after 04-02 = 06-11. A planned date of 05-17 is 45 days away = 3 whole sprints -> probability 0.5.
    const r = releasePredictability(new HistoryIndex(snapshot([5, 15], '2025-05-17')));
    const f = r.details.releases[2]!.forecast!;
    expect(f.samples).toEqual([5, 15]);
    expect(f.probabilityOnTime).toBeCloseTo(0.5, 1);
    expect([f.p85, f.p95]).toEqual(['2025-06-11', '2025-06-11']);
  });

  it('is null with a reason when the team has no release', () => {
    const b = new SnapshotBuilder('2025-04-02T12:00:00Z');
    b.item('N-1', '2025-03-01T10:00:00Z');
    const r = releasePredictability(new HistoryIndex(parseSnapshot(b.build())));
    expect(r.value).toBeNull();
    expect(r.reason).toMatch(/no releases/);
  });
});
