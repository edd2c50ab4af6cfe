import type { Change, Snapshot, StatusValue, WorkItem } from '@agile-kpi/core';
import type { GroundTruth, SimulatedTeam } from '../ground-truth';
import { Random } from '../random';
import {
  accountId,
  chooseCustomFieldIds,
  fieldDefs,
  FLAGGED_OPTION_ID,
  KNOWN_ISSUE_TYPES,
  RESOLUTION_DONE,
  teamAccounts,
} from './catalog';
import type { Account, CategoryKey, CustomFieldIds, FieldDef, IssueTypeDef, StatusDef } from './catalog';
import { jiraDateTime, localDate, parseInstant } from './time';
import type { ServiceDesk } from './service-desk';

/**
 * A simulated Jira Cloud site: one project and one scrum board per simulated team, rendered from the neutral model
 * into Jira's own records (current field values plus a changelog), and the only place those records change.
 *
 * Rendering is the inverse of what a Jira adapter does: the first entry of each timeline (at the item's creation) is
 * the value the issue was created with and leaves no history, as in Jira; every later instant at which any of an
 * item's timelines changes becomes one changelog history holding one item per changed field.
 */

export interface JiraSiteOptions {
  /** Seeds the site's ids (custom fields, sprint/version/history id bases, accounts). Default: the first team's seed. */
  seed?: number;
  /** Base of every `self` link. The server sets it to its own URL. Default `https://sim.atlassian.net`. */
  baseUrl?: string;
  /** The API user's email (myself). Default `api-user@sim.example`. */
  email?: string;
  /** The API user's IANA zone (myself.timeZone; JQL dates are read in it). Default: the first team's zone. */
  userTimeZone?: string;
  /**
   * Zone of platform timestamps (`created`, history `created`...): each team's own zone ('team', the default), or the
   * API user's zone ('user': what Jira Cloud really does, it formats in the requesting user's profile zone).
   */
  timestampZone?: 'team' | 'user';
  /** Teams (by project key) or board ids the API user may not browse: hidden everywhere, 404 on their boards. */
  noPermission?: readonly (string | number)[];
  /** The site's clock (epoch ms): `overdue` flags and default mutation instants. Default `Date.now`. */
  now?: () => number;
}

export type SprintState = 'future' | 'active' | 'closed';

export interface TeamRecord {
  readonly index: number;
  readonly key: string;
  readonly name: string;
  readonly zone: string;
  readonly projectId: string;
  readonly boardId: number;
  readonly filterId: string;
  readonly accounts: readonly Account[];
  /** Board columns, left to right, each with its status ids; the rightmost holds the done status. */
  readonly columns: readonly { readonly name: string; readonly statusIds: readonly string[] }[];
  readonly snapshot?: Snapshot;
  readonly truth?: GroundTruth;
}

export interface SprintRecord {
  readonly id: number;
  readonly simId?: string;
  readonly team: TeamRecord;
  name: string;
  state: SprintState;
  startMs?: number;
  endMs?: number;
  completeMs?: number;
  createdMs: number;
  goal: string;
}

export interface VersionRecord {
  readonly id: string;
  readonly simId?: string;
  readonly team: TeamRecord;
  name: string;
  description: string;
  archived: boolean;
  released: boolean;
  startDate?: string;
  releaseDate?: string;
}

/** One changelog item, exactly as Jira writes it. */
export interface HistoryItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId?: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface HistoryRecord {
  id: number;
  readonly ms: number;
  readonly author: Account;
  readonly items: HistoryItem[];
}

export interface IssueRecord {
  readonly id: string;
  readonly key: string;
  readonly number: number;
  readonly simId?: string;
  readonly team: TeamRecord;
  type: IssueTypeDef;
  parentId?: string;
  summary: string;
  described: boolean;
  rank: string;
  readonly createdMs: number;
  updatedMs: number;
  status: StatusDef;
  estimate: number | null;
  sprints: number[];
  flagged: boolean;
  labels: string[];
  versions: string[];
  resolutionMs: number | null;
  categoryChangeMs: number;
  readonly reporter: Account;
  /** Ascending by time (and id). */
  readonly histories: HistoryRecord[];
  deleted: boolean;
}

/** Mapping between the simulator's ids and the site's Jira ids. */
export interface JiraIdMap {
  fields: CustomFieldIds & { /** The boards' estimation field (= storyPointEstimate). */ estimation: string };
  flaggedOptionId: string;
  /** sim item id -> Jira issue. */
  issues: Record<string, { id: string; key: string }>;
  /** sim sprint id -> Jira sprint id. */
  sprints: Record<string, number>;
  /** sim release id -> Jira version id. */
  versions: Record<string, string>;
  /** team (project) key -> board id. */
  boards: Record<string, number>;
  /** team (project) key -> project id. */
  projects: Record<string, string>;
  /** status name -> status id. */
  statuses: Record<string, string>;
  /** issue type name -> id. */
  issueTypes: Record<string, string>;
  /** The other way round: Jira id -> sim id. */
  reverse: { issues: Record<string, string>; sprints: Record<string, string>; versions: Record<string, string> };
}

/** What {@link JiraSite.edit} can change; sprint and release ids are the simulator's ids or Jira's. */
export interface IssueEdit {
  status?: string;
  estimate?: number | null;
  sprints?: readonly (string | number)[];
  flagged?: boolean;
  labels?: readonly string[];
  releases?: readonly string[];
  summary?: string;
}

export interface IssueCreate {
  /** Project (team) key. */
  project: string;
  /** Issue type name (default Story). */
  type?: string;
  summary: string;
  status?: string;
  estimate?: number | null;
  sprints?: readonly (string | number)[];
  flagged?: boolean;
  labels?: readonly string[];
  releases?: readonly string[];
  /** Parent issue key or id (a sub-task's story, a story's epic). */
  parent?: string;
  described?: boolean;
}

const DEFAULT_BASE_URL = 'https://sim.atlassian.net';
const DONE_RESOLUTION_TEXT = RESOLUTION_DONE.name;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Builds the site from the teams; `teams` must have distinct project keys. */
export class JiraSite {
  baseUrl: string;
  readonly email: string;
  readonly userTimeZone: string;
  readonly timestampZone: 'team' | 'user';
  readonly self: Account;
  readonly fieldIds: CustomFieldIds;
  readonly fields: readonly FieldDef[];
  readonly statuses: StatusDef[] = [];
  readonly issueTypes: IssueTypeDef[] = [];
  readonly teams: TeamRecord[] = [];
  readonly sprints: SprintRecord[] = [];
  readonly versions: VersionRecord[] = [];
  readonly issues: IssueRecord[] = [];
  readonly idMap: JiraIdMap;
  /** Bumped by every mutation. */
  revision = 0;
  /** Jira Service Management's service projects and their rated requests, when the site has any. */
  serviceDesk: ServiceDesk | undefined;
  private readonly now: () => number;
  private readonly issueById = new Map<string, IssueRecord>();
  private readonly issueByKey = new Map<string, IssueRecord>();
  private readonly sprintById = new Map<number, SprintRecord>();
  private readonly sprintBySimId = new Map<string, SprintRecord>();
  private readonly versionById = new Map<string, VersionRecord>();
  private readonly versionBySimId = new Map<string, VersionRecord>();
  /** `teamIndex:simId` -> record: a team's timelines name its own sprints and releases (twin teams share sim ids). */
  private readonly teamSprints = new Map<string, SprintRecord>();
  private readonly teamVersions = new Map<string, VersionRecord>();
  private readonly statusById = new Map<string, StatusDef>();
  private readonly noPermission = new Set<string>();
  private nextHistoryId = 0;
  private readonly historyRng: Random;

  constructor(input: readonly SimulatedTeam[], options: JiraSiteOptions = {}) {
    if (input.length === 0) throw new RangeError('a simulated Jira site needs at least one team');
    const seed = options.seed ?? input[0]!.truth.seed;
    const rng = new Random(seed);
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.email = options.email ?? 'api-user@sim.example';
    const firstZone = input[0]!.snapshot.team.timeZone;
    this.userTimeZone = options.userTimeZone ?? firstZone;
    this.timestampZone = options.timestampZone ?? 'team';
    this.now = options.now ?? Date.now;
    this.fieldIds = chooseCustomFieldIds(rng.fork());
    this.fields = fieldDefs(this.fieldIds);
    this.self = { accountId: accountId(rng), displayName: 'API User', emailAddress: this.email, timeZone: this.userTimeZone };
    const sprintBase = rng.int(1, 90);
    const versionBase = 10000 + rng.int(0, 400);
    const projectBase = 10000 + rng.int(0, 60);
    const filterBase = 10000 + rng.int(0, 300);
    this.nextHistoryId = 10000 + rng.int(0, 40000);
    this.historyRng = rng.fork();

    this.collectCatalog(input);
    const keys = new Set<string>();
    input.forEach((sim, index) => {
      const key = teamKeyOf(sim.snapshot);
      if (keys.has(key)) throw new RangeError(`two teams use the project key ${key}: give each team its own teamKey`);
      keys.add(key);
      const zone = sim.snapshot.team.timeZone;
      this.teams.push({
        index,
        key,
        name: sim.snapshot.team.name,
        zone,
        projectId: String(projectBase + index),
        boardId: 1 + index,
        filterId: String(filterBase + index),
        accounts: teamAccounts(rng.fork(), key, zone, 4),
        columns: this.columnsOf(sim.snapshot),
        snapshot: sim.snapshot,
        truth: sim.truth,
      });
    });
    for (const entry of options.noPermission ?? []) this.noPermission.add(String(entry));

    let sprintId = sprintBase;
    let versionId = versionBase;
    for (const team of this.teams) {
      for (const s of team.snapshot!.sprints) {
        const startMs = s.startAt !== undefined ? parseInstant(s.startAt) : undefined;
        const record: SprintRecord = {
          id: sprintId++,
          simId: s.id,
          team,
          name: s.name,
          state: s.state === 'closed' ? 'closed' : s.state === 'active' ? 'active' : 'future',
          ...(startMs !== undefined ? { startMs } : {}),
          ...(s.plannedEndAt !== undefined ? { endMs: parseInstant(s.plannedEndAt) } : {}),
          ...(s.closedAt !== undefined ? { completeMs: parseInstant(s.closedAt) } : {}),
          createdMs: (startMs ?? 0) - 3 * DAY,
          goal: s.goal ?? '',
        };
        this.addSprint(record);
      }
      for (const r of team.snapshot!.releases) {
        const releasedMs = r.releasedAt !== undefined ? parseInstant(r.releasedAt) : undefined;
        const planned = r.currentPlannedDate !== undefined ? r.currentPlannedDate : lastValue(r.plannedDate);
        const releaseDate = releasedMs !== undefined ? localDate(releasedMs, team.zone) : planned ?? undefined;
        const record: VersionRecord = {
          id: String(versionId++),
          simId: r.id,
          team,
          name: r.name,
          description: '',
          archived: false,
          released: releasedMs !== undefined,
          ...(r.startAt !== undefined ? { startDate: localDate(parseInstant(r.startAt), team.zone) } : {}),
          ...(releaseDate ? { releaseDate } : {}),
        };
        this.versions.push(record);
        this.versionById.set(record.id, record);
        if (record.simId) {
          this.versionBySimId.set(record.simId, record);
          this.teamVersions.set(`${team.index}:${record.simId}`, record);
        }
      }
    }
    this.buildIssues();
    this.idMap = this.buildIdMap();
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Lookups.

  /** An issue by id or key (deleted ones excluded). */
  issue(idOrKey: string): IssueRecord | undefined {
    const issue = this.issueById.get(idOrKey) ?? this.issueByKey.get(idOrKey.toUpperCase());
    return issue && !issue.deleted ? issue : undefined;
  }

  sprint(id: number | string): SprintRecord | undefined {
    if (typeof id === 'number') return this.sprintById.get(id);
    return this.sprintBySimId.get(id) ?? (/^\d+$/.test(id) ? this.sprintById.get(Number(id)) : undefined);
  }

  version(id: string): VersionRecord | undefined {
    return this.versionById.get(id) ?? this.versionBySimId.get(id);
  }

  status(id: string): StatusDef | undefined {
    return this.statusById.get(id);
  }

  statusByName(name: string): StatusDef | undefined {
    const lower = name.toLowerCase();
    return this.statuses.find((s) => s.name.toLowerCase() === lower);
  }

  issueTypeByName(name: string): IssueTypeDef | undefined {
    const lower = name.toLowerCase();
    return this.issueTypes.find((t) => t.name.toLowerCase() === lower || t.id === name);
  }

  /** A team by project key, project id or board id (as a string or number). */
  team(ref: string | number): TeamRecord | undefined {
    if (typeof ref === 'number') return this.teams.find((t) => t.boardId === ref);
    const upper = ref.toUpperCase();
    return this.teams.find((t) => t.key === upper || t.projectId === ref);
  }

  /** Whether the API user may browse the team's project and board. */
  canSee(team: TeamRecord): boolean {
    return !this.noPermission.has(team.key) && !this.noPermission.has(String(team.boardId));
  }

  /** The projects / boards the API user may not browse. */
  noPermissionList(): string[] {
    return [...this.noPermission];
  }

  /** Replaces the list of projects / boards the API user may not browse. */
  setNoPermission(list: readonly (string | number)[]): void {
    this.noPermission.clear();
    for (const entry of list) this.noPermission.add(String(entry));
    this.revision++;
  }

  /** Issues the API user may see, in id order. */
  visibleIssues(): IssueRecord[] {
    return this.issues.filter((i) => !i.deleted && this.canSee(i.team));
  }

  sprintsOf(team: TeamRecord): SprintRecord[] {
    return this.sprints.filter((s) => s.team === team);
  }

  versionsOf(team: TeamRecord): VersionRecord[] {
    return this.versions.filter((v) => v.team === team);
  }

  /** The zone platform timestamps of this team's issues are written in. */
  zoneOf(team: TeamRecord): string {
    return this.timestampZone === 'user' ? this.userTimeZone : team.zone;
  }

  time(ms: number, team: TeamRecord): string {
    return jiraDateTime(ms, this.zoneOf(team));
  }

  nowMs(): number {
    return this.now();
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Mutations.

  /**
   * Changes an issue as a user would in Jira: one new history (with the same items Jira would write) at `at`
   * (default: the site clock, but never before the issue's last change), and `updated` moves. Returns the history,
   * or `null` when nothing changed.
   */
  edit(idOrKey: string, changes: IssueEdit, at?: string | number): HistoryRecord | null {
    const issue = this.mustIssue(idOrKey);
    const ms = this.mutationInstant(at, issue.updatedMs);
    const next: Partial<FieldState> = {};
    if (changes.status !== undefined) next.status = this.mustStatus(changes.status);
    if (changes.estimate !== undefined) next.estimate = changes.estimate;
    if (changes.sprints !== undefined) next.sprints = changes.sprints.map((s) => this.mustSprint(s).id);
    if (changes.flagged !== undefined) next.flagged = changes.flagged;
    if (changes.labels !== undefined) next.labels = [...changes.labels];
    if (changes.releases !== undefined) next.versions = changes.releases.map((r) => this.mustVersion(r).id);
    if (changes.summary !== undefined) next.summary = changes.summary;
    const history = this.change(issue, next, ms, issue.team.accounts[issue.histories.length % issue.team.accounts.length]!);
    if (history) {
      history.id = this.nextHistoryId++;
      this.revision++;
    }
    return history;
  }

  /** Creates an issue (no history: values set at creation leave none). Returns its id and key. */
  createIssue(input: IssueCreate, at?: string | number): { id: string; key: string } {
    const team = this.team(input.project);
    if (!team) throw new RangeError(`no project ${input.project}`);
    const ms = this.mutationInstant(at, 0);
    const type = this.issueTypeByName(input.type ?? 'Story');
    if (!type) throw new RangeError(`no issue type ${String(input.type)}`);
    let number = 1;
    let maxId = 10000;
    for (const i of this.issues) {
      if (i.team === team && i.number >= number) number = i.number + 1;
      if (Number(i.id) > maxId) maxId = Number(i.id);
    }
    const id = String(maxId + 1);
    const parent = input.parent !== undefined ? this.mustIssue(input.parent) : undefined;
    const status = input.status !== undefined ? this.mustStatus(input.status) : this.initialStatus(team);
    const issue: IssueRecord = {
      id,
      key: `${team.key}-${number}`,
      number,
      team,
      type,
      ...(parent ? { parentId: parent.id } : {}),
      summary: input.summary,
      described: input.described ?? false,
      rank: lexoRank(900_000_000 + Number(id)),
      createdMs: ms,
      updatedMs: ms,
      status,
      estimate: input.estimate ?? null,
      sprints: (input.sprints ?? []).map((s) => this.mustSprint(s).id),
      flagged: input.flagged ?? false,
      labels: [...(input.labels ?? [])],
      versions: (input.releases ?? []).map((r) => this.mustVersion(r).id),
      resolutionMs: status.category === 'done' ? ms : null,
      categoryChangeMs: ms,
      reporter: team.accounts[0]!,
      histories: [],
      deleted: false,
    };
    this.addIssue(issue);
    this.revision++;
    return { id: issue.id, key: issue.key };
  }

  /** Deletes an issue: searches, changelogs and the issue endpoints stop finding it. */
  /**
   * Deletes an issue as Jira does: its sub-tasks are deleted with it, and its other children (an epic's
   * issues) lose their parent link, which Jira records as a "Parent" change that bumps their `updated`.
   */
  deleteIssue(idOrKey: string, at?: string | number): void {
    const issue = this.mustIssue(idOrKey);
    issue.deleted = true;
    for (const child of this.issues) {
      if (child.deleted || child.parentId !== issue.id) continue;
      if (child.type.subtask) {
        child.deleted = true;
        continue;
      }
      const ms = this.mutationInstant(at, child.updatedMs);
      const author = child.team.accounts[child.histories.length % child.team.accounts.length]!;
      child.histories.push({ id: this.nextHistoryId++, ms, author, items: [{ field: 'Parent', fieldtype: 'jira', from: issue.id, fromString: issue.key, to: null, toString: null }] });
      delete child.parentId;
      if (ms > child.updatedMs) child.updatedMs = ms;
    }
    this.revision++;
  }

  /** Changes a version (by Jira id or sim release id). */
  setVersion(
    id: string,
    changes: { releaseDate?: string | null; released?: boolean; archived?: boolean; name?: string; startDate?: string | null },
  ): void {
    const v = this.mustVersion(id);
    if (changes.releaseDate !== undefined) {
      if (changes.releaseDate === null) delete v.releaseDate;
      else v.releaseDate = changes.releaseDate;
    }
    if (changes.startDate !== undefined) {
      if (changes.startDate === null) delete v.startDate;
      else v.startDate = changes.startDate;
    }
    if (changes.released !== undefined) {
      v.released = changes.released;
      if (changes.released && changes.releaseDate === undefined && v.releaseDate === undefined) {
        v.releaseDate = localDate(this.now(), v.team.zone);
      }
    }
    if (changes.archived !== undefined) v.archived = changes.archived;
    if (changes.name !== undefined) v.name = changes.name;
    this.revision++;
  }

  /** Starts a future sprint (state active, start now or at `at`, planned end `endAt` or two weeks later). */
  startSprint(id: number | string, at?: string | number, endAt?: string | number): void {
    const s = this.mustSprint(id);
    if (s.state !== 'future') throw new RangeError(`sprint ${s.id} is ${s.state}, not future`);
    const ms = this.mutationInstant(at, 0);
    s.state = 'active';
    s.startMs = ms;
    s.endMs = endAt !== undefined ? toMs(endAt) : ms + 14 * DAY;
    this.revision++;
  }

  /**
   * Completes an active sprint (state closed, completeDate now or `at`). Like Jira's "complete sprint", unfinished
   * issues are moved to `moveTo` (a sprint id; the closed sprint stays in their Sprint field) when given.
   */
  closeSprint(id: number | string, at?: string | number, moveTo?: number | string): void {
    const s = this.mustSprint(id);
    if (s.state !== 'active') throw new RangeError(`sprint ${s.id} is ${s.state}, not active`);
    const ms = this.mutationInstant(at, 0);
    s.state = 'closed';
    s.completeMs = ms;
    if (moveTo !== undefined) {
      const target = this.mustSprint(moveTo);
      const done = new Set(this.doneStatusIds(s.team));
      for (const issue of this.issues) {
        if (issue.deleted || !issue.sprints.includes(s.id) || done.has(issue.status.id)) continue;
        if (issue.type.subtask || issue.sprints.includes(target.id)) continue;
        this.edit(issue.id, { sprints: [...issue.sprints, target.id] }, Math.max(ms, issue.updatedMs));
      }
    }
    this.revision++;
  }

  /** Adds a future sprint to a team's board. */
  createSprint(project: string, input: { name: string; goal?: string }, at?: string | number): SprintRecord {
    const team = this.team(project);
    if (!team) throw new RangeError(`no project ${project}`);
    const record: SprintRecord = {
      id: this.sprints.reduce((max, s) => Math.max(max, s.id), 0) + 1,
      team,
      name: input.name,
      state: 'future',
      createdMs: this.mutationInstant(at, 0),
      goal: input.goal ?? '',
    };
    this.addSprint(record);
    this.revision++;
    return record;
  }

  /** Status ids of the board's rightmost column (what Jira's velocity chart counts as done). */
  doneStatusIds(team: TeamRecord): readonly string[] {
    return team.columns[team.columns.length - 1]?.statusIds ?? [];
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Building.

  private collectCatalog(input: readonly SimulatedTeam[]): void {
    const byId = new Map<string, StatusDef>();
    const byName = new Map<string, StatusDef>();
    let nextStatus = 10200;
    const add = (s: StatusValue): void => {
      if (s.id !== undefined && byId.has(s.id)) return;
      if (s.id === undefined && byName.has(s.name)) return;
      const def: StatusDef = {
        id: s.id ?? String(nextStatus++),
        name: s.name,
        category: categoryOf(s.category),
        ...(s.column !== undefined ? { column: s.column } : {}),
      };
      byId.set(def.id, def);
      byName.set(def.name, def);
      this.statuses.push(def);
      this.statusById.set(def.id, def);
    };
    const types = new Map<string, IssueTypeDef>(KNOWN_ISSUE_TYPES.map((t) => [t.name, t]));
    let nextType = 10006;
    for (const sim of input) {
      for (const item of sim.snapshot.items) {
        for (const change of item.status) add(change.value);
        if (!types.has(item.type.original)) {
          const kind = item.type.kind;
          types.set(item.type.original, {
            id: String(nextType++),
            name: item.type.original,
            subtask: kind === 'subtask',
            hierarchyLevel: kind === 'epic' ? 1 : kind === 'subtask' ? -1 : 0,
            description: '',
            avatarId: 10300,
          });
        }
      }
    }
    if (this.statuses.length === 0) {
      add({ name: 'To Do', category: 'todo', id: '10000' });
      add({ name: 'In Progress', category: 'in_progress', id: '3' });
      add({ name: 'Done', category: 'done', id: '10001' });
    }
    this.statuses.sort((a, b) => Number(a.id) - Number(b.id));
    this.issueTypes.push(...types.values());
  }

  private columnsOf(snapshot: Snapshot): TeamRecord['columns'] {
    const named = snapshot.team.columns && snapshot.team.columns.length > 0 ? [...snapshot.team.columns] : undefined;
    const names = named ?? ['To Do', 'In Progress', 'Done'];
    const columns = names.map((name) => ({ name, statusIds: [] as string[] }));
    for (const s of this.statuses) {
      let index = s.column !== undefined ? names.indexOf(s.column) : -1;
      if (index < 0) index = s.category === 'new' ? 0 : s.category === 'done' ? names.length - 1 : Math.min(1, names.length - 1);
      columns[index]!.statusIds.push(s.id);
    }
    return columns;
  }

  private addSprint(record: SprintRecord): void {
    this.sprints.push(record);
    this.sprintById.set(record.id, record);
    if (record.simId) {
      this.sprintBySimId.set(record.simId, record);
      this.teamSprints.set(`${record.team.index}:${record.simId}`, record);
    }
  }

  private addIssue(issue: IssueRecord): void {
    this.issues.push(issue);
    this.issueById.set(issue.id, issue);
    this.issueByKey.set(issue.key, issue);
  }

  private buildIssues(): void {
    const pending: { item: WorkItem; team: TeamRecord; issue: IssueRecord }[] = [];
    const firstJoin = new Map<number, number>();
    // Issue ids come from the simulator's item numbers alone (never from what else exists), so that a site built
    // from the same team cut at an earlier instant (snapshotAt) numbers every issue it has the same way. Each team
    // of an organisation numbers its items in its own block of a million; a team whose block an earlier team
    // already uses (two teams simulated with the same teamIndex) numbers its issues from its position instead.
    const blockOwner = new Map<number, number>();
    for (const team of this.teams) {
      for (const item of team.snapshot!.items) {
        const number = Number(item.key.slice(item.key.lastIndexOf('-') + 1));
        const simNumber = Number(/(\d+)$/.exec(item.id)?.[1] ?? number);
        const block = Math.floor(simNumber / 1_000_000);
        if (!blockOwner.has(block)) blockOwner.set(block, team.index);
        const id = blockOwner.get(block) === team.index ? String(10000 + simNumber) : String(10000 + (team.index + 1) * 10_000_000 + number);
        if (this.issueById.has(id)) throw new RangeError(`${item.key}: issue id ${id} is taken (two items with the same simulator id?)`);
        const createdMs = parseInstant(item.createdAt);
        const issue: IssueRecord = {
          id,
          key: item.key,
          number,
          simId: item.id,
          team,
          type: this.issueTypeByName(item.type.original)!,
          summary: item.title,
          described: item.described,
          rank: lexoRank(item.rank !== undefined && /^\d+$/.test(item.rank) ? Number(item.rank) : simNumber),
          createdMs,
          updatedMs: createdMs,
          status: this.initialStatus(team),
          estimate: null,
          sprints: [],
          flagged: false,
          labels: [],
          versions: [],
          resolutionMs: null,
          categoryChangeMs: createdMs,
          reporter: team.accounts[number % team.accounts.length]!,
          histories: [],
          deleted: false,
        };
        this.addIssue(issue);
        pending.push({ item, team, issue });
      }
    }
    const bySimId = new Map(pending.map((p) => [`${p.team.index}:${p.item.id}`, p.issue]));
    for (const { item, team, issue } of pending) {
      if (item.parentId !== undefined) {
        const parent = bySimId.get(`${team.index}:${item.parentId}`);
        if (parent) issue.parentId = parent.id;
      }
      this.replay(item, team, issue, firstJoin);
    }
    // Sprints are created before anyone plans into them.
    for (const s of this.sprints) {
      const join = firstJoin.get(s.id);
      if (join !== undefined && join - HOUR < s.createdMs) s.createdMs = join - HOUR;
    }
    // History ids grow with time across the whole site, as Jira's do.
    const all: { issue: IssueRecord; h: HistoryRecord }[] = [];
    for (const issue of this.issues) for (const h of issue.histories) all.push({ issue, h });
    all.sort((a, b) => a.h.ms - b.h.ms || Number(a.issue.id) - Number(b.issue.id));
    for (const { h } of all) {
      h.id = this.nextHistoryId;
      this.nextHistoryId += this.historyRng.int(1, 3);
    }
  }

  /** Turns an item's timelines into its creation values plus one history per later change instant. */
  private replay(item: WorkItem, team: TeamRecord, issue: IssueRecord, firstJoin: Map<number, number>): void {
    const created = issue.createdMs;
    type Event = { ms: number; order: number; apply: (next: Partial<FieldState>) => void };
    const events: Event[] = [];
    const initial: Partial<FieldState> = {};
    const feed = <T>(timeline: readonly Change<T>[], order: number, set: (next: Partial<FieldState>, value: T) => void): void => {
      for (const change of timeline) {
        const ms = parseInstant(change.at);
        if (ms <= created) set(initial, change.value);
        else events.push({ ms, order, apply: (next) => set(next, change.value) });
      }
    };
    const sprintIds = (ids: readonly string[]): number[] =>
      unique(ids.map((id) => {
        const s = this.teamSprints.get(`${team.index}:${id}`) ?? this.sprintBySimId.get(id);
        if (!s) throw new RangeError(`${item.key}: unknown sprint ${id}`);
        return s.id;
      }));
    const versionIds = (ids: readonly string[]): string[] =>
      unique(ids.map((id) => {
        const v = this.teamVersions.get(`${team.index}:${id}`) ?? this.versionBySimId.get(id);
        if (!v) throw new RangeError(`${item.key}: unknown release ${id}`);
        return v.id;
      }));
    feed(item.status, 0, (n, v) => (n.status = this.statusOf(v)));
    feed(item.sprints, 1, (n, v) => (n.sprints = sprintIds(v)));
    feed(item.estimate, 2, (n, v) => (n.estimate = v));
    feed(item.flagged, 3, (n, v) => (n.flagged = v));
    feed(item.releases, 4, (n, v) => (n.versions = versionIds(v)));
    feed(item.labels, 5, (n, v) => (n.labels = [...v]));

    if (initial.status) issue.status = initial.status;
    if (initial.estimate !== undefined) issue.estimate = initial.estimate;
    if (initial.sprints) issue.sprints = initial.sprints;
    if (initial.flagged !== undefined) issue.flagged = initial.flagged;
    if (initial.versions) issue.versions = initial.versions;
    if (initial.labels) issue.labels = initial.labels;
    if (issue.status.category === 'done') issue.resolutionMs = created;
    for (const s of issue.sprints) if (!firstJoin.has(s) || firstJoin.get(s)! > created) firstJoin.set(s, created);

    events.sort((a, b) => a.ms - b.ms || a.order - b.order);
    let i = 0;
    while (i < events.length) {
      const ms = events[i]!.ms;
      const next: Partial<FieldState> = {};
      while (i < events.length && events[i]!.ms === ms) events[i++]!.apply(next);
      const before = issue.sprints;
      const author = team.accounts[(issue.number + issue.histories.length) % team.accounts.length]!;
      this.change(issue, next, ms, author);
      for (const s of issue.sprints) {
        if (before.includes(s)) continue;
        if (!firstJoin.has(s) || firstJoin.get(s)! > ms) firstJoin.set(s, ms);
      }
    }
  }

  /** Applies new field values; appends one history (id 0 until numbered) when anything changed. */
  private change(issue: IssueRecord, next: Partial<FieldState>, ms: number, author: Account): HistoryRecord | null {
    const items: HistoryItem[] = [];
    const f = this.fieldIds;
    if (next.status !== undefined && next.status.id !== issue.status.id) {
      const from = issue.status;
      const to = next.status;
      const wasDone = from.category === 'done';
      const isDone = to.category === 'done';
      if (isDone && !wasDone) {
        items.push(jiraItem('resolution', 'resolution', null, null, RESOLUTION_DONE.id, DONE_RESOLUTION_TEXT));
        issue.resolutionMs = ms;
      } else if (wasDone && !isDone) {
        items.push(jiraItem('resolution', 'resolution', RESOLUTION_DONE.id, DONE_RESOLUTION_TEXT, null, null));
        issue.resolutionMs = null;
      }
      items.push(jiraItem('status', 'status', from.id, from.name, to.id, to.name));
      if (from.category !== to.category) issue.categoryChangeMs = ms;
      issue.status = to;
    }
    if (next.sprints !== undefined && !sameSet(next.sprints, issue.sprints)) {
      const names = (ids: readonly number[]): string => ids.map((id) => this.sprintById.get(id)?.name ?? String(id)).join(', ');
      items.push({
        field: 'Sprint',
        fieldtype: 'custom',
        fieldId: f.sprint,
        from: issue.sprints.join(', '),
        fromString: names(issue.sprints),
        to: next.sprints.join(', '),
        toString: names(next.sprints),
      });
      issue.sprints = [...next.sprints];
    }
    if (next.estimate !== undefined && next.estimate !== issue.estimate) {
      items.push({
        field: 'Story point estimate',
        fieldtype: 'custom',
        fieldId: f.storyPointEstimate,
        from: null,
        fromString: issue.estimate === null ? null : String(issue.estimate),
        to: null,
        toString: next.estimate === null ? null : String(next.estimate),
      });
      issue.estimate = next.estimate;
    }
    if (next.flagged !== undefined && next.flagged !== issue.flagged) {
      items.push(
        next.flagged
          ? { field: 'Flagged', fieldtype: 'custom', fieldId: f.flagged, from: null, fromString: null, to: `[${FLAGGED_OPTION_ID}]`, toString: 'Impediment' }
          : { field: 'Flagged', fieldtype: 'custom', fieldId: f.flagged, from: `[${FLAGGED_OPTION_ID}]`, fromString: 'Impediment', to: '', toString: '' },
      );
      issue.flagged = next.flagged;
    }
    if (next.versions !== undefined && !sameSet(next.versions, issue.versions)) {
      for (const id of issue.versions) {
        if (next.versions.includes(id)) continue;
        items.push(jiraItem('Fix Version', 'fixVersions', id, this.versionById.get(id)?.name ?? id, null, null));
      }
      for (const id of next.versions) {
        if (issue.versions.includes(id)) continue;
        items.push(jiraItem('Fix Version', 'fixVersions', null, null, id, this.versionById.get(id)?.name ?? id));
      }
      issue.versions = [...next.versions];
    }
    if (next.labels !== undefined && !sameSet(next.labels, issue.labels)) {
      items.push(jiraItem('labels', 'labels', null, issue.labels.join(' '), null, next.labels.join(' ')));
      issue.labels = [...next.labels];
    }
    if (next.summary !== undefined && next.summary !== issue.summary) {
      items.push(jiraItem('summary', 'summary', null, issue.summary, null, next.summary));
      issue.summary = next.summary;
    }
    if (items.length === 0) return null;
    const history: HistoryRecord = { id: 0, ms, author, items };
    issue.histories.push(history);
    if (ms > issue.updatedMs) issue.updatedMs = ms;
    return history;
  }

  private statusOf(value: StatusValue): StatusDef {
    const def = (value.id !== undefined ? this.statusById.get(value.id) : undefined) ?? this.statusByName(value.name);
    if (!def) throw new RangeError(`unknown status ${value.name}`);
    return def;
  }

  private initialStatus(team: TeamRecord): StatusDef {
    const id = team.columns[0]?.statusIds[0];
    return (id !== undefined ? this.statusById.get(id) : undefined) ?? this.statuses[0]!;
  }

  private buildIdMap(): JiraIdMap {
    const map: JiraIdMap = {
      fields: { ...this.fieldIds, estimation: this.fieldIds.storyPointEstimate },
      flaggedOptionId: FLAGGED_OPTION_ID,
      issues: {},
      sprints: {},
      versions: {},
      boards: {},
      projects: {},
      statuses: {},
      issueTypes: {},
      reverse: { issues: {}, sprints: {}, versions: {} },
    };
    for (const i of this.issues) {
      if (!i.simId) continue;
      map.issues[i.simId] = { id: i.id, key: i.key };
      map.reverse.issues[i.id] = i.simId;
    }
    for (const s of this.sprints) {
      if (!s.simId) continue;
      map.sprints[s.simId] = s.id;
      map.reverse.sprints[String(s.id)] = s.simId;
    }
    for (const v of this.versions) {
      if (!v.simId) continue;
      map.versions[v.simId] = v.id;
      map.reverse.versions[v.id] = v.simId;
    }
    for (const t of this.teams) {
      map.boards[t.key] = t.boardId;
      map.projects[t.key] = t.projectId;
    }
    for (const s of this.statuses) map.statuses[s.name] = s.id;
    for (const t of this.issueTypes) map.issueTypes[t.name] = t.id;
    return map;
  }

  private mutationInstant(at: string | number | undefined, notBefore: number): number {
    if (at !== undefined) return toMs(at);
    return Math.max(this.now(), notBefore + 1000);
  }

  private mustIssue(idOrKey: string): IssueRecord {
    const issue = this.issue(idOrKey);
    if (!issue) throw new RangeError(`no issue ${idOrKey}`);
    return issue;
  }

  private mustStatus(name: string): StatusDef {
    const s = this.statusByName(name) ?? this.statusById.get(name);
    if (!s) throw new RangeError(`no status ${name}`);
    return s;
  }

  private mustSprint(id: string | number): SprintRecord {
    const s = this.sprint(id);
    if (!s) throw new RangeError(`no sprint ${String(id)}`);
    return s;
  }

  private mustVersion(id: string): VersionRecord {
    const v = this.version(id);
    if (!v) throw new RangeError(`no version ${id}`);
    return v;
  }
}

interface FieldState {
  status: StatusDef;
  estimate: number | null;
  sprints: number[];
  flagged: boolean;
  versions: string[];
  labels: string[];
  summary: string;
}

function jiraItem(
  field: string,
  fieldId: string,
  from: string | null,
  fromString: string | null,
  to: string | null,
  toString: string | null,
): HistoryItem {
  return { field, fieldtype: 'jira', fieldId, from, fromString, to, toString };
}

function categoryOf(category: StatusValue['category']): CategoryKey {
  return category === 'todo' ? 'new' : category === 'in_progress' ? 'indeterminate' : 'done';
}

export function teamKeyOf(snapshot: Snapshot): string {
  const first = snapshot.items[0]?.key;
  if (first && first.includes('-')) return first.slice(0, first.lastIndexOf('-'));
  const tail = snapshot.team.id.slice(snapshot.team.id.lastIndexOf(':') + 1);
  return tail.toUpperCase().replace(/[^A-Z0-9]/g, '') || 'SIM';
}

function lastValue<T>(timeline: readonly Change<T>[]): T | undefined {
  return timeline.length > 0 ? timeline[timeline.length - 1]!.value : undefined;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(b);
  return a.every((x) => set.has(x));
}

function toMs(at: string | number): number {
  return typeof at === 'number' ? at : parseInstant(at);
}

/** A LexoRank-looking string ("0|i0004g:") that sorts like the number it comes from. */
export function lexoRank(n: number): string {
  return `0|i${Math.max(0, Math.floor(n)).toString(36).padStart(7, '0')}:`;
}
