import type { IncomingMessage, ServerResponse } from 'node:http';
import { DateTime } from 'luxon';
import { type RecordedRequest, RequestLog } from '../http-sim/request-log';
import { type ReplayServer, bodyText, clockOf, listenOnLoopback } from '../http-sim/replay-http';
import { type JsonText, type RawMembers, rawArray, rawElements, rawMember, rawMembers, rawObject, withMembers } from '../http-sim/raw-json';

/**
 * A Jira Cloud that replays one captured board (real answers saved from a real site) on 127.0.0.1, through the
 * endpoints the Jira adapter reads, so that real payloads go through the real client and the whole sync.
 *
 * What is served as captured, byte for byte (see `../http-sim/raw-json.ts`): every issue's members and field values,
 * every history (`id`, `author`, `created`, `items`...), statuses, issue types, sprints, versions, and whatever
 * else the capture holds (a capture built by a test may hold synthesized parts; the test says which). What the
 * server does to them is only what Jira does:
 *
 * - `POST /rest/api/3/search/jql`: only the fields asked for (`*all`, `*navigable`, `-field` understood; none asked:
 *   `id` only), `changelog` only with `expand: changelog`, pages of up to 100 issues (5 000 when only `id`/`key`
 *   are asked for) with an opaque `nextPageToken`. The JQL is not evaluated in full: `id in (...)` (ids or keys),
 *   `updated >= "yyyy/MM/dd HH:mm"` (also `yyyy-MM-dd`, with or without the time; read in the API user's zone,
 *   `timeZone` of the captured `myself`, as Jira does) and `ORDER BY id|key|created|updated [ASC|DESC]` are applied;
 *   every other clause (the board filter's: `project = X`...) is ignored, because every captured issue is on the
 *   captured board.
 * - `POST /rest/api/3/changelog/bulkfetch`: the histories of the issues asked for, oldest first, only the items of
 *   the `fieldIds` asked for (a history left without items is left out; items without a `fieldId`, such as
 *   `Workflow`, never match), paged by histories (up to 1 000) with `nextPageToken`. Each history's `created` is sent
 *   as Jira Cloud sends it there: a number of epoch milliseconds, the instant of the captured ISO string
 *   (`bulkfetchCreated: 'iso'` sends the captured string unchanged).
 * - `GET /rest/api/3/issue/{idOrKey}/changelog`: the histories oldest first, offset paging, `created` as captured.
 * - `GET /rest/agile/1.0/board/{id}/sprint`: offset paging, `state` filter; a kanban board answers 400 as Jira does.
 * - `GET /rest/api/3/project/{key}/version`: offset paging of the versions captured for that project.
 * - `GET` board, configuration, filter, field, status, issuetype, myself: the captured text.
 *
 * Basic authentication as Jira Cloud (email and API token), Jira's error bodies (`{ errorMessages, errors }`), a
 * `Date` header from the server's clock (`now`), and a request log.
 */

export interface CapturedJiraBoard {
  /** `GET /rest/agile/1.0/board/{id}`: `{ id, name, type, location }` (the board id served is its `id`). */
  readonly board: JsonText;
  /** `GET /rest/agile/1.0/board/{id}/configuration` (its `filter.id` is the filter served). */
  readonly configuration: JsonText;
  /** `GET /rest/api/3/filter/{id}`: `{ id, jql }`. */
  readonly filter: JsonText;
  /** `GET /rest/api/3/field`. */
  readonly fields: JsonText;
  /** `GET /rest/api/3/status`. */
  readonly statuses: JsonText;
  /** `GET /rest/api/3/issuetype`. */
  readonly issueTypes: JsonText;
  /** `GET /rest/api/3/myself` (its `timeZone` is the zone JQL dates are read in; none: UTC). */
  readonly myself: JsonText;
  /**
   * The board's issues with their whole changelogs (as `expand=changelog` sends them: `changelog.histories`), each
   * text one issue or an array of issues. A changelog the capture holds only part of (`total` above the histories
   * held) is refused: its history could not be served.
   */
  readonly issues: readonly JsonText[];
  /** The board's sprints (an array), for a scrum board. */
  readonly sprints?: JsonText;
  /** Versions (an array) by project key. */
  readonly versions?: Readonly<Record<string, JsonText>>;
}

export interface StartCapturedJiraOptions {
  /** Basic-auth user (default `capture@example.com`). */
  readonly email?: string;
  /** Basic-auth API token (default `capture-api-token`). */
  readonly apiToken?: string;
  /** 0 (default) = a free port. */
  readonly port?: number;
  /** `/changelog/bulkfetch` history `created`: epoch milliseconds as Jira Cloud sends them (default) or the captured ISO strings. */
  readonly bulkfetchCreated?: 'epoch-ms' | 'iso';
  /** The server's clock (the `Date` header): epoch ms, an ISO instant or a function (default: the machine's). */
  readonly now?: number | string | (() => number);
}

export type CapturedJiraRequestKind =
  | 'myself'
  | 'board'
  | 'configuration'
  | 'filter'
  | 'field'
  | 'status'
  | 'issuetype'
  | 'sprint'
  | 'version'
  | 'search'
  | 'bulkfetch'
  | 'changelog'
  | 'other';

/** `url` is `http://127.0.0.1:PORT`: the site URL (`JIRA_URL`). */
export interface CapturedJira extends ReplayServer<CapturedJiraRequestKind> {
  readonly email: string;
  readonly apiToken: string;
  readonly boardId: number;
}

interface History {
  readonly text: JsonText;
  readonly members: RawMembers;
  readonly id: string;
  /** The captured `created` as epoch ms. */
  readonly ms: number;
  /** Each item's text and field id. */
  readonly items: readonly { readonly text: JsonText; readonly fieldId?: string }[];
}

interface Issue {
  readonly id: string;
  readonly key: string;
  /** The issue's members as captured, without `changelog`. */
  readonly members: RawMembers;
  readonly changelog?: JsonText;
  readonly fields: RawMembers;
  readonly createdMs: number;
  readonly updatedMs: number;
  /** Oldest first. */
  readonly histories: readonly History[];
}

interface Answer {
  readonly status: number;
  /** JSON text (or plain text for a 401). */
  readonly text: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const JSON_TYPE = 'application/json;charset=UTF-8';
const SEARCH_CAP = 100;
const SEARCH_IDS_CAP = 5000;
const BULKFETCH_CAP = 1000;
const CHANGELOG_CAP = 100;
const AGILE_CAP = 50;
const INVALID_TOKEN = 'The provided next page token is invalid or expired.';

const jiraError = (status: number, ...messages: string[]): Answer => ({ status, text: JSON.stringify({ errorMessages: messages, errors: {} }) });
const ok = (text: JsonText): Answer => ({ status: 200, text });

/** Starts the replay server for one captured board. */
export async function startCapturedJira(capture: CapturedJiraBoard, options: StartCapturedJiraOptions = {}): Promise<CapturedJira> {
  const email = options.email ?? 'capture@example.com';
  const apiToken = options.apiToken ?? 'capture-api-token';
  const expected = `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`;
  const now = clockOf(options.now ?? Date.now);
  const site = new CapturedSite(capture, options.bulkfetchCreated ?? 'epoch-ms');
  const requests = new RequestLog<CapturedJiraRequestKind>();
  let seq = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const arrived = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const raw = await bodyText(req);
    const record: RecordedRequest<CapturedJiraRequestKind> = { seq: ++seq, method, path, query: Object.fromEntries(url.searchParams), kind: site.kindOf(path), status: 0, at: arrived, durationMs: 0 };
    let answer: Answer;
    if (req.headers.authorization !== expected) {
      answer = { status: 401, text: 'Client must be authenticated to access this resource.', headers: { 'content-type': 'text/plain;charset=UTF-8' } };
    } else {
      let body: unknown;
      try {
        body = raw.length ? JSON.parse(raw) : undefined;
      } catch {
        body = Symbol('unreadable');
      }
      if (body !== undefined) (record as { body?: unknown }).body = body;
      answer = typeof body === 'symbol' ? jiraError(400, 'Unexpected character: the request body is not valid JSON.') : site.answer(method, path, url.searchParams, body);
    }
    requests.add(record);
    record.status = answer.status;
    record.durationMs = Date.now() - arrived;
    res.writeHead(answer.status, {
      date: new Date(now()).toUTCString(),
      'x-arequestid': `capture-${seq}`,
      'content-type': JSON_TYPE,
      ...answer.headers,
      'content-length': String(Buffer.byteLength(answer.text)),
    });
    res.end(answer.text);
  };
  const server = await listenOnLoopback((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': JSON_TYPE });
      res.end(JSON.stringify({ errorMessages: [`Internal server error: ${String(e)}`], errors: {} }));
    });
  }, options.port);
  return {
    url: `http://127.0.0.1:${server.port}`,
    email,
    apiToken,
    boardId: site.boardId,
    requests,
    close: server.close,
  };
}

/** The captured board and how Jira answers about it (no HTTP here). */
class CapturedSite {
  readonly boardId: number;
  private readonly boardType: string;
  private readonly filterId: string;
  private readonly zone: string;
  private readonly issues: readonly Issue[];
  private readonly sprints: readonly { text: JsonText; state: string }[];
  private readonly versions: ReadonlyMap<string, readonly JsonText[]>;
  private readonly routes: readonly { method: string; pattern: RegExp; kind: CapturedJiraRequestKind; answer: (m: RegExpExecArray, query: URLSearchParams, body: unknown) => Answer }[];

  constructor(
    private readonly capture: CapturedJiraBoard,
    private readonly created: 'epoch-ms' | 'iso',
  ) {
    const board = JSON.parse(capture.board) as { id: number; type: string };
    this.boardId = board.id;
    this.boardType = board.type;
    this.filterId = String((JSON.parse(capture.configuration) as { filter: { id: string | number } }).filter.id);
    this.zone = (JSON.parse(capture.myself) as { timeZone?: string | null }).timeZone ?? 'UTC';
    this.issues = capture.issues.flatMap((text) => (text.trimStart().startsWith('[') ? rawElements(text) : [text])).map(readIssue);
    this.sprints = capture.sprints ? rawElements(capture.sprints).map((text) => ({ text, state: String((JSON.parse(text) as { state?: unknown }).state ?? '').toLowerCase() })) : [];
    this.versions = new Map(Object.entries(capture.versions ?? {}).map(([k, v]) => [k.toUpperCase(), rawElements(v)]));
    const board$ = String.raw`/rest/agile/1\.0/board/(\d+)`;
    this.routes = [
      { method: 'GET', pattern: /^\/rest\/api\/[23]\/myself$/, kind: 'myself', answer: () => ok(capture.myself) },
      { method: 'GET', pattern: new RegExp(`^${board$}$`), kind: 'board', answer: (m) => this.onBoard(m, () => ok(capture.board)) },
      { method: 'GET', pattern: new RegExp(`^${board$}/configuration$`), kind: 'configuration', answer: (m) => this.onBoard(m, () => ok(capture.configuration)) },
      { method: 'GET', pattern: new RegExp(`^${board$}/sprint$`), kind: 'sprint', answer: (m, q) => this.onBoard(m, () => this.sprintPage(q)) },
      { method: 'GET', pattern: /^\/rest\/api\/[23]\/filter\/(\d+)$/, kind: 'filter', answer: (m) => this.filter(m[1]!) },
      { method: 'GET', pattern: /^\/rest\/api\/3\/field$/, kind: 'field', answer: () => ok(capture.fields) },
      { method: 'GET', pattern: /^\/rest\/api\/3\/status$/, kind: 'status', answer: () => ok(capture.statuses) },
      { method: 'GET', pattern: /^\/rest\/api\/3\/issuetype$/, kind: 'issuetype', answer: () => ok(capture.issueTypes) },
      { method: 'GET', pattern: /^\/rest\/api\/3\/project\/([^/]+)\/version$/, kind: 'version', answer: (m, q) => this.versionPage(decodeURIComponent(m[1]!), q) },
      { method: 'POST', pattern: /^\/rest\/api\/3\/search\/jql$/, kind: 'search', answer: (_m, _q, b) => this.search(b) },
      { method: 'POST', pattern: /^\/rest\/api\/3\/changelog\/bulkfetch$/, kind: 'bulkfetch', answer: (_m, _q, b) => this.bulkfetch(b) },
      { method: 'GET', pattern: /^\/rest\/api\/3\/issue\/([^/]+)\/changelog$/, kind: 'changelog', answer: (m, q) => this.changelogPage(decodeURIComponent(m[1]!), q) },
    ];
  }

  kindOf(path: string): CapturedJiraRequestKind {
    return this.routes.find((r) => r.pattern.test(path))?.kind ?? 'other';
  }

  answer(method: string, path: string, query: URLSearchParams, body: unknown): Answer {
    const routes = this.routes.filter((r) => r.pattern.test(path));
    const route = routes.find((r) => r.method === method);
    if (!route) return routes.length ? { status: 405, text: '', headers: { allow: routes.map((r) => r.method).join(', ') } } : jiraError(404, `No resource found for ${method} ${path}.`);
    try {
      return route.answer(route.pattern.exec(path)!, query, body);
    } catch (e) {
      if (e instanceof BadRequest) return jiraError(400, e.message);
      throw e;
    }
  }

  private onBoard(m: RegExpExecArray, then: () => Answer): Answer {
    return Number(m[1]) === this.boardId ? then() : jiraError(404, 'Board does not exist or you do not have permission to see it.');
  }

  private filter(id: string): Answer {
    if (id !== this.filterId) return jiraError(400, 'The selected filter is not available to you, perhaps it has been deleted or had its permissions changed.');
    return ok(this.capture.filter);
  }

  private sprintPage(query: URLSearchParams): Answer {
    if (this.boardType === 'kanban') return jiraError(400, 'The board does not support sprints');
    const states = listParam(query, 'state').map((s) => s.toLowerCase());
    for (const s of states) if (!['future', 'active', 'closed'].includes(s)) return jiraError(400, `The sprint state '${s}' is not valid. Valid states: future, active, closed.`);
    const sprints = this.sprints.filter((s) => states.length === 0 || states.includes(s.state)).map((s) => s.text);
    const { startAt, maxResults, page, isLast } = offsetPage(sprints, query, AGILE_CAP);
    return ok(`{"maxResults":${maxResults},"startAt":${startAt},"isLast":${isLast},"values":${rawArray(page)}}`);
  }

  private versionPage(project: string, query: URLSearchParams): Answer {
    const versions = this.versions.get(project.toUpperCase()) ?? (this.projectKeys().has(project.toUpperCase()) ? [] : undefined);
    if (!versions) return jiraError(404, `No project could be found with key '${project}'.`);
    const { startAt, maxResults, page, isLast } = offsetPage(versions, query, 50);
    return ok(`{"maxResults":${maxResults},"startAt":${startAt},"total":${versions.length},"isLast":${isLast},"values":${rawArray(page)}}`);
  }

  private projectKeys(): Set<string> {
    const keys = new Set<string>();
    for (const i of this.issues) {
      const project = rawMember(i.fields, 'project');
      const key = project ? (JSON.parse(project) as { key?: unknown }).key : undefined;
      if (typeof key === 'string') keys.add(key.toUpperCase());
    }
    return keys;
  }

  private search(body: unknown): Answer {
    const b = object(body);
    if (typeof b['jql'] !== 'string') return jiraError(400, "The 'jql' field is required.");
    if (b['maxResults'] !== undefined && (typeof b['maxResults'] !== 'number' || b['maxResults'] < 0)) return jiraError(400, "The 'maxResults' field must be a non-negative number.");
    const jql = readJql(b['jql'], this.zone);
    const fields = strings(b['fields']);
    const idsOnly = fields.every((f) => f === 'id' || f === 'key');
    const max = Math.min(typeof b['maxResults'] === 'number' ? b['maxResults'] : 50, idsOnly ? SEARCH_IDS_CAP : SEARCH_CAP);
    const position = typeof b['nextPageToken'] === 'string' && b['nextPageToken'] !== '' ? readToken(b['nextPageToken'], b['jql'].trim(), 1)[0]! : 0;
    const matching = this.issues.filter(jql.matches).sort(jql.compare);
    const page = matching.slice(position, position + max);
    const changelog = strings(b['expand']).some((e) => e.toLowerCase() === 'changelog');
    const issues = page.map((i) => {
      const members = withMembers(i.members, { fields: rawObject(i.fields.filter(([id]) => wanted(fields, id))) });
      return rawObject(changelog && i.changelog ? [...members, ['changelog', i.changelog]] : members);
    });
    const end = position + page.length;
    const next = end < matching.length ? `"nextPageToken":${JSON.stringify(token(b['jql'].trim(), end))},` : '';
    return ok(`{"issues":${rawArray(issues)},${next}"isLast":${end >= matching.length}}`);
  }

  private bulkfetch(body: unknown): Answer {
    const b = object(body);
    const asked = b['issueIdsOrKeys'];
    if (!Array.isArray(asked) || asked.length === 0) return jiraError(400, 'issueIdsOrKeys must not be empty.');
    if (asked.length > 1000) return jiraError(400, 'The number of issueIdsOrKeys must not exceed 1000.');
    const fieldIds = new Set(strings(b['fieldIds']));
    if (fieldIds.size > 10) return jiraError(400, 'The number of fieldIds must not exceed 10.');
    if (b['maxResults'] !== undefined && (typeof b['maxResults'] !== 'number' || b['maxResults'] < 1)) return jiraError(400, "The 'maxResults' field must be a positive number.");
    const size = Math.min(typeof b['maxResults'] === 'number' ? b['maxResults'] : BULKFETCH_CAP, BULKFETCH_CAP);
    const request = JSON.stringify([asked.map(String), [...fieldIds].sort()]);
    // Every history to send, issue after issue; a page is a slice of them, its token where the next one starts.
    const all = asked.flatMap((x) => {
      const issue = this.issue(String(x));
      return issue ? issue.histories.flatMap((h) => this.bulkHistory(h, fieldIds)).map((text) => ({ issueId: issue.id, text })) : [];
    });
    const from = typeof b['nextPageToken'] === 'string' && b['nextPageToken'] !== '' ? readToken(b['nextPageToken'], request, 1)[0]! : 0;
    const page = all.slice(from, from + size);
    const logs: { issueId: string; texts: string[] }[] = [];
    for (const h of page) {
      const last = logs[logs.length - 1];
      if (last?.issueId === h.issueId) last.texts.push(h.text);
      else logs.push({ issueId: h.issueId, texts: [h.text] });
    }
    const sent = logs.map((l) => `{"issueId":${JSON.stringify(l.issueId)},"changeHistories":${rawArray(l.texts)}}`);
    const more = from + size < all.length ? `,"nextPageToken":${JSON.stringify(token(request, from + size))}` : '';
    return ok(`{"issueChangeLogs":${rawArray(sent)}${more}}`);
  }

  /** A history as bulkfetch sends it: only the items asked for (none left: no history), `created` as epoch ms. */
  private bulkHistory(h: History, fieldIds: ReadonlySet<string>): JsonText[] {
    const items = fieldIds.size ? h.items.filter((i) => i.fieldId !== undefined && fieldIds.has(i.fieldId)) : h.items;
    if (items.length === 0) return [];
    const replace: Record<string, string> = {};
    if (items.length !== h.items.length) replace['items'] = rawArray(items.map((i) => i.text));
    if (this.created === 'epoch-ms') replace['created'] = String(h.ms);
    return [Object.keys(replace).length ? rawObject(withMembers(h.members, replace)) : h.text];
  }

  private changelogPage(idOrKey: string, query: URLSearchParams): Answer {
    const issue = this.issue(idOrKey);
    if (!issue) return jiraError(404, 'Issue does not exist or you do not have permission to see it.');
    const { startAt, maxResults, page, isLast } = offsetPage(issue.histories.map((h) => h.text), query, CHANGELOG_CAP);
    return ok(`{"maxResults":${maxResults},"startAt":${startAt},"total":${issue.histories.length},"isLast":${isLast},"values":${rawArray(page)}}`);
  }

  private issue(idOrKey: string): Issue | undefined {
    return this.issues.find((i) => i.id === idOrKey || i.key.toUpperCase() === idOrKey.toUpperCase());
  }
}

class BadRequest extends Error {}

function readIssue(text: JsonText): Issue {
  const all = rawMembers(text);
  const get = (key: string) => {
    const v = rawMember(all, key);
    return v === undefined ? undefined : (JSON.parse(v) as unknown);
  };
  const id = String(get('id'));
  const key = String(get('key') ?? id);
  const fields = rawMembers(rawMember(all, 'fields') ?? '{}');
  const field = (name: string) => {
    const v = rawMember(fields, name);
    return v === undefined ? undefined : (JSON.parse(v) as unknown);
  };
  const changelog = rawMember(all, 'changelog');
  const log = changelog ? rawMembers(changelog) : [];
  const histories = rawElements(rawMember(log, 'histories') ?? '[]').map((h): History => {
    const members = rawMembers(h);
    const parsed = JSON.parse(h) as { id: unknown; created: unknown };
    return {
      text: h,
      members,
      id: String(parsed.id),
      ms: instant(parsed.created, `${key} history ${String(parsed.id)} created`),
      items: rawElements(rawMember(members, 'items') ?? '[]').map((itemText) => {
        const fieldId = (JSON.parse(itemText) as { fieldId?: unknown }).fieldId;
        return { text: itemText, ...(typeof fieldId === 'string' ? { fieldId } : {}) };
      }),
    };
  });
  const total = log.length ? (JSON.parse(rawMember(log, 'total') ?? 'null') as unknown) : undefined;
  if (typeof total === 'number' && total > histories.length) {
    throw new RangeError(`the capture holds ${histories.length} of issue ${key}'s ${total} histories: its whole history cannot be served`);
  }
  return {
    id,
    key,
    members: all.filter(([k]) => k !== 'changelog'),
    ...(changelog !== undefined ? { changelog } : {}),
    fields,
    createdMs: instant(field('created'), `${key} created`),
    updatedMs: instant(field('updated') ?? field('created'), `${key} updated`),
    histories: [...histories].sort((a, b) => a.ms - b.ms || Number(a.id) - Number(b.id)),
  };
}

/** An instant as Jira writes it (`2020-06-12T08:13:13.360+0800`, `...Z`, `...+08:00`) or epoch ms. */
function instant(value: unknown, what: string): number {
  if (typeof value === 'number') return value;
  const text = String(value);
  const ms = Date.parse(/[+-]\d{4}$/.test(text) ? `${text.slice(0, -2)}:${text.slice(-2)}` : text);
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not an instant: ${JSON.stringify(value)}`);
  return ms;
}

interface Jql {
  matches(issue: Issue): boolean;
  compare(a: Issue, b: Issue): number;
}

const ID_IN = /\b(?:id|key|issue|issuekey)\s+in\s*\(([^)]*)\)/i;
const UPDATED_FROM = /\bupdated\s*>=\s*(?:"([^"]*)"|'([^']*)'|([^\s)]+))/i;
const ORDER_BY = /\border\s+by\s+(\w+)(?:\s+(asc|desc))?/i;
const JQL_DATE_FORMATS = ['yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd'];

/** The clauses of a JQL the replay applies (see the module comment); the rest is ignored. */
function readJql(jql: string, zone: string): Jql {
  const ids = ID_IN.exec(jql)?.[1]?.split(',').map((x) => x.trim().replace(/^["']|["']$/g, '').toUpperCase()).filter(Boolean);
  const from = UPDATED_FROM.exec(jql);
  let fromMs: number | undefined;
  if (from) {
    const text = from[1] ?? from[2] ?? from[3]!;
    const parsed = JQL_DATE_FORMATS.map((f) => DateTime.fromFormat(text, f, { zone })).find((d) => d.isValid);
    if (!parsed) {
      throw new BadRequest(`Date value '${text}' for field 'updated' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`);
    }
    fromMs = parsed.toMillis();
  }
  const order = ORDER_BY.exec(jql);
  const by = (order?.[1] ?? 'id').toLowerCase();
  const sign = order?.[2]?.toLowerCase() === 'desc' ? -1 : 1;
  const key: (i: Issue) => number = by === 'updated' ? (i) => i.updatedMs : by === 'created' ? (i) => i.createdMs : (i) => Number(i.id);
  return {
    matches: (i) => (!ids || ids.includes(i.id) || ids.includes(i.key.toUpperCase())) && (fromMs === undefined || i.updatedMs >= fromMs),
    compare: (a, b) => sign * (key(a) - key(b)) || Number(a.id) - Number(b.id),
  };
}

/** Whether a field is in a search's selection (`id` only when none is asked for, as `/search/jql` does). */
function wanted(selection: readonly string[], id: string): boolean {
  if (selection.includes(`-${id}`)) return false;
  if (selection.includes(id)) return true;
  return selection.some((s) => s === '*all' || s === '*navigable') || (selection.length > 0 && selection.every((s) => s.startsWith('-')));
}

function offsetPage<T>(items: readonly T[], query: URLSearchParams, cap: number): { startAt: number; maxResults: number; page: T[]; isLast: boolean } {
  const startAt = intParam(query, 'startAt', 0);
  const maxResults = Math.min(intParam(query, 'maxResults', cap), cap);
  const page = items.slice(startAt, startAt + maxResults);
  return { startAt, maxResults, page, isLast: startAt + page.length >= items.length };
}

function intParam(query: URLSearchParams, key: string, fallback: number): number {
  const raw = query.get(key);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new BadRequest(`The value '${raw}' is not valid for the parameter '${key}'.`);
  return Number(raw);
}

function listParam(query: URLSearchParams, key: string): string[] {
  return query.getAll(key).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

function object(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('Request body must be a JSON object.');
  return body as Record<string, unknown>;
}

/** A list of strings from a JSON array (comma lists split, as Jira reads them). */
function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** An opaque page token: the request it belongs to and where the next page starts. */
function token(request: string, ...at: number[]): string {
  return Buffer.from(JSON.stringify([request, ...at])).toString('base64url');
}

/** Where a token says the next page starts; a token of another request (or none of ours) is Jira's 400. */
function readToken(text: string, request: string, count: number): number[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  const at = Array.isArray(parts) && parts[0] === request ? parts.slice(1) : [];
  if (at.length !== count || !at.every((n) => Number.isInteger(n) && n >= 0)) throw new BadRequest(INVALID_TOKEN);
  return at as number[];
}

// ---------------------------------------------------------------------------------------------------------------------
// What a capture may lack, derived from what it holds (a test building a capture says when it uses these).

/** The distinct `fields.fixVersions` entries of captured issues (by id, first seen first), as their captured texts. */
export function fixVersionsOf(issues: readonly JsonText[]): JsonText {
  return distinctFieldValues(issues, 'fixVersions', true);
}

/** The distinct `fields.issuetype` objects of captured issues (by id, first seen first), as their captured texts. */
export function issueTypesOf(issues: readonly JsonText[]): JsonText {
  return distinctFieldValues(issues, 'issuetype', false);
}

function distinctFieldValues(issues: readonly JsonText[], field: string, list: boolean): JsonText {
  const seen = new Map<string, JsonText>();
  for (const issue of issues.flatMap((text) => (text.trimStart().startsWith('[') ? rawElements(text) : [text]))) {
    const value = rawMember(rawMembers(rawMember(rawMembers(issue), 'fields') ?? '{}'), field);
    if (value === undefined || value === 'null') continue;
    for (const v of list ? rawElements(value) : [value]) {
      const id = String((JSON.parse(v) as { id?: unknown }).id);
      if (!seen.has(id)) seen.set(id, v);
    }
  }
  return rawArray([...seen.values()]);
}

/**
 * Board columns from the statuses' categories, for a capture without a board configuration: "To Do" (`new`),
 * "In Progress" (`indeterminate`), "Done" (`done`), each with every status of its category. A synthesis: a real
 * board maps only its workflow's statuses, and may split or merge columns.
 */
export function columnsByStatusCategory(statuses: JsonText): { name: string; statuses: { id: string }[] }[] {
  const list = JSON.parse(statuses) as { id: string | number; statusCategory: { key: string } }[];
  const of = (key: string) => list.filter((s) => s.statusCategory.key === key).map((s) => ({ id: String(s.id) }));
  return [
    { name: 'To Do', statuses: of('new') },
    { name: 'In Progress', statuses: of('indeterminate') },
    { name: 'Done', statuses: of('done') },
  ];
}
