import { HistoryIndex } from '../history/history-index';
import { type CustomerOutcomes, type SurveyResponse, parseOutcomes } from '../model/outcomes';
import { parseSnapshot } from '../model/schema';
import type { Snapshot } from '../model/types';
import { SnapshotBuilder } from './snapshot-builder';

/**
 * Golden case for feature adoption, ROI and release impact, worked by hand. Team in UTC, asOf 2026-06-30 12:00.
 *   S1 2026-03-02 .. 03-13: A-1 (5, epic E-1) and B-1 (5) completed -> E-1's share 5 / 10 = 0.5
 *   S2 2026-03-16 .. 03-27: A-2 (3, epic E-1) and B-2 (5) completed -> E-1's share 3 / 8 = 0.375
 *   cost 10 000 EUR a sprint -> E-1 cost 5 000 + 3 750 = 8 750.
 *   Release R1 (A-1, A-2 and the epic; start 03-01) shipped at the end of 2026-04-01: planned 8, delivered 8 -> 1.
 *   E-1 benefits 3 000 (04-01), 4 000 (05-01), 5 000 (06-01) = 12 000 -> ROI (12 000 - 8 750) / 8 750 = 0.371;
 *     cumulative 3 000, 7 000, 12 000: covered on 06-01, 61 days after the release.
 *   R1 benefit 1 000 (04-15) against the same 8 750 of its items -> ROI -0.886, no payback yet.
 *   Team: the epics (E-1): cost 8 750, benefit 12 000, ROI 0.371; measured: E-1 and R1.
 * Feature "export" (E-1 is labelled feature:export, so it shipped with R1 on 04-01): users / active 10, 50, 250, 300
 *   of 1 000 on 04-01, 04-08, 05-01, 06-30 -> at 7 days 0.05, at 30 days 0.25, at 90 days (06-30) 0.3; the 20 %
 *   target first reached on 05-01, day 30. Feature "search" maps to R2, not shipped: no figures.
 * Release impact of R1, 4 weeks each side: CSAT twenty 3s before (share 0, Wilson [0, 0.161]) and twenty 5s after
 *   (share 1, [0.839, 1]): intervals apart -> up. NPS ten 7s before (0) and five 9s and five 7s after (50).
 */
/** The golden board: two closed sprints, epic E-1 (feature:export) shipped in R1 on 2026-04-01, R2 open. */
export function outcomesGoldenSnapshot(): Snapshot {
  const b = new SnapshotBuilder('2026-06-30T12:00:00Z');
  b.sprint({ id: 's1', name: 'S1', state: 'closed', startAt: '2026-03-02T09:00:00Z', plannedEndAt: '2026-03-13T17:00:00Z', closedAt: '2026-03-13T17:00:00Z' });
  b.sprint({ id: 's2', name: 'S2', state: 'closed', startAt: '2026-03-16T09:00:00Z', plannedEndAt: '2026-03-27T17:00:00Z', closedAt: '2026-03-27T17:00:00Z' });
  b.release({ id: 'r1', name: 'R1', startAt: '2026-03-01T12:00:00Z', releasedAt: '2026-04-01T23:59:59.999Z', plannedDate: [{ at: '2026-03-01T12:00:00Z', value: '2026-04-01' }], currentPlannedDate: '2026-04-01' });
  b.release({ id: 'r2', name: 'R2', startAt: '2026-04-02T12:00:00Z', plannedDate: [{ at: '2026-04-02T12:00:00Z', value: '2026-09-01' }], currentPlannedDate: '2026-09-01' });
  const t0 = '2026-02-20T10:00:00Z';
  b.item('E-1', t0, 'epic').labels(t0, ['feature:export']).releases(t0, ['r1']);
  const story = (key: string, points: number, sprint: string, done: string, extra: { parent?: string; release?: string } = {}) => {
    const i = b.item(key, t0).estimate(t0, points).sprints('2026-02-27T10:00:00Z', [sprint]).status(done, 'Done');
    if (extra.parent) i.set({ parentId: extra.parent });
    if (extra.release) i.releases(t0, [extra.release]);
  };
  story('A-1', 5, 's1', '2026-03-10T10:00:00Z', { parent: 'test:issue:E-1', release: 'r1' });
  story('B-1', 5, 's1', '2026-03-11T10:00:00Z');
  story('A-2', 3, 's2', '2026-03-20T10:00:00Z', { parent: 'test:issue:E-1', release: 'r1' });
  story('B-2', 5, 's2', '2026-03-25T10:00:00Z');
  return parseSnapshot(b.build());
}

export function outcomesGoldenIndex(): HistoryIndex {
  return new HistoryIndex(outcomesGoldenSnapshot());
}

/** Twenty CSAT 3s and ten NPS 7s before R1; twenty 5s and five 9s, five 7s after. */
export const goldenResponses: SurveyResponse[] = [];
const answer = (kind: 'csat' | 'nps', day: string, scores: number[]) => scores.forEach((score, i) => goldenResponses.push({ id: `t:${kind}:${day}:${i}`, at: `${day}T12:00:00Z`, kind, score, source: 'survey' }));
answer('csat', '2026-03-20', Array(20).fill(3));
answer('csat', '2026-04-10', Array(20).fill(5));
answer('nps', '2026-03-21', Array(10).fill(7));
answer('nps', '2026-04-11', [9, 9, 9, 9, 9, 7, 7, 7, 7, 7]);
export const goldenOutcomes: CustomerOutcomes = parseOutcomes({
  responses: goldenResponses,
  cost: { perSprint: 10_000, currency: 'EUR' },
  features: [{ feature: 'search', releaseId: 'r2' }],
  usage: [
    { date: '2026-04-01', feature: 'export', users: 10, activeUsers: 1000 },
    { date: '2026-04-08', feature: 'export', users: 50, activeUsers: 1000 },
    { date: '2026-05-01', feature: 'export', users: 250, activeUsers: 1000 },
    { date: '2026-06-30', feature: 'export', users: 300, activeUsers: 1000 },
  ],
  benefits: [
    { date: '2026-04-01', amount: 3000, currency: 'EUR', epicId: 'test:issue:E-1' },
    { date: '2026-05-01', amount: 4000, currency: 'EUR', epicId: 'test:issue:E-1' },
    { date: '2026-06-01', amount: 5000, currency: 'EUR', epicId: 'test:issue:E-1' },
    { date: '2026-04-15', amount: 1000, currency: 'EUR', releaseId: 'r1' },
  ],
});
