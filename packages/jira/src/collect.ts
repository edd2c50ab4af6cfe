import { type DataWarning, parseInstant } from '@agile-kpi/core';
import { type RecordProblem, readRecord, skippedWarning } from '@agile-kpi/tracker-client';
import type { JiraClient } from './jira-client';
import { JiraError } from './jira-error';
import { issueId as neutralIssueId, sprintId, versionId } from './map-issue';
import {
  type JiraHistory,
  type JiraSprint,
  type JiraVelocityReport,
  type JiraVersion,
  bulkChangelogSchema,
  historySchema,
  issueChangelogPageSchema,
  issueCountSchema,
  issueIdSchema,
  issueSchema,
  searchPageSchema,
  sprintPageSchema,
  sprintSchema,
  velocityReportSchema,
  versionPageSchema,
  versionSchema,
} from './wire';

/** Where a record that cannot be read is reported (the sync's warning sink). */
export type Warn = (warning: DataWarning) => void;

/** A page of search results as the adapter keeps them. */
export interface SearchedIssue {
  readonly id: string;
  readonly key: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Every sprint of a board, all states (offset paging until `isLast`); one that cannot be read is skipped. */
export async function collectSprints(client: JiraClient, boardId: number, warn: Warn): Promise<JiraSprint[]> {
  const out: JiraSprint[] = [];
  for (let startAt = 0; ; ) {
    const { body } = await client.get(
      `/rest/agile/1.0/board/${boardId}/sprint`,
      { state: 'future,active,closed', startAt, maxResults: 50 },
      `list board ${boardId}'s sprints`,
      sprintPageSchema,
    );
    for (const raw of body.values) {
      const r = readRecord(sprintSchema, raw);
      if (r.ok) out.push(r.value);
      else warn(skippedRecord('sprint', raw, r.problems, (id) => ({ sprintId: sprintId(id) })));
    }
    startAt += body.values.length;
    if (body.isLast !== false || body.values.length === 0) return out;
  }
}

/** Every version (release) of a project (offset paging until `isLast`); one that cannot be read is skipped. */
export async function collectVersions(client: JiraClient, projectKey: string, warn: Warn): Promise<JiraVersion[]> {
  const out: JiraVersion[] = [];
  for (let startAt = 0; ; ) {
    const { body } = await client.get(
      `/rest/api/3/project/${encodeURIComponent(projectKey)}/version`,
      { startAt, maxResults: 50 },
      `list project ${projectKey}'s versions`,
      versionPageSchema,
    );
    for (const raw of body.values) {
      const r = readRecord(versionSchema, raw);
      if (r.ok) out.push(r.value);
      else warn(skippedRecord('version', raw, r.problems, (id) => ({ releaseId: versionId(id) })));
    }
    startAt += body.values.length;
    if (body.isLast !== false || body.values.length === 0) return out;
  }
}

export interface SearchOptions {
  readonly jql: string;
  /** Fields to return; `[]` asks for ids only, `['key']` for ids and keys (pages of up to 5000 either way). */
  readonly fields: readonly string[];
  readonly pageSize?: number;
  /** What the search is for, in error messages (default "search the board issues"). */
  readonly what?: string;
}

/** An issue of a search page that could not be read: left out, with the warning that says so. */
export interface SkippedIssue {
  /** Its id, when at least that could be read. */
  readonly id?: string;
  readonly warning: DataWarning;
}

/**
 * Issues matching a JQL through `/rest/api/3/search/jql` (the old `/search` is gone): token paging with
 * `nextPageToken` until `isLast`, only the fields asked for. Asks for the most Jira gives (5 000 issues a page
 * when only ids are asked for, 100 otherwise) and follows `nextPageToken` whatever size comes back. `onPage`
 * sees each page as it arrives (the sync stores page by page), the issues that could not be read, and the
 * response's `Date` header (the server's clock, for the watermark). Returns the issues read.
 */
export async function searchIssues(
  client: JiraClient,
  options: SearchOptions,
  onPage: (issues: SearchedIssue[], serverDate: string | undefined, skipped: readonly SkippedIssue[]) => Promise<void> | void,
): Promise<number> {
  const keysOnly = options.fields.length === 1 && options.fields[0] === 'key';
  const idsOnly = options.fields.length === 0 || keysOnly;
  const pageSize = options.pageSize ?? (idsOnly ? 5000 : 100);
  const schema = idsOnly ? issueIdSchema : issueSchema;
  let token: string | undefined;
  let total = 0;
  for (let guard = 0; guard < 1_000_000; guard++) {
    const { body, response } = await client.post(
      '/rest/api/3/search/jql',
      { jql: options.jql, maxResults: pageSize, fields: keysOnly ? ['key'] : idsOnly ? ['id'] : options.fields, ...(token ? { nextPageToken: token } : {}) },
      options.what ?? 'search the board issues',
      searchPageSchema,
    );
    const issues: SearchedIssue[] = [];
    const skipped: SkippedIssue[] = [];
    for (const raw of body.issues) {
      const r = readRecord(schema, raw);
      if (r.ok) {
        const i = r.value as { id: string; key?: string; fields?: Record<string, unknown> };
        issues.push({ id: i.id, key: i.key ?? i.id, fields: i.fields ?? {} });
      } else {
        const id = idOf(raw);
        skipped.push({ ...(id !== undefined ? { id } : {}), warning: skippedRecord('issue', raw, r.problems, (x) => ({ itemId: neutralIssueId(x), ...keyOf(raw) })) });
      }
    }
    total += issues.length;
    await onPage(issues, response.headers['date'], skipped);
    if (body.isLast === true || !body.nextPageToken || body.issues.length === 0) return total;
    token = body.nextPageToken;
  }
  throw new JiraError('unexpected-shape', `the issue search at ${client.site} never reached its last page`);
}

/**
 * About how many issues match a JQL (`POST /rest/api/3/search/approximate-count`, one request; Jira's search no
 * longer returns a total). An estimate: issues changed a moment ago may be missing. `undefined` when the site cannot
 * tell (an older site without the endpoint, a JQL Jira calls unbounded): the count only feeds progress, never a figure.
 */
export async function approximateIssueCount(client: JiraClient, jql: string): Promise<number | undefined> {
  try {
    const { body } = await client.post('/rest/api/3/search/approximate-count', { jql }, 'count the board issues', issueCountSchema);
    return body.count;
  } catch (err) {
    if (err instanceof JiraError && (err.kind === 'not-found' || err.kind === 'bad-request' || err.kind === 'unexpected-shape')) return undefined;
    throw err;
  }
}

/** Issues' changelogs, and per issue the histories that could not be read (such an issue cannot be trusted). */
export interface Changelogs {
  readonly histories: Map<string, JiraHistory[]>;
  readonly problems: Map<string, RecordProblem[]>;
}

/**
 * Full changelogs of some issues through `/rest/api/3/changelog/bulkfetch` (up to 1000 issues and 10 fields
 * per call, token paging across issues). Falls back to `/rest/api/3/issue/{id}/changelog` paging when the
 * site has no bulk endpoint. Histories come back oldest first per issue; bulkfetch sends their `created` as
 * epoch milliseconds, the per-issue endpoint as ISO strings: both are read as ISO.
 */
export async function fetchChangelogs(client: JiraClient, issueIds: readonly string[], fieldIds: readonly string[]): Promise<Changelogs> {
  const out = new Map<string, JiraHistory[]>(issueIds.map((id) => [id, []]));
  const problems = new Map<string, RecordProblem[]>();
  const take = (issueId: string, raws: readonly unknown[]) => {
    const list = out.get(issueId);
    if (!list) return;
    for (const raw of raws) {
      const r = readRecord(historySchema, raw, `history ${idOf(raw) ?? '?'}`);
      if (r.ok) list.push(r.value);
      else problems.set(issueId, [...(problems.get(issueId) ?? []), ...r.problems]);
    }
  };
  if (issueIds.length === 0) return { histories: out, problems };
  const fields = [...new Set(fieldIds)].slice(0, 10);
  try {
    for (let i = 0; i < issueIds.length; i += 1000) {
      const batch = issueIds.slice(i, i + 1000);
      let token: string | undefined;
      for (let guard = 0; guard < 100_000; guard++) {
        const { body } = await client.post(
          '/rest/api/3/changelog/bulkfetch',
          { issueIdsOrKeys: batch, fieldIds: fields, maxResults: 1000, ...(token ? { nextPageToken: token } : {}) },
          'fetch issue changelogs',
          bulkChangelogSchema,
        );
        for (const log of body.issueChangeLogs) take(log.issueId, log.changeHistories);
        if (!body.nextPageToken) break;
        token = body.nextPageToken;
      }
    }
  } catch (err) {
    if (!(err instanceof JiraError && err.kind === 'not-found' && err.details.path === '/rest/api/3/changelog/bulkfetch')) throw err;
    for (const id of issueIds) out.set(id, []);
    problems.clear();
    await Promise.all(issueIds.map(async (id) => take(id, await issueChangelog(client, id))));
  }
  for (const [id, list] of out) out.set(id, sortHistories(list));
  return { histories: out, problems };
}

/** One issue's whole changelog, offset paging, as Jira sent it (read by `fetchChangelogs`). */
async function issueChangelog(client: JiraClient, issueId: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let startAt = 0; ; ) {
    const { body } = await client.get(`/rest/api/3/issue/${issueId}/changelog`, { startAt, maxResults: 100 }, `read issue ${issueId}'s changelog`, issueChangelogPageSchema);
    out.push(...body.values);
    startAt += body.values.length;
    if (body.isLast !== false || body.values.length === 0) return out;
  }
}

/**
 * Jira's velocity chart data (`/rest/greenhopper/1.0/rapid/charts/velocity`): unsupported by Atlassian, so
 * `null` when the site does not serve it.
 */
export async function collectVelocityReport(client: JiraClient, boardId: number): Promise<JiraVelocityReport | null> {
  try {
    const { body } = await client.get('/rest/greenhopper/1.0/rapid/charts/velocity', { rapidViewId: boardId }, `read Jira's velocity chart of board ${boardId}`, velocityReportSchema);
    return body;
  } catch (err) {
    if (err instanceof JiraError && (err.kind === 'not-found' || err.kind === 'bad-request' || err.kind === 'unexpected-shape')) return null;
    throw err;
  }
}

/** Oldest first; ties by numeric history id (Jira's ids grow with time). */
export function sortHistories(histories: readonly JiraHistory[]): JiraHistory[] {
  const t = (h: JiraHistory) => parseInstant(h.created);
  return [...histories].sort((a, b) => t(a) - t(b) || Number(a.id) - Number(b.id));
}

/** A warning for a record left out, naming it by what could be read of it (name, key, id). */
function skippedRecord(kind: string, raw: unknown, problems: readonly RecordProblem[], ids: (id: string) => Omit<DataWarning, 'code' | 'message'>): DataWarning {
  const id = idOf(raw);
  const r = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const name = typeof r['key'] === 'string' ? r['key'] : typeof r['name'] === 'string' ? `${r['name']}${id !== undefined ? ` (id ${id})` : ''}` : id !== undefined ? `id ${id}` : 'without an id';
  return skippedWarning(`${kind} ${name}`, problems, id !== undefined ? ids(id) : {});
}

function idOf(raw: unknown): string | undefined {
  const id = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)['id'] : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

function keyOf(raw: unknown): { itemKey?: string } {
  const key = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)['key'] : undefined;
  return typeof key === 'string' ? { itemKey: key } : {};
}
