/**
 * The neutral model: what every adapter hands to the core and what `agile-kpi metrics --input` reads.
 *
 * Every attribute a metric reads at a past instant is a {@link Timeline}, never a plain value: a model with
 * `sprintIds: string[]` or `estimate: number` can only describe today, and every sprint figure computed from it
 * is wrong the moment an item is re-estimated or carried over.
 */

/** ISO-8601 instant with an offset or `Z` ("2024-07-04T05:41:00.089-07:00"), as the tracker gave it. */
export type Instant = string;
/** A calendar date without a time ("2024-07-31"), read in the team's time zone. */
export type LocalDate = string;
/** Deterministic id with provenance: `<tracker>:<entity>:<key>`, e.g. `jira:issue:10063`. */
export type ItemId = string;

/** One change of an attribute: from `at` on, the attribute has `value`. */
export interface Change<T> {
  readonly at: Instant;
  readonly value: T;
  /** Provenance of the change in the tracker (changelog history id, revision number), for evidence. */
  readonly eventId?: string;
}

/**
 * A value that changes over time, ascending by `at`. The first change is the value at creation; an empty
 * timeline means "the default value since creation" (no estimate, no sprint, not flagged, no labels).
 */
export type Timeline<T> = readonly Change<T>[];

export type ItemKind = 'story' | 'bug' | 'task' | 'subtask' | 'epic' | 'impediment' | 'other';
export const ITEM_KINDS: readonly ItemKind[] = ['story', 'bug', 'task', 'subtask', 'epic', 'impediment', 'other'];

/** Status categories. `removed` is Azure DevOps' Removed state: the item drops out of every figure. */
export type StatusCategory = 'todo' | 'in_progress' | 'done' | 'removed';
export const STATUS_CATEGORIES: readonly StatusCategory[] = ['todo', 'in_progress', 'done', 'removed'];

export interface StatusValue {
  /** The tracker's status (state) name, kept next to the normalised category. */
  readonly name: string;
  readonly category: StatusCategory;
  /** The board column the status is mapped to, when the tracker has a board. */
  readonly column?: string;
  /** The tracker's status id, for provenance. */
  readonly id?: string;
}

export interface WorkItem {
  readonly id: ItemId;
  /** What people call the item: "TRAP-12", "4711". */
  readonly key: string;
  /** Link back to the item in the tracker. */
  readonly url?: string;
  readonly type: { readonly kind: ItemKind; readonly original: string };
  readonly title: string;
  readonly createdAt: Instant;
  readonly updatedAt: Instant;
  readonly parentId?: ItemId;
  readonly status: Timeline<StatusValue>;
  /** `null` = unestimated. The unit lives in the team settings. */
  readonly estimate: Timeline<number | null>;
  /** Sprint ids the item belongs to after each change (Jira's cumulative list keeps closed sprints). */
  readonly sprints: Timeline<readonly string[]>;
  /** Release ids the item belongs to after each change. */
  readonly releases: Timeline<readonly string[]>;
  /** Jira Flagged, Azure DevOps Blocked. */
  readonly flagged: Timeline<boolean>;
  /** Labels (Jira) or tags (Azure DevOps). Goal items are read at sprint close, not today. */
  readonly labels: Timeline<readonly string[]>;
  /** Backlog order as the tracker sorts it: compared as plain strings (adapters pad numbers). */
  readonly rank?: string;
  /** Description or acceptance criteria present (Definition of Ready). */
  readonly described: boolean;
}

export type SprintState = 'future' | 'active' | 'closed' | 'other';
export type GoalOutcome = 'met' | 'partly' | 'missed';

export interface SprintVerdict {
  readonly outcome: GoalOutcome;
  readonly by: string;
  readonly at: Instant;
  readonly note?: string;
}

export interface Sprint {
  readonly id: string;
  readonly name: string;
  /** The tracker's state today. Metrics reconstruct the state at `asOf` from the dates instead. */
  readonly state: SprintState;
  readonly startAt?: Instant;
  readonly plannedEndAt?: Instant;
  readonly closedAt?: Instant;
  readonly goal?: string;
  /** A verdict on the goal that a user recorded in the app (neither tracker stores one). */
  readonly verdict?: SprintVerdict;
  readonly url?: string;
}

export interface Release {
  readonly id: string;
  readonly name: string;
  readonly startAt?: Instant;
  /** When the release actually shipped; absent while it is open. */
  readonly releasedAt?: Instant;
  /**
   * Snapshots of the planned release date, taken at each sync (trackers keep no history of it).
   * Read at the release's baseline to get the original plan.
   */
  readonly plannedDate: Timeline<LocalDate | null>;
  /** The planned date as the tracker shows it now; used, with a warning, when no snapshot exists. */
  readonly currentPlannedDate?: LocalDate | null;
  readonly url?: string;
}

export type ImpedimentSource = 'flagged' | 'item-type' | 'blocked-status';
export type EstimateUnit = 'points' | 'hours' | 'count';
export type DoneRule = 'board-column' | 'status-category';

export interface TeamSettings {
  readonly id: string;
  readonly name: string;
  /** IANA zone: day buckets, weeks and working time are computed in it. */
  readonly timeZone: string;
  /** ISO weekdays the team works (1 = Monday ... 7 = Sunday). */
  readonly workingDays: readonly number[];
  readonly workingHours: { readonly start: string; readonly end: string };
  /** Non-working dates (public holidays) in the team's zone. */
  readonly holidays: readonly LocalDate[];
  readonly estimateUnit: EstimateUnit;
  readonly doneRule: DoneRule;
  /** Board columns, left to right. */
  readonly columns?: readonly string[];
  /** Columns that mean done; default: the rightmost column (what Jira's velocity chart uses). */
  readonly doneColumns?: readonly string[];
  /** Status names that mean "blocked" (an impediment while the item sits in one). */
  readonly blockedStatuses: readonly string[];
  readonly impedimentSources: readonly ImpedimentSource[];
  /** Label / tag that marks sprint goal items. */
  readonly goalLabel: string;
  /** Count sub-task estimates in sprint figures (Jira does not). */
  readonly includeSubtasks: boolean;
  /** Whether bugs live on the backlog (Azure DevOps' bugsBehavior). */
  readonly bugsOnBacklog: boolean;
}

export interface DataWarning {
  /** Stable machine-readable code, e.g. `committed-unestimated`, `truncated-changelog`. */
  readonly code: string;
  readonly message: string;
  readonly itemId?: ItemId;
  readonly itemKey?: string;
  readonly sprintId?: string;
  readonly releaseId?: string;
}

export interface SnapshotSource {
  readonly tracker: string;
  readonly site?: string;
  readonly board?: string;
  readonly generator?: string;
}

/** What an adapter hands to the core and what `agile-kpi metrics --input` reads. */
export interface Snapshot {
  readonly schemaVersion: 1;
  readonly source?: SnapshotSource;
  readonly team: TeamSettings;
  /** The instant the data describes: "now" for every metric. */
  readonly asOf: Instant;
  readonly items: readonly WorkItem[];
  readonly sprints: readonly Sprint[];
  readonly releases: readonly Release[];
  /** Data-quality problems the adapter met (truncated changelogs, unknown status ids...). */
  readonly warnings: readonly DataWarning[];
}
