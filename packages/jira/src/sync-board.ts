import { type DataWarning, WarningSink } from '@agile-kpi/core';
import { DateTime } from 'luxon';
import { type SearchedIssue, type SkippedIssue, collectSprints, collectVersions, approximateIssueCount, fetchChangelogs, searchIssues } from './collect';
import { type BoardContext, discoverBoard } from './discover-board';
import type { JiraClient } from './jira-client';
import { issueId as neutralIssueId } from './map-issue';
import { JiraError } from './jira-error';
import type { JiraHistory, JiraSprint } from './wire';
import { skippedWarning } from '@agile-kpi/tracker-client';
import { type CommitOp, type StoredDoc, type SyncStorePort, commitAll, stagedPromotion } from '@agile-kpi/tracker-client';

export type { StoredDoc } from '@agile-kpi/tracker-client';

/** The storage the Jira sync needs (see `SyncStorePort` in @agile-kpi/tracker-client). */
export type JiraStorePort = SyncStorePort;

/** An issue as stored: the fields the mapping reads (description reduced to a flag) and its full changelog. */
export interface StoredIssue {
  readonly id: string;
  readonly key: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly histories: readonly JiraHistory[];
}

export interface SyncState {
  /** JQL instant (server clock, minus the overlap) from which the next sync asks for updated issues. */
  readonly watermark: string;
  readonly boardId: number;
  readonly lastSyncAt: string;
  readonly lastMode: 'full' | 'incremental';
  /** Projects whose versions the board's issues can carry. */
  readonly projectKeys?: readonly string[];
  /** Records the last sync could not read and left out (each names the record, field and raw value). */
  readonly warnings?: readonly DataWarning[];
}

export interface SyncProgress {
  readonly phase: 'discover' | 'issues' | 'reconcile' | 'sprints' | 'versions' | 'done';
  readonly pages: number;
  readonly issues: number;
  readonly changelogs: number;
  /** About how many issues the board has, when the sync was asked to count them (`countTotal`) and Jira could tell. */
  readonly total?: number;
}

export interface SyncOptions {
  readonly boardId: number;
  /** Ignore the watermark and fetch everything (the result is the same; only slower). */
  readonly full?: boolean;
  /** Minutes re-read before the watermark, against clock skew and in-flight edits (default 5). */
  readonly overlapMinutes?: number;
  readonly pageSize?: number;
  /**
   * Changed issues whose changelogs are fetched (and staged) together: 1000, bulkfetch's limit, makes the
   * fewest requests; a smaller batch makes more, smaller steps, which a sync cut short by a time budget
   * (Forge: 25 s per call) keeps when it resumes.
   */
  readonly changelogBatch?: number;
  readonly onProgress?: (p: SyncProgress) => void;
  /**
   * Ask Jira, once at the start of a first sync, about how many issues the board has (one request), so that a sync
   * spread over several runs can say "synced 120 000 of about 200 000 issues". Kept in the cursor.
   */
  readonly countTotal?: boolean;
}

export interface SyncResult {
  readonly mode: 'full' | 'incremental';
  /** Issues returned by the search (changed since the watermark, or all). */
  readonly issuesSearched: number;
  /** Issues whose changelog was (re)fetched: those new or changed since they were stored. */
  readonly changelogsFetched: number;
  readonly issuesDeleted: number;
  readonly sprints: number;
  readonly versions: number;
  readonly watermark: string;
  /** Records left out because a field could not be read (each one has a warning). */
  readonly skipped: { readonly issues: number; readonly sprints: number; readonly versions: number };
  readonly warnings: readonly DataWarning[];
}

const SYNC_STATE = 'jira-sync';
/** Issues fetched by a sync that has not committed yet. */
const STAGED = 'issue-staged';
/** How far a first (full) sync cut short got: see {@link SyncCursor}. */
export const SYNC_CURSOR = 'jira-sync-cursor';

/**
 * Where a first sync that was cut short (a Forge call's deadline) stands: every issue of the board up to `afterId`
 * (the search runs in id order) is staged, so the next run searches on after it instead of from the top, and a
 * board far larger than one call's budget completes over several. `synced`: issues staged so far, for progress.
 * Cleared when the sync commits.
 */
export interface SyncCursor {
  readonly boardId: number;
  readonly afterId: string;
  readonly synced: number;
  /** About how many issues the board had when the first sync began (`countTotal`), when Jira could tell. */
  readonly total?: number;
}

/** How far a first sync spread over several runs got: "synced 120 000 of about 200 000 issues so far" (no total when Jira could not count). */
export function syncedSoFar(cursor: SyncCursor): string {
  const n = (x: number) => x.toLocaleString('en-US').replace(/,/g, ' ');
  return cursor.total !== undefined && cursor.total >= cursor.synced ? `synced ${n(cursor.synced)} of about ${n(cursor.total)} issues so far` : `synced ${n(cursor.synced)} issues so far`;
}

/**
 * Syncs one board into the store. First sync: every issue of the board's filter; later syncs: only issues
 * updated since the watermark (JQL `updated >=`, in the API user's zone, with a safety overlap), plus an
 * id-only listing of the board to drop issues that left it and pick up any that joined without changing.
 * Changelogs are fetched in bulk, and only for issues new or changed since stored, so the result equals a
 * full sync. Sprints and versions are re-read and their dates snapshotted (trackers keep no history of
 * them). The watermark moves only at the very end: an interrupted sync changes nothing the next one relies
 * on, and the next one skips the issues already stored at their current version (it resumes).
 */
export async function syncJiraBoard(client: JiraClient, store: JiraStorePort, options: SyncOptions): Promise<SyncResult> {
  const progress: { -readonly [K in keyof SyncProgress]: SyncProgress[K] } = { phase: 'discover', pages: 0, issues: 0, changelogs: 0 };
  const report = (phase: SyncProgress['phase']) => options.onProgress?.({ ...progress, phase });
  report('discover');
  const context = await discoverBoard(client, options.boardId);
  const previous = await store.getState<SyncState>(SYNC_STATE);
  const incremental = !options.full && previous !== undefined && previous.boardId === options.boardId;
  const zone = context.userTimeZone ?? 'UTC';
  const fields = issueFields(context);
  const changelogFields = changelogFieldIds(context);
  // Issues fetched by this sync are staged, and promoted with the watermark in one final commit: readers
  // never see half a sync, and an interrupted sync leaves its staged issues for the next one to reuse.
  const committed = await store.docVersions('issue');
  const staged = await store.docVersions(STAGED);
  const stored = new Map([...committed, ...staged]);
  const seen = new Set<string>();
  // Records that cannot be read are left out, each with a warning; a skipped issue is also dropped from the
  // store, so figures never rest on a history we could not read.
  const sink = new WarningSink();
  const skippedIssues = new Set<string>();
  let skippedWithoutId = 0;
  const skip = (s: SkippedIssue) => {
    if (s.id !== undefined) skippedIssues.add(s.id);
    else skippedWithoutId++;
    sink.add(s.warning);
  };
  let serverStart: string | undefined;
  let changelogsFetched = 0;
  // A first sync resumes after the last issue a run before it staged with everything before it.
  const saved = incremental ? undefined : await store.getState<SyncCursor | null>(SYNC_CURSOR);
  let resume = saved && saved.boardId === options.boardId && /^\d+$/.test(saved.afterId) ? saved : undefined;
  let synced = resume ? resume.synced : 0;
  const total = incremental ? undefined : (resume?.total ?? (options.countTotal ? await approximateIssueCount(client, context.filterJql) : undefined));
  if (total !== undefined) progress.total = total;
  if (resume) for (const id of staged.keys()) if (/^\d+$/.test(id) && Number(id) <= Number(resume.afterId)) seen.add(id);

  // Changelogs are fetched for up to 1000 changed issues at a time (bulkfetch's limit), so its pages are as
  // full as the API allows; the issues are staged once their changelogs are in.
  let pending: SearchedIssue[] = [];
  const pendingIds = new Set<string>();
  // Issues this sync staged, with their project's key (versions are read for every project the board's issues are in).
  const stagedNow = new Map<string, string | undefined>();
  // A page's changelogs are staged with the cursor that says so, in one transaction where the store has them.
  const flush = async (cursor?: CommitOp) => {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    pendingIds.clear();
    const logs = await fetchChangelogs(client, batch.map((i) => i.id), changelogFields);
    changelogsFetched += batch.length;
    progress.changelogs += batch.length;
    const readable = batch.filter((i) => {
      const problems = logs.problems.get(i.id);
      if (!problems) return true;
      skip({ id: i.id, warning: skippedWarning(`issue ${i.key}`, problems, { itemId: neutralIssueId(i.id), itemKey: i.key }) });
      return false;
    });
    synced += readable.length;
    const docs = readable.map((i) => toDoc(i, logs.histories.get(i.id) ?? []));
    await commitAll(store, [(s) => s.putDocs(STAGED, docs), ...(cursor ? [cursor] : [])]);
    for (const i of readable) {
      stored.set(i.id, String(i.fields['updated'] ?? ''));
      stagedNow.set(i.id, projectKeyOf(i.fields));
    }
    report('issues');
  };
  const storePage = async (issues: SearchedIssue[], date: string | undefined, skipped: readonly SkippedIssue[]) => {
    serverStart ??= date;
    progress.pages++;
    progress.issues += issues.length;
    skipped.forEach(skip);
    for (const i of issues) seen.add(i.id);
    for (const i of issues) {
      if (stored.get(i.id) === String(i.fields['updated'] ?? '') || pendingIds.has(i.id)) continue;
      pending.push(i);
      pendingIds.add(i.id);
    }
    // Every issue up to this page's last is staged (or stored as it is) once nothing is pending: a run cut short
    // after this resumes here.
    const last = issues[issues.length - 1];
    const cursor: CommitOp | undefined =
      !incremental && last && /^\d+$/.test(last.id) ? (s) => s.setState(SYNC_CURSOR, { boardId: options.boardId, afterId: last.id, synced, ...(total !== undefined ? { total } : {}) } satisfies SyncCursor) : undefined;
    if (pending.length >= Math.min(1000, Math.max(1, options.changelogBatch ?? 1000))) await flush(cursor);
    else if (pending.length === 0 && cursor) await cursor(store);
    report('issues');
  };

  report('issues');
  const base = context.filterJql;
  const pageSize = options.pageSize ? { pageSize: options.pageSize } : {};
  const jql = incremental
    ? `(${base}) AND updated >= "${jqlInstant(previous!.watermark, zone)}" ORDER BY updated ASC`
    : `(${base})${resume ? ` AND id > ${resume.afterId}` : ''} ORDER BY id ASC`;
  let issuesSearched: number;
  try {
    issuesSearched = await searchIssues(client, { jql, fields, ...pageSize }, storePage);
  } catch (err) {
    // The issue the cursor names is gone (Jira refuses a JQL naming an issue that does not exist): search from the
    // top; what was staged is kept, so this costs search pages, not changelogs.
    if (!resume || !(err instanceof JiraError) || err.kind !== 'bad-request') throw err;
    resume = undefined;
    seen.clear();
    issuesSearched = await searchIssues(client, { jql: `(${base}) ORDER BY id ASC`, fields, ...pageSize }, storePage);
  }
  await flush();

  // Reconcile with the board's current membership: issues that left it go; any that joined without an
  // update since the watermark (a filter change, a move) come in. A full sync has seen everything already.
  report('reconcile');
  let current: Set<string>;
  if (incremental) {
    current = new Set<string>();
    await searchIssues(client, { jql: `(${base}) ORDER BY id ASC`, fields: [] }, (issues, date, skipped) => {
      serverStart ??= date;
      for (const i of issues) current.add(i.id);
      skipped.forEach(skip);
    });
    const missing = [...current].filter((id) => !stored.has(id));
    for (let i = 0; i < missing.length; i += 100) {
      await searchIssues(client, { jql: `id in (${missing.slice(i, i + 100).join(', ')})`, fields }, storePage);
    }
    await flush();
  } else {
    current = seen;
  }
  const gone = [...committed.keys()].filter((id) => !current.has(id) || skippedIssues.has(id));

  report('sprints');
  const warn = (w: DataWarning) => sink.add(w);
  const sprintWarnings = sink.list.length;
  const sprints = await boardSprints(client, context, warn);
  const skippedSprints = sink.list.length - sprintWarnings;
  const promotion = await stagedPromotion(store, STAGED, 'issue', (id) => current.has(id) && !skippedIssues.has(id));
  // Versions live in projects: the board's own, and any project its issues came from (a filter can span
  // several). Remembered in the sync state so that an incremental sync need not read every stored issue.
  const projectKeys = new Set<string>([...(context.projectKey ? [context.projectKey] : []), ...(previous?.boardId === options.boardId ? (previous.projectKeys ?? []) : [])]);
  for (const id of promotion.ids) {
    // Staged by an interrupted sync before this one: its project is read back.
    const key = stagedNow.has(id) ? stagedNow.get(id) : projectKeyOf(((await promotion.body(id)) as StoredIssue | undefined)?.fields ?? {});
    if (key) projectKeys.add(key);
  }
  report('versions');
  const versionWarnings = sink.list.length;
  const versions = (await Promise.all([...projectKeys].sort().map((k) => collectVersions(client, k, warn)))).flat();
  const skippedVersions = sink.list.length - versionWarnings;
  const takenAt = serverStart ? new Date(serverStart).toISOString() : new Date().toISOString();
  const overlap = options.overlapMinutes ?? 5;
  const watermark = new Date(Date.parse(takenAt) - overlap * 60_000).toISOString();
  const state: SyncState = { watermark, boardId: options.boardId, lastSyncAt: takenAt, lastMode: incremental ? 'incremental' : 'full', projectKeys: [...projectKeys].sort(), warnings: sink.list };

  await commitAll(store, [
    (tx) => promotion.promote(tx),
    (tx) => (gone.length ? tx.deleteDocs('issue', gone) : undefined),
    (tx) => tx.replaceDocs(STAGED, []),
    (tx) => (incremental ? undefined : tx.setState(SYNC_CURSOR, null)),
    (tx) => tx.replaceDocs('context', [{ id: 'board', version: null, body: context }]),
    (tx) => tx.replaceDocs('sprint', sprints.map((s) => ({ id: String(s.id), version: null, body: s }))),
    (tx) => tx.replaceDocs('version', versions.map((v) => ({ id: v.id, version: null, body: v }))),
    (tx) =>
      tx.recordSnapshots(
        'version',
        versions.flatMap((v) => [
          { id: v.id, field: 'releaseDate', value: v.releaseDate ?? null },
          { id: v.id, field: 'released', value: v.released ?? false },
          { id: v.id, field: 'startDate', value: v.startDate ?? null },
        ]),
        takenAt,
      ),
    (tx) =>
      tx.recordSnapshots(
        'sprint',
        sprints.flatMap((s) => [
          { id: String(s.id), field: 'endDate', value: s.endDate ?? null },
          { id: String(s.id), field: 'goal', value: s.goal ?? null },
          { id: String(s.id), field: 'state', value: s.state },
        ]),
        takenAt,
      ),
    (tx) => tx.setState(SYNC_STATE, state),
  ]);
  report('done');
  return {
    mode: incremental ? 'incremental' : 'full',
    issuesSearched,
    changelogsFetched,
    issuesDeleted: gone.length,
    sprints: sprints.length,
    versions: versions.length,
    watermark,
    skipped: { issues: skippedIssues.size + skippedWithoutId, sprints: skippedSprints, versions: skippedVersions },
    warnings: sink.list,
  };
}

/**
 * A board's sprints: a scrum board's, a team-managed ("simple") board's when sprints are turned on (Jira answers
 * 400 when they are not), none for kanban.
 */
async function boardSprints(client: JiraClient, context: BoardContext, warn: (w: DataWarning) => void): Promise<JiraSprint[]> {
  if (context.boardType === 'scrum') return collectSprints(client, context.boardId, warn);
  if (context.boardType !== 'simple') return [];
  try {
    return await collectSprints(client, context.boardId, warn);
  } catch (err) {
    if (err instanceof JiraError && err.kind === 'bad-request') return [];
    throw err;
  }
}

/** The fields the mapping reads, by the ids discovered for this site. */
export function issueFields(context: BoardContext): string[] {
  const f = context.fields;
  return [
    'summary',
    'issuetype',
    'status',
    'created',
    'updated',
    'parent',
    'labels',
    'fixVersions',
    'resolutiondate',
    'description',
    'project',
    ...[f.sprint, f.estimate, f.flagged, f.rank].filter((x): x is string => x !== undefined),
  ];
}

/** Changelog fields the mapping reads (bulkfetch takes at most 10). */
export function changelogFieldIds(context: BoardContext): string[] {
  const f = context.fields;
  return ['status', 'fixVersions', 'labels', 'resolution', ...[f.sprint, f.estimate, f.flagged].filter((x): x is string => x !== undefined)];
}

function projectKeyOf(fields: Readonly<Record<string, unknown>>): string | undefined {
  const project = fields['project'] as { key?: unknown } | undefined;
  return typeof project?.key === 'string' && project.key ? project.key : undefined;
}

function toDoc(issue: SearchedIssue, histories: JiraHistory[]): StoredDoc {
  const { description, ...rest } = issue.fields;
  const body: StoredIssue = { id: issue.id, key: issue.key, fields: { ...rest, described: hasText(description) }, histories };
  return { id: issue.id, version: String(issue.fields['updated'] ?? ''), body };
}

/** A description is present when it holds any text (ADF documents nest it; plain strings in API v2). */
function hasText(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (typeof value === 'object') {
    const v = value as { text?: unknown; content?: unknown };
    if (typeof v.text === 'string' && v.text.trim()) return true;
    if (Array.isArray(v.content)) return v.content.some(hasText);
  }
  return false;
}

/** A JQL date literal ("2025/06/16 10:00") in the API user's zone, floored to the minute. */
export function jqlInstant(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat('yyyy/MM/dd HH:mm');
}
