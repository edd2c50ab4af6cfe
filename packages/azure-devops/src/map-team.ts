import type { Change, DataWarning, ItemKind, Release, Snapshot, Sprint, SprintVerdict, StatusValue, TeamSettings, WorkItem } from '@agile-kpi/core';
import { WarningSink, timelineValues } from '@agile-kpi/core';
import { DateTime } from 'luxon';
import type { TeamContext } from './discover-team';
import type { StoredWorkItem } from './sync-team';
import type { AdoRevision } from './wire';

/** A team's synced data as the store holds it: what mapping turns into a snapshot. */
export interface AdoTeamData {
  readonly orgUrl: string;
  readonly context: TeamContext;
  readonly items: readonly StoredWorkItem[];
  /** Iteration date snapshots taken at each sync (ascending), by iteration node id. */
  readonly iterationSnapshots: readonly { id: string; field: string; value: unknown; takenAt: string }[];
  readonly verdicts?: ReadonlyMap<string, SprintVerdict>;
  readonly syncedAt: string;
  /** What the last sync could not read and left out. */
  readonly syncWarnings?: readonly DataWarning[];
}

/** Team settings Azure DevOps does not expose through its REST API (a team has no time zone there). */
export interface AdoTeamOptions {
  readonly timeZone?: string;
  readonly workingHours?: { readonly start: string; readonly end: string };
  readonly holidays?: readonly string[];
  /** State names that mean blocked (custom states of an inherited process), e.g. ["Blocked"]. */
  readonly blockedStatuses?: readonly string[];
  readonly goalLabel?: string;
  /** Tags that put an item in a release: `release:<name>` by default. */
  readonly releaseTagPrefix?: string;
  readonly includeSubtasks?: boolean;
  readonly asOf?: string;
}

export const workItemId = (id: number | string) => `ado:workitem:${id}`;
export const iterationId = (id: string) => `ado:iteration:${id}`;
export const releaseId = (name: string) => `ado:release:${name}`;

const CATEGORY: Record<string, StatusValue['category']> = {
  Proposed: 'todo',
  InProgress: 'in_progress',
  Resolved: 'in_progress',
  Completed: 'done',
  Removed: 'removed',
};

/**
 * Maps a synced Azure DevOps team to the neutral snapshot. Every revision is a full field snapshot, so each
 * timeline is the sequence of values across revisions: state with its category (from the type's states:
 * Resolved is not done, Removed drops the item), the single iteration path (an item is in the team's sprint
 * whose path it carries), the process's estimate field, Blocked Yes/No, tags (goal items by tag, releases by
 * `release:` tags). Iteration dates are dates: a sprint runs from the start of its start date to the end of
 * its finish date in the team's zone. Release dates come from release iterations (iteration nodes named like
 * the release), snapshotted at each sync.
 *
 * @example mapAdoTeam(await loadAdoTeam(store, orgUrl), { timeZone: 'Europe/Berlin' })
 */
export function mapAdoTeam(data: AdoTeamData, options: AdoTeamOptions = {}): Snapshot {
  const ic = itemContext(data, options);
  const items = [...data.items].sort((a, b) => a.id - b.id).map((item) => compileWorkItem(item, ic));
  return teamSnapshot(data, items, options);
}

/** A team's synced data without its work items: what its snapshot needs besides them. */
export type AdoTeamParts = Omit<AdoTeamData, 'items'>;

/** A work item mapped on its own: its work item and the warnings met, in order. */
export interface CompiledWorkItem {
  readonly item: WorkItem;
  readonly warnings: readonly DataWarning[];
}

/** How a team's work items are mapped: built once per team. */
export interface ItemContext {
  readonly ctx: TeamContext;
  readonly categories: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** The team's iterations by normalised path: an item is in the sprint whose path it carries. */
  readonly sprintByPath: ReadonlyMap<string, string>;
  /** Tags that put an item in a release start with it. */
  readonly prefix: string;
  readonly org: string;
  readonly project: string;
}

export function itemContext(data: AdoTeamParts, options: AdoTeamOptions): ItemContext {
  const ctx = data.context;
  return {
    ctx,
    categories: new Map<string, Map<string, string>>(ctx.types.map((t) => [t.name, new Map(t.states.map((s) => [s.name, s.category]))])),
    sprintByPath: new Map(ctx.iterations.filter((i) => i.path).map((i) => [normalPath(i.path!), iterationId(i.id)])),
    prefix: options.releaseTagPrefix ?? 'release:',
    org: data.orgUrl.replace(/\/+$/, ''),
    project: ctx.project,
  };
}

/**
 * Raise with every change to what {@link compileWorkItem} returns for the same stored work item and item context:
 * work items compiled under another version are mapped again from their raw documents.
 */
export const ADO_MAPPING_VERSION = 1;

/**
 * What a work item's compiled form depends on besides the stored work item: this code's version, the
 * organisation and project, the process (types, their states' categories, estimate and order fields, the
 * impediment and requirement types), the team's iterations by path, the release tag prefix.
 */
export function itemContextFingerprint(ic: ItemContext): string {
  const { types, estimateField, orderField, impedimentType, requirementTypes } = ic.ctx;
  return JSON.stringify({ version: ADO_MAPPING_VERSION, org: ic.org, project: ic.project, types, estimateField, orderField, impedimentType, requirementTypes, sprints: [...ic.sprintByPath], prefix: ic.prefix });
}

/**
 * The team's snapshot from its parts and its work items compiled (`compileWorkItem` under `itemContext`), ordered
 * by id: what {@link mapAdoTeam} returns, whether the items were compiled just now or kept compiled in a store.
 */
export function teamSnapshot(data: AdoTeamParts, compiled: readonly CompiledWorkItem[], options: AdoTeamOptions = {}): Snapshot {
  const sink = new WarningSink();
  const warn = (w: DataWarning) => sink.add(w);
  for (const w of data.syncWarnings ?? []) warn(w);
  const ctx = data.context;
  const org = data.orgUrl.replace(/\/+$/, '');
  const zone = options.timeZone ?? 'UTC';
  if (!options.timeZone) warn({ code: 'time-zone-assumed', message: 'Azure DevOps does not expose a team time zone: days are read in UTC; pass the team\'s zone (--time-zone) for exact day boundaries' });
  const asOf = options.asOf ?? data.syncedAt;
  const items = compiled.map((c) => {
    for (const w of c.warnings) warn(w);
    return c.item;
  });

  const syncedMs = Date.parse(data.syncedAt);
  const sprints: Sprint[] = ctx.iterations.map((it) => {
    const start = it.attributes?.startDate ? localStart(it.attributes.startDate, zone) : undefined;
    const end = it.attributes?.finishDate ? localEnd(it.attributes.finishDate, zone) : undefined;
    const state: Sprint['state'] = !start || !end ? 'other' : Date.parse(end) < syncedMs ? 'closed' : Date.parse(start) <= syncedMs ? 'active' : 'future';
    const verdict = data.verdicts?.get(iterationId(it.id));
    return {
      id: iterationId(it.id),
      name: it.name,
      state,
      ...(start ? { startAt: start } : {}),
      ...(end ? { plannedEndAt: end } : {}),
      // Azure DevOps closes nothing: a sprint is over at the end of its finish date.
      ...(state === 'closed' && end ? { closedAt: end } : {}),
      ...(verdict ? { verdict } : {}),
      url: `${org}/${encodeURIComponent(ctx.project)}/_sprints/taskboard/${encodeURIComponent(ctx.team)}/${(it.path ?? it.name).split('\\').map(encodeURIComponent).join('/')}`,
    };
  });

  const releaseNames = [...new Set(items.flatMap((i) => timelineValues(i, 'releases').flat()))].map((id) => id.slice('ado:release:'.length)).sort();
  const releases: Release[] = releaseNames.map((name) => mapRelease(name, ctx, data.iterationSnapshots, zone, syncedMs, warn));

  const blocked = options.blockedStatuses ?? ctx.types.flatMap((t) => t.states.filter((s) => /^blocked$/i.test(s.name)).map((s) => s.name));
  const team: TeamSettings = {
    id: `ado:team:${ctx.project}/${ctx.team}`,
    name: ctx.team,
    timeZone: zone,
    workingDays: ctx.workingDays.length ? ctx.workingDays : [1, 2, 3, 4, 5],
    workingHours: options.workingHours ?? { start: '09:00', end: '17:00' },
    holidays: options.holidays ?? [],
    estimateUnit: ctx.estimateField ? 'points' : 'count',
    doneRule: 'status-category',
    blockedStatuses: [...new Set(blocked)],
    impedimentSources: ['flagged', 'item-type', 'blocked-status'],
    goalLabel: options.goalLabel ?? 'sprint-goal',
    includeSubtasks: options.includeSubtasks ?? false,
    bugsOnBacklog: ctx.bugsBehavior === 'asRequirements',
  };
  return {
    schemaVersion: 1,
    source: { tracker: 'azure-devops', site: org, board: `${ctx.project}/${ctx.team}` },
    team,
    asOf,
    items,
    sprints,
    releases,
    warnings: sink.list,
  };
}

/** One stored work item mapped: its work item and the warnings met (see {@link CompiledWorkItem}). */
export function compileWorkItem(item: StoredWorkItem, ic: ItemContext): CompiledWorkItem {
  const { ctx, categories, sprintByPath, prefix } = ic;
  const warnings: DataWarning[] = [];
  const warn = (w: DataWarning) => void warnings.push(w);
  const id = workItemId(item.id);
  const key = String(item.id);
  const cur = item.current;
  const revs = [...item.revisions].sort((a, b) => a.rev - b.rev);
  const created = createdAt(cur, revs) ?? '';
  const w = (code: string, message: string) => warn({ code, message: `work item ${key}: ${message}`, itemId: id, itemKey: key });
  const at = (r: AdoRevision, i: number) => (i === 0 ? created : (str(r.fields['System.ChangedDate']) ?? created));
  const timeline = <T>(read: (r: AdoRevision) => T): Change<T>[] => {
    const out: Change<T>[] = [];
    let last = '';
    revs.forEach((r, i) => {
      const v = read(r);
      const k = JSON.stringify(v);
      if (i > 0 && k === last) return;
      last = k;
      out.push({ at: at(r, i), value: v, ...(i > 0 ? { eventId: `ado:revision:${item.id}:${r.rev}` } : {}) });
    });
    return out;
  };
  const type = (r: AdoRevision) => str(r.fields['System.WorkItemType']) ?? str(cur['System.WorkItemType']) ?? '';
  const status = timeline<StatusValue>((r) => {
    const name = str(r.fields['System.State']) ?? 'Unknown';
    const category = categories.get(type(r))?.get(name);
    if (!category) w('unknown-state', `state "${name}" of type "${type(r)}" has no category in the process; counted as in progress`);
    return { name, category: CATEGORY[category ?? 'InProgress'] ?? 'in_progress' };
  });
  const estimateField = ctx.estimateField;
  const estimate = estimateField
    ? timeline<number | null>((r) => {
        const v = r.fields[estimateField];
        if (v === undefined || v === null || v === '') return null;
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0) {
          w('estimate-not-a-number', `estimate "${String(v)}" is not a usable number; read as no estimate`);
          return null;
        }
        return n;
      })
    : [];
  const sprints = timeline<string[]>((r) => {
    const path = str(r.fields['System.IterationPath']);
    const sprint = path ? sprintByPath.get(normalPath(path)) : undefined;
    return sprint ? [sprint] : [];
  });
  const tags = (r: AdoRevision) => (str(r.fields['System.Tags']) ?? '').split(';').map((t) => t.trim()).filter(Boolean);
  const labels = timeline<string[]>((r) => tags(r).filter((t) => !t.startsWith(ic.prefix)).sort());
  const releases = timeline<string[]>((r) => tags(r).filter((t) => t.startsWith(prefix)).map((t) => releaseId(t.slice(prefix.length))).sort());
  const flagged = timeline<boolean>((r) => String(r.fields['Microsoft.VSTS.CMMI.Blocked'] ?? '').toLowerCase() === 'yes');
  const order = ctx.orderField ? cur[ctx.orderField] : undefined;
  const parent = cur['System.Parent'];
  const currentType = str(cur['System.WorkItemType']) ?? type(revs[revs.length - 1]!);
  const mapped: WorkItem = {
    id,
    key,
    url: `${ic.org}/${encodeURIComponent(ic.project)}/_workitems/edit/${item.id}`,
    type: { kind: kindOf(currentType, ctx), original: currentType },
    title: str(cur['System.Title']) ?? key,
    createdAt: created,
    updatedAt: str(cur['System.ChangedDate']) ?? created,
    ...(typeof parent === 'number' || (typeof parent === 'string' && parent) ? { parentId: workItemId(String(parent)) } : {}),
    status,
    estimate,
    sprints,
    releases,
    flagged,
    labels,
    ...(typeof order === 'number' && Number.isFinite(order) ? { rank: rankString(order) } : {}),
    described: cur['described'] === true,
  };
  return { item: mapped, warnings };
}

/**
 * When a work item was created: its `System.CreatedDate`, else its first revision's, else the first revision's
 * `System.ChangedDate` (revision 1 is the creation). Undefined when none of them is there: the sync skips such
 * an item.
 */
export function createdAt(current: Readonly<Record<string, unknown>>, revisions: readonly AdoRevision[]): string | undefined {
  const first = revisions.reduce<AdoRevision | undefined>((a, r) => (a === undefined || r.rev < a.rev ? r : a), undefined);
  return str(current['System.CreatedDate']) ?? str(first?.fields['System.CreatedDate']) ?? (first?.rev === 1 ? str(first.fields['System.ChangedDate']) : undefined);
}

/** Kinds by the process's type names: requirement types are stories, Task is a child of one. */
function kindOf(type: string, ctx: TeamContext): ItemKind {
  if (type === ctx.impedimentType) return 'impediment';
  if (ctx.requirementTypes.includes(type)) return 'story';
  if (type === 'Bug') return 'bug';
  if (type === 'Task') return 'subtask';
  if (type === 'Epic' || type === 'Feature') return 'epic';
  return 'other';
}

/**
 * A release from its `release:` tag and its release iteration (an iteration node of the same name): the
 * iteration's start date is its baseline, its finish date the planned date (snapshotted at each sync; the
 * history shows slips), and once the finish date is over at a sync, the release counts as shipped then.
 */
function mapRelease(
  name: string,
  ctx: TeamContext,
  snapshots: AdoTeamData['iterationSnapshots'],
  zone: string,
  syncedMs: number,
  warn: (w: DataWarning) => void,
): Release {
  const id = releaseId(name);
  const node = ctx.iterationNodes.find((n) => n.name === name);
  if (!node) {
    warn({ code: 'release-without-iteration', message: `release ${name} (tag) has no iteration named like it: no dates, so no slip and no on-time verdict`, releaseId: id });
    return { id, name, plannedDate: [], currentPlannedDate: null };
  }
  const finish = snapshots.filter((s) => s.id === node.id && s.field === 'finishDate');
  const finishDate = node.finishDate ? node.finishDate.slice(0, 10) : null;
  const releasedAt = finishDate && Date.parse(localEnd(node.finishDate!, zone)) < syncedMs ? localEnd(node.finishDate!, zone) : undefined;
  const plannedDate = finish
    .filter((s) => !releasedAt || Date.parse(s.takenAt) <= Date.parse(releasedAt))
    .map((s) => ({ at: s.takenAt, value: typeof s.value === 'string' ? s.value.slice(0, 10) : null }));
  return {
    id,
    name,
    ...(node.startDate ? { startAt: localEnd(node.startDate, zone) } : {}),
    ...(releasedAt ? { releasedAt } : {}),
    plannedDate,
    currentPlannedDate: finishDate,
  };
}

/** Date-only values come as midnight UTC ("2025-01-06T00:00:00Z"): the date is what counts. */
function localStart(date: string, zone: string): string {
  return DateTime.fromISO(date.slice(0, 10), { zone }).startOf('day').toISO()!;
}

function localEnd(date: string, zone: string): string {
  return DateTime.fromISO(date.slice(0, 10), { zone }).endOf('day').toISO()!;
}

/** Paths compared without a leading backslash and case-insensitively, as Azure DevOps does. */
function normalPath(p: string): string {
  return p.replace(/^\\+/, '').toLowerCase();
}

/** BacklogPriority / StackRank are numbers; ranks compare as strings, so pad them. */
function rankString(n: number): string {
  return n.toFixed(6).padStart(24, '0');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
