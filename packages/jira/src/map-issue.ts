import { type Change, type DataWarning, type ItemKind, type StatusValue, type WorkItem, parseInstant } from '@agile-kpi/core';
import type { BoardContext } from './discover-board';
import type { StoredIssue } from './sync-board';
import type { JiraChangeItem, JiraHistory } from './wire';

/** Lookups built once per board for mapping its issues. */
export interface MappingContext {
  readonly board: BoardContext;
  readonly site: string;
  readonly statusById: ReadonlyMap<string, { name: string; categoryKey: string }>;
  /** For a status id the site no longer lists (history from before a workflow change): the status of that name. */
  readonly statusByName: ReadonlyMap<string, { id: string; categoryKey: string; ambiguous?: number }>;
  readonly columnByStatusId: ReadonlyMap<string, string>;
  readonly issueTypeById: ReadonlyMap<string, { name: string; untranslatedName?: string; subtask: boolean; hierarchyLevel?: number }>;
  /** Issue type names that are impediments (default "Impediment"). */
  readonly impedimentTypes: ReadonlySet<string>;
  /** Sprint ids that belong to this board (others: the issue is on several boards). */
  readonly boardSprintIds: ReadonlySet<string>;
}

export function mappingContext(board: BoardContext, site: string, impedimentTypes: readonly string[], boardSprintIds: Iterable<string>): MappingContext {
  const columnByStatusId = new Map<string, string>();
  for (const c of board.columns) for (const id of c.statusIds) columnByStatusId.set(id, c.name);
  return {
    board,
    site: site.replace(/\/+$/, ''),
    statusById: new Map(board.statuses.map((s) => [s.id, { name: s.name, categoryKey: s.categoryKey }])),
    statusByName: statusesByName(board.statuses, columnByStatusId),
    columnByStatusId,
    issueTypeById: new Map(board.issueTypes.map((t) => [t.id, t])),
    impedimentTypes: new Set(impedimentTypes.map((t) => t.toLowerCase())),
    boardSprintIds: new Set(boardSprintIds),
  };
}

export const issueId = (id: string) => `jira:issue:${id}`;
export const sprintId = (id: string | number) => `jira:sprint:${id}`;
export const versionId = (id: string | number) => `jira:version:${id}`;

interface FieldChange {
  readonly at: string;
  readonly eventId: string;
  readonly item: JiraChangeItem;
}

/**
 * One issue as a work item with its history: every timeline starts with the value at creation (read from
 * the first change's "from", or today's value when the field never changed) and follows the changelog.
 * Values follow Jira's wire quirks: status ids in from/to; cumulative comma-space sprint id lists; story
 * points only in fromString/toString; Flagged as "[10019]"/""; one Fix Version item per version added or
 * removed; labels space-separated. Messy values become warnings, never crashes.
 */
export function mapIssue(issue: StoredIssue, ctx: MappingContext, warn: (w: DataWarning) => void): WorkItem {
  const compiled = compileIssue(issue, ctx);
  issueWarnings(compiled, ctx.boardSprintIds).forEach(warn);
  return compiled.item;
}

/**
 * An issue mapped on its own: its work item and the warnings met, without what depends on the board's current
 * sprints (the warning that the issue was also in other boards' sprints, which goes at `boardWarningAt` among
 * `warnings`: see {@link issueWarnings}). Depends on the raw issue and on what {@link mappingFingerprint} names
 * only, so it can be kept compiled until either changes.
 */
export interface CompiledIssue {
  readonly item: WorkItem;
  readonly warnings: readonly DataWarning[];
  /** Every sprint the issue was ever in, in the order its history shows them. */
  readonly sprintIds: readonly string[];
  readonly boardWarningAt: number;
}

/**
 * Raise with every change to what {@link compileIssue} returns for the same raw issue and mapping context:
 * issues compiled under another version are mapped again from their raw documents.
 */
export const JIRA_MAPPING_VERSION = 1;

/**
 * What an issue's compiled form depends on besides the raw issue: this code's version, the site, the board's
 * columns, statuses, issue types and fields, and the impediment types. Equal fingerprints, equal compiled issues.
 */
export function mappingFingerprint(ctx: MappingContext): string {
  const { columns, statuses, issueTypes, fields } = ctx.board;
  return JSON.stringify({ version: JIRA_MAPPING_VERSION, site: ctx.site, columns, statuses, issueTypes, fields, impedimentTypes: [...ctx.impedimentTypes].sort() });
}

/** A compiled issue's warnings in the order {@link mapIssue} gives them, with the one about other boards' sprints in its place. */
export function issueWarnings(compiled: CompiledIssue, boardSprintIds: ReadonlySet<string>): DataWarning[] {
  const { item, warnings, sprintIds, boardWarningAt } = compiled;
  const foreign = sprintIds.filter((s) => !boardSprintIds.has(s));
  if (!foreign.length || !boardSprintIds.size) return [...warnings];
  const onOtherBoards: DataWarning = {
    code: 'item-on-several-boards',
    message: `${item.key}: was also in sprints of other boards (${foreign.join(', ')}); only this board's sprints count`,
    itemId: item.id,
    itemKey: item.key,
  };
  return [...warnings.slice(0, boardWarningAt), onOtherBoards, ...warnings.slice(boardWarningAt)];
}

/** {@link mapIssue} without the board's sprints: see {@link CompiledIssue}. */
export function compileIssue(issue: StoredIssue, ctx: MappingContext): CompiledIssue {
  const warnings: DataWarning[] = [];
  const warn = (w: DataWarning) => void warnings.push(w);
  let sprintIds: string[] = [];
  let boardWarningAt = 0;
  const f = issue.fields;
  const key = issue.key;
  const id = issueId(issue.id);
  const created = str(f['created']) ?? issue.histories[0]?.created ?? '';
  const w = (code: string, message: string) => warn({ code, message: `${key}: ${message}`, itemId: id, itemKey: key });
  const changes = (match: (i: JiraChangeItem) => boolean): FieldChange[] =>
    issue.histories.flatMap((h: JiraHistory) => h.items.filter(match).map((item) => ({ at: h.created, eventId: `jira:changelog:${h.id}`, item })));
  const byField = (fieldId: string | undefined, name: string) => (i: JiraChangeItem) => (fieldId !== undefined && i.fieldId === fieldId) || (i.fieldId === undefined && i.field.toLowerCase() === name.toLowerCase());

  // Status
  const statusOf = (statusId: string | null | undefined, name: string | null | undefined): StatusValue => {
    const known = statusId ? ctx.statusById.get(statusId) : undefined;
    const byName = !known && name ? ctx.statusByName.get(name.toLowerCase()) : undefined;
    const sid = known ? statusId! : (byName?.id ?? statusId ?? undefined);
    const categoryKey = known?.categoryKey ?? byName?.categoryKey;
    if (!categoryKey) {
      w('unknown-status', `status ${statusId ?? '?'} ("${name ?? '?'}") is not in the site's status list; counted as in progress`);
    } else if (byName) {
      w(
        'status-matched-by-name',
        `status ${statusId ?? '?'} is not in the site's status list; read as the status named "${name}" (${byName.id})${byName.ambiguous ? `, one of ${byName.ambiguous} statuses of that name` : ''}`,
      );
    }
    const column = sid ? ctx.columnByStatusId.get(sid) : undefined;
    return {
      name: known?.name ?? name ?? `status ${statusId}`,
      category: category(categoryKey),
      ...(column !== undefined ? { column } : {}),
      ...(sid ? { id: sid } : {}),
    };
  };
  const currentStatus = f['status'] as { id?: string; name?: string } | undefined;
  const statusChanges = changes(byField('status', 'status'));
  const status = timeline<StatusValue>(
    created,
    statusChanges.length ? statusOf(statusChanges[0]!.item.from, statusChanges[0]!.item.fromString) : statusOf(currentStatus?.id, currentStatus?.name),
    statusChanges.map((c) => ({ at: c.at, eventId: c.eventId, value: statusOf(c.item.to, c.item.toString) })),
  );

  // Estimate
  const est = ctx.board.fields.estimate;
  const kind = ctx.board.fields.estimateKind;
  const estimateOf = (text: string | null | undefined, where: string): number | null => {
    if (text === null || text === undefined || text.trim() === '') return null;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) {
      w('estimate-not-a-number', `estimate "${text}" ${where} is not a usable number; read as no estimate`);
      return null;
    }
    return kind === 'hours' ? n / 3600 : n;
  };
  let estimate: Change<number | null>[] = [];
  if (est && kind !== 'count') {
    const ch = changes(byField(est, 'Story Points'));
    const current = f[est];
    const currentValue = typeof current === 'number' || typeof current === 'string' ? estimateOf(String(current), 'today') : null;
    estimate = timeline<number | null>(
      created,
      ch.length ? estimateOf(ch[0]!.item.fromString, `before ${ch[0]!.at}`) : currentValue,
      ch.map((c) => ({ at: c.at, eventId: c.eventId, value: estimateOf(c.item.toString, `at ${c.at}`) })),
    );
  }

  // Sprints: cumulative id lists
  const sprintField = ctx.board.fields.sprint;
  let sprints: Change<string[]>[] = [];
  if (sprintField) {
    const ch = changes(byField(sprintField, 'Sprint'));
    const current = Array.isArray(f[sprintField]) ? (f[sprintField] as { id?: number | string }[]).map((s) => String(s.id)) : [];
    const initial = ch.length ? idList(ch[0]!.item.from) : current;
    sprints = timeline<string[]>(
      created,
      initial.map(sprintId),
      ch.map((c) => ({ at: c.at, eventId: c.eventId, value: idList(c.item.to).map(sprintId) })),
    );
    // Whether the issue was in other boards' sprints depends on the board's sprints today: see issueWarnings.
    sprintIds = [...new Set(sprints.flatMap((c) => c.value))];
    boardWarningAt = warnings.length;
  }

  // Fix versions: one item per version added or removed
  const versionChanges = changes(byField('fixVersions', 'Fix Version'));
  const currentVersions = Array.isArray(f['fixVersions']) ? (f['fixVersions'] as { id?: string }[]).map((v) => String(v.id)) : [];
  const releases = setTimeline(
    created,
    currentVersions,
    versionChanges.map((c) => ({ at: c.at, eventId: c.eventId, add: c.item.to ?? undefined, remove: c.item.from ?? undefined })),
  ).map((c) => ({ ...c, value: c.value.map(versionId) }));

  // Flagged
  const flaggedField = ctx.board.fields.flagged;
  let flagged: Change<boolean>[] = [];
  if (flaggedField) {
    const ch = changes(byField(flaggedField, 'Flagged'));
    const current = Array.isArray(f[flaggedField]) && (f[flaggedField] as unknown[]).length > 0;
    flagged = timeline<boolean>(
      created,
      ch.length ? nonEmpty(ch[0]!.item.fromString) : current,
      ch.map((c) => ({ at: c.at, eventId: c.eventId, value: nonEmpty(c.item.toString) })),
    );
  }

  // Labels: space-separated lists
  const labelChanges = changes(byField('labels', 'labels'));
  const currentLabels = Array.isArray(f['labels']) ? (f['labels'] as string[]) : [];
  const labels = timeline<string[]>(
    created,
    labelChanges.length ? words(labelChanges[0]!.item.fromString) : currentLabels,
    labelChanges.map((c) => ({ at: c.at, eventId: c.eventId, value: words(c.item.toString) })),
  );

  const clamp = <T>(tl: Change<T>[]): Change<T>[] => clampToCreation(tl, created, (at) => w('clock-skew', `a change at ${at} is stamped before the issue was created (${created}); read as at creation`));
  const type = f['issuetype'] as { id?: string; name?: string; subtask?: boolean; hierarchyLevel?: number } | undefined;
  const parent = f['parent'] as { id?: string } | undefined;
  const rankField = ctx.board.fields.rank;
  const rank = rankField ? f[rankField] : undefined;
  const item: WorkItem = {
    id,
    key,
    url: `${ctx.site}/browse/${key}`,
    type: { kind: kindOf(type, ctx), original: type?.name ?? 'Unknown' },
    title: str(f['summary']) ?? key,
    createdAt: created,
    updatedAt: str(f['updated']) ?? created,
    ...(parent?.id ? { parentId: issueId(String(parent.id)) } : {}),
    status: clamp(status),
    estimate: clamp(estimate),
    sprints: clamp(sprints),
    releases: clamp(releases),
    flagged: clamp(flagged),
    labels: clamp(labels),
    ...(typeof rank === 'string' && rank ? { rank } : {}),
    described: f['described'] === true,
  };
  return { item, warnings, sprintIds, boardWarningAt };
}

/**
 * Statuses by lower-case name. Several can share a name (team-managed projects each have their own "To Do"): the
 * one on the board's columns is taken, else the first; `ambiguous` counts the namesakes when they disagree.
 */
function statusesByName(
  statuses: BoardContext['statuses'],
  columnByStatusId: ReadonlyMap<string, string>,
): Map<string, { id: string; categoryKey: string; ambiguous?: number }> {
  const groups = new Map<string, BoardContext['statuses'][number][]>();
  for (const s of statuses) groups.set(s.name.toLowerCase(), [...(groups.get(s.name.toLowerCase()) ?? []), s]);
  const out = new Map<string, { id: string; categoryKey: string; ambiguous?: number }>();
  for (const [name, group] of groups) {
    const chosen = group.find((s) => columnByStatusId.has(s.id)) ?? group[0]!;
    const disagree = group.some((s) => s.categoryKey !== chosen.categoryKey || columnByStatusId.get(s.id) !== columnByStatusId.get(chosen.id));
    out.set(name, { id: chosen.id, categoryKey: chosen.categoryKey, ...(disagree ? { ambiguous: group.length } : {}) });
  }
  return out;
}

/** Changes stamped before creation (clock skew, imports) are moved to the creation instant, with a warning. */
function clampToCreation<T>(tl: Change<T>[], created: string, warn: (at: string) => void): Change<T>[] {
  const c = parseInstant(created);
  return tl.map((x) => {
    if (parseInstant(x.at) >= c) return x;
    warn(x.at);
    return { ...x, at: created };
  });
}

function kindOf(type: { id?: string; name?: string; subtask?: boolean; hierarchyLevel?: number } | undefined, ctx: MappingContext): ItemKind {
  if (!type) return 'other';
  const known = type.id ? ctx.issueTypeById.get(type.id) : undefined;
  const shown = (type.name ?? known?.name ?? '').toLowerCase();
  // A site in another language names its types in it ("故事"): the English name classifies.
  const name = (known?.untranslatedName ?? shown).toLowerCase();
  if (type.subtask ?? known?.subtask) return 'subtask';
  if (ctx.impedimentTypes.has(shown) || ctx.impedimentTypes.has(name)) return 'impediment';
  if ((type.hierarchyLevel ?? known?.hierarchyLevel ?? 0) >= 1 || name === 'epic') return 'epic';
  if (name === 'story' || name === 'user story') return 'story';
  if (name === 'bug' || name === 'defect') return 'bug';
  if (name === 'task') return 'task';
  return 'other';
}

function category(key: string | undefined): StatusValue['category'] {
  if (key === 'new') return 'todo';
  if (key === 'done') return 'done';
  return 'in_progress';
}

/** A timeline: the value at creation, then each change (a change at the creation instant replaces it). */
function timeline<T>(createdAt: string, initial: T, changes: { at: string; eventId: string; value: T }[]): Change<T>[] {
  const out: Change<T>[] = [{ at: createdAt, value: initial }];
  for (const c of changes) out.push({ at: c.at, value: c.value, eventId: c.eventId });
  return out;
}

/**
 * A set-valued timeline from add/remove events: the set at creation is today's set with every change
 * undone, newest first; then the changes are replayed forwards.
 */
function setTimeline(
  createdAt: string,
  current: readonly string[],
  events: { at: string; eventId: string; add?: string; remove?: string }[],
): Change<string[]>[] {
  const set = new Set(current);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.add) set.delete(e.add);
    if (e.remove) set.add(e.remove);
  }
  const out: Change<string[]>[] = [{ at: createdAt, value: [...set].sort() }];
  for (const e of events) {
    if (e.add) set.add(e.add);
    if (e.remove) set.delete(e.remove);
    const value = [...set].sort();
    const last = out[out.length - 1]!;
    if (last.at === e.at && last.eventId === e.eventId) out[out.length - 1] = { ...last, value };
    else out.push({ at: e.at, value, eventId: e.eventId });
  }
  return out;
}

/** "76, 79" -> ["76", "79"]; ids, never names (names contain commas). */
function idList(v: string | null | undefined): string[] {
  if (!v) return [];
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

function words(v: string | null | undefined): string[] {
  return v ? v.split(/\s+/).filter(Boolean) : [];
}

function nonEmpty(v: string | null | undefined): boolean {
  return typeof v === 'string' && v.trim().length > 0;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
