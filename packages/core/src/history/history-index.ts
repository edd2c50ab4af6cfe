import type { Release, Snapshot, Sprint, StatusValue, TeamSettings, Timeline, WorkItem } from '../model/types';
import { parseInstant } from '../time/instant';
import { TeamCalendar } from '../time/team-calendar';
import { type ItemColumns, columnsOf } from './item-columns';
import { type Interval, TIMELINE_DEFAULTS, TimelineIndex, contains, intervalsWhere } from './timeline-index';

/** One work item with its timelines compiled for point-in-time reads. */
export interface WorkItemHistory {
  readonly item: WorkItem;
  readonly createdMs: number;
  readonly status: TimelineIndex<StatusValue>;
  readonly estimate: TimelineIndex<number | null>;
  readonly sprints: TimelineIndex<readonly string[]>;
  readonly releases: TimelineIndex<readonly string[]>;
  readonly flagged: TimelineIndex<boolean>;
  readonly labels: TimelineIndex<readonly string[]>;
  /** Intervals during which the item was done by the team's done rule. */
  readonly doneIntervals: readonly Interval[];
  /** Intervals in the `removed` category (Azure DevOps Removed): the item drops out of every figure. */
  readonly removedIntervals: readonly Interval[];
}

/** Membership of one item in one sprint or release: when it was in. */
export interface Membership {
  readonly history: WorkItemHistory;
  readonly intervals: readonly Interval[];
}

/** A sprint with its instants as epoch ms and its state reconstructed at `asOf`. */
export interface SprintSchedule {
  readonly sprint: Sprint;
  readonly startMs?: number;
  readonly plannedEndMs?: number;
  /** Actual close, or the planned end when a closed sprint lacks one (warned). */
  readonly closeMs?: number;
  /** State at `asOf`, from the dates (the tracker's `state` describes today, not `asOf`). */
  readonly stateAtAsOf: 'future' | 'active' | 'closed' | 'undated';
}

const NO_INTERVALS: readonly Interval[] = Object.freeze([]);

const isRemoved = (s: StatusValue) => s.category === 'removed';

/** A timeline's instants as epoch ms, the item's creation (which most timelines start at) read once. */
function timesOf(changes: Timeline<unknown>, created: string, createdMs: number): number[] {
  const times = new Array<number>(changes.length);
  for (let i = 0; i < changes.length; i++) {
    const at = changes[i]!.at;
    times[i] = at === created ? createdMs : parseInstant(at);
  }
  return times;
}

/** A kept timeline when it starts from the right value (as it should: see TIMELINE_DEFAULTS), else one that does. */
function kept<T>(tl: TimelineIndex<T>, initial: T): TimelineIndex<T> {
  return tl.initial === initial ? tl : new TimelineIndex(tl.changes, initial, tl.times);
}

/** Whether items are in id order already (a store reads them so): then they need no sorting. */
function inIdOrder(items: readonly WorkItem[]): boolean {
  for (let i = 1; i < items.length; i++) if (items[i - 1]!.id > items[i]!.id) return false;
  return true;
}

/**
 * Point-in-time reconstruction over a snapshot. Built once per snapshot: items sorted by id, every timeline
 * compiled, and per-sprint and per-release membership intervals collected in one pass, so that
 * "members of sprint S at T" reads only S's members and "state of X at T" is a binary search.
 */
export class HistoryIndex {
  readonly items: readonly WorkItemHistory[];
  readonly asOfMs: number;
  readonly calendar: TeamCalendar;
  readonly team: TeamSettings;
  /** Sprints ordered by start (undated last), then id. */
  readonly sprints: readonly SprintSchedule[];
  readonly releases: readonly Release[];
  private readonly byId = new Map<string, WorkItemHistory>();
  private readonly sprintById = new Map<string, SprintSchedule>();
  private readonly sprintMembers = new Map<string, Membership[]>();
  private readonly releaseMembers = new Map<string, Membership[]>();
  private readonly doneColumns: ReadonlySet<string> | undefined;

  constructor(readonly snapshot: Snapshot) {
    this.team = snapshot.team;
    this.asOfMs = parseInstant(snapshot.asOf);
    this.calendar = TeamCalendar.of(snapshot.team);
    const cols = snapshot.team.columns;
    const done = snapshot.team.doneColumns ?? (cols && cols.length ? [cols[cols.length - 1]!] : undefined);
    this.doneColumns = snapshot.team.doneRule === 'board-column' && done ? new Set(done) : undefined;

    const sorted = inIdOrder(snapshot.items) ? snapshot.items : [...snapshot.items].sort((a, b) => cmp(a.id, b.id));
    const items = new Array<WorkItemHistory>(sorted.length);
    for (let i = 0; i < sorted.length; i++) items[i] = this.compile(sorted[i]!);
    this.items = items;
    for (const h of this.items) {
      this.byId.set(h.item.id, h);
      collectMemberships(h, h.sprints, this.sprintMembers);
      collectMemberships(h, h.releases, this.releaseMembers);
    }

    this.sprints = snapshot.sprints
      .map((sprint) => this.schedule(sprint))
      .sort((a, b) => (a.startMs ?? Infinity) - (b.startMs ?? Infinity) || cmp(a.sprint.id, b.sprint.id));
    for (const s of this.sprints) this.sprintById.set(s.sprint.id, s);
    this.releases = [...snapshot.releases].sort((a, b) => cmp(a.id, b.id));
  }

  get(id: string): WorkItemHistory | undefined {
    return this.byId.get(id);
  }

  sprint(id: string): SprintSchedule | undefined {
    return this.sprintById.get(id);
  }

  /** Whether a status counts as done: the board's done column(s), else the status category. */
  isDoneStatus(status: StatusValue): boolean {
    if (this.doneColumns && status.column !== undefined) return this.doneColumns.has(status.column);
    return status.category === 'done';
  }

  existsAt(h: WorkItemHistory, t: number): boolean {
    return t >= h.createdMs && !contains(h.removedIntervals, t);
  }

  isDoneAt(h: WorkItemHistory, t: number): boolean {
    return contains(h.doneIntervals, t);
  }

  /** Every item that was ever in the sprint, with its membership intervals. */
  sprintMemberships(sprintId: string): readonly Membership[] {
    return this.sprintMembers.get(sprintId) ?? [];
  }

  /** Items in the sprint at `t` (not removed from the tracker at `t`). */
  membersAt(sprintId: string, t: number): WorkItemHistory[] {
    return this.sprintMemberships(sprintId)
      .filter((m) => contains(m.intervals, t) && !contains(m.history.removedIntervals, t))
      .map((m) => m.history);
  }

  releaseMemberships(releaseId: string): readonly Membership[] {
    return this.releaseMembers.get(releaseId) ?? [];
  }

  /** First instant the item entered done and stayed done until `t` (its "last entry to done"), if done at t. */
  doneSince(h: WorkItemHistory, t: number): number | undefined {
    const iv = h.doneIntervals.find((x) => x.from <= t && t < x.to);
    return iv?.from;
  }

  private compile(item: WorkItem): WorkItemHistory {
    const columns = columnsOf(item);
    if (columns) return this.fromColumns(item, columns);
    const created = item.createdAt;
    const createdMs = parseInstant(created);
    const times = (tl: Timeline<unknown>) => timesOf(tl, created, createdMs);
    return this.history(item, createdMs, {
      status: new TimelineIndex(item.status, item.status[0]!.value, times(item.status)),
      estimate: new TimelineIndex<number | null>(item.estimate, TIMELINE_DEFAULTS.estimate, times(item.estimate)),
      sprints: new TimelineIndex<readonly string[]>(item.sprints, TIMELINE_DEFAULTS.sprints, times(item.sprints)),
      releases: new TimelineIndex<readonly string[]>(item.releases, TIMELINE_DEFAULTS.releases, times(item.releases)),
      flagged: new TimelineIndex<boolean>(item.flagged, TIMELINE_DEFAULTS.flagged, times(item.flagged)),
      labels: new TimelineIndex<readonly string[]>(item.labels, TIMELINE_DEFAULTS.labels, times(item.labels)),
    });
  }

  /** An item kept as columns: its timelines as they are (their changes never made here). */
  private fromColumns(item: WorkItem, c: ItemColumns): WorkItemHistory {
    return this.history(item, c.createdMs, {
      status: kept(c.status, c.status.value(0)),
      estimate: kept(c.estimate, TIMELINE_DEFAULTS.estimate),
      sprints: kept(c.sprints, TIMELINE_DEFAULTS.sprints),
      releases: kept(c.releases, TIMELINE_DEFAULTS.releases),
      flagged: kept(c.flagged, TIMELINE_DEFAULTS.flagged),
      labels: kept(c.labels, TIMELINE_DEFAULTS.labels),
    });
  }

  private history(item: WorkItem, createdMs: number, tl: Pick<WorkItemHistory, 'status' | 'estimate' | 'sprints' | 'releases' | 'flagged' | 'labels'>): WorkItemHistory {
    const firstStatus = tl.status.value(0);
    const done = intervalsWhere(tl.status, (s) => this.isDoneStatus(s), createdMs, firstStatus);
    const removed = intervalsWhere(tl.status, isRemoved, createdMs, firstStatus);
    return {
      item,
      createdMs,
      status: tl.status,
      estimate: tl.estimate,
      sprints: tl.sprints,
      releases: tl.releases,
      flagged: tl.flagged,
      labels: tl.labels,
      doneIntervals: done.length ? done : NO_INTERVALS,
      removedIntervals: removed.length ? removed : NO_INTERVALS,
    };
  }

  private schedule(sprint: Sprint): SprintSchedule {
    const startMs = sprint.startAt ? parseInstant(sprint.startAt) : undefined;
    const plannedEndMs = sprint.plannedEndAt ? parseInstant(sprint.plannedEndAt) : undefined;
    const closedMs = sprint.closedAt ? parseInstant(sprint.closedAt) : undefined;
    const closeMs = closedMs ?? (sprint.state === 'closed' ? plannedEndMs : undefined);
    let stateAtAsOf: SprintSchedule['stateAtAsOf'];
    if (startMs === undefined) stateAtAsOf = sprint.state === 'future' ? 'future' : 'undated';
    else if (closeMs !== undefined && closeMs <= this.asOfMs) stateAtAsOf = 'closed';
    else if (startMs <= this.asOfMs) stateAtAsOf = 'active';
    else stateAtAsOf = 'future';
    return { sprint, startMs, plannedEndMs, closeMs, stateAtAsOf };
  }
}

function collectMemberships(
  h: WorkItemHistory,
  tl: TimelineIndex<readonly string[]>,
  into: Map<string, Membership[]>,
): void {
  // Ids in at least one change, with the intervals they were in; an id is in from the change that lists it
  // until the first change that does not. (Small lists: arrays, not sets.)
  const ids: string[] = [];
  const openFrom: number[] = [];
  const intervals: Interval[][] = [];
  const times = tl.times;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const now = tl.value(i);
    for (let k = 0; k < ids.length; k++) {
      const from = openFrom[k]!;
      if (from === NOT_IN || now.includes(ids[k]!)) continue;
      if (t > from) intervals[k]!.push({ from, to: t });
      openFrom[k] = NOT_IN;
    }
    for (const id of now) {
      const k = ids.indexOf(id);
      if (k < 0) {
        ids.push(id);
        openFrom.push(t);
        intervals.push([]);
      } else if (openFrom[k] === NOT_IN) openFrom[k] = t;
    }
  }
  for (let k = 0; k < ids.length; k++) {
    if (openFrom[k] !== NOT_IN) intervals[k]!.push({ from: openFrom[k]!, to: Infinity });
    if (intervals[k]!.length) push(into, ids[k]!, { history: h, intervals: intervals[k]! });
  }
}

/** Not in the list at the moment (no instant is minus infinity). */
const NOT_IN = Number.NEGATIVE_INFINITY;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
