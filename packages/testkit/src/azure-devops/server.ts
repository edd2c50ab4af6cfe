import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatedTeam } from '../ground-truth';
import { simulateOrganisation } from '../simulate-organisation';
import type { SimulateOrganisationOptions } from '../simulate-organisation';
import { adoError, DEFAULT_CAPS, handleApi, RELEASED_VERSION, requestKind, WIQL_LIMIT } from './api';
import type { ApiConfig, ApiResponse, PageCaps } from './api';
import { FaultPlan } from './faults';
import type { AzureDevOpsFaults, FaultDecision } from './faults';
import { RequestLog } from './requests';
import type { RequestKind, RequestRecord } from './requests';
import { AzureDevOpsSite } from './site';
import type { AzureDevOpsSiteOptions } from './site';
import { parseInstant } from './time';
import { tamperWith, type WireTamper } from '../http-sim/wire-tamper';

/**
 * A simulated Azure DevOps Services organisation on 127.0.0.1 (node:http only), answering as the real REST APIs do
 * for the real azure-devops-node-api: route discovery, PAT (basic) authentication, Azure DevOps' paging and error
 * bodies, throttling (blocked and delayed requests), faults on demand, a request log, and time travel.
 */

export interface StartSimulatedAzureDevOpsOptions extends Omit<AzureDevOpsSiteOptions, 'baseUrl' | 'now'> {
  /** The teams (one project and team each), or options to simulate an organisation. */
  teams: readonly SimulatedTeam[] | SimulateOrganisationOptions;
  /** The personal access token (basic auth password, any user name). Default 'sim-pat'. */
  pat?: string;
  /** 0 (default) = a free port. */
  port?: number;
  pageCaps?: PageCaps;
  /** WIQL result size limit without `$top` (default 20 000, as Azure DevOps). */
  wiqlLimit?: number;
  faults?: AzureDevOpsFaults;
  /** The site clock: epoch ms, ISO instant or function (default `Date.now`). */
  now?: number | string | (() => number);
}

export interface SimulatedAzureDevOpsSettings {
  pageCaps?: PageCaps;
  wiqlLimit?: number;
}

export interface SimulatedAzureDevOps {
  /** `http://127.0.0.1:PORT/<org>`: the organisation URL for `new WebApi(url, getPersonalAccessTokenHandler(pat))`. */
  readonly url: string;
  readonly organization: string;
  readonly pat: string;
  /** One project per team: its name (the team key), its team's name, and the team's index. */
  readonly projects: readonly { name: string; team: string; teamIndex: number }[];
  /** The data, its id map and the mutations (`site.edit`, `site.createWorkItem`...): the site being served now. */
  readonly site: AzureDevOpsSite;
  readonly requests: RequestLog;
  /** Changes what is sent on the wire (a malformed field, a deleted item): see {@link WireTamper}; `undefined` stops. */
  tamper(fn: WireTamper<RequestKind> | undefined): void;
  /** Replaces the faults; request numbers count from 1 again. */
  setFaults(faults: AzureDevOpsFaults): void;
  /** Changes page caps or the WIQL limit at runtime. */
  configure(settings: SimulatedAzureDevOpsSettings): void;
  /**
   * Serves a new site built from `teams` at the same URL, with the same PAT, process, settings, faults and request
   * log (typically `teams.map((t) => snapshotAt(t, T))`: the organisation as it was at T). Ids and watermarks are the
   * same as in any other site built from the same teams cut at any instant; mutations of the previous site are
   * dropped with it. Returns the new site.
   */
  serve(teams: readonly SimulatedTeam[], options?: ServeOptions): AzureDevOpsSite;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** The new site's clock: epoch ms, ISO instant or function. Default: fixed at the latest `asOf` of the teams. */
  now?: number | string | (() => number);
}

const JSON_TYPE = (version: string): string => `application/json; charset=utf-8; api-version=${version}`;
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export async function startSimulatedAzureDevOps(options: StartSimulatedAzureDevOpsOptions): Promise<SimulatedAzureDevOps> {
  const teams = Array.isArray(options.teams)
    ? (options.teams as readonly SimulatedTeam[])
    : simulateOrganisation(options.teams as SimulateOrganisationOptions);
  const pat = options.pat ?? 'sim-pat';
  const { teams: _t, pat: _p, port: _o, pageCaps: _c, wiqlLimit: _w, faults: _f, now: _n, ...siteOptions } = options;
  let site = new AzureDevOpsSite(teams, { ...siteOptions, now: clockOf(options.now ?? Date.now) });
  const organization = site.organization;
  const requests = new RequestLog();
  const cfg: ApiConfig = {
    caps: { ...DEFAULT_CAPS, ...definedOnly(options.pageCaps ?? {}) },
    wiqlLimit: options.wiqlLimit ?? WIQL_LIMIT,
  };
  let faults = new FaultPlan(options.faults ?? {});
  let tamper: WireTamper<RequestKind> | undefined;
  let seq = 0;
  const processId = randomUUID();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const arrived = Date.now();
    seq += 1;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const orgPrefix = `/${organization.toLowerCase()}`;
    const lowerPath = url.pathname.toLowerCase();
    const inOrg = lowerPath === orgPrefix || lowerPath.startsWith(`${orgPrefix}/`);
    const path = inOrg ? url.pathname.slice(orgPrefix.length) || '/' : url.pathname;
    const kind = inOrg ? requestKind(method, path) : 'other';
    const apiVersion = apiVersionOf(req, url.searchParams);
    const raw = await readBody(req);
    const record: RequestRecord = {
      seq,
      method,
      path,
      query: queryRecord(url.searchParams),
      ...(apiVersion !== undefined ? { apiVersion } : {}),
      kind,
      status: 0,
      at: arrived,
      durationMs: 0,
    };
    requests.add(record);

    let response: ApiResponse;
    let fault: FaultDecision | null = null;
    let body: unknown;
    if (!inOrg) {
      response = adoError(404, `TF400813: The organization for the path '${url.pathname}' was not found.`, 'OrganizationNotFoundException');
    } else if (!authorized(req.headers.authorization, pat)) {
      response = unauthorized(req);
    } else {
      fault = faults.decide(kind);
      const delay = faults.latency(kind, path);
      if (delay > 0) await sleep(delay);
      if (fault?.kind === 'delayed' && fault.holdMs > 0) await sleep(fault.holdMs);
      if (fault) record.fault = fault.kind;
      if (fault && fault.kind !== 'delayed') {
        response = faultResponse(fault, site.nowMs());
      } else {
        if (raw.length > 0) {
          try {
            body = JSON.parse(raw);
          } catch {
            body = undefined;
          }
        }
        if (raw.length > 0 && body === undefined) {
          response = adoError(400, 'The request body is not valid JSON.', 'ArgumentException', 'System.ArgumentException, mscorlib');
        } else {
          try {
            response = handleApi(site, cfg, { method, path, query: url.searchParams, ...(body !== undefined ? { body } : {}), ...(apiVersion !== undefined ? { apiVersion } : {}) });
          } catch (e) {
            response = adoError(500, `TF400898: An Internal Error Occurred. Activity Id: ${randomUUID()}. ${(e as Error).message}`, 'InternalServerErrorException');
          }
        }
        if (fault?.kind === 'delayed') response = { ...response, headers: { ...response.headers, ...throttleHeaders(fault, site.nowMs(), '0') } };
      }
    }
    if (body !== undefined) (record as { body?: unknown }).body = body;
    const activity = randomUUID();
    const headers: OutgoingHttpHeaders = {
      // The site's clock, not the machine's: a client reading the server's time sees the simulated instant.
      date: new Date(site.nowMs()).toUTCString(),
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'x-tfs-processid': processId,
      activityid: activity,
      'x-tfs-session': activity,
      'x-vss-e2eid': activity,
      'x-vss-userdata': '',
      ...(typeof response.body === 'string' ? {} : { 'content-type': JSON_TYPE(versionNumber(apiVersion)) }),
      ...response.headers,
    };
    const sent = tamperWith(tamper, { kind, method, path, ...(body !== undefined ? { requestBody: body } : {}) }, response);
    const payload = typeof sent === 'string' ? sent : JSON.stringify(sent);
    record.status = response.status;
    record.durationMs = Date.now() - arrived;
    res.writeHead(response.status, { ...headers, 'content-length': String(Buffer.byteLength(payload)) });
    res.end(method === 'HEAD' ? undefined : payload);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': JSON_TYPE(RELEASED_VERSION), date: new Date(site.nowMs()).toUTCString() });
      res.end(JSON.stringify({ message: String(e) }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/${organization}`;
  site.baseUrl = url;

  return {
    url,
    organization,
    pat,
    get projects() {
      return site.projects.map((p) => ({ name: p.name, team: p.team.name, teamIndex: p.index }));
    },
    get site() {
      return site;
    },
    requests,
    tamper(fn: WireTamper<RequestKind> | undefined): void {
      tamper = fn;
    },
    setFaults(next: AzureDevOpsFaults): void {
      faults = new FaultPlan(next);
    },
    configure(settings: SimulatedAzureDevOpsSettings): void {
      if (settings.pageCaps) cfg.caps = { ...cfg.caps, ...definedOnly(settings.pageCaps) };
      if (settings.wiqlLimit !== undefined) cfg.wiqlLimit = settings.wiqlLimit;
    },
    serve(next: readonly SimulatedTeam[], serveOptions: ServeOptions = {}): AzureDevOpsSite {
      const clock = serveOptions.now ?? Math.max(...next.map((t) => parseInstant(t.snapshot.asOf)));
      site = new AzureDevOpsSite(next, { ...siteOptions, organization, baseUrl: url, now: clockOf(clock) });
      return site;
    },
    close(): Promise<void> {
      return new Promise((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

/** Basic auth with any user name and the PAT as password (what `getPersonalAccessTokenHandler` sends: `PAT:<pat>`). */
function authorized(header: string | undefined, pat: string): boolean {
  if (!header) return false;
  const m = /^Basic\s+(\S+)$/i.exec(header.trim());
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && decoded.slice(colon + 1) === pat;
}

/**
 * Azure DevOps answers a request without valid credentials with 401 and TF400813 when the client suppresses the
 * sign-in redirect (`X-TFS-FedAuthRedirect: Suppress`, which azure-devops-node-api always sends), and otherwise
 * with 203 and the HTML sign-in page.
 */
function unauthorized(req: IncomingMessage): ApiResponse {
  const suppress = String(req.headers['x-tfs-fedauthredirect'] ?? '').toLowerCase() === 'suppress';
  if (!suppress) {
    return {
      status: 203,
      body: '<!DOCTYPE html><html><head><title>Azure DevOps Services | Sign In</title></head><body><h1>Sign in</h1><p>Sign in to continue to Azure DevOps.</p></body></html>',
      headers: { 'content-type': 'text/html; charset=utf-8' },
    };
  }
  const message = "TF400813: The user '' is not authorized to access this resource.";
  const base = adoError(401, message, 'UnauthorizedRequestException', 'Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server');
  return {
    ...base,
    headers: {
      'www-authenticate': `Bearer authorization_uri=https://login.microsoftonline.com/${TENANT}, Basic realm="https://tfsprodweu5.visualstudio.com/", TFS-Federated`,
      'x-tfs-fedauthrealm': 'https://app.vssps.visualstudio.com/',
      'x-tfs-fedauthissuer': 'https://spsprodweu5.vssps.visualstudio.com/',
      'x-vss-resourcetenant': TENANT,
      'x-tfs-serviceerror': encodeURIComponent(message),
    },
  };
}

function throttleHeaders(f: { retryAfterSeconds: number; delaySeconds: number; resource: string }, now: number, remaining: string): Record<string, string> {
  return {
    'retry-after': String(f.retryAfterSeconds),
    'x-ratelimit-resource': f.resource,
    'x-ratelimit-delay': f.delaySeconds.toFixed(3),
    'x-ratelimit-limit': '200',
    'x-ratelimit-remaining': remaining,
    'x-ratelimit-reset': String(Math.ceil(now / 1000) + f.retryAfterSeconds),
  };
}

function faultResponse(fault: Exclude<FaultDecision, { kind: 'delayed' }>, now: number): ApiResponse {
  switch (fault.kind) {
    case '429': {
      const body = adoError(
        429,
        `TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource '${fault.resource}' in namespace 'User'. For more information on why your request was blocked, see the topic "Rate limits" on the Microsoft Web site (https://go.microsoft.com/fwlink/?LinkId=823950).`,
        'RequestBlockedException',
        'Microsoft.TeamFoundation.Framework.Server.RequestBlockedException, Microsoft.TeamFoundation.Framework.Server',
      );
      return { ...body, headers: throttleHeaders(fault, now, '0') };
    }
    case '503':
      return {
        status: 503,
        body: '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>Azure DevOps Services is unavailable</h1></body></html>',
        headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': String(fault.retryAfterSeconds) },
      };
    case '502':
      return {
        status: 502,
        body: '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>',
        headers: { 'content-type': 'text/html; charset=utf-8' },
      };
    case '500':
    case 'hard-failure':
      return adoError(500, `TF400898: An Internal Error Occurred. Activity Id: ${randomUUID()}.`, 'InternalServerErrorException', 'Microsoft.TeamFoundation.Framework.Server.InternalServerErrorException, Microsoft.TeamFoundation.Framework.Server', 0);
  }
}

/** The api-version of the Accept header (`application/json;api-version=7.1-preview.2`) or the query. */
function apiVersionOf(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const fromQuery = query.get('api-version');
  if (fromQuery !== null) return fromQuery;
  const accept = String(req.headers.accept ?? '');
  const m = /api-version=([^;,\s]+)/i.exec(accept);
  return m ? m[1] : undefined;
}

function versionNumber(version: string | undefined): string {
  const m = version ? /^(\d+\.\d+)/.exec(version) : null;
  return m ? m[1]! : RELEASED_VERSION;
}

function clockOf(clock: number | string | (() => number)): () => number {
  if (typeof clock === 'function') return clock;
  const ms = typeof clock === 'number' ? clock : parseInstant(clock);
  return () => ms;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
