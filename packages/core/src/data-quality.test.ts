import { dataQuality } from './data-quality';
import { HistoryIndex } from './history/history-index';
import { parseSnapshot } from './model/schema';
import { SnapshotBuilder } from './testing/snapshot-builder';

describe('dataQuality', () => {
  const b = new SnapshotBuilder('2025-03-20T12:00:00Z');
  b.sprint({ id: 's1', name: 'S1', state: 'closed', startAt: '2025-03-03T09:00:00Z', closedAt: '2025-03-14T17:00:00Z' });
  const t0 = '2025-03-01T10:00:00Z';
  // Estimate changed two days after the item was done: the history was edited after the fact.
  b.item('Q-1', t0).estimate(t0, 3).sprints(t0, ['s1']).status('2025-03-05T10:00:00Z', 'Done').estimate('2025-03-07T10:00:00Z', 8);
  // Refers to a sprint and a release the snapshot does not describe.
  b.item('Q-2', t0).sprints(t0, ['s9']).releases(t0, ['v7']);
  b.item('Q-3', t0).sprints(t0, ['s9']);
  const warnings = dataQuality(new HistoryIndex(parseSnapshot(b.build())));

  it('flags an estimate changed after done', () => {
    expect(warnings).toContainEqual(expect.objectContaining({ code: 'changed-after-done', itemKey: 'Q-1' }));
  });

  it('flags references to sprints and releases the snapshot lacks, naming the items', () => {
    expect(warnings).toContainEqual({ code: 'unknown-sprint', message: 'sprint s9 is referenced by 2 item(s) (Q-2, Q-3) but not described in the snapshot', sprintId: 's9' });
    expect(warnings).toContainEqual(expect.objectContaining({ code: 'unknown-release', releaseId: 'v7' }));
    expect(warnings).toHaveLength(3);
  });
});
