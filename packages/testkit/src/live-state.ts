import type { Change, ItemKind, StatusValue, SprintVerdict } from '@agile-kpi/core';
import type { ImpedimentTruth } from './ground-truth';
import type { TeamClock } from './team-clock';

/**
 * The simulated team's live state, and the only place that changes it.
 *
 * Every change goes through a setter here, which (1) updates the current value, (2) appends one timeline entry in
 * the neutral model's shape and (3) updates the ground truth that depends on it (who joined a running sprint, who
 * was re-estimated, which impediment opened or closed). The ground truth is therefore a record of what the
 * simulator *did*, taken at the moment it did it, and never a reading of the histories it produced.
 */

export type StatusName = 'To Do' | 'In Progress' | 'Blocked' | 'In Review' | 'Done';

/** The team's workflow: Blocked sits in the In Progress column, as most Jira boards map it. */
export const STATUS: Readonly<Record<StatusName, StatusValue>> = Object.freeze({
  'To Do': Object.freeze({ name: 'To Do', category: 'todo', column: 'To Do', id: '10000' }),
  'In Progress': Object.freeze({ name: 'In Progress', category: 'in_progress', column: 'In Progress', id: '3' }),
  Blocked: Object.freeze({ name: 'Blocked', category: 'in_progress', column: 'In Progress', id: '10100' }),
  'In Review': Object.freeze({ name: 'In Review', category: 'in_progress', column: 'In Review', id: '10101' }),
  Done: Object.freeze({ name: 'Done', category: 'done', column: 'Done', id: '10001' }),
} as const);

const NONE: readonly string[] = Object.freeze([]);

export interface ItemSpec {
  readonly kind: ItemKind;
  readonly original: string;
  readonly title: string;
  readonly described: boolean;
  /** Estimate set when the item is created (`null`: none yet). */
  readonly estimate: number | null;
  readonly labels: readonly string[];
  /** A vague idea: never refined, never planned (this is where stale backlog items come from). */
  readonly vague: boolean;
  /** Sub-tasks: the story; stories may get an epic when they are created. */
  parent?: LiveItem;
  /** Backlog rank (smaller = higher); set when the item is created. */
  rank: number;
}

export class LiveItem {
  n = 0;
  id = '';
  key = '';
  /** False until the creation event has run (an item created after `asOf` never exists). */
  exists = false;
  createdMs = 0;
  lastMs = 0;
  status: StatusName = 'To Do';
  estimate: number | null = null;
  sprints: readonly string[] = NONE;
  releases: readonly string[] = NONE;
  flagged = false;
  labels: readonly string[] = NONE;
  /** Sub-tasks (they follow the parent in and out of sprints). */
  readonly children: LiveItem[] = [];
  /** The sprint (planned or running) the item is currently in, if any. */
  current: LiveSprint | null = null;
  /** Taken by a scheduled plan (planning, a mid-sprint add...): no other plan may pick it meanwhile. */
  reserved = false;
  /** Not to be planned before this instant (dropped from a release, parked). */
  holdUntil = 0;
  everPlanned = false;
  readonly statusLog: Change<StatusValue>[] = [];
  readonly estimateLog: Change<number | null>[] = [];
  readonly sprintLog: Change<readonly string[]>[] = [];
  readonly releaseLog: Change<readonly string[]>[] = [];
  readonly flagLog: Change<boolean>[] = [];
  readonly labelLog: Change<readonly string[]>[] = [];
  openFlag: ImpedimentTruth | null = null;
  openBlocked: ImpedimentTruth | null = null;
  openItemType: ImpedimentTruth | null = null;

  constructor(readonly spec: ItemSpec) {}

  get kind(): ItemKind {
    return this.spec.kind;
  }

  /** Stories, bugs and tasks: what sprint and release figures count. */
  get countable(): boolean {
    const k = this.spec.kind;
    return k === 'story' || k === 'bug' || k === 'task';
  }

  get parent(): LiveItem | undefined {
    return this.spec.parent;
  }
}

export type SprintPhase = 'planned' | 'running' | 'closed';

export class LiveSprint {
  phase: SprintPhase = 'planned';
  readonly members = new Set<LiveItem>();
  /** Items that were already done when they joined. */
  readonly outside = new Set<LiveItem>();
  readonly added = new Set<LiveItem>();
  readonly removed = new Set<LiveItem>();
  readonly reEstimated = new Set<LiveItem>();
  committed: LiveItem[] = [];
  committedPoints = 0;
  completed: LiveItem[] = [];
  completedPoints = 0;
  /** Each completed item's points when it was counted (0 when unestimated), parallel to `completed`. */
  completedEstimates: number[] = [];
  carried: LiveItem[] = [];
  goalItems: LiveItem[] = [];
  closeMs: number | undefined;
  goal: string | undefined;
  verdict: SprintVerdict | undefined;

  constructor(
    readonly id: string,
    readonly index: number,
    readonly name: string,
    readonly startMs: number,
    readonly plannedEndMs: number,
  ) {}
}

export class LiveRelease {
  readonly members = new Set<LiveItem>();
  readonly snapshots: Change<string | null>[] = [];
  shipped = false;
  releasedMs: number | undefined;
  planned: LiveItem[] = [];
  delivered: LiveItem[] = [];

  constructor(
    readonly id: string,
    readonly index: number,
    readonly name: string,
    readonly startMs: number,
    /** The planned date as the tracker shows it right now; moves when the release slips. */
    public plannedDate: string,
    readonly shipMs: number,
    readonly noSnapshots: boolean,
  ) {}
}

export interface IdSpace {
  /** Added to the issue number to form the item id (keeps ids of several teams disjoint). */
  readonly issueBase: number;
  readonly eventBase: number;
  readonly teamKey: string;
}

const byNumber = (a: LiveItem, b: LiveItem): number => a.n - b.n;

export class LiveState {
  readonly items: LiveItem[] = [];
  readonly backlog = new Set<LiveItem>();
  readonly sprintById = new Map<string, LiveSprint>();
  readonly releaseById = new Map<string, LiveRelease>();
  readonly impediments: ImpedimentTruth[] = [];
  private events = 0;

  constructor(
    private readonly clock: TeamClock,
    private readonly ids: IdSpace,
    private readonly goalLabel: string,
  ) {}

  /** A changelog history id: one per change set, shared by the fields it changes. */
  eventId(): string {
    this.events += 1;
    return ['sim:event:', this.ids.eventBase + this.events].join(''); // a flat string: a million are retained
  }

  addSprint(sprint: LiveSprint): void {
    this.sprintById.set(sprint.id, sprint);
  }

  addRelease(release: LiveRelease): void {
    this.releaseById.set(release.id, release);
  }

  /** Brings an item into existence at `t`: number, id and key are given in creation order, as Jira does. */
  create(item: LiveItem, t: number, init: { sprints?: readonly string[]; releases?: readonly string[] } = {}): void {
    const n = this.items.length + 1;
    item.n = n;
    item.id = `sim:issue:${this.ids.issueBase + n}`;
    item.key = `${this.ids.teamKey}-${n}`;
    item.exists = true;
    item.createdMs = t;
    item.lastMs = t;
    this.items.push(item);
    const at = this.clock.iso(t);
    const eventId = this.eventId();
    item.statusLog.push({ at, value: STATUS['To Do'], eventId });
    if (item.spec.estimate !== null) {
      item.estimate = item.spec.estimate;
      item.estimateLog.push({ at, value: item.estimate, eventId });
    }
    if (item.spec.labels.length > 0) {
      item.labels = item.spec.labels;
      item.labelLog.push({ at, value: item.labels, eventId });
    }
    if (item.kind === 'subtask') item.spec.parent?.children.push(item);
    if (item.kind === 'impediment') {
      item.openItemType = this.raise(item, 'item-type', at);
    }
    if (init.sprints && init.sprints.length > 0) this.setSprints(item, init.sprints, t, eventId);
    if (init.releases && init.releases.length > 0) this.setReleases(item, init.releases, t, eventId);
    this.refreshBacklog(item);
  }

  setStatus(item: LiveItem, to: StatusName, t: number, eventId = this.eventId()): void {
    const from = item.status;
    if (from === to) return;
    item.status = to;
    const at = this.append(item, item.statusLog, STATUS[to], t, eventId);
    if (to === 'Blocked') item.openBlocked = this.raise(item, 'blocked-status', at);
    if (from === 'Blocked' && item.openBlocked) {
      item.openBlocked.resolvedAt = at;
      item.openBlocked = null;
    }
    if (to === 'Done') {
      // A flag still on when the item reaches done ends the impediment then (docs/METRICS.md).
      if (item.openFlag) {
        item.openFlag.resolvedAt = at;
        item.openFlag = null;
      }
      if (item.openItemType) {
        item.openItemType.resolvedAt = at;
        item.openItemType = null;
      }
    }
    this.refreshBacklog(item);
  }

  setEstimate(item: LiveItem, value: number | null, t: number, eventId = this.eventId()): void {
    if (item.estimate === value) return;
    item.estimate = value;
    this.append(item, item.estimateLog, value, t, eventId);
    const sprint = item.current;
    if (sprint && sprint.phase === 'running' && item.countable && !sprint.outside.has(item)) sprint.reEstimated.add(item);
  }

  /** Sets the cumulative sprint list; joining and leaving a running sprint is recorded for its truth. */
  setSprints(item: LiveItem, next: readonly string[], t: number, eventId = this.eventId()): void {
    const prev = item.sprints;
    item.sprints = next;
    this.append(item, item.sprintLog, next, t, eventId);
    for (const id of next) {
      if (prev.includes(id)) continue;
      const sprint = this.sprint(id);
      sprint.members.add(item);
      if (item.status === 'Done') sprint.outside.add(item);
      else if (sprint.phase === 'running' && item.countable) sprint.added.add(item);
    }
    for (const id of prev) {
      if (next.includes(id)) continue;
      const sprint = this.sprint(id);
      sprint.members.delete(item);
      if (sprint.phase === 'running' && item.countable && !sprint.outside.has(item)) sprint.removed.add(item);
    }
    item.current = null;
    for (const id of next) {
      const sprint = this.sprint(id);
      if (sprint.phase !== 'closed') item.current = sprint;
    }
    this.refreshBacklog(item);
  }

  setReleases(item: LiveItem, next: readonly string[], t: number, eventId = this.eventId()): void {
    const prev = item.releases;
    item.releases = next;
    this.append(item, item.releaseLog, next, t, eventId);
    for (const id of prev) if (!next.includes(id)) this.release(id).members.delete(item);
    for (const id of next) if (!prev.includes(id)) this.release(id).members.add(item);
  }

  setFlag(item: LiveItem, on: boolean, t: number, eventId = this.eventId()): void {
    if (item.flagged === on) return;
    item.flagged = on;
    const at = this.append(item, item.flagLog, on, t, eventId);
    if (on && item.status !== 'Done') item.openFlag = this.raise(item, 'flagged', at);
    if (!on && item.openFlag) {
      item.openFlag.resolvedAt = at;
      item.openFlag = null;
    }
  }

  setLabels(item: LiveItem, next: readonly string[], t: number, eventId = this.eventId()): void {
    item.labels = next;
    this.append(item, item.labelLog, next, t, eventId);
  }

  /** Sprint start: what is in the sprint now, with today's estimates, is the commitment. */
  startSprint(sprint: LiveSprint): void {
    sprint.phase = 'running';
    sprint.committed = [...sprint.members].filter((i) => i.countable && !sprint.outside.has(i)).sort(byNumber);
    sprint.committedPoints = sumPoints(sprint.committed);
  }

  /** Sprint close (or, for the active sprint, `asOf`): completed, carried over and goal items as they are now. */
  closeSprint(sprint: LiveSprint, t: number, active: boolean): void {
    const counted = [...sprint.members].filter((i) => i.countable && !sprint.outside.has(i)).sort(byNumber);
    sprint.completed = counted.filter((i) => i.status === 'Done');
    sprint.completedPoints = sumPoints(sprint.completed);
    sprint.completedEstimates = sprint.completed.map((i) => i.estimate ?? 0);
    sprint.carried = active ? [] : counted.filter((i) => i.status !== 'Done');
    sprint.goalItems = counted.filter((i) => i.labels.includes(this.goalLabel));
    if (!active) {
      sprint.phase = 'closed';
      sprint.closeMs = t;
    }
  }

  /** Release start: its planned scope is what is in it now. */
  startRelease(release: LiveRelease): void {
    release.planned = [...release.members].filter((i) => i.countable).sort(byNumber);
  }

  /** Release ship: delivered = planned items that are done now. */
  shipRelease(release: LiveRelease, t: number): void {
    release.shipped = true;
    release.releasedMs = t;
    release.delivered = release.planned.filter((i) => i.status === 'Done');
  }

  /** Items that may be planned: countable, not done, in no open sprint. */
  private refreshBacklog(item: LiveItem): void {
    if (item.exists && item.countable && item.status !== 'Done' && item.current === null) this.backlog.add(item);
    else this.backlog.delete(item);
  }

  private append<T>(item: LiveItem, log: Change<T>[], value: T, t: number, eventId: string): string {
    if (t < item.createdMs) throw new Error(`${item.key}: change at ${this.clock.iso(t)} before creation`);
    const at = this.clock.iso(t);
    log.push({ at, value, eventId });
    if (t > item.lastMs) item.lastMs = t;
    return at;
  }

  private raise(item: LiveItem, source: ImpedimentTruth['source'], at: string): ImpedimentTruth {
    const record: ImpedimentTruth = { itemKey: item.key, source, raisedAt: at, resolvedAt: null };
    this.impediments.push(record);
    return record;
  }

  private sprint(id: string): LiveSprint {
    const sprint = this.sprintById.get(id);
    if (!sprint) throw new Error(`unknown sprint ${id}`);
    return sprint;
  }

  private release(id: string): LiveRelease {
    const release = this.releaseById.get(id);
    if (!release) throw new Error(`unknown release ${id}`);
    return release;
  }
}

function sumPoints(items: readonly LiveItem[]): number {
  let sum = 0;
  for (const i of items) sum += i.estimate ?? 0;
  return sum;
}
