import { parseSnapshot } from '../model/schema';
import { parseInstant } from '../time/instant';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { HistoryIndex } from './history-index';

/** The questions MODEL.md says any design must answer, on one item's history. */
describe('HistoryIndex point-in-time reads', () => {
  const b = new SnapshotBuilder('2025-04-01T00:00:00Z');
  b.sprint({ id: 's1', name: 'S1', state: 'closed', startAt: '2025-03-03T09:00:00Z', closedAt: '2025-03-14T17:00:00Z' });
  b.sprint({ id: 's2', name: 'S2', state: 'closed', startAt: '2025-03-17T09:00:00Z', closedAt: '2025-03-28T17:00:00Z' });
  b.item('X-1', '2025-03-01T10:00:00Z')
    .estimate('2025-03-01T10:00:00Z', 3)
    .sprints('2025-03-02T10:00:00Z', ['s1'])
    .estimate('2025-03-05T10:00:00Z', 5)
    .labels('2025-03-06T10:00:00Z', ['sprint-goal'])
    .flagged('2025-03-07T10:00:00Z', true)
    .flagged('2025-03-08T10:00:00Z', false)
    .sprints('2025-03-14T17:00:01Z', ['s1', 's2'])
    .status('2025-03-20T10:00:00Z', 'Done');
  b.item('X-2', '2025-03-01T10:00:00Z').sprints('2025-03-10T10:00:00Z', ['s1']).sprints('2025-03-11T10:00:00Z', []);
  b.item('X-3', '2025-03-01T10:00:00Z').status('2025-03-02T10:00:00Z', 'Removed').sprints('2025-03-02T10:00:00Z', ['s1']);
  const index = new HistoryIndex(parseSnapshot(b.build()));
  const x1 = index.get('test:issue:X-1')!;
  const at = parseInstant;

  it("reads X-1's estimate at each sprint start", () => {
    expect(x1.estimate.at(at('2025-03-03T09:00:00Z'))).toBe(3);
    expect(x1.estimate.at(at('2025-03-17T09:00:00Z'))).toBe(5);
    expect(x1.estimate.at(at('2025-03-01T09:00:00Z'))).toBeNull();
  });

  it('answers membership and done-ness at close', () => {
    expect(index.membersAt('s1', at('2025-03-14T17:00:00Z')).map((h) => h.item.key)).toEqual(['X-1']);
    expect(index.membersAt('s1', at('2025-03-10T12:00:00Z')).map((h) => h.item.key)).toEqual(['X-1', 'X-2']);
    expect(index.isDoneAt(x1, at('2025-03-28T17:00:00Z'))).toBe(true);
    expect(index.isDoneAt(x1, at('2025-03-14T17:00:00Z'))).toBe(false);
  });

  it('reads labels at close and flagged intervals', () => {
    expect(x1.labels.at(at('2025-03-14T17:00:00Z'))).toEqual(['sprint-goal']);
    expect(x1.flagged.at(at('2025-03-07T12:00:00Z'))).toBe(true);
    expect(x1.flagged.at(at('2025-03-08T12:00:00Z'))).toBe(false);
  });

  it('drops items in the removed category from membership', () => {
    expect(index.membersAt('s1', at('2025-03-05T00:00:00Z')).map((h) => h.item.key)).not.toContain('X-3');
  });

  it('reconstructs sprint states at asOf from dates, not from the tracker state', () => {
    const past = new HistoryIndex(parseSnapshot({ ...b.build(), asOf: '2025-03-20T00:00:00Z' }));
    expect(past.sprints.map((s) => [s.sprint.id, s.stateAtAsOf])).toEqual([
      ['s1', 'closed'],
      ['s2', 'active'],
    ]);
  });

  it('keeps the membership intervals of each sprint', () => {
    const m = index.sprintMemberships('s1').find((x) => x.history.item.key === 'X-2')!;
    expect(m.intervals).toEqual([{ from: at('2025-03-10T10:00:00Z'), to: at('2025-03-11T10:00:00Z') }]);
  });
});
