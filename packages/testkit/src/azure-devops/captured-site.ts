import type { IncomingMessage, ServerResponse } from 'node:http';
import { type RecordedRequest, RequestLog } from '../http-sim/request-log';
import { type ReplayServer, bodyText, clockOf, listenOnLoopback } from '../http-sim/replay-http';
import { type JsonText, type RawMembers, rawArray, rawElements, rawMember, rawMembers, rawObject } from '../http-sim/raw-json';
import { type ApiResponse, DEFAULT_CAPS, WIQL_LIMIT, adoError, checkApiVersion, handleApi } from './api';
import type { AzureDevOpsSite } from './site';

/**
 * An Azure DevOps organisation that replays captured answers (Microsoft's published example responses, or any
 * capture) for one project and team on 127.0.0.1, through the route discovery azure-devops-node-api needs and the
 * resources the adapter reads.
 *
 * Served as captured, byte for byte (see `../http-sim/raw-json.ts`): team settings, team field values, team
 * iterations, work item types and their states, the iteration tree, and every work item revision. Derived from the
 * captured revisions, as the service derives them from its own:
 *
 * - `GET {project}/_apis/wit/workItems/{id}/revisions`: the captured revisions, `$top`/`$skip` paging (at most 200).
 * - `POST {project}/_apis/wit/workitemsbatch`: each item's last revision (its current state), only the fields asked
 *   for, as captured; `System.Id` and `System.Rev`, which revisions leave out, are written when asked for. An
 *   unknown id is `null` with `errorPolicy: omit`, else a 404.
 * - `POST|GET {project}/_apis/wit/reporting/workItemRevisions`: every captured revision of the project, ordered by
 *   `System.ChangedDate`, only the fields asked for (a field a revision has no value for is left out), identities as
 *   `"Display Name <unique name>"` strings unless `includeIdentityRef`; `continuationToken` paging (1 000 a batch,
 *   fewer with `$maxPageSize`). `feedLag` holds back the newest revisions, as the reporting store does until it
 *   catches up: the adapter must then read those items' revisions one by one.
 * - `POST {project}/{team}/_apis/wit/wiql`: not a WIQL engine. It reads the clauses the adapter sends:
 *   `[System.TeamProject] = @project`, `[System.AreaPath] UNDER|= '...'` (any of them), `[System.Id] > n`, and `$top`;
 *   the answer lists matching items by id, in the captured example's shape. Every other clause is ignored.
 *
 * Route discovery (`OPTIONS {org}/_apis/{area}`, resource areas) is the simulated Azure DevOps' own (`./api.ts`), as
 * are the api-version checks and error bodies. PAT basic authentication, a `Date` header from `now`, a request log.
 */

export interface CapturedAzureDevOpsOrg {
  /** The organisation's name: the first path segment (`fabrikam` in `https://dev.azure.com/fabrikam`). */
  readonly organization: string;
  readonly project: { readonly name: string; readonly id: string };
  readonly team: { readonly name: string; readonly id: string };
  /** `GET {project}/{team}/_apis/work/teamsettings`. */
  readonly teamSettings: JsonText;
  /** `GET {project}/{team}/_apis/work/teamsettings/teamfieldvalues`. */
  readonly teamFieldValues: JsonText;
  /** `GET {project}/{team}/_apis/work/teamsettings/iterations` (`{ count, value }`). */
  readonly iterations: JsonText;
  /** `GET {project}/_apis/wit/workitemtypes` (`{ count, value }`). */
  readonly workItemTypes: JsonText;
  /** `GET {project}/_apis/wit/workitemtypes/{type}/states`, by type name. */
  readonly states: Readonly<Record<string, JsonText>>;
  /** `GET {project}/_apis/wit/classificationNodes/Iterations` (the root node with its children). */
  readonly iterationTree: JsonText;
  /**
   * Each work item's revisions as `GET workItems/{id}/revisions` sends them (`{ count, value }` or the list), all of
   * them from revision 1: a capture missing one is refused (its history could not be served).
   */
  readonly revisions: readonly JsonText[];
}

export interface StartCapturedAzureDevOpsOptions {
  /** The personal access token (basic auth password, any user name). Default `capture-pat`. */
  readonly pat?: string;
  /** 0 (default) = a free port. */
  readonly port?: number;
  /** The server's clock (the `Date` header, WIQL `asOf`): epoch ms, an ISO instant or a function (default: the machine's). */
  readonly now?: number | string | (() => number);
  /** Revisions (the newest of the organisation) the reporting feed has not caught up with yet (default 0). */
  readonly feedLag?: number;
}

export type CapturedAzureDevOpsRequestKind =
  | 'location'
  | 'teamsettings'
  | 'teamfieldvalues'
  | 'iterations'
  | 'types'
  | 'states'
  | 'classificationNodes'
  | 'wiql'
  | 'workitemsbatch'
  | 'reportingRevisions'
  | 'revisions'
  | 'other';

/** `url` is `http://127.0.0.1:PORT/<organization>`: the organisation URL (`AZURE_DEVOPS_ORG_URL`). */
export interface CapturedAzureDevOps extends ReplayServer<CapturedAzureDevOpsRequestKind> {
  readonly pat: string;
}

interface Revision {
  readonly id: number;
  readonly rev: number;
  readonly text: JsonText;
  readonly fields: RawMembers;
  readonly changedMs: number;
}

interface WorkItem {
  readonly id: number;
  /** By revision number, from 1. */
  readonly revisions: readonly Revision[];
  readonly project: string;
  readonly areaPath: string;
}

interface Request {
  readonly method: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly match: RegExpExecArray;
}

interface Route {
  readonly method: string;
  /** Matched against the decoded path after `_apis`, case-insensitively. */
  readonly pattern: RegExp;
  /** What comes before `_apis`: the project, the project and its team, or either. */
  readonly scope: 'project' | 'team' | 'either';
  readonly kind: CapturedAzureDevOpsRequestKind;
  readonly answer: (r: Request) => Answer;
}

interface Answer {
  readonly status: number;
  readonly text: string;
}

const JSON_TYPE = 'application/json; charset=utf-8; api-version=7.1';
const BATCH_LIMIT = 200;
const REVISIONS_CAP = 200;
const FEED_CAP = 1000;

const ok = (text: JsonText): Answer => ({ status: 200, text });
const fromApi = (r: ApiResponse): Answer => ({ status: r.status, text: typeof r.body === 'string' ? r.body : JSON.stringify(r.body) });
const bad = (message: string, typeKey = 'ArgumentException'): Answer => fromApi(adoError(400, message, typeKey, `System.${typeKey}, mscorlib`));

/** Starts the replay server for one captured project and team. */
export async function startCapturedAzureDevOps(org: CapturedAzureDevOpsOrg, options: StartCapturedAzureDevOpsOptions = {}): Promise<CapturedAzureDevOps> {
  const pat = options.pat ?? 'capture-pat';
  const now = clockOf(options.now ?? Date.now);
  const requests = new RequestLog<CapturedAzureDevOpsRequestKind>();
  let baseUrl = '';
  const site = new CapturedOrg(org, options.feedLag ?? 0, () => baseUrl, now);
  let seq = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const arrived = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await bodyText(req);
    const segments = url.pathname.split('/').filter(Boolean);
    const inOrg = segments[0]?.toLowerCase() === org.organization.toLowerCase();
    const path = `/${segments.slice(1).join('/')}`;
    const record: RecordedRequest<CapturedAzureDevOpsRequestKind> = {
      seq: ++seq,
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      kind: inOrg ? site.kindOf(method, path) : 'other',
      status: 0,
      at: arrived,
      durationMs: 0,
    };
    let answer: Answer;
    if (!inOrg) answer = fromApi(adoError(404, `TF400813: The organization for the path '${url.pathname}' was not found.`, 'OrganizationNotFoundException'));
    else if (!patMatches(req.headers.authorization, pat)) answer = fromApi(adoError(401, "TF400813: The user '' is not authorized to access this resource.", 'UnauthorizedRequestException'));
    else {
      const body = readJson(raw);
      if (body !== undefined) (record as { body?: unknown }).body = body;
      answer = body === UNREADABLE ? bad('The request body is not valid JSON.') : site.answer(method, path, url.searchParams, body, apiVersion(req, url.searchParams));
    }
    requests.add(record);
    record.status = answer.status;
    record.durationMs = Date.now() - arrived;
    res.writeHead(answer.status, { date: new Date(now()).toUTCString(), 'content-type': JSON_TYPE, activityid: `capture-${seq}`, 'content-length': String(Buffer.byteLength(answer.text)) });
    res.end(method === 'HEAD' ? undefined : answer.text);
  };
  const server = await listenOnLoopback((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': JSON_TYPE });
      res.end(JSON.stringify({ message: `TF400898: An Internal Error Occurred. ${String(e)}` }));
    });
  }, options.port);
  baseUrl = `http://127.0.0.1:${server.port}/${org.organization}`;
  return {
    url: baseUrl,
    pat,
    requests,
    close: server.close,
  };
}

/** The captured project and team and how Azure DevOps answers about them (no HTTP here). */
class CapturedOrg {
  private readonly items: ReadonlyMap<number, WorkItem>;
  /** Every revision in the order the reporting feed sends them, without those it has not caught up with. */
  private readonly feed: readonly Revision[];
  private readonly routes: readonly Route[];

  constructor(
    private readonly org: CapturedAzureDevOpsOrg,
    feedLag: number,
    private readonly baseUrl: () => string,
    private readonly now: () => number,
  ) {
    this.items = new Map(org.revisions.map(readWorkItem).map((w) => [w.id, w]));
    const all = [...this.items.values()].flatMap((w) => w.revisions).sort((a, b) => a.changedMs - b.changedMs || a.id - b.id || a.rev - b.rev);
    this.feed = all.slice(0, Math.max(0, all.length - feedLag));
    const states = new Map(Object.entries(org.states).map(([k, v]) => [k.toLowerCase(), v]));
    this.routes = [
      { method: 'GET', pattern: /^work\/teamsettings$/i, scope: 'team', kind: 'teamsettings', answer: () => ok(org.teamSettings) },
      { method: 'GET', pattern: /^work\/teamsettings\/teamfieldvalues$/i, scope: 'team', kind: 'teamfieldvalues', answer: () => ok(org.teamFieldValues) },
      { method: 'GET', pattern: /^work\/teamsettings\/iterations$/i, scope: 'team', kind: 'iterations', answer: () => ok(org.iterations) },
      { method: 'GET', pattern: /^wit\/workitemtypes$/i, scope: 'project', kind: 'types', answer: () => ok(org.workItemTypes) },
      {
        method: 'GET',
        pattern: /^wit\/workitemtypes\/([^/]+)\/states$/i,
        scope: 'project',
        kind: 'states',
        answer: (r) => {
          const text = states.get(r.match[1]!.toLowerCase());
          return text ? ok(text) : fromApi(adoError(404, `VS402323: Work item type ${r.match[1]} does not exist.`, 'WorkItemTypeNotFoundException'));
        },
      },
      { method: 'GET', pattern: /^wit\/classificationnodes\/iterations$/i, scope: 'project', kind: 'classificationNodes', answer: () => ok(org.iterationTree) },
      { method: 'POST', pattern: /^wit\/wiql$/i, scope: 'either', kind: 'wiql', answer: (r) => this.wiql(r) },
      { method: 'POST', pattern: /^wit\/workitemsbatch$/i, scope: 'project', kind: 'workitemsbatch', answer: (r) => this.batch(r) },
      { method: 'POST', pattern: /^wit\/reporting\/workitemrevisions$/i, scope: 'project', kind: 'reportingRevisions', answer: (r) => this.revisionFeed(r) },
      { method: 'GET', pattern: /^wit\/reporting\/workitemrevisions$/i, scope: 'project', kind: 'reportingRevisions', answer: (r) => this.revisionFeed(r) },
      { method: 'GET', pattern: /^wit\/workitems\/(\d+)\/revisions$/i, scope: 'project', kind: 'revisions', answer: (r) => this.itemRevisions(r) },
    ];
  }

  kindOf(method: string, path: string): CapturedAzureDevOpsRequestKind {
    const p = split(path);
    if (method === 'OPTIONS' || /^resourceareas(\/|$)/i.test(p?.rest ?? '')) return 'location';
    return (p && this.routes.find((r) => r.pattern.test(p.rest))?.kind) ?? 'other';
  }

  answer(method: string, path: string, query: URLSearchParams, body: unknown, version: string | undefined): Answer {
    const p = split(path);
    const notFound = fromApi(adoError(404, `The controller for path '/${this.org.organization}${path}' was not found or does not implement IController.`, 'HttpException', 'System.Web.HttpException, System.Web', 0));
    if (!p) return notFound;
    // Route discovery: the simulated Azure DevOps' location service (it reads nothing of a site but these two).
    if (this.kindOf(method, path) === 'location') {
      const stub = { organization: this.org.organization, baseUrl: this.baseUrl() } as unknown as AzureDevOpsSite;
      return fromApi(handleApi(stub, { caps: DEFAULT_CAPS, wiqlLimit: WIQL_LIMIT }, { method, path, query }));
    }
    const versionError = checkApiVersion(method, version);
    if (versionError) return fromApi(versionError);
    const candidates = this.routes.filter((r) => r.pattern.test(p.rest));
    const route = candidates.find((r) => r.method === method);
    if (!route) return candidates.length ? fromApi(adoError(405, `The requested resource does not support http method '${method}'.`, 'HttpException', 'System.Web.HttpException, System.Web', 0)) : notFound;
    const [project, team] = p.prefix;
    const wantsTeam = route.scope === 'team' || (route.scope === 'either' && team !== undefined);
    if (project === undefined || (wantsTeam ? team === undefined || p.prefix.length > 2 : p.prefix.length > 1)) return notFound;
    if (!named(this.org.project, project)) {
      return fromApi(adoError(404, `TF200016: The following project does not exist: ${project}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`, 'ProjectDoesNotExistWithNameException'));
    }
    if (wantsTeam && !named(this.org.team, team!)) return fromApi(adoError(404, `The team with id '${team}' does not exist.`, 'TeamNotFoundException'));
    return route.answer({ method, query, body, match: route.pattern.exec(p.rest)! });
  }

  private workItemUrl(id: number): string {
    return `${this.baseUrl()}/_apis/wit/workItems/${id}`;
  }

  private inProject(w: WorkItem): boolean {
    return w.project.toLowerCase() === this.org.project.name.toLowerCase();
  }

  private wiql(r: Request): Answer {
    const query = (r.body as { query?: unknown } | undefined)?.query;
    if (typeof query !== 'string') return bad('The request body must contain the query: {"query": "SELECT ... FROM WorkItems ..."}.', 'ArgumentNullException');
    const topText = r.query.get('$top');
    const top = topText === null ? undefined : Number(topText);
    if (top !== undefined && (!Number.isInteger(top) || top < 0)) return bad(`The value '${topText}' is not valid for $top.`);
    const areas = [...query.matchAll(/\[System\.AreaPath\]\s*(UNDER|=)\s*'((?:[^']|'')*)'/gi)].map((m) => ({ under: m[1]!.toUpperCase() === 'UNDER', path: m[2]!.replace(/''/g, "'").toLowerCase() }));
    const after = Number(/\[System\.Id\]\s*>\s*(\d+)/i.exec(query)?.[1] ?? -1);
    const onlyProject = /\[System\.TeamProject\]\s*=\s*@project/i.test(query);
    const inArea = (w: WorkItem) => {
      const a = w.areaPath.toLowerCase();
      return areas.length === 0 || areas.some((x) => a === x.path || (x.under && a.startsWith(`${x.path}\\`)));
    };
    const ids = [...this.items.values()]
      .filter((w) => w.id > after && (!onlyProject || this.inProject(w)) && inArea(w))
      .map((w) => w.id)
      .sort((a, b) => a - b)
      .slice(0, top ?? Infinity);
    const column = { referenceName: 'System.Id', name: 'ID', url: `${this.baseUrl()}/_apis/wit/fields/System.Id` };
    return ok(
      JSON.stringify({
        queryType: 'flat',
        queryResultType: 'workItem',
        asOf: new Date(this.now()).toISOString(),
        columns: [column],
        sortColumns: [{ field: column, descending: false }],
        workItems: ids.map((id) => ({ id, url: this.workItemUrl(id) })),
      }),
    );
  }

  private batch(r: Request): Answer {
    const b = (r.body ?? {}) as { ids?: unknown; fields?: unknown; errorPolicy?: unknown };
    if (!Array.isArray(b.ids) || b.ids.length === 0) return bad('VS403478: The ids parameter is required: specify the work item ids to get.', 'ArgumentNullException');
    if (b.ids.length > BATCH_LIMIT) return bad(`VS403474: You requested ${b.ids.length} work items which exceeds the limit of ${BATCH_LIMIT}.`);
    const fields = Array.isArray(b.fields) && b.fields.length ? b.fields.map(String) : undefined;
    const omit = String(b.errorPolicy ?? 'fail').toLowerCase() === 'omit';
    const value: string[] = [];
    for (const id of b.ids.map(Number)) {
      const w = this.items.get(id);
      if (!w || !this.inProject(w)) {
        if (!omit) return fromApi(adoError(404, `TF401232: Work item ${id} does not exist, or you do not have permissions to read it.`, 'WorkItemUnauthorizedAccessException'));
        value.push('null');
        continue;
      }
      const last = w.revisions[w.revisions.length - 1]!;
      const written: RawMembers = [
        ['System.Id', String(w.id)],
        ['System.Rev', String(last.rev)],
      ];
      const present = [...last.fields, ...written.filter(([k]) => !last.fields.some(([f]) => f === k))];
      const kept = fields ? present.filter(([k]) => fields.some((f) => f.toLowerCase() === k.toLowerCase())) : last.fields;
      value.push(rawObject([['id', String(w.id)], ['rev', String(last.rev)], ['fields', rawObject(kept)], ['url', JSON.stringify(this.workItemUrl(w.id))]]));
    }
    return ok(`{"count":${value.length},"value":${rawArray(value)}}`);
  }

  private revisionFeed(r: Request): Answer {
    const post = r.method === 'POST';
    const body = (post ? (r.body ?? {}) : {}) as { fields?: unknown; includeIdentityRef?: unknown };
    const listed = post ? (Array.isArray(body.fields) ? body.fields.map(String) : []) : (r.query.get('fields') ?? '').split(',').map((f) => f.trim()).filter(Boolean);
    const identityRefs = post ? body.includeIdentityRef === true : r.query.get('includeIdentityRef') === 'true';
    const token = r.query.get('continuationToken');
    if (token !== null && token !== '' && !/^\d+$/.test(token)) return bad(`The continuation token '${token}' is not valid.`);
    const maxPage = Number(r.query.get('$maxPageSize') ?? FEED_CAP);
    const size = Math.max(1, Math.min(FEED_CAP, Number.isFinite(maxPage) && maxPage > 0 ? maxPage : FEED_CAP));
    const mine = this.feed.filter((x) => this.inProject(this.items.get(x.id)!));
    const from = token ? Math.min(Number(token), mine.length) : 0;
    const page = mine.slice(from, from + size);
    const values = page.map((x) => {
      const kept = listed.length ? x.fields.filter(([k]) => listed.some((f) => f.toLowerCase() === k.toLowerCase())) : x.fields;
      const fields = identityRefs ? kept : kept.map(([k, v]): [string, string] => [k, identityString(v)]);
      return rawObject([['id', String(x.id)], ['rev', String(x.rev)], ['fields', rawObject(fields)]]);
    });
    const next = String(from + page.length);
    const nextLink = `${this.baseUrl()}/${encodeURIComponent(this.org.project.name)}/_apis/wit/reporting/workItemRevisions?continuationToken=${next}&api-version=7.1`;
    return ok(`{"values":${rawArray(values)},"nextLink":${JSON.stringify(nextLink)},"continuationToken":${JSON.stringify(next)},"isLastBatch":${from + page.length >= mine.length}}`);
  }

  private itemRevisions(r: Request): Answer {
    const id = Number(r.match[1]);
    const w = this.items.get(id);
    if (!w || !this.inProject(w)) return fromApi(adoError(404, `TF401232: Work item ${id} does not exist, or you do not have permissions to read it.`, 'WorkItemUnauthorizedAccessException'));
    const number = (name: string, fallback: number) => {
      const text = r.query.get(name);
      const n = text === null ? fallback : Number(text);
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`The value '${text}' is not valid for ${name}.`);
      return n;
    };
    let skip: number;
    let top: number;
    try {
      skip = number('$skip', 0);
      top = Math.min(number('$top', REVISIONS_CAP), REVISIONS_CAP);
    } catch (e) {
      return bad((e as Error).message);
    }
    const page = w.revisions.slice(skip, skip + top).map((x) => x.text);
    return ok(`{"count":${page.length},"value":${rawArray(page)}}`);
  }
}

function readWorkItem(text: JsonText): WorkItem {
  const list = text.trimStart().startsWith('[') ? text : (rawMember(rawMembers(text), 'value') ?? '[]');
  const revisions = rawElements(list)
    .map((t): Revision => {
      const members = rawMembers(t);
      const fields = rawMembers(rawMember(members, 'fields') ?? '{}');
      const changed = JSON.parse(rawMember(fields, 'System.ChangedDate') ?? 'null') as unknown;
      const changedMs = typeof changed === 'string' ? Date.parse(changed) : NaN;
      const id = Number(JSON.parse(rawMember(members, 'id') ?? 'null'));
      const rev = Number(JSON.parse(rawMember(members, 'rev') ?? 'null'));
      if (!Number.isInteger(id) || !Number.isInteger(rev) || !Number.isFinite(changedMs)) throw new RangeError(`a captured revision has no id, rev or System.ChangedDate: ${t.slice(0, 80)}`);
      return { id, rev, text: t, fields, changedMs };
    })
    .sort((a, b) => a.rev - b.rev);
  const first = revisions[0];
  if (!first || revisions.some((r, i) => r.rev !== i + 1 || r.id !== first.id)) {
    throw new RangeError(`the capture of work item ${first?.id ?? '?'} does not hold revisions 1 to ${revisions.length} of one item: its history cannot be served`);
  }
  const last = revisions[revisions.length - 1]!;
  const field = (name: string) => String(JSON.parse(rawMember(last.fields, name) ?? '""') as unknown);
  return { id: first.id, revisions, project: field('System.TeamProject'), areaPath: field('System.AreaPath') };
}

/** An identity as the reporting feed writes it without `includeIdentityRef`: `Display Name <unique name>`. */
function identityString(text: JsonText): JsonText {
  if (!text.trimStart().startsWith('{')) return text;
  const v = JSON.parse(text) as { displayName?: unknown; uniqueName?: unknown };
  return typeof v.displayName === 'string' ? JSON.stringify(typeof v.uniqueName === 'string' ? `${v.displayName} <${v.uniqueName}>` : v.displayName) : text;
}

/** Project (and team) before `_apis`, and the decoded rest after it. */
function split(path: string): { prefix: string[]; rest: string } | undefined {
  const parts = path.split('/').filter(Boolean).map((x) => {
    try {
      return decodeURIComponent(x);
    } catch {
      return x;
    }
  });
  const at = parts.findIndex((x) => x.toLowerCase() === '_apis');
  return at < 0 || at > 2 ? undefined : { prefix: parts.slice(0, at), rest: parts.slice(at + 1).join('/') };
}

const named = (thing: { name: string; id: string }, ref: string) => ref.toLowerCase() === thing.name.toLowerCase() || ref.toLowerCase() === thing.id.toLowerCase();

/** Basic authentication whose password is the PAT (azure-devops-node-api sends `PAT:<pat>`). */
function patMatches(header: string | undefined, pat: string): boolean {
  const encoded = /^Basic\s+(\S+)$/i.exec(header?.trim() ?? '')?.[1];
  if (!encoded) return false;
  const pair = Buffer.from(encoded, 'base64').toString('utf8');
  return pair.slice(pair.indexOf(':') + 1) === pat && pair.includes(':');
}

function apiVersion(req: IncomingMessage, query: URLSearchParams): string | undefined {
  return query.get('api-version') ?? /api-version=([^;,\s]+)/i.exec(String(req.headers.accept ?? ''))?.[1];
}

const UNREADABLE = Symbol('unreadable');

/** A request body: JSON, nothing, or not JSON. */
function readJson(raw: string): unknown {
  if (!raw.length) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return UNREADABLE;
  }
}

/** The 200 body of one of Microsoft's `httpExamples` files, as its text (`responses["200"].body`). */
export function httpExampleBody(file: JsonText): JsonText {
  const body = rawMember(rawMembers(rawMember(rawMembers(rawMember(rawMembers(file), 'responses') ?? '{}'), '200') ?? '{}'), 'body');
  if (body === undefined) throw new RangeError('the example has no 200 response body');
  return body;
}
