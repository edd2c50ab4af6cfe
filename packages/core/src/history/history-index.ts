import type { Release, Snapshot, Sprint, StatusValue, TeamSettings, WorkItem } from '../model/types';
import { parseInstant } from '../time/instant';
import { TeamCalendar } from '../time/team-calendar';
import { type Interval, TimelineIndex, contains, intervalsWhere } from './timeline-index';

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

const EMPTY: readonly string[] = Object.freeze([]);

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

    const sorted = [...snapshot.items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.items = sorted.map((item) => this.compile(item));
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
    const created = item.createdAt;
    const createdMs = parseInstant(created);
    // Every timeline starts at the creation instant: read once, not once per timeline.
    const parse = (at: string) => (at === created ? createdMs : parseInstant(at));
    const firstStatus = item.status[0]!.value;
    const status = new TimelineIndex(item.status, firstStatus, parse);
    return {
      item,
      createdMs,
      status,
      estimate: new TimelineIndex<number | null>(item.estimate, null, parse),
      sprints: new TimelineIndex<readonly string[]>(item.sprints, EMPTY, parse),
      releases: new TimelineIndex<readonly string[]>(item.releases, EMPTY, parse),
      flagged: new TimelineIndex<boolean>(item.flagged, false, parse),
      labels: new TimelineIndex<readonly string[]>(item.labels, EMPTY, parse),
      doneIntervals: intervalsWhere(status, (s) => this.isDoneStatus(s), createdMs, firstStatus),
      removedIntervals: intervalsWhere(status, (s) => s.category === 'removed', createdMs, firstStatus),
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
  const changes = tl.changes;
  for (let i = 0; i < changes.length; i++) {
    const t = tl.times[i]!;
    const now = changes[i]!.value;
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
