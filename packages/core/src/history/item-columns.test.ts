import { computeMetrics } from '../compute-metrics';
import type { Change, Snapshot, Timeline, WorkItem } from '../model/types';
import { parseSnapshot } from '../model/schema';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { parseInstant } from '../time/instant';
import { HistoryIndex } from './history-index';
import { type ItemColumns, columnarItem, columnsOf, timelineValues } from './item-columns';
import { TIMELINE_DEFAULTS, TimelineIndex } from './timeline-index';

/** A timeline kept as columns, counting the changes it makes. */
class Kept<T> extends TimelineIndex<T> {
  constructor(
    private readonly tl: Timeline<T>,
    initial: T,
    private readonly counter: { count: number },
  ) {
    super({ times: tl.map((c) => parseInstant(c.at)), values: tl.map((c) => c.value) }, initial);
  }

  protected override makeChange(i: number): Change<T> {
    this.counter.count++;
    return { ...this.tl[i]! };
  }
}

function columnar(item: WorkItem, made: { count: number }): WorkItem {
  const { status, estimate, sprints, releases, flagged, labels, ...fields } = item;
  const columns: ItemColumns = {
    createdMs: parseInstant(item.createdAt),
    status: new Kept(status, status[0]!.value, made),
    estimate: new Kept(estimate, TIMELINE_DEFAULTS.estimate, made),
    sprints: new Kept(sprints, TIMELINE_DEFAULTS.sprints, made),
    releases: new Kept(releases, TIMELINE_DEFAULTS.releases, made),
    flagged: new Kept(flagged, TIMELINE_DEFAULTS.flagged, made),
    labels: new Kept(labels, TIMELINE_DEFAULTS.labels, made),
  };
  return columnarItem(fields, columns);
}

function board(): Snapshot {
  const b = new SnapshotBuilder('2025-04-01T00:00:00Z');
  b.sprint({ id: 's1', name: 'S1', state: 'closed', startAt: '2025-03-03T09:00:00Z', closedAt: '2025-03-14T17:00:00Z' });
  b.sprint({ id: 's2', name: 'S2', state: 'active', startAt: '2025-03-17T09:00:00Z' });
  b.item('X-1', '2025-03-01T10:00:00Z')
    .estimate('2025-03-01T10:00:00Z', 3)
    .sprints('2025-03-02T10:00:00Z', ['s1'])
    .status('2025-03-04T10:00:00Z', 'In Progress')
    .estimate('2025-03-05T10:00:00Z', 5)
    .flagged('2025-03-07T10:00:00Z', true)
    .flagged('2025-03-08T10:00:00Z', false)
    .status('2025-03-12T10:00:00Z', 'Done');
  b.item('X-2', '2025-03-01T11:00:00Z').estimate('2025-03-01T11:00:00Z', 2).sprints('2025-03-02T10:00:00Z', ['s1']).sprints('2025-03-14T17:00:01Z', ['s1', 's2']);
  b.item('X-3', '2025-03-01T12:00:00Z').sprints('2025-03-18T10:00:00Z', ['s2']).labels('2025-03-18T10:00:00Z', ['sprint-goal']);
  return parseSnapshot(b.build());
}

describe('columnarItem', () => {
  it('is the same work item to every reader: keys in order, timelines on first read, JSON, spread', () => {
    for (const item of board().items) {
      const made = { count: 0 };
      const c = columnar(item, made);
      expect(Object.keys(c)).toEqual(Object.keys(item));
      expect(made.count).toBe(0);
      expect(JSON.stringify(c)).toBe(JSON.stringify(item));
      expect({ ...c }).toEqual(item);
      expect(c.status).toBe(c.status);
      expect(columnsOf(c)).toBeDefined();
      expect(columnsOf(item)).toBeUndefined();
      expect(timelineValues(c, 'sprints')).toEqual(item.sprints.map((x) => x.value));
      expect(timelineValues(item, 'sprints')).toEqual(item.sprints.map((x) => x.value));
    }
  });

  it('gives the same figures as the items it stands for, making the changes of no timeline to index them', () => {
    const snapshot = board();
    const made = { count: 0 };
    const items = snapshot.items.map((i) => columnar(i, made));
    const index = new HistoryIndex({ ...snapshot, items });
    expect(made.count).toBe(0);
    const x1 = index.get('test:issue:X-1')!;
    // The store's timelines are the index's own.
    expect(x1.status).toBe(columnsOf(x1.item)!.status);
    expect(x1.sprints).toBe(columnsOf(x1.item)!.sprints);
    expect(x1.estimate.at(parseInstant('2025-03-06T00:00:00Z'))).toBe(5);
    expect(x1.doneIntervals).toEqual([{ from: parseInstant('2025-03-12T10:00:00Z'), to: Infinity }]);
    expect(index.membersAt('s2', parseInstant('2025-03-20T00:00:00Z')).map((h) => h.item.key)).toEqual(['X-2', 'X-3']);
    expect(computeMetrics({ ...snapshot, items })).toEqual(computeMetrics(snapshot));
  });

  it('is indexed from the right default even when a store kept another one', () => {
    const snapshot = board();
    const made = { count: 0 };
    const item = snapshot.items[1]!;
    const { status, estimate, sprints, releases, flagged, labels, ...fields } = item;
    const odd = columnarItem(fields, {
      createdMs: parseInstant(item.createdAt),
      status: new Kept(status, status[0]!.value, made),
      estimate: new Kept(estimate, 0 as number | null, made),
      sprints: new Kept(sprints, TIMELINE_DEFAULTS.sprints, made),
      releases: new Kept(releases, TIMELINE_DEFAULTS.releases, made),
      flagged: new Kept(flagged, TIMELINE_DEFAULTS.flagged, made),
      labels: new Kept(labels, TIMELINE_DEFAULTS.labels, made),
    });
    const index = new HistoryIndex({ ...snapshot, items: [odd] });
    expect(index.items[0]!.estimate.at(parseInstant('2025-02-01T00:00:00Z'))).toBeNull();
    expect(computeMetrics({ ...snapshot, items: [odd] })).toEqual(computeMetrics({ ...snapshot, items: [item] }));
  });
});
