import type { Change, Snapshot, WorkItem } from '@agile-kpi/core';
import { simulateTeam } from './simulate-team';
import { at, ms } from './timeline-probe';
import type { GroundTruth } from './ground-truth';

/*
 * The ground truth is recorded from the simulator's live state. Here it is checked against the generated
 * histories with a tiny reader written just for this test (no code from the simulator or from core): if both
 * agree, the snapshot and the truth describe the same team.
 */



const COUNTABLE = new Set(['story', 'bug', 'task']);
const countable = (item: WorkItem): boolean => COUNTABLE.has(item.type.kind);
const doneAt = (item: WorkItem, t: number): boolean => at(item.status, t, item.status[0]!.value).column === 'Done';
const inSprintAt = (item: WorkItem, sprintId: string, t: number): boolean => at(item.sprints, t, []).includes(sprintId);
const estimateAt = (item: WorkItem, t: number): number => at(item.estimate, t, null) ?? 0;

/** Instant of the change that last put the item into the sprint at or before `t`. */
function joinedAt(item: WorkItem, sprintId: string, t: number): number | undefined {
  let joined: number | undefined;
  let previous: readonly string[] = [];
  for (const change of item.sprints) {
    const when = ms(change.at);
    if (when > t) break;
    if (change.value.includes(sprintId) && !previous.includes(sprintId)) joined = when;
    previous = change.value;
  }
  return joined;
}

const doneWhenJoined = (item: WorkItem, sprintId: string, t: number): boolean => {
  const joined = joinedAt(item, sprintId, t);
  return joined !== undefined && doneAt(item, joined);
};

const sorted = (items: WorkItem[]): string[] =>
  items.map((i) => i.key).sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]));

function check(snapshot: Snapshot, truth: GroundTruth): void {
  const asOf = ms(snapshot.asOf);
  const items = snapshot.items;
  for (const st of truth.sprints) {
    const sprint = snapshot.sprints.find((s) => s.id === st.sprintId)!;
    const start = ms(sprint.startAt!);
    const close = sprint.closedAt ? ms(sprint.closedAt) : asOf;
    const counted = items.filter(countable);

    const committed = counted.filter((i) => inSprintAt(i, sprint.id, start) && !doneWhenJoined(i, sprint.id, start));
    expect(sorted(committed)).toEqual(st.committedKeys);
    expect(committed.reduce((sum, i) => sum + estimateAt(i, start), 0)).toBe(st.committedPoints);

    const atClose = counted.filter((i) => inSprintAt(i, sprint.id, close) && !doneWhenJoined(i, sprint.id, close));
    const completed = atClose.filter((i) => doneAt(i, close));
    expect(sorted(completed)).toEqual(st.completedKeys);
    expect(completed.reduce((sum, i) => sum + estimateAt(i, close), 0)).toBe(st.completedPoints);
    if (st.state === 'closed') expect(sorted(atClose.filter((i) => !doneAt(i, close)))).toEqual(st.carriedOverKeys);
    else expect(st.carriedOverKeys).toEqual([]);
    expect(sorted(atClose.filter((i) => at(i.labels, close, []).includes(snapshot.team.goalLabel)))).toEqual(st.goalItemKeys);

    const outside = counted.filter((i) => {
      const joined = joinedAt(i, sprint.id, close);
      return joined !== undefined && doneAt(i, joined);
    });
    expect(sorted(outside)).toEqual(st.completedOutsideKeys);

    const during = (c: Change<unknown>): boolean => ms(c.at) > start && ms(c.at) <= close;
    const added = counted.filter((i) => {
      let previous: readonly string[] = [];
      return i.sprints.some((c) => {
        const joins = during(c) && c.value.includes(sprint.id) && !previous.includes(sprint.id) && !doneAt(i, ms(c.at));
        previous = c.value;
        return joins;
      });
    });
    expect(sorted(added)).toEqual(st.addedKeys);
    const removed = counted.filter((i) => {
      let previous: readonly string[] = [];
      return i.sprints.some((c) => {
        const leaves = during(c) && !c.value.includes(sprint.id) && previous.includes(sprint.id);
        previous = c.value;
        return leaves;
      });
    });
    expect(sorted(removed)).toEqual(st.removedKeys);
    // The first entry at creation is the estimate the item was created with, not a change.
    const reEstimated = counted.filter(
      (i) =>
        !outside.includes(i) &&
        i.estimate.some((c) => during(c) && c.at !== i.createdAt && inSprintAt(i, sprint.id, ms(c.at))),
    );
    expect(sorted(reEstimated)).toEqual(st.reEstimatedKeys);
  }

  // Impediments, rebuilt from the flagged, status and type histories.
  const rebuilt: string[] = [];
  const push = (key: string, source: string, raised: string, resolved: string | null): void => {
    rebuilt.push(`${key}|${source}|${raised}|${resolved}`);
  };
  for (const item of items) {
    if (item.type.kind === 'impediment') {
      push(item.key, 'item-type', item.createdAt, item.status.find((c) => c.value.column === 'Done')?.at ?? null);
    }
    let raised: string | undefined;
    for (const c of item.flagged) {
      if (c.value && raised === undefined && !doneAt(item, ms(c.at))) raised = c.at;
      else if (!c.value && raised !== undefined) {
        // A flag still on when the item reached done ended then.
        const done = item.status.find((s) => s.value.column === 'Done' && ms(s.at) >= ms(raised!) && ms(s.at) <= ms(c.at));
        push(item.key, 'flagged', raised, done ? done.at : c.at);
        raised = undefined;
      }
    }
    if (raised !== undefined) {
      const done = item.status.find((s) => s.value.column === 'Done' && ms(s.at) >= ms(raised!));
      push(item.key, 'flagged', raised, done ? done.at : null);
    }
    let blocked: string | undefined;
    for (const c of item.status) {
      if (c.value.name === 'Blocked' && blocked === undefined) blocked = c.at;
      else if (c.value.name !== 'Blocked' && blocked !== undefined) {
        push(item.key, 'blocked-status', blocked, c.at);
        blocked = undefined;
      }
    }
    if (blocked !== undefined) push(item.key, 'blocked-status', blocked, null);
  }
  const recorded = truth.impediments.map((i) => `${i.itemKey}|${i.source}|${i.raisedAt}|${i.resolvedAt}`);
  expect(recorded.sort()).toEqual(rebuilt.sort());

  // Releases: planned at the start, delivered = planned and done when shipped.
  for (const rt of truth.releases) {
    const release = snapshot.releases.find((r) => r.id === rt.releaseId)!;
    const start = ms(release.startAt!);
    const planned = items.filter((i) => countable(i) && at(i.releases, start, []).includes(release.id));
    expect(sorted(planned)).toEqual(rt.plannedKeys);
    expect(rt.releasedAt).toBe(release.releasedAt ?? null);
    if (release.releasedAt) {
      expect(sorted(planned.filter((i) => doneAt(i, ms(release.releasedAt!))))).toEqual(rt.deliveredKeys);
    } else {
      expect(rt.deliveredKeys).toEqual([]);
    }
  }
}

describe('ground truth agrees with the generated histories', () => {
  it.each([42, 1, 2, 3, 4, 5])('seed %i', (seed) => {
    const { snapshot, truth } = simulateTeam({ seed });
    check(snapshot, truth);
  });

  it('for other zones, sprint lengths and a larger team', () => {
    for (const options of [
      { seed: 11, timeZone: 'Pacific/Auckland', sprintLengthDays: 7, sprints: 20 },
      { seed: 12, timeZone: 'America/New_York', itemsPerSprint: 30, sprints: 15 },
      { seed: 13, timeZone: 'Asia/Kolkata', sprintLengthDays: 21, sprints: 6 },
    ]) {
      const { snapshot, truth } = simulateTeam(options);
      check(snapshot, truth);
    }
  });

  it.each([42, 1, 2, 3, 4, 5])("seed %i, sprintCalendar 'dates'", (seed) => {
    const { snapshot, truth } = simulateTeam({ seed, sprintCalendar: 'dates' });
    check(snapshot, truth);
  });

  it("'dates' in other zones and sprint lengths", () => {
    for (const options of [
      { seed: 11, timeZone: 'Pacific/Auckland', sprintLengthDays: 7, sprints: 20 },
      { seed: 12, timeZone: 'America/New_York', itemsPerSprint: 30, sprints: 15 },
      { seed: 13, timeZone: 'Asia/Kolkata', sprintLengthDays: 21, sprints: 6 },
    ]) {
      const { snapshot, truth } = simulateTeam({ ...options, sprintCalendar: 'dates' });
      check(snapshot, truth);
    }
  });

  it('committed points are the committed items\' estimates at the start, read straight from the timelines', () => {
    const { snapshot, truth } = simulateTeam();
    for (const st of truth.sprints) {
      const start = ms(snapshot.sprints.find((s) => s.id === st.sprintId)!.startAt!);
      const sum = st.committedKeys
        .map((key) => snapshot.items.find((i) => i.key === key)!)
        .reduce((total, item) => total + estimateAt(item, start), 0);
      expect(sum).toBe(st.committedPoints);
      expect(st.committedPoints).toBeGreaterThan(0);
    }
  });
});
