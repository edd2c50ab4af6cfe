import { parseInstant } from '@agile-kpi/core';
import type { JiraClient } from './jira-client';
import { JiraError } from './jira-error';
import {
  type JiraHistory,
  type JiraSprint,
  type JiraVelocityReport,
  type JiraVersion,
  bulkChangelogSchema,
  issueChangelogPageSchema,
  searchPageSchema,
  sprintPageSchema,
  velocityReportSchema,
  versionPageSchema,
} from './wire';

/** A page of search results as the adapter keeps them. */
export interface SearchedIssue {
  readonly id: string;
  readonly key: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Every sprint of a board, all states (offset paging until `isLast`). */
export async function collectSprints(client: JiraClient, boardId: number): Promise<JiraSprint[]> {
  const out: JiraSprint[] = [];
  for (let startAt = 0; ; ) {
    const { body } = await client.get(
      `/rest/agile/1.0/board/${boardId}/sprint`,
      { state: 'future,active,closed', startAt, maxResults: 50 },
      `list board ${boardId}'s sprints`,
      sprintPageSchema,
    );
    out.push(...body.values);
    startAt += body.values.length;
    if (body.isLast !== false || body.values.length === 0) return out;
  }
}

/** Every version (release) of a project (offset paging until `isLast`). */
export async function collectVersions(client: JiraClient, projectKey: string): Promise<JiraVersion[]> {
  const out: JiraVersion[] = [];
  for (let startAt = 0; ; ) {
    const { body } = await client.get(
      `/rest/api/3/project/${encodeURIComponent(projectKey)}/version`,
      { startAt, maxResults: 50 },
      `list project ${projectKey}'s versions`,
      versionPageSchema,
    );
    out.push(...body.values);
    startAt += body.values.length;
    if (body.isLast !== false || body.values.length === 0) return out;
  }
}

export interface SearchOptions {
  readonly jql: string;
  /** Fields to return; `[]` asks for ids only (pages of up to 5000). */
  readonly fields: readonly string[];
  readonly pageSize?: number;
}

/**
 * Issues matching a JQL through `/rest/api/3/search/jql` (the old `/search` is gone): token paging with
 * `nextPageToken` until `isLast`, only the fields asked for. `onPage` sees each page as it arrives (the sync
 * stores page by page) and gets the response's `Date` header (the server's clock, for the watermark).
 */
export async function searchIssues(
  client: JiraClient,
  options: SearchOptions,
  onPage: (issues: SearchedIssue[], serverDate: string | undefined) => Promise<void> | void,
): Promise<number> {
  const idsOnly = options.fields.length === 0;
  const pageSize = options.pageSize ?? (idsOnly ? 5000 : 100);
  let token: string | undefined;
  let total = 0;
  for (let guard = 0; guard < 1_000_000; guard++) {
    const { body, response } = await client.post(
      '/rest/api/3/search/jql',
      { jql: options.jql, maxResults: pageSize, fields: idsOnly ? ['id'] : options.fields, ...(token ? { nextPageToken: token } : {}) },
      'search the board issues',
      searchPageSchema,
    );
    const issues = body.issues.map((i) => ({ id: i.id, key: i.key ?? i.id, fields: i.fields ?? {} }));
    total += issues.length;
    await onPage(issues, response.headers['date']);
    if (body.isLast === true || !body.nextPageToken || issues.length === 0) return total;
    token = body.nextPageToken;
  }
  throw new JiraError('unexpected-shape', `the issue search at ${client.site} never reached its last page`);
}

/**
 * Full changelogs of some issues through `/rest/api/3/changelog/bulkfetch` (up to 1000 issues and 10 fields
 * per call, token paging across issues). Falls back to `/rest/api/3/issue/{id}/changelog` paging when the
 * site has no bulk endpoint. Histories come back oldest first per issue.
 */
export async function fetchChangelogs(client: JiraClient, issueIds: readonly string[], fieldIds: readonly string[]): Promise<Map<string, JiraHistory[]>> {
  const out = new Map<string, JiraHistory[]>(issueIds.map((id) => [id, []]));
  if (issueIds.length === 0) return out;
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
        for (const log of body.issueChangeLogs) {
          const list = out.get(log.issueId);
          if (list) list.push(...log.changeHistories);
        }
        if (!body.nextPageToken) break;
        token = body.nextPageToken;
      }
    }
  } catch (err) {
    if (!(err instanceof JiraError && err.kind === 'not-found' && err.details.path === '/rest/api/3/changelog/bulkfetch')) throw err;
    await Promise.all(issueIds.map(async (id) => out.set(id, await issueChangelog(client, id))));
  }
  for (const [id, list] of out) out.set(id, sortHistories(list));
  return out;
}

/** One issue's whole changelog, offset paging. */
export async function issueChangelog(client: JiraClient, issueId: string): Promise<JiraHistory[]> {
  const out: JiraHistory[] = [];
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
