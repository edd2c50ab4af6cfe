import type { Snapshot } from '@agile-kpi/core';
import { countChanges } from './count-events';

describe('countChanges', () => {
  it('counts every entry of every item timeline and of every release date timeline', () => {
    const at = '2025-01-06T10:00:00.000+01:00';
    const snapshot = {
      schemaVersion: 1,
      team: {},
      asOf: at,
      items: [
        {
          status: [{ at, value: {} }, { at, value: {} }],
          estimate: [{ at, value: 3 }],
          sprints: [{ at, value: ['s1'] }, { at, value: ['s1', 's2'] }],
          releases: [],
          flagged: [{ at, value: true }, { at, value: false }],
          labels: [{ at, value: ['x'] }],
        },
        { status: [{ at, value: {} }], estimate: [], sprints: [], releases: [{ at, value: ['r1'] }], flagged: [], labels: [] },
      ],
      sprints: [],
      releases: [{ plannedDate: [{ at, value: '2025-02-01' }, { at, value: '2025-02-08' }] }, { plannedDate: [] }],
      warnings: [],
    } as unknown as Snapshot;
    expect(countChanges(snapshot)).toBe(8 + 2 + 2);
  });
});
