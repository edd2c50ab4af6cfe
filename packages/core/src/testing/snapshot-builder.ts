import type { ItemKind, Release, Snapshot, Sprint, StatusValue, TeamSettings, WorkItem } from '../model/types';

/**
 * A small builder for hand-written golden cases: each test states its history in a few readable lines.
 * Statuses follow a four-column board (To Do, In Progress, In Review, Done) plus Blocked.
 */
export const STATUSES: Record<string, StatusValue> = {
  'To Do': { name: 'To Do', category: 'todo', column: 'To Do', id: '1' },
  'In Progress': { name: 'In Progress', category: 'in_progress', column: 'In Progress', id: '3' },
  Blocked: { name: 'Blocked', category: 'in_progress', column: 'In Progress', id: '4' },
  'In Review': { name: 'In Review', category: 'in_progress', column: 'In Review', id: '5' },
  Done: { name: 'Done', category: 'done', column: 'Done', id: '10' },
  Removed: { name: 'Removed', category: 'removed', id: '99' },
};

export const DEFAULT_TEAM: TeamSettings = {
  id: 'team-1',
  name: 'Golden Team',
  timeZone: 'UTC',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: { start: '09:00', end: '17:00' },
  holidays: [],
  estimateUnit: 'points',
  doneRule: 'board-column',
  columns: ['To Do', 'In Progress', 'In Review', 'Done'],
  blockedStatuses: ['Blocked'],
  impedimentSources: ['flagged', 'item-type', 'blocked-status'],
  goalLabel: 'sprint-goal',
  includeSubtasks: false,
  bugsOnBacklog: true,
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

export class ItemBuilder {
  readonly item: Mutable<WorkItem>;

  constructor(key: string, createdAt: string, kind: ItemKind) {
    this.item = {
      id: `test:issue:${key}`,
      key,
      url: `https://example.test/browse/${key}`,
      type: { kind, original: kind },
      title: `Item ${key}`,
      createdAt,
      updatedAt: createdAt,
      status: [{ at: createdAt, value: STATUSES['To Do']! }],
      estimate: [],
      sprints: [],
      releases: [],
      flagged: [],
      labels: [],
      described: true,
    };
  }

  status(at: string, name: keyof typeof STATUSES | string): this {
    const value = STATUSES[name];
    if (!value) throw new Error(`unknown test status ${name}`);
    return this.push('status', at, value);
  }
  estimate(at: string, points: number | null): this {
    return this.push('estimate', at, points);
  }
  sprints(at: string, ids: string[]): this {
    return this.push('sprints', at, ids);
  }
  releases(at: string, ids: string[]): this {
    return this.push('releases', at, ids);
  }
  flagged(at: string, on: boolean): this {
    return this.push('flagged', at, on);
  }
  labels(at: string, labels: string[]): this {
    return this.push('labels', at, labels);
  }
  set(fields: Partial<Mutable<WorkItem>>): this {
    Object.assign(this.item, fields);
    return this;
  }

  private push(field: 'status' | 'estimate' | 'sprints' | 'releases' | 'flagged' | 'labels', at: string, value: unknown): this {
    (this.item[field] as { at: string; value: unknown }[]).push({ at, value });
    if (at > this.item.updatedAt) this.item.updatedAt = at;
    return this;
  }
}

export class SnapshotBuilder {
  private readonly items: ItemBuilder[] = [];
  private readonly sprintList: Sprint[] = [];
  private readonly releaseList: Release[] = [];

  constructor(
    private readonly asOf: string,
    private readonly team: Partial<TeamSettings> = {},
  ) {}

  item(key: string, createdAt: string, kind: ItemKind = 'story'): ItemBuilder {
    const b = new ItemBuilder(key, createdAt, kind);
    this.items.push(b);
    return b;
  }

  sprint(s: Sprint): this {
    this.sprintList.push(s);
    return this;
  }

  release(r: Release): this {
    this.releaseList.push(r);
    return this;
  }

  build(): Snapshot {
    return {
      schemaVersion: 1,
      source: { tracker: 'test' },
      team: { ...DEFAULT_TEAM, ...this.team },
      asOf: this.asOf,
      items: this.items.map((b) => b.item as WorkItem),
      sprints: this.sprintList,
      releases: this.releaseList,
      warnings: [],
    };
  }
}
