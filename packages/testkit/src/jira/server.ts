import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatedTeam } from '../ground-truth';
import { simulateOrganisation } from '../simulate-organisation';
import type { SimulateOrganisationOptions } from '../simulate-organisation';
import { DEFAULT_CAPS, handleApi, requestKind } from './api';
import type { ApiConfig, ApiResponse, PageCaps } from './api';
import { FaultPlan } from './faults';
import type { FaultDecision, JiraFaults } from './faults';
import { RequestLog } from './requests';
import type { RequestKind, RequestRecord } from './requests';
import { ServiceDesk, type ServiceProjectInput } from './service-desk';
import { JiraSite } from './site';
import type { JiraSiteOptions } from './site';
import { parseInstant } from './time';
import { tamperWith, type WireTamper } from '../http-sim/wire-tamper';

/**
 * A simulated Jira Cloud on 127.0.0.1 (node:http only), answering as the real REST APIs do: basic authentication,
 * Jira's paging and error bodies, rate limiting and faults on demand, and a request log.
 */

export interface StartSimulatedJiraOptions extends Omit<JiraSiteOptions, 'baseUrl' | 'email'> {
  /** The teams (one project and scrum board each), or options to simulate an organisation. */
  teams: readonly SimulatedTeam[] | SimulateOrganisationOptions;
  /** Basic-auth user (default `sim@example.com`). */
  email?: string;
  /** Basic-auth API token (default `sim-api-token`). */
  apiToken?: string;
  /** 0 (default) = a free port. */
  port?: number;
  pageCaps?: PageCaps;
  /** Histories embedded by `expand=changelog` on search (default 40). */
  changelogTruncation?: number;
  faults?: JiraFaults;
  /** Whether the greenhopper velocity endpoint answers (default true; false = 404). */
  velocityReport?: boolean;
  /** Closed sprints in the velocity report, newest first (default: all). */
  velocitySprints?: number;
  /** `/changelog/bulkfetch` history `created`: epoch milliseconds as Jira Cloud sends them (default) or ISO strings. */
  bulkfetchCreated?: 'epoch-ms' | 'iso';
  /** `X-RateLimit-Limit` of normal responses; `X-RateLimit-Remaining` counts down per rolling minute (default 1000). */
  rateLimitBudget?: number;
  /**
   * Jira Service Management: service projects with their requests and satisfaction ratings (the Satisfaction fields
   * appear in `/field` only when there are some). Kept across {@link SimulatedJira.serve} as first given.
   */
  serviceProjects?: readonly ServiceProjectInput[];
}

export interface SimulatedJiraSettings {
  pageCaps?: PageCaps;
  changelogTruncation?: number;
  velocityReport?: boolean;
  velocitySprints?: number | null;
  bulkfetchCreated?: 'epoch-ms' | 'iso';
}

export interface SimulatedJira {
  /** `http://127.0.0.1:PORT`: the `host` for jira.js. */
  readonly url: string;
  readonly email: string;
  readonly apiToken: string;
  readonly boards: readonly { id: number; projectKey: string; teamIndex: number }[];
  /** The data, its id map and the mutations (`site.edit`, `site.createIssue`...): the site being served now. */
  readonly site: JiraSite;
  /** The site's service projects and their ratings (`serviceDesk.rate('SUP-3', 2)`), when `serviceProjects` was given. */
  readonly serviceDesk: ServiceDesk | undefined;
  readonly requests: RequestLog;
  /** Changes what is sent on the wire (a malformed field, a deleted item): see {@link WireTamper}; `undefined` stops. */
  tamper(fn: WireTamper<RequestKind> | undefined): void;
  /** Replaces the faults; request numbers count from 1 again. */
  setFaults(faults: JiraFaults): void;
  /** Changes page caps, changelog truncation or the velocity endpoint at runtime. */
  configure(settings: SimulatedJiraSettings): void;
  /**
   * Serves a new site built from `teams` at the same URL, with the same credentials, settings, faults, request log
   * and permissions (typically `teams.map((t) => snapshotAt(t, T))`: the site as it was at T). Jira ids are the
   * same as in any other site built from the same simulated teams (cut at any instant). Mutations made on the
   * previous site are dropped with it. Returns the new site.
   */
  serve(teams: readonly SimulatedTeam[], options?: ServeOptions): JiraSite;
  close(): Promise<void>;
}

export interface ServeOptions {
  /**
   * The new site's clock: a fixed instant (epoch ms or ISO instant) or a function. Default: fixed at the latest
   * `asOf` of the teams (the instant they were cut at).
   */
  now?: number | string | (() => number);
}

const JSON_TYPE = 'application/json;charset=UTF-8';
const UNAUTHENTICATED = 'Client must be authenticated to access this resource.';

export async function startSimulatedJira(options: StartSimulatedJiraOptions): Promise<SimulatedJira> {
  const teams = Array.isArray(options.teams)
    ? (options.teams as readonly SimulatedTeam[])
    : simulateOrganisation(options.teams as SimulateOrganisationOptions);
  const email = options.email ?? 'sim@example.com';
  const apiToken = options.apiToken ?? 'sim-api-token';
  const { teams: _t, email: _e, apiToken: _a, port: _p, pageCaps: _c, faults: _f, bulkfetchCreated: _b, serviceProjects, ...siteOptions } = options;
  let site = new JiraSite(teams, { ...siteOptions, email });
  const attachServiceDesk = (s: JiraSite): void => {
    if (serviceProjects?.length) s.serviceDesk = new ServiceDesk(s, serviceProjects);
  };
  attachServiceDesk(site);
  const requests = new RequestLog();
  const cfg: ApiConfig = {
    caps: { ...DEFAULT_CAPS, ...definedOnly(options.pageCaps ?? {}) },
    changelogTruncation: options.changelogTruncation ?? 40,
    velocityReport: options.velocityReport ?? true,
    bulkfetchCreated: options.bulkfetchCreated ?? 'epoch-ms',
    ...(options.velocitySprints !== undefined ? { velocitySprints: options.velocitySprints } : {}),
  };
  const budget = options.rateLimitBudget ?? 1000;
  let faults = new FaultPlan(options.faults ?? {});
  let tamper: WireTamper<RequestKind> | undefined;
  let seq = 0;
  const recent: number[] = [];
  const expected = `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const arrived = Date.now();
    seq += 1;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const kind = requestKind(method, path);
    const raw = await readBody(req);
    const record: RequestRecord = {
      seq,
      method,
      path,
      query: queryRecord(url.searchParams),
      kind,
      status: 0,
      at: arrived,
      durationMs: 0,
    };
    requests.add(record);
    recent.push(arrived);
    while (recent.length > 0 && recent[0]! < arrived - 60_000) recent.shift();

    const fault = faults.decide(kind);
    const delay = faults.latency(kind, path);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));

    let response: ApiResponse;
    let body: unknown;
    if (fault) {
      record.fault = fault.kind;
      response = faultResponse(fault, site.nowMs());
    } else if (req.headers.authorization !== expected) {
      response = {
        status: 401,
        body: UNAUTHENTICATED,
        headers: {
          'content-type': 'text/plain;charset=UTF-8',
          'www-authenticate': `OAuth realm="${encodeURIComponent(site.baseUrl)}"`,
          'x-seraph-loginreason': 'AUTHENTICATED_FAILED',
        },
      };
    } else {
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw);
        } catch {
          body = undefined;
        }
      }
      if (raw.length > 0 && body === undefined) {
        response = { status: 400, body: { errorMessages: ['Unexpected character: the request body is not valid JSON.'], errors: {} } };
      } else {
        try {
          response = handleApi(site, cfg, { method, path, query: url.searchParams, body });
        } catch (e) {
          response = { status: 500, body: { errorMessages: [`Internal server error: ${(e as Error).message}`], errors: {} } };
        }
      }
    }
    if (body !== undefined) (record as { body?: unknown }).body = body;
    const remaining = Math.max(0, budget - recent.length);
    const headers: Record<string, string> = {
      // The site's clock, not the machine's: a client reading the server's time sees the simulated instant.
      date: new Date(site.nowMs()).toUTCString(),
      'x-arequestid': requestId(seq),
      'cache-control': 'no-cache, no-store, no-transform',
      'x-ratelimit-limit': String(budget),
      ...(fault?.kind !== '429' ? { 'x-ratelimit-remaining': String(remaining) } : {}),
      ...(fault?.kind !== '429' && remaining < budget * 0.2 ? { 'x-ratelimit-nearlimit': 'true' } : {}),
      ...(typeof response.body === 'string' ? {} : { 'content-type': JSON_TYPE }),
      ...response.headers,
    };
    const sent = tamperWith(tamper, { kind, method, path, ...(body !== undefined ? { requestBody: body } : {}) }, response);
    const payload = typeof sent === 'string' ? sent : JSON.stringify(sent);
    record.status = response.status;
    record.durationMs = Date.now() - arrived;
    res.writeHead(response.status, { ...headers, 'content-length': String(Buffer.byteLength(payload)) });
    res.end(payload);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': JSON_TYPE, date: new Date(site.nowMs()).toUTCString() });
      res.end(JSON.stringify({ errorMessages: [String(e)], errors: {} }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  site.baseUrl = url;

  return {
    url,
    email,
    apiToken,
    get boards() {
      return site.teams.map((t) => ({ id: t.boardId, projectKey: t.key, teamIndex: t.index }));
    },
    get site() {
      return site;
    },
    get serviceDesk() {
      return site.serviceDesk;
    },
    requests,
    tamper(fn: WireTamper<RequestKind> | undefined): void {
      tamper = fn;
    },
    setFaults(next: JiraFaults): void {
      faults = new FaultPlan(next);
    },
    configure(settings: SimulatedJiraSettings): void {
      if (settings.pageCaps) cfg.caps = { ...cfg.caps, ...definedOnly(settings.pageCaps) };
      if (settings.changelogTruncation !== undefined) cfg.changelogTruncation = settings.changelogTruncation;
      if (settings.velocityReport !== undefined) cfg.velocityReport = settings.velocityReport;
      if (settings.bulkfetchCreated !== undefined) cfg.bulkfetchCreated = settings.bulkfetchCreated;
      if (settings.velocitySprints === null) delete cfg.velocitySprints;
      else if (settings.velocitySprints !== undefined) cfg.velocitySprints = settings.velocitySprints;
    },
    serve(next: readonly SimulatedTeam[], serveOptions: ServeOptions = {}): JiraSite {
      const clock = serveOptions.now ?? Math.max(...next.map((t) => parseInstant(t.snapshot.asOf)));
      const now = typeof clock === 'function' ? clock : typeof clock === 'number' ? () => clock : (() => { const ms = parseInstant(clock); return () => ms; })();
      const rebuilt = new JiraSite(next, { ...siteOptions, email, baseUrl: url, noPermission: site.noPermissionList(), now });
      attachServiceDesk(rebuilt);
      site = rebuilt;
      return rebuilt;
    },
    close(): Promise<void> {
      return new Promise((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function faultResponse(fault: FaultDecision, now: number): ApiResponse {
  switch (fault.kind) {
    case '429':
      return {
        status: 429,
        body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
        headers: {
          'retry-after': String(fault.retryAfterSeconds),
          'x-ratelimit-reset': new Date(now + fault.retryAfterSeconds * 1000).toISOString(),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-nearlimit': 'true',
          'ratelimit-reason': 'jira-quota-tenant-based',
        },
      };
    case '503':
      return {
        status: 503,
        body: { errorMessages: ['Service Unavailable'], errors: {} },
        headers: { 'retry-after': String(fault.retryAfterSeconds) },
      };
    case '502':
      return { status: 502, body: { errorMessages: ['Bad Gateway'], errors: {} } };
    case '500':
    case 'hard-failure':
      return { status: 500, body: { errorMessages: ['Internal server error'], errors: {} } };
  }
}

function requestId(seq: number): string {
  return `${(0x5f3 + seq).toString(16)}x${(seq * 7919).toString(16).padStart(6, '0')}x1`;
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

export type { RequestKind };
