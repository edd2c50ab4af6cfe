import { createReadStream, existsSync, statSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { HostResult } from '@agile-kpi/presentation';
import type { DashboardApi } from './dashboard-api';
import { MAX_UPLOAD_CHARS, type OutcomeSink, type OutcomeStore, outcomeData, removeOutcomeFile, saveOutcomeSettings, uploadOutcomes } from './outcome-upload';

export interface DashboardServerOptions {
  readonly api: DashboardApi;
  /** The built standalone dashboard (index.html and assets). */
  readonly webRoot: string;
  /** Interface to listen on: 127.0.0.1 unless the user asks for more. */
  readonly host?: string;
  readonly port?: number;
  readonly log?: (line: string) => void;
  /**
   * Where survey, analytics and benefit files uploaded in the settings are kept; absent: uploads are refused. A
   * full {@link OutcomeStore} also lists them, removes one and (with `setSettings`) keeps the outcome settings.
   */
  readonly outcomes?: OutcomeSink | OutcomeStore;
}

export interface DashboardServer {
  readonly url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Security headers for every answer: the page loads nothing from elsewhere and runs no inline script. */
const SECURITY = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** HTTP status for a failed HostResult (the body always carries the HostResult itself). */
function statusOf(result: HostResult<unknown>): number {
  if (result.ok) return 200;
  switch (result.error.kind) {
    case 'invalid':
      return 400;
    case 'not-found':
      return 404;
    case 'auth':
    case 'forbidden':
    case 'rate-limited':
    case 'server':
    case 'network':
    case 'unexpected-shape':
      return 502;
    default:
      return 500;
  }
}

/**
 * The standalone dashboard over HTTP: the built UI as static files and its JSON API under /api (the
 * standalone Host's calls, and the settings' outcome data: uploads, the files' list and removal, the outcome settings). Listens on 127.0.0.1 by default: the data is the team's, not the network's.
 */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const handle = dashboardHandler(options);
  const server = createServer((req, res) => void handle(req, res));

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolvePromise());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}

async function readJson(req: IncomingMessage, limit = 1_000_000): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** An HTTP answer with the security headers every answer carries. */
export function sendText(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...SECURITY });
  res.end(body);
}

/** A HostResult as JSON, with the HTTP status of its error kind. */
export function sendResult(res: ServerResponse, result: HostResult<unknown>, status = statusOf(result)): void {
  sendJsonText(res, status, JSON.stringify(result));
}

/** A JSON answer already written out. */
export function sendJsonText(res: ServerResponse, status: number, json: string): void {
  sendText(res, status, json, TYPES['.json']!);
}

/**
 * A JSON answer that many requests share (the organisation's portfolio: 400 KB at 200 teams), encoded once and
 * compressed once, when a client first accepts gzip: a tenth of the bytes to write for every such request.
 */
export class SharedJson {
  readonly body: Buffer;
  private compressed: Buffer | undefined;
  constructor(value: unknown) {
    this.body = Buffer.from(JSON.stringify(value));
  }
  get gzipped(): Buffer {
    this.compressed ??= gzipSync(this.body);
    return this.compressed;
  }
}

/** Whether a request's Accept-Encoding takes gzip (`gzip`, `*`, with any quality but 0). */
export function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q) > 0);
  });
}

/** A shared JSON answer, gzipped for a client that accepts it. */
export function sendSharedJson(req: IncomingMessage, res: ServerResponse, status: number, answer: SharedJson): void {
  const gzip = acceptsGzip(req);
  res.writeHead(status, { 'Content-Type': TYPES['.json']!, 'Cache-Control': 'no-store', Vary: 'Accept-Encoding', ...(gzip ? { 'Content-Encoding': 'gzip' } : {}), ...SECURITY });
  res.end(gzip ? answer.gzipped : answer.body);
}

/**
 * The dashboard's requests, for any server that hosts it: its JSON API under `api/` and its static files,
 * relative to where it is mounted (`path` is the request's path below the mount, e.g. "/api/config").
 * Never throws: a failure is logged and answered as an internal error.
 */
export function dashboardHandler(options: Omit<DashboardServerOptions, 'host' | 'port'>): (req: IncomingMessage, res: ServerResponse, path?: string) => Promise<void> {
  const root = resolve(options.webRoot);
  const { api } = options;
  const outcomeStore = options.outcomes && 'list' in options.outcomes ? options.outcomes : undefined;
  const noOutcomeStore = {
    ok: false,
    error: {
      kind: 'not-found',
      message: options.outcomes ? 'this dashboard lists no outcome files: agile-kpi outcomes list and outcomes remove do it in the store' : 'this dashboard keeps no outcome data: import files with agile-kpi outcomes import',
    },
  } as const;
  const send = sendText;
  const json = sendResult;

  async function handle(req: IncomingMessage, res: ServerResponse, path: string, search: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET';
    if (path.startsWith('/api/')) {
      const route = `${method} ${path}`;
      switch (route) {
        case 'GET /api/config':
          return json(res, api.getConfig());
        case 'PUT /api/config':
          return json(res, api.saveConfig(await readJson(req)));
        case 'GET /api/sources':
          return json(res, api.listSources());
        case 'GET /api/metrics':
          return json(res, await api.loadMetrics(Object.fromEntries(search)));
        case 'POST /api/verdicts':
          return json(res, await api.recordVerdict(await readJson(req)));
        case 'POST /api/outcomes':
          if (!options.outcomes) return json(res, { ok: false, error: { kind: 'not-found', message: 'this dashboard keeps no outcome data: import the file with agile-kpi outcomes import' } });
          // JSON escapes can double a file's size: the text itself is checked against its limit after reading.
          return json(res, await uploadOutcomes(options.outcomes, await readJson(req, 2 * MAX_UPLOAD_CHARS + 1000)));
        case 'GET /api/outcomes':
          // The settings page asks on every opening: "none here" is an answer (200), not a missing route whose 404
          // the browser would log as an error; the page shows the message in place of the outcome settings.
          return json(res, outcomeStore ? { ok: true, data: await outcomeData(outcomeStore) } : noOutcomeStore, 200);
        case 'PUT /api/outcomes/settings':
          return json(res, outcomeStore ? await saveOutcomeSettings(outcomeStore, await readJson(req)) : noOutcomeStore);
        case 'POST /api/outcomes/remove':
          return json(res, outcomeStore ? await removeOutcomeFile(outcomeStore, await readJson(req)) : noOutcomeStore);
        default:
          return json(res, { ok: false, error: { kind: 'not-found', message: `no such API: ${route}` } });
      }
    }
    if (method !== 'GET' && method !== 'HEAD') return send(res, 405, 'method not allowed', 'text/plain; charset=utf-8');
    const rel = path === '/' ? 'index.html' : decodeURIComponent(path.slice(1));
    const file = normalize(join(root, rel));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'not found', 'text/plain; charset=utf-8');
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', ...SECURITY });
    createReadStream(file).pipe(res);
  }

  return async (req, res, path) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      await handle(req, res, path ?? url.pathname, url.searchParams);
    } catch (err) {
      options.log?.(`internal error: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) json(res, { ok: false, error: { kind: 'internal', message: 'agile-kpi failed to answer (a bug: see the serve log)' } });
    }
  };
}
