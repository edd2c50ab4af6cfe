import { HistoryIndex } from '../history/history-index';
import { parseSnapshot } from '../model/schema';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { backlogHealth } from './backlog-health';

/**
 * Golden case, worked by hand. One closed sprint S1 (03-03 -> 03-14) in which D-1 (5) and D-2 (5) were
 * committed and done: velocity 10, throughput 2 items per sprint. asOf 2025-03-20 12:00 UTC, no active sprint.
 * Backlog in rank order:
 *   K-1 (a) 8  ready
 *   K-2 (b) 5  ready
 *   K-3 (c) 13 flagged                  -> not ready (the top run of ready work stops here)
 *   K-4 (d) 8  ready, created in S1
 *   K-5 (e) -  unestimated, undescribed, created in S1
 *   K-6 (f) 3  created 2024-10-01 and never touched: stale (170 days)
 *   K-7 (no rank) bug 2 ready
 *   (K-1a is a sub-task: left out)
 * Ready depth (top run) = (8 + 5) / 10 = 1.3 sprints -> amber, score 50 * 1.3 = 65.
 *   (all-ready mode: 8 + 5 + 8 + 2 = 23 -> 2.3)
 * Estimated share of the next 2 sprints' worth (2 x 2 = 4 items: K-1..K-4): 4 / 4 = 1 -> green, 100.
 * Stale share 1 / 7 = 0.143 -> amber, score 85.7.
 * Growth in S1: created K-4, K-5 = 2; completed D-1, D-2 = 2 -> ratio 1 -> green, 100.
 * Score = 0.4 * 65 + 0.25 * 100 + 0.2 * 85.7 + 0.15 * 100 = 26 + 25 + 17.14 + 15 = 83.1 -> green.
 * Ages (days): 19.08 x3, 15.08 x2, 170.08, 5.08 -> median 19.08; p85 (R-7, rank 5.1) = 19.08 + 0.1 * 151 = 34.18.
 */
function snapshot(extra: (b: SnapshotBuilder) => void = () => {}) {
  const b = new SnapshotBuilder('2025-03-20T12:00:00Z');
  b.sprint({ id: 'S1', name: 'S1', state: 'closed', startAt: '2025-03-03T09:00:00Z', plannedEndAt: '2025-03-14T17:00:00Z', closedAt: '2025-03-14T17:00:00Z' });
  const t0 = '2025-03-01T10:00:00Z';
  const inS1 = '2025-03-05T10:00:00Z';
  for (const key of ['D-1', 'D-2']) b.item(key, t0).estimate(t0, 5).sprints('2025-03-02T10:00:00Z', ['S1']).status('2025-03-10T10:00:00Z', 'Done');
  b.item('K-1', t0).estimate(t0, 8).set({ rank: 'a' });
  b.item('K-1a', t0, 'subtask').estimate(t0, 3).set({ rank: 'a0', parentId: 'test:issue:K-1' });
  b.item('K-2', t0).estimate(t0, 5).set({ rank: 'b' });
  b.item('K-3', t0).estimate(t0, 13).flagged('2025-03-18T10:00:00Z', true).set({ rank: 'c' });
  b.item('K-4', inS1).estimate(inS1, 8).set({ rank: 'd' });
  b.item('K-5', inS1).set({ rank: 'e', described: false });
  b.item('K-6', '2024-10-01T10:00:00Z').estimate('2024-10-01T10:00:00Z', 3).set({ rank: 'f' });
  b.item('K-7', '2025-03-15T10:00:00Z', 'bug').estimate('2025-03-15T10:00:00Z', 2);
  extra(b);
  return parseSnapshot(b.build());
}

describe('backlogHealth (golden case)', () => {
  const result = backlogHealth(new HistoryIndex(snapshot()));

  it('orders the backlog by rank and checks the Definition of Ready per item', () => {
    expect(result.details.backlog.map((r) => [r.key, r.ready, r.missing])).toEqual([
      ['K-1', true, []],
      ['K-2', true, []],
      ['K-3', false, ['unblocked']],
      ['K-4', true, []],
      ['K-5', false, ['estimate', 'description']],
      ['K-6', false, ['recent-activity']],
      ['K-7', true, []],
    ]);
    expect(result.excluded).toEqual([expect.objectContaining({ key: 'K-1a', reason: expect.stringMatching(/sub-task/) })]);
  });

  it('scores each component with its traffic light', () => {
    const c = Object.fromEntries(result.details.components.map((x) => [x.name, [x.value, x.score, x.light]]));
    expect(c).toEqual({
      readyDepth: [1.3, 65, 'amber'],
      estimatedShare: [1, 100, 'green'],
      staleShare: [0.143, 85.7, 'amber'],
      growth: [1, 100, 'green'],
    });
    expect(result.params).toMatchObject({ topItemsChecked: 4, velocity: 10, readyDepthMode: 'top-run' });
  });

  it('combines them into a 0-100 score', () => {
    expect(result.value).toEqual({
      score: 83.1,
      light: 'green',
      items: 7,
      readyItems: 4,
      readyPoints: 23,
      readyDepth: 1.3,
      estimatedShare: 1,
      staleShare: 0.143,
      growthRatio: 1,
      medianAgeDays: 19.08,
    });
    expect(result.details.age).toEqual({ medianDays: 19.08, p85Days: 34.18, oldestDays: 170.08, buckets: { '<30d': 6, '30-90d': 0, '90-180d': 1, '180-365d': 0, '>365d': 0 } });
  });

  it('counts all ready work in all-ready mode', () => {
    expect(backlogHealth(new HistoryIndex(snapshot()), { readyDepthMode: 'all-ready' }).value?.readyDepth).toBe(2.3);
  });

  it('leaves the items of the active sprint out of the backlog', () => {
    const r = backlogHealth(
      new HistoryIndex(
        snapshot((b) => {
          b.sprint({ id: 'S2', name: 'S2', state: 'active', startAt: '2025-03-17T09:00:00Z', plannedEndAt: '2025-03-28T17:00:00Z' });
          b.item('A-1', '2025-03-01T10:00:00Z').estimate('2025-03-01T10:00:00Z', 5).sprints('2025-03-16T10:00:00Z', ['S2']).set({ rank: '0' });
        }),
      ),
    );
    expect(r.details.backlog.map((x) => x.key)).not.toContain('A-1');
    expect(r.excluded).toContainEqual(expect.objectContaining({ key: 'A-1', reason: 'in the active sprint' }));
  });

  it('handles an empty backlog: no ready work is a critical ready depth, the rest cannot be judged', () => {
    const b = new SnapshotBuilder('2025-03-20T12:00:00Z');
    b.sprint({ id: 'S1', name: 'S1', state: 'closed', startAt: '2025-03-03T09:00:00Z', plannedEndAt: '2025-03-14T17:00:00Z', closedAt: '2025-03-14T17:00:00Z' });
    b.item('D-1', '2025-03-01T10:00:00Z').estimate('2025-03-01T10:00:00Z', 5).sprints('2025-03-02T10:00:00Z', ['S1']).status('2025-03-10T10:00:00Z', 'Done');
    const r = backlogHealth(new HistoryIndex(parseSnapshot(b.build())));
    // Ready depth 0 / 5 = 0 -> red, score 0; growth: created 0, completed 1 -> ratio 0 -> 100.
    // Score = (0.4 * 0 + 0.15 * 100) / (0.4 + 0.15) = 27.3 -> red.
    expect(r.value).toMatchObject({ items: 0, readyDepth: 0, estimatedShare: null, staleShare: null, growthRatio: 0, score: 27.3, light: 'red' });
    expect(r.warnings.map((w) => w.code)).toContain('empty-backlog');
    expect(r.details.components.find((c) => c.name === 'estimatedShare')!.reason).toBe('the backlog is empty');
  });

  it('cannot measure ready depth without a velocity, says so, and gives no score rather than one without it', () => {
    const r = backlogHealth(new HistoryIndex(snapshot()), { velocity: null });
    expect(r.value).toBeNull();
    expect(r.reason).toMatch(/^no score: ready depth cannot be computed \(readyDepth: no velocity yet/);
    expect(r.details.components.find((c) => c.name === 'readyDepth')).toMatchObject({ value: null, score: null });
    // The other components are still there to show.
    expect(r.details.components.filter((c) => c.score !== null).length).toBeGreaterThanOrEqual(2);
    expect(r.warnings.map((w) => w.code)).toContain('ready-depth-unavailable');
  });

  it('gives no score from one component alone', () => {
    // An empty backlog and no closed sprint: only ready depth (0 sprints, from the velocity given) can be computed.
    const b = new SnapshotBuilder('2025-04-02T12:00:00Z');
    b.item('E-1', '2025-03-01T10:00:00Z').estimate('2025-03-01T10:00:00Z', 3).status('2025-03-10T10:00:00Z', 'Done');
    const r = backlogHealth(new HistoryIndex(parseSnapshot(b.build())), { velocity: 10 });
    expect(r.details.components.filter((c) => c.score !== null).map((c) => c.name)).toEqual(['readyDepth']);
    expect(r.value).toBeNull();
    expect(r.reason).toMatch(/^no score: only 1 of 4 components can be computed \(estimatedShare: the backlog is empty; staleShare: the backlog is empty; growth: no closed sprint/);
  });
});
