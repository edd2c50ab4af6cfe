import { createHash } from 'node:crypto';
import { compileJql, JqlError } from './jql';
import type { RequestKind } from './requests';
import type { IssueRecord, JiraSite, TeamRecord } from './site';
import type { ServiceRequestRecord } from './service-desk';
import {
  agileVersionJson,
  boardConfigurationJson,
  boardJson,
  FieldSelection,
  filterJson,
  historyJson,
  issueJson,
  issueTypeJson,
  myselfJson,
  projectDetailJson,
  projectJson,
  serverInfoJson,
  sprintJson,
  statusJson,
  velocityJson,
  versionJson,
} from './wire';
import type { Json, JsonObject } from './wire';

/**
 * The REST endpoints of the simulated Jira, as a pure function of the site and one request: routing, paging, JQL and
 * Jira's error bodies. The HTTP server around it adds authentication, faults, latency and the request log.
 */

/** Largest page sizes; every one can be lowered for tests. */
export interface PageCaps {
  /** `/search/jql` when fields other than id/key are requested (default 100). */
  search?: number;
  /** `/search/jql` when only id/key are requested (default 5000). */
  searchIdsOnly?: number;
  /** Histories per `/changelog/bulkfetch` page (default 1000). */
  bulkfetch?: number;
  /** `/issue/{key}/changelog` (default 100). */
  changelog?: number;
  /** Agile lists: boards, sprints, board versions (default 50). */
  agile?: number;
  /** `/project/{key}/version` (default 50). */
  versions?: number;
}

export interface ApiConfig {
  caps: Required<PageCaps>;
  /** Histories embedded by `expand=changelog` on search (default 40). */
  changelogTruncation: number;
  /** Whether `/rest/greenhopper/1.0/rapid/charts/velocity` answers (else 404). */
  velocityReport: boolean;
  /** Closed sprints in the velocity report (default: all). */
  velocitySprints?: number;
  /**
   * How `/changelog/bulkfetch` writes a history's `created`: `epoch-ms`, a number of epoch milliseconds, as Jira
   * Cloud really sends it (the default), or `iso`, the string the OpenAPI spec and the other endpoints show.
   */
  bulkfetchCreated: 'epoch-ms' | 'iso';
}

export const DEFAULT_CAPS: Required<PageCaps> = {
  search: 100,
  searchIdsOnly: 5000,
  bulkfetch: 1000,
  changelog: 100,
  agile: 50,
  versions: 50,
};

export interface ApiRequest {
  method: string;
  path: string;
  /** Repeated keys give several values. */
  query: URLSearchParams;
  body?: unknown;
}

export interface ApiResponse {
  status: number;
  body: Json | string;
  headers?: Record<string, string>;
}

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  kind: RequestKind;
  handle: (site: JiraSite, cfg: ApiConfig, req: ApiRequest, m: RegExpExecArray) => ApiResponse;
}

const error = (status: number, ...messages: string[]): ApiResponse => ({ status, body: { errorMessages: messages, errors: {} } });
const ok = (body: Json): ApiResponse => ({ status: 200, body });

const BOARD_NOT_FOUND = 'Board does not exist or you do not have permission to see it.';
const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

class BadRequest extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join(' '));
  }
}

/** All values of a query parameter, comma lists split (`fields=a,b` and `fields=a&fields=b` alike). */
function list(query: URLSearchParams, key: string): string[] {
  return query
    .getAll(key)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

function int(query: URLSearchParams, key: string, fallback: number): number {
  const raw = query.get(key);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new BadRequest([`The value '${raw}' is not valid for the parameter '${key}'.`]);
  return Number(raw);
}

function bodyList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return String(value)
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function encodeToken(data: Record<string, number | string>): string {
  return Buffer.from(JSON.stringify(data)).toString('base64url');
}

function decodeToken(token: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const INVALID_TOKEN = 'The provided next page token is invalid or expired.';

/** Offset paging of the agile and platform list endpoints. */
function offsetPage<T>(items: readonly T[], startAt: number, maxResults: number): { page: T[]; isLast: boolean } {
  const start = Math.max(0, startAt);
  const page = items.slice(start, start + Math.max(0, maxResults));
  return { page, isLast: start + page.length >= items.length };
}

function visibleTeam(site: JiraSite, ref: string | number): TeamRecord | undefined {
  const team = site.team(ref);
  return team && site.canSee(team) ? team : undefined;
}

function boardOf(site: JiraSite, raw: string): TeamRecord | undefined {
  if (!/^\d+$/.test(raw)) return undefined;
  return visibleTeam(site, Number(raw));
}

function projectOf(site: JiraSite, keyOrId: string): TeamRecord | undefined {
  return visibleTeam(site, decodeURIComponent(keyOrId));
}

// ---------------------------------------------------------------------------------------------------------------------
// Search.

interface SearchParams {
  jql: string;
  nextPageToken?: string;
  maxResults?: number;
  fields?: string[];
  expand?: string[];
  reconcileIssues?: string[];
}

/** The issues (or a service project's requests) a JQL matches, in its order; a JQL Jira refuses is a 400. */
function matchingJql(site: JiraSite, jql: string): { matching: readonly IssueRecord[] | readonly ServiceRequestRecord[]; desk?: ServiceDeskLike } | ApiResponse {
  // A JQL that names a service project reads its requests (with their Satisfaction fields).
  const desk = site.serviceDesk?.handles(jql) ? site.serviceDesk : undefined;
  try {
    const ctx = { site, zone: site.userTimeZone, now: site.nowMs() };
    if (desk) return { matching: desk.select(jql, ctx), desk };
    const compiled = compileJql(jql, ctx);
    return { matching: site.visibleIssues().filter(compiled.matches).sort(compiled.compare) };
  } catch (e) {
    if (e instanceof JqlError) return error(400, ...e.errorMessages);
    throw e;
  }
}

type ServiceDeskLike = NonNullable<JiraSite['serviceDesk']>;

function search(site: JiraSite, cfg: ApiConfig, p: SearchParams): ApiResponse {
  const found = matchingJql(site, p.jql);
  if ('status' in found) return found;
  const { matching, desk } = found;
  const selection = FieldSelection.parse(p.fields, 'none');
  const cap = selection.idsOnly ? cfg.caps.searchIdsOnly : cfg.caps.search;
  if (p.maxResults !== undefined && p.maxResults < 0) return error(400, "The 'maxResults' parameter must be a non-negative number.");
  const max = Math.min(p.maxResults ?? 50, cap);
  const queryHash = hash(p.jql.trim());
  let position = 0;
  if (p.nextPageToken !== undefined && p.nextPageToken !== '') {
    const token = decodeToken(p.nextPageToken);
    if (!token || token.q !== queryHash || typeof token.p !== 'number' || token.p < 0) return error(400, INVALID_TOKEN);
    position = token.p;
  }
  const page = matching.slice(position, position + max);
  const expand = new Set((p.expand ?? []).map((e) => e.toLowerCase()));
  const names: Record<string, string> | undefined = expand.has('names') && !desk ? {} : undefined;
  const issues = desk
    ? (page as ServiceRequestRecord[]).map((r) => desk.issueJson(r, selection))
    : (page as IssueRecord[]).map((i) =>
        issueJson(site, i, selection, {
          ...(expand.has('changelog') ? { changelog: cfg.changelogTruncation } : {}),
          ...(names ? { names } : {}),
        }),
      );
  const end = position + page.length;
  const isLast = end >= matching.length;
  const out: JsonObject = { issues };
  if (!isLast) out.nextPageToken = encodeToken({ p: end, q: queryHash });
  out.isLast = isLast;
  if (names) out.names = names;
  return ok(out);
}

function searchGet(site: JiraSite, cfg: ApiConfig, req: ApiRequest): ApiResponse {
  const maxRaw = req.query.get('maxResults');
  return search(site, cfg, {
    jql: req.query.get('jql') ?? '',
    ...(req.query.get('nextPageToken') !== null ? { nextPageToken: req.query.get('nextPageToken')! } : {}),
    ...(maxRaw !== null && maxRaw !== '' ? { maxResults: int(req.query, 'maxResults', 50) } : {}),
    fields: list(req.query, 'fields'),
    expand: list(req.query, 'expand'),
  });
}

function searchPost(site: JiraSite, cfg: ApiConfig, req: ApiRequest): ApiResponse {
  const b = (req.body ?? {}) as Record<string, unknown>;
  if (typeof b !== 'object' || Array.isArray(b)) return error(400, 'Request body must be a JSON object.');
  if (b.maxResults !== undefined && typeof b.maxResults !== 'number') return error(400, "The 'maxResults' field must be a number.");
  return search(site, cfg, {
    jql: typeof b.jql === 'string' ? b.jql : '',
    ...(typeof b.nextPageToken === 'string' ? { nextPageToken: b.nextPageToken } : {}),
    ...(typeof b.maxResults === 'number' ? { maxResults: b.maxResults } : {}),
    fields: bodyList(b.fields) ?? [],
    expand: bodyList(b.expand) ?? [],
  });
}

/**
 * `POST /rest/api/3/search/approximate-count` (body `{ jql }`, answer `{ count }`): an estimate in Jira, exact here.
 * The JQL must be bounded (a search restriction), as Jira's reference says: the search's own rule and answers.
 */
function approximateCount(site: JiraSite, _cfg: ApiConfig, req: ApiRequest): ApiResponse {
  const b = (req.body ?? {}) as Record<string, unknown>;
  if (typeof b !== 'object' || Array.isArray(b)) return error(400, 'Request body must be a JSON object.');
  const jql = typeof b.jql === 'string' ? b.jql : '';
  const found = matchingJql(site, jql);
  return 'status' in found ? found : ok({ count: found.matching.length });
}

// ---------------------------------------------------------------------------------------------------------------------
// Changelogs.

function bulkfetch(site: JiraSite, cfg: ApiConfig, req: ApiRequest): ApiResponse {
  const b = (req.body ?? {}) as Record<string, unknown>;
  if (typeof b !== 'object' || Array.isArray(b)) return error(400, 'Request body must be a JSON object.');
  const ids = b.issueIdsOrKeys;
  if (!Array.isArray(ids) || ids.length === 0) return error(400, 'issueIdsOrKeys must not be empty.');
  if (ids.length > 1000) return error(400, 'The number of issueIdsOrKeys must not exceed 1000.');
  const fieldIds = b.fieldIds === undefined || b.fieldIds === null ? [] : b.fieldIds;
  if (!Array.isArray(fieldIds)) return error(400, 'fieldIds must be a list of field ids.');
  if (fieldIds.length > 10) return error(400, 'The number of fieldIds must not exceed 10.');
  if (b.maxResults !== undefined && (typeof b.maxResults !== 'number' || b.maxResults < 1)) {
    return error(400, "The 'maxResults' field must be a positive number.");
  }
  const budget = Math.min(typeof b.maxResults === 'number' ? b.maxResults : cfg.caps.bulkfetch, cfg.caps.bulkfetch);
  const wanted = new Set(fieldIds.map(String));
  const requestHash = hash(JSON.stringify([ids.map(String), [...wanted].sort()]));
  let issueIndex = 0;
  let historyIndex = 0;
  if (typeof b.nextPageToken === 'string' && b.nextPageToken !== '') {
    const t = decodeToken(b.nextPageToken);
    if (!t || t.q !== requestHash || typeof t.i !== 'number' || typeof t.h !== 'number') return error(400, INVALID_TOKEN);
    issueIndex = t.i;
    historyIndex = t.h;
  }
  const issues = ids.map((x) => site.issue(String(x))).map((i) => (i && site.canSee(i.team) ? i : undefined));
  const out: JsonObject[] = [];
  let left = budget;
  let next: { i: number; h: number } | undefined;
  for (let i = issueIndex; i < issues.length; i++) {
    const issue = issues[i];
    const start = i === issueIndex ? historyIndex : 0;
    if (!issue) continue;
    const histories = filteredHistories(site, issue, wanted, cfg.bulkfetchCreated);
    if (start >= histories.length) continue;
    if (left === 0) {
      next = { i, h: start };
      break;
    }
    const take = histories.slice(start, start + left);
    left -= take.length;
    out.push({ issueId: issue.id, changeHistories: take });
    if (start + take.length < histories.length) {
      next = { i, h: start + take.length };
      break;
    }
  }
  const response: JsonObject = { issueChangeLogs: out };
  if (next) response.nextPageToken = encodeToken({ i: next.i, h: next.h, q: requestHash });
  return ok(response);
}

/** An issue's histories (oldest first), keeping only items of the wanted fields (all when none). */
function filteredHistories(site: JiraSite, issue: IssueRecord, wanted: ReadonlySet<string>, created: ApiConfig['bulkfetchCreated']): JsonObject[] {
  const out: JsonObject[] = [];
  for (const h of issue.histories) {
    const json = historyJson(site, issue, h);
    if (created === 'epoch-ms') json.created = h.ms;
    if (wanted.size > 0) {
      const items = h.items.filter((i) => i.fieldId !== undefined && wanted.has(i.fieldId));
      if (items.length === 0) continue;
      json.items = items.map((i) => ({ ...i })) as unknown as Json;
    }
    out.push(json);
  }
  return out;
}

function issueChangelog(site: JiraSite, cfg: ApiConfig, req: ApiRequest, m: RegExpExecArray): ApiResponse {
  const issue = site.issue(decodeURIComponent(m[1]!));
  if (!issue || !site.canSee(issue.team)) return error(404, ISSUE_NOT_FOUND);
  const startAt = int(req.query, 'startAt', 0);
  const maxResults = Math.min(int(req.query, 'maxResults', cfg.caps.changelog), cfg.caps.changelog);
  const all = issue.histories;
  const { page, isLast } = offsetPage(all, startAt, maxResults);
  const base = `${site.baseUrl}/rest/api/3/issue/${issue.key}/changelog`;
  return ok({
    self: `${base}?maxResults=${maxResults}&startAt=${startAt}`,
    ...(!isLast ? { nextPage: `${base}?maxResults=${maxResults}&startAt=${startAt + page.length}` } : {}),
    maxResults,
    startAt,
    total: all.length,
    isLast,
    values: page.map((h) => historyJson(site, issue, h)),
  });
}

function getIssue(site: JiraSite, cfg: ApiConfig, req: ApiRequest, m: RegExpExecArray): ApiResponse {
  const issue = site.issue(decodeURIComponent(m[1]!));
  if (!issue || !site.canSee(issue.team)) return error(404, ISSUE_NOT_FOUND);
  const selection = FieldSelection.parse(list(req.query, 'fields'), 'all');
  const expand = new Set(list(req.query, 'expand').map((e) => e.toLowerCase()));
  return ok(issueJson(site, issue, selection, expand.has('changelog') ? { changelog: cfg.caps.changelog } : {}));
}

/**
 * `POST /rest/api/3/issue/{key}/notify`: Jira queues an email about the issue to the recipients and answers 204.
 * The simulated site sends nothing; the request log keeps the body (`requests.filter('notify')`). Checked as Jira
 * does: the issue exists and is visible (404), the body is an object whose text fields are strings, `to` names
 * at least one recipient, and each user is an account of the site (400). Groups are not modelled: any name or id
 * is accepted.
 */
function notify(site: JiraSite, _cfg: ApiConfig, req: ApiRequest, m: RegExpExecArray): ApiResponse {
  const issue = site.issue(decodeURIComponent(m[1]!));
  if (!issue || !site.canSee(issue.team)) return error(404, ISSUE_NOT_FOUND);
  const b = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) return error(400, 'The request body is not a notification.');
  const body = b as Record<string, unknown>;
  for (const field of ['subject', 'textBody', 'htmlBody']) {
    if (body[field] !== undefined && typeof body[field] !== 'string') return { status: 400, body: { errorMessages: [], errors: { [field]: `The ${field} must be a string.` } } };
  }
  const to = (typeof body['to'] === 'object' && body['to'] !== null ? body['to'] : {}) as Record<string, unknown>;
  const users = Array.isArray(to['users']) ? (to['users'] as unknown[]) : [];
  const groups = Array.isArray(to['groups']) ? (to['groups'] as unknown[]) : [];
  const groupIds = Array.isArray(to['groupIds']) ? (to['groupIds'] as unknown[]) : [];
  const roles = ['reporter', 'assignee', 'watchers', 'voters'].some((r) => to[r] === true);
  if (!users.length && !groups.length && !groupIds.length && !roles) return error(400, 'No recipients were defined for notification.');
  const known = new Set([site.self.accountId, ...site.teams.flatMap((t) => t.accounts.map((a) => a.accountId))]);
  for (const u of users) {
    const id = (u as { accountId?: unknown } | null)?.accountId;
    if (typeof id !== 'string' || !known.has(id)) return error(400, `The user with account ID '${String(id)}' does not exist.`);
  }
  for (const g of groups) {
    const name = (g as { name?: unknown; groupId?: unknown } | null) ?? {};
    if (typeof name.name !== 'string' && typeof name.groupId !== 'string') return error(400, 'A group must have a name or a groupId.');
  }
  return { status: 204, body: '' };
}

// ---------------------------------------------------------------------------------------------------------------------
// Agile.

function boards(site: JiraSite, cfg: ApiConfig, req: ApiRequest): ApiResponse {
  const startAt = int(req.query, 'startAt', 0);
  const maxResults = Math.min(int(req.query, 'maxResults', cfg.caps.agile), cfg.caps.agile);
  const type = req.query.get('type');
  const name = req.query.get('name')?.toLowerCase();
  const project = req.query.get('projectKeyOrId');
  let teams = site.teams.filter((t) => site.canSee(t));
  if (type) teams = type.split(',').includes('scrum') ? teams : [];
  if (name) teams = teams.filter((t) => `${t.key} board`.toLowerCase().includes(name));
  if (project) {
    const team = projectOf(site, project);
    if (!team) return error(400, `No project could be found with key or id '${project}'.`);
    teams = teams.filter((t) => t === team);
  }
  const { page, isLast } = offsetPage(teams, startAt, maxResults);
  return ok({ maxResults, startAt, total: teams.length, isLast, values: page.map((t) => boardJson(site, t)) });
}

function board(site: JiraSite, _cfg: ApiConfig, _req: ApiRequest, m: RegExpExecArray): ApiResponse {
  const team = boardOf(site, m[1]!);
  return team ? ok(boardJson(site, team)) : error(404, BOARD_NOT_FOUND);
}

function boardConfiguration(site: JiraSite, _cfg: ApiConfig, _req: ApiRequest, m: RegExpExecArray): ApiResponse {
  const team = boardOf(site, m[1]!);
  return team ? ok(boardConfigurationJson(site, team)) : error(404, BOARD_NOT_FOUND);
}

const SPRINT_STATES = new Set(['future', 'active', 'closed']);

function boardSprints(site: JiraSite, cfg: ApiConfig, req: ApiRequest, m: RegExpExecArray): ApiResponse {
  const team = boardOf(site, m[1]!);
  if (!team) return error(404, BOARD_NOT_FOUND);
  const startAt = int(req.query, 'startAt', 0);
  const maxResults = Math.min(int(req.query, 'maxResults', cfg.caps.agile), cfg.caps.agile);
  const states = list(req.query, 'state').map((s) => s.toLowerCase());
  for (const s of states) if (!SPRINT_STATES.has(s)) return error(400, `The sprint state '${s}' is not valid. Valid states: future, active, closed.`);
  const order = { closed: 0, active: 1, future: 2 } as const;
  const sprints = site
    .sprintsOf(team)
    .filter((s) => states.length === 0 || states.includes(s.state))
    .sort((a, b) => order[a.state] - order[b.state] || a.id - b.id);
  const { page, isLast } = offsetPage(sprints, startAt, maxResults);
  return ok({ maxResults, startAt, isLast, values: page.map((s) => sprintJson(site, s)) });
}

function sprintById(site: JiraSite, _cfg: ApiConfig, _req: ApiRequest, m: RegExpExecArray): ApiResponse {
  const s = site.sprint(Number(m[1]));
  if (!s || !site.canSee(s.team)) return error(404, 'Sprint does not exist or you do not have permission to see it.');
  return ok(sprintJson(site, s));
}

function boardVersions(site: JiraSite, cfg: ApiConfig, req: ApiRequest, m: RegExpExecArray): ApiResponse {
  const team = boardOf(site, m[1]!);
  if (!team) return error(404, BOARD_NOT_FOUND);
  const startAt = int(req.query, 'startAt', 0);
  const maxResults = Math.min(int(req.query, 'maxResults', cfg.caps.agile), cfg.caps.agile);
  const released = req.query.get('released');
  const versions = site
    .versionsOf(team)
    .filter((v) => released === null || released === '' || String(v.released) === released.toLowerCase());
  const { page, isLast } = offsetPage(versions, startAt, maxResults);
  return ok({ maxResults, startAt, isLast, values: page.map((v) => agileVersionJson(site, v)) });
}

function velocity(site: JiraSite, cfg: ApiConfig, req: ApiRequest): ApiResponse {
  if (!cfg.velocityReport) return { status: 404, body: { errorMessages: ['Not Found'], errors: {} } };
  const raw = req.query.get('rapidViewId') ?? '';
  const team = /^\d+$/.test(raw) ? visibleTeam(site, Number(raw)) : undefined;
  if (!team) return error(404, `The requested board cannot be viewed because it either does not exist or you do not have permission to view it.`);
  return ok(velocityJson(site, team, cfg.velocitySprints));
}

// ---------------------------------------------------------------------------------------------------------------------
// Platform.

type VersionOrder = 'sequence' | 'name' | 'releaseDate' | 'startDate';

function projectVersionsPaged(site: JiraSite, cfg: ApiConfig, req: ApiRequest, m: RegExpExecArray): ApiResponse {
  const team = projectOf(site, m[1]!);
  if (!team) return error(404, `No project could be found with key '${decodeURIComponent(m[1]!)}'.`);
  const startAt = int(req.query, 'startAt', 0);
  const maxResults = Math.min(int(req.query, 'maxResults', 50), cfg.caps.versions);
  const statuses = list(req.query, 'status').map((s) => s.toLowerCase());
  const query = req.query.get('query')?.toLowerCase();
  let versions = site.versionsOf(team).filter((v) => {
    if (query && !v.name.toLowerCase().includes(query)) return false;
    if (statuses.length === 0) return true;
    const status = v.archived ? 'archived' : v.released ? 'released' : 'unreleased';
    return statuses.includes(status);
  });
  const orderRaw = req.query.get('orderBy') ?? '';
  const desc = orderRaw.startsWith('-');
  const order = orderRaw.replace(/^[-+]/, '') as VersionOrder | '';
  if (order && !['sequence', 'name', 'releaseDate', 'startDate', 'description'].includes(order)) {
    return error(400, `The value '${orderRaw}' is not valid for the parameter 'orderBy'.`);
  }
  if (order === 'name') versions = versions.sort((a, b) => a.name.localeCompare(b.name));
  if (order === 'releaseDate') versions = versions.sort((a, b) => (a.releaseDate ?? '9999').localeCompare(b.releaseDate ?? '9999'));
  if (order === 'startDate') versions = versions.sort((a, b) => (a.startDate ?? '9999').localeCompare(b.startDate ?? '9999'));
  if (desc) versions = versions.reverse();
  const { page, isLast } = offsetPage(versions, startAt, maxResults);
  const base = `${site.baseUrl}/rest/api/3/project/${team.key}/version`;
  return ok({
    self: `${base}?maxResults=${maxResults}&startAt=${startAt}`,
    ...(!isLast ? { nextPage: `${base}?maxResults=${maxResults}&startAt=${startAt + page.length}` } : {}),
    maxResults,
    startAt,
    total: versions.length,
    isLast,
    values: page.map((v) => versionJson(site, v)),
  });
}

function projectVersions(site: JiraSite, _cfg: ApiConfig, _req: ApiRequest, m: RegExpExecArray): ApiResponse {
  const team = projectOf(site, m[1]!);
  if (!team) return error(404, `No project could be found with key '${decodeURIComponent(m[1]!)}'.`);
  return ok(site.versionsOf(team).map((v) => versionJson(site, v)));
}

function project(site: JiraSite, _cfg: ApiConfig, _req: ApiRequest, m: RegExpExecArray): ApiResponse {
  const service = site.serviceDesk?.project(m[1]!);
  if (service) return ok(site.serviceDesk!.projectJson(service));
  const team = projectOf(site, m[1]!);
  if (!team) return error(404, `No project could be found with key '${decodeURIComponent(m[1]!)}'.`);
  return ok(projectDetailJson(site, team));
}

/** Every visible project, software and service: `GET /rest/api/3/project` (deprecated, an array) and `/project/search` (paged, `typeKey`, `keys`). */
function allProjects(site: JiraSite): JsonObject[] {
  return [
    ...site.teams.filter((t) => site.canSee(t)).map((t) => projectJson(site, t)),
    ...(site.serviceDesk?.projects.map((p) => site.serviceDesk!.projectJson(p)) ?? []),
  ].sort((a, b) => String(a.key).localeCompare(String(b.key)));
}

function projectSearch(site: JiraSite, cfg: ApiConfig, req: ApiRequest): ApiResponse {
  const types = list(req.query, 'typeKey');
  const keys = req.query.getAll('keys').map((k) => k.toUpperCase());
  const matching = allProjects(site).filter((p) => (types.length === 0 || types.includes(String(p.projectTypeKey))) && (keys.length === 0 || keys.includes(String(p.key))));
  const startAt = int(req.query, 'startAt', 0);
  const maxResults = Math.min(int(req.query, 'maxResults', 50), cfg.caps.agile);
  const { page, isLast } = offsetPage(matching, startAt, maxResults);
  return ok({ self: `${site.baseUrl}/rest/api/3/project/search?startAt=${startAt}&maxResults=${maxResults}`, maxResults, startAt, total: matching.length, isLast, values: page });
}

function filter(site: JiraSite, _cfg: ApiConfig, _req: ApiRequest, m: RegExpExecArray): ApiResponse {
  const team = site.teams.find((t) => t.filterId === m[1]);
  if (!team || !site.canSee(team)) {
    return error(400, 'The selected filter is not available to you, perhaps it has been deleted or had its permissions changed.');
  }
  return ok(filterJson(site, team));
}

const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/rest\/api\/[23]\/myself$/, kind: 'myself', handle: (s) => ok(myselfJson(s)) },
  { method: 'GET', pattern: /^\/rest\/api\/[23]\/serverInfo$/, kind: 'serverInfo', handle: (s) => ok(serverInfoJson(s)) },
  { method: 'GET', pattern: /^\/rest\/api\/3\/field$/, kind: 'field', handle: (s) => ok([...s.fields, ...(s.serviceDesk?.fields ?? [])].map((f) => ({ ...f })) as unknown as Json) },
  { method: 'GET', pattern: /^\/rest\/api\/3\/project$/, kind: 'project', handle: (s) => ok(allProjects(s)) },
  { method: 'GET', pattern: /^\/rest\/api\/3\/project\/search$/, kind: 'project', handle: projectSearch },
  { method: 'GET', pattern: /^\/rest\/api\/3\/status$/, kind: 'status', handle: (s) => ok(s.statuses.map((x) => statusJson(s, x, true))) },
  { method: 'GET', pattern: /^\/rest\/api\/3\/issuetype$/, kind: 'issuetype', handle: (s) => ok(s.issueTypes.map((t) => issueTypeJson(s, t, true))) },
  { method: 'GET', pattern: /^\/rest\/api\/3\/filter\/(\d+)$/, kind: 'filter', handle: filter },
  { method: 'GET', pattern: /^\/rest\/api\/3\/project\/([^/]+)\/version$/, kind: 'version', handle: projectVersionsPaged },
  { method: 'GET', pattern: /^\/rest\/api\/3\/project\/([^/]+)\/versions$/, kind: 'version', handle: projectVersions },
  { method: 'GET', pattern: /^\/rest\/api\/3\/project\/([^/]+)$/, kind: 'project', handle: project },
  { method: 'GET', pattern: /^\/rest\/api\/3\/search\/jql$/, kind: 'search', handle: searchGet },
  { method: 'POST', pattern: /^\/rest\/api\/3\/search\/jql$/, kind: 'search', handle: searchPost },
  { method: 'POST', pattern: /^\/rest\/api\/3\/search\/approximate-count$/, kind: 'count', handle: approximateCount },
  { method: 'POST', pattern: /^\/rest\/api\/3\/changelog\/bulkfetch$/, kind: 'bulkfetch', handle: bulkfetch },
  { method: 'GET', pattern: /^\/rest\/api\/3\/issue\/([^/]+)\/changelog$/, kind: 'changelog', handle: issueChangelog },
  { method: 'POST', pattern: /^\/rest\/api\/3\/issue\/([^/]+)\/notify$/, kind: 'notify', handle: notify },
  { method: 'GET', pattern: /^\/rest\/api\/3\/issue\/([^/]+)$/, kind: 'issue', handle: getIssue },
  { method: 'GET', pattern: /^\/rest\/agile\/1\.0\/board$/, kind: 'board', handle: boards },
  { method: 'GET', pattern: /^\/rest\/agile\/1\.0\/board\/([^/]+)$/, kind: 'board', handle: board },
  { method: 'GET', pattern: /^\/rest\/agile\/1\.0\/board\/([^/]+)\/configuration$/, kind: 'configuration', handle: boardConfiguration },
  { method: 'GET', pattern: /^\/rest\/agile\/1\.0\/board\/([^/]+)\/sprint$/, kind: 'sprint', handle: boardSprints },
  { method: 'GET', pattern: /^\/rest\/agile\/1\.0\/board\/([^/]+)\/version$/, kind: 'version', handle: boardVersions },
  { method: 'GET', pattern: /^\/rest\/agile\/1\.0\/sprint\/(\d+)$/, kind: 'sprint', handle: sprintById },
  { method: 'GET', pattern: /^\/rest\/greenhopper\/1\.0\/rapid\/charts\/velocity(?:\.json)?$/, kind: 'velocity', handle: velocity },
];

/** The endpoint kind of a request (for counters, faults and latency), without handling it. */
export function requestKind(method: string, path: string): RequestKind {
  for (const r of ROUTES) if (r.pattern.test(path) && r.method === method) return r.kind;
  for (const r of ROUTES) if (r.pattern.test(path)) return r.kind;
  return 'other';
}

export function handleApi(site: JiraSite, cfg: ApiConfig, req: ApiRequest): ApiResponse {
  const path = req.path.replace(/\/+$/, '') || '/';
  let pathMatched = false;
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== req.method) continue;
    try {
      return r.handle(site, cfg, req, m);
    } catch (e) {
      if (e instanceof BadRequest) return error(400, ...e.messages);
      throw e;
    }
  }
  if (pathMatched) return { status: 405, body: '', headers: { allow: ROUTES.filter((r) => r.pattern.test(path)).map((r) => r.method).join(', ') } };
  return error(404, `No resource found for ${req.method} ${path}.`);
}
