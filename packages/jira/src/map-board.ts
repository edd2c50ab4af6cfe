import type { DataWarning, Release, Snapshot, Sprint, SprintVerdict, TeamSettings } from '@agile-kpi/core';
import { WarningSink } from '@agile-kpi/core';
import { DateTime } from 'luxon';
import type { BoardContext } from './discover-board';
import { type CompiledIssue, type MappingContext, compileIssue, issueWarnings, mappingContext, sprintId, versionId } from './map-issue';
import type { StoredIssue } from './sync-board';
import type { JiraSprint, JiraVersion } from './wire';

/** A board's synced data as the store holds it: what mapping turns into a snapshot. */
export interface JiraBoardData {
  readonly site: string;
  readonly context: BoardContext;
  readonly issues: readonly StoredIssue[];
  readonly sprints: readonly JiraSprint[];
  readonly versions: readonly JiraVersion[];
  /** Date snapshots taken at each sync (ascending). */
  readonly versionSnapshots: readonly { id: string; field: string; value: unknown; takenAt: string }[];
  readonly verdicts?: ReadonlyMap<string, SprintVerdict>;
  /** The last sync's instant: the snapshot's asOf unless the caller says otherwise. */
  readonly syncedAt: string;
  /** What the last sync could not read and left out. */
  readonly syncWarnings?: readonly DataWarning[];
}

/** Team settings Jira does not hold (its board has no zone or working calendar). */
export interface JiraTeamOptions {
  readonly timeZone?: string;
  readonly workingDays?: readonly number[];
  readonly workingHours?: { readonly start: string; readonly end: string };
  readonly holidays?: readonly string[];
  readonly blockedStatuses?: readonly string[];
  /** Issue type names that are impediments (default ["Impediment"]). */
  readonly impedimentTypes?: readonly string[];
  readonly goalLabel?: string;
  readonly includeSubtasks?: boolean;
  readonly teamName?: string;
  readonly asOf?: string;
}

const SPRINT_STATES = new Set(['future', 'active', 'closed']);

/**
 * Maps a synced Jira board to the neutral snapshot: issues with their histories, the board's sprints (with
 * goals and any verdicts recorded in agile-kpi), its projects' versions as releases (planned dates from the
 * snapshots taken at each sync while unreleased), and team settings from the board (columns, done = the
 * rightmost column, estimate unit from the estimation field) plus what the caller adds (zone, calendar).
 *
 * @example const snapshot = mapJiraBoard(await loadJiraBoard(store, site), { timeZone: 'Europe/Berlin' })
 */
export function mapJiraBoard(data: JiraBoardData, options: JiraTeamOptions = {}): Snapshot {
  const mctx = boardMappingContext(data, options);
  const issues = [...data.issues].sort((a, b) => Number(a.id) - Number(b.id)).map((i) => compileIssue(i, mctx));
  return boardSnapshot(data, issues, options);
}

/** A board's synced data without its issues: what its snapshot needs besides them. */
export type JiraBoardParts = Omit<JiraBoardData, 'issues'>;

/** How the board's issues are mapped: its context, site and sprints, and the team's impediment types. */
export function boardMappingContext(data: JiraBoardParts, options: JiraTeamOptions): MappingContext {
  return mappingContext(data.context, data.site, options.impedimentTypes ?? ['Impediment'], data.sprints.map((s) => sprintId(s.id)));
}

/**
 * The board's snapshot from its parts and its issues compiled (`compileIssue` under `boardMappingContext`),
 * ordered by numeric issue id: what {@link mapJiraBoard} returns, whether the issues were compiled just now or
 * kept compiled in a store.
 */
export function boardSnapshot(data: JiraBoardParts, issues: readonly CompiledIssue[], options: JiraTeamOptions = {}): Snapshot {
  const sink = new WarningSink();
  const warn = (w: DataWarning) => sink.add(w);
  for (const w of data.syncWarnings ?? []) warn(w);
  const ctx = data.context;
  const zone = options.timeZone ?? ctx.userTimeZone ?? 'UTC';
  if (!options.timeZone && !ctx.userTimeZone) {
    warn({ code: 'time-zone-assumed', message: "Jira did not say the API user's time zone (their privacy settings hide it): days are read in UTC; pass the team's zone (--time-zone) for exact day boundaries" });
  }
  const boardSprints = data.sprints;
  const site = data.site.replace(/\/+$/, '');
  const boardSprintIds = new Set(boardSprints.map((s) => sprintId(s.id)));
  const items = issues.map((issue) => {
    for (const w of issueWarnings(issue, boardSprintIds)) warn(w);
    return issue.item;
  });

  const sprints: Sprint[] = boardSprints.map((s) => {
    const state = s.state.toLowerCase();
    if (!SPRINT_STATES.has(state)) warn({ code: 'unknown-sprint-state', message: `sprint ${s.name} has the state "${s.state}"; read as other`, sprintId: sprintId(s.id) });
    const verdict = data.verdicts?.get(sprintId(s.id));
    return {
      id: sprintId(s.id),
      name: s.name,
      state: (SPRINT_STATES.has(state) ? state : 'other') as Sprint['state'],
      ...(s.startDate ? { startAt: s.startDate } : {}),
      ...(s.endDate ? { plannedEndAt: s.endDate } : {}),
      ...(s.completeDate ? { closedAt: s.completeDate } : {}),
      ...(s.goal ? { goal: s.goal } : {}),
      ...(verdict ? { verdict } : {}),
      url: `${site}/jira/software/c/projects/${ctx.projectKey ?? ''}/boards/${ctx.boardId}?sprint=${s.id}`,
    };
  });

  const releases: Release[] = data.versions.map((v) => mapVersion(v, data.versionSnapshots.filter((s) => s.id === v.id), zone, site, warn));

  const columns = ctx.columns.map((c) => c.name);
  const team: TeamSettings = {
    id: `jira:board:${ctx.boardId}`,
    name: options.teamName ?? ctx.boardName,
    timeZone: zone,
    workingDays: options.workingDays ?? [1, 2, 3, 4, 5],
    workingHours: options.workingHours ?? { start: '09:00', end: '17:00' },
    holidays: options.holidays ?? [],
    estimateUnit: ctx.fields.estimateKind,
    doneRule: 'board-column',
    ...(columns.length ? { columns, doneColumns: [columns[columns.length - 1]!] } : {}),
    blockedStatuses: options.blockedStatuses ?? [],
    impedimentSources: ['flagged', 'item-type', 'blocked-status'],
    goalLabel: options.goalLabel ?? 'sprint-goal',
    includeSubtasks: options.includeSubtasks ?? false,
    bugsOnBacklog: true,
  };
  if (ctx.boardType !== 'scrum' && sprints.length === 0) warn({ code: 'kanban-board', message: `board ${ctx.boardName} is a ${ctx.boardType} board: sprint metrics have no sprints to read` });
  return {
    schemaVersion: 1,
    source: { tracker: 'jira', site, board: String(ctx.boardId) },
    team,
    asOf: options.asOf ?? data.syncedAt,
    items,
    sprints,
    releases,
    warnings: sink.list,
  };
}

/**
 * A Jira version as a release. Jira keeps only today's dates: the planned date's history comes from the
 * snapshots taken at each sync while the version was unreleased; a released version's release date is taken
 * as the end of that day in the team's zone, and its start date likewise (the baseline of its planned scope).
 */
function mapVersion(
  v: JiraVersion,
  snaps: readonly { field: string; value: unknown; takenAt: string }[],
  zone: string,
  site: string,
  warn: (w: DataWarning) => void,
): Release {
  const released = snaps.filter((s) => s.field === 'released');
  const releasedAt = (t: string) => {
    let value = false;
    for (const s of released) if (s.takenAt <= t) value = s.value === true;
    return value;
  };
  const plannedDate = snaps
    .filter((s) => s.field === 'releaseDate' && !releasedAt(s.takenAt))
    .map((s) => ({ at: s.takenAt, value: typeof s.value === 'string' ? s.value : null }));
  const id = versionId(v.id);
  let releasedInstant: string | undefined;
  if (v.released) {
    if (v.releaseDate) releasedInstant = DateTime.fromISO(v.releaseDate, { zone }).endOf('day').toISO()!;
    else {
      const first = released.find((s) => s.value === true);
      if (first) releasedInstant = first.takenAt;
      warn({ code: 'release-without-date', message: `version ${v.name} is released but has no release date${first ? '; the first sync that saw it released is used' : ''}`, releaseId: id });
    }
  }
  return {
    id,
    name: v.name,
    // A version's start is a date: what was planned into it during that day is its planned scope.
    ...(v.startDate ? { startAt: DateTime.fromISO(v.startDate, { zone }).endOf('day').toISO()! } : {}),
    ...(releasedInstant ? { releasedAt: releasedInstant } : {}),
    plannedDate,
    currentPlannedDate: v.releaseDate ?? null,
    url: `${site}/projects/versions/${v.id}`,
  };
}

