import { HistoryIndex, parseSnapshot, velocity } from '@agile-kpi/core';
import { reconcileVelocity } from './reconcile-velocity';

/**
 * Two closed sprints. Sprint 10: A (3) committed and done -> ours 3 / 3. Sprint 11: B (5) committed,
 * re-estimated to 8 and done; C (2) added and done -> ours committed 5, completed 10.
 * Jira's chart says 3/3 for sprint 10 (agrees) and 5/8 for sprint 11 (a site that counts differently):
 * the gap is explained by the re-estimated B and the added C.
 */
const t0 = '2025-03-01T10:00:00Z';
const item = (key: string, extra: object) => ({
  id: `jira:issue:${key}`,
  key,
  type: { kind: 'story', original: 'Story' },
  title: key,
  createdAt: t0,
  updatedAt: t0,
  status: [{ at: t0, value: { name: 'To Do', category: 'todo' } }],
  ...extra,
});
const done = (at: string) => [
  { at: t0, value: { name: 'To Do', category: 'todo' } },
  { at, value: { name: 'Done', category: 'done' } },
];
const snapshot = parseSnapshot({
  schemaVersion: 1,
  team: { id: 't', name: 'T', timeZone: 'UTC', doneRule: 'status-category' },
  asOf: '2025-04-01T00:00:00Z',
  sprints: [
    { id: 'jira:sprint:10', name: 'S10', state: 'closed', startAt: '2025-03-03T09:00:00Z', closedAt: '2025-03-14T17:00:00Z' },
    { id: 'jira:sprint:11', name: 'S11', state: 'closed', startAt: '2025-03-17T09:00:00Z', closedAt: '2025-03-28T17:00:00Z' },
  ],
  items: [
    item('A', { estimate: [{ at: t0, value: 3 }], sprints: [{ at: t0, value: ['jira:sprint:10'] }], status: done('2025-03-05T10:00:00Z') }),
    item('B', {
      estimate: [
        { at: t0, value: 5 },
        { at: '2025-03-20T10:00:00Z', value: 8 },
      ],
      sprints: [{ at: t0, value: ['jira:sprint:11'] }],
      status: done('2025-03-25T10:00:00Z'),
    }),
    item('C', { estimate: [{ at: t0, value: 2 }], sprints: [{ at: '2025-03-19T10:00:00Z', value: ['jira:sprint:11'] }], status: done('2025-03-26T10:00:00Z') }),
  ],
});

describe('reconcileVelocity', () => {
  const ours = velocity(new HistoryIndex(snapshot));
  const report = {
    sprints: [
      { id: 11, name: 'S11', state: 'CLOSED' },
      { id: 10, name: 'S10', state: 'CLOSED' },
    ],
    velocityStatEntries: {
      '10': { estimated: { value: 3 }, completed: { value: 3 } },
      '11': { estimated: { value: 5 }, completed: { value: 8 } },
    },
  };

  it('puts our figures beside Jira’s and explains the differences with items', () => {
    const rows = reconcileVelocity(ours, report);
    expect(rows.map((r) => [r.sprintId, r.ours, r.jira, r.agrees])).toEqual([
      ['jira:sprint:10', { committed: 3, completed: 3 }, { committed: 3, completed: 3 }, true],
      ['jira:sprint:11', { committed: 5, completed: 10 }, { committed: 5, completed: 8 }, false],
    ]);
    expect(rows[0]!.explanation).toEqual([]);
    expect(rows[1]!.explanation.map((e) => [e.key, e.role, e.contribution])).toEqual([
      ['C', 'added', 2],
      ['B', 're-estimated', 3],
    ]);
  });

  it('degrades gracefully when the site has no velocity chart endpoint', () => {
    const rows = reconcileVelocity(ours, null);
    expect(rows.map((r) => [r.sprintId, r.jira, r.agrees])).toEqual([
      ['jira:sprint:10', null, false],
      ['jira:sprint:11', null, false],
    ]);
  });
});
