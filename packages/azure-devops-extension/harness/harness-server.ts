import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { type SimulatedAzureDevOps, type SimulatedTeam, type StartSimulatedAzureDevOpsOptions, startSimulatedAzureDevOps } from '@agile-kpi/testkit';

/**
 * A stand-in for Azure DevOps around the extension's BUILT pages (dist/), on 127.0.0.1, for the browser tests
 * and for a reviewer (`npm run dev:ado`). Two origins, as in Azure DevOps:
 *
 * - the organisation's (`url`): the host page that frames the extension and plays the SDK's parent
 *   (harness/host-page.js), the organisation's REST API (a proxy to the simulated Azure DevOps that accepts the
 *   page's bearer tokens, answers CORS and turns each token into the simulation's PAT), the access tokens, the
 *   extension data service (in memory, with etags and a document size limit) and the widgets' settings;
 * - the extension's (`extensionOrigin`): the static files of dist/, as Azure DevOps serves an extension's
 *   files from its CDN.
 */
export interface AdoHarnessOptions extends Omit<StartSimulatedAzureDevOpsOptions, 'teams'> {
  readonly teams: readonly SimulatedTeam[];
  /** The built pages (default: this package's dist/). */
  readonly distDir?: string;
  /** Port of the organisation's origin (0: any free port). */
  readonly hostPort?: number;
  readonly extensionPort?: number;
  /** Largest extension data document, in bytes of its JSON (default 128 KiB: the extension must chunk). */
  readonly documentLimitBytes?: number;
  readonly theme?: 'light' | 'dark';
  /** The profile time zone the host reports (default: the first team's zone, as Azure DevOps' Windows id when known). */
  readonly profileTimeZone?: string;
}

export type TokenMode = 'ok' | 'expired' | 'fail';

export interface StoredDoc {
  readonly id: string;
  readonly __etag: number;
  readonly [field: string]: unknown;
}

export interface AdoHarness {
  /** The organisation's origin: http://127.0.0.1:PORT */
  readonly url: string;
  readonly extensionOrigin: string;
  /** The organisation URL the extension sees (the proxy): http://127.0.0.1:PORT/simorg */
  readonly orgUrl: string;
  readonly ado: SimulatedAzureDevOps;
  readonly publisher: string;
  /** Extension data: collection -> document id -> document. */
  readonly extensionData: Map<string, Map<string, StoredDoc>>;
  readonly widgetSettings: Map<string, WidgetSettings>;
  /** Requests the extension made to the organisation's REST API: method, path, query, status. */
  readonly proxied: { method: string; path: string; query: string; status: number }[];
  readonly stats: { tokens: number; dataCalls: number; largestDocument: number };
  hubUrl(options?: SurfaceOptions): string;
  widgetUrl(widgetId: string, options?: SurfaceOptions): string;
  configureUrl(widgetId: string, options?: SurfaceOptions): string;
  /** `expired`: tokens are issued but the organisation refuses them (401); `fail`: the host cannot issue one. */
  setTokenMode(mode: TokenMode): void;
  close(): Promise<void>;
}

export interface SurfaceOptions {
  /** Index of the simulated team (its project) whose context the page gets (default 0). */
  readonly team?: number;
  readonly theme?: 'light' | 'dark';
  /**
   * `team` (default): the web context names the team, as a team's Boards or a team dashboard do; `project`: it
   * names only the project, as a project dashboard does (and some hosts always do).
   */
  readonly scope?: 'team' | 'project';
  /**
   * `current` (default): the handshake azure-devops-extension-sdk 4.2 calls current (`contributionId`, and
   * `context` with the extension, user, host and page context); `legacy`: the older one it still reads
   * (`pageContext`, `contribution`, `extensionContext`, no `context`), whose pages have no user for `SDK.getUser()`.
   */
  readonly handshake?: 'current' | 'legacy';
}

export interface WidgetSettings {
  readonly name: string;
  readonly size: { readonly rowSpan: number; readonly columnSpan: number };
  readonly customSettings: { readonly data: string | null; readonly version?: { major: number; minor: number; patch: number } };
}

/** This package's folder, whether this file runs from harness/ (tests) or compiled into out/harness/harness/ (dev:ado). */
const PACKAGE_DIR = __dirname.endsWith(join('out', 'harness', 'harness')) ? resolve(__dirname, '..', '..', '..') : resolve(__dirname, '..');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.map': 'application/json', '.json': 'application/json' };
const WIT_AREA = '5264459e-e5e0-4bd8-b118-0985e68a4ec5';
const WORK_AREA = '1d4f49f9-02b9-4e26-b826-2cdb6195f2a9';
const EXPOSED = 'Retry-After, X-RateLimit-Resource, X-RateLimit-Delay, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, ActivityId, X-TFS-ServiceError';

/** The few Windows zone ids a profile may carry, for the simulated teams' zones. */
const WINDOWS_IDS: Record<string, string> = {
  'Europe/Berlin': 'W. Europe Standard Time',
  'America/New_York': 'Eastern Standard Time',
  'America/Los_Angeles': 'Pacific Standard Time',
  'Asia/Kolkata': 'India Standard Time',
  'Australia/Sydney': 'AUS Eastern Standard Time',
  'Europe/London': 'GMT Standard Time',
  'Asia/Tokyo': 'Tokyo Standard Time',
  UTC: 'UTC',
};

/** Theme variables as Azure DevOps' theme service hands them to the SDK (a representative set, values of our own choosing). */
const THEMES = {
  light: {
    'palette-primary': '0, 120, 212',
    'palette-primary-darken-6': '0, 103, 181',
    'palette-neutral-0': '255, 255, 255',
    'palette-neutral-2': '248, 248, 248',
    'palette-neutral-4': '244, 244, 244',
    'palette-neutral-8': '234, 234, 234',
    'palette-neutral-10': '218, 218, 218',
    'palette-neutral-20': '200, 200, 200',
    'palette-neutral-100': '0, 0, 0',
    'palette-accent1-light': '249, 235, 235',
    'palette-accent1': '218, 10, 0',
    'palette-accent1-dark': '168, 0, 0',
    'palette-accent2-light': '223, 246, 221',
    'palette-accent2': '186, 216, 10',
    'palette-accent2-dark': '16, 124, 16',
    'palette-accent3-light': '255, 244, 206',
    'palette-accent3': '248, 168, 0',
    'background-color': 'rgba(255, 255, 255, 1)',
    'callout-background-color': 'rgba(255, 255, 255, 1)',
    'text-primary-color': 'rgba(0, 0, 0, .9)',
    'text-secondary-color': 'rgba(0, 0, 0, .55)',
    'communication-foreground': 'rgba(0, 90, 158, 1)',
    'communication-background': 'rgba(0, 120, 212, 1)',
  },
  dark: {
    'palette-primary': '43, 136, 216',
    'palette-primary-darken-6': '31, 118, 194',
    'palette-neutral-0': '32, 31, 30',
    'palette-neutral-2': '41, 40, 39',
    'palette-neutral-4': '48, 46, 45',
    'palette-neutral-8': '59, 58, 57',
    'palette-neutral-10': '72, 70, 68',
    'palette-neutral-20': '96, 94, 92',
    'palette-neutral-100': '255, 255, 255',
    'palette-accent1-light': '68, 39, 38',
    'palette-accent1': '232, 17, 35',
    'palette-accent1-dark': '241, 112, 123',
    'palette-accent2-light': '30, 58, 34',
    'palette-accent2': '186, 216, 10',
    'palette-accent2-dark': '127, 209, 139',
    'palette-accent3-light': '61, 51, 25',
    'palette-accent3': '248, 168, 0',
    'background-color': 'rgba(32, 31, 30, 1)',
    'callout-background-color': 'rgba(41, 40, 39, 1)',
    'text-primary-color': 'rgba(255, 255, 255, .9)',
    'text-secondary-color': 'rgba(255, 255, 255, .6)',
    'communication-foreground': 'rgba(74, 156, 231, 1)',
    'communication-background': 'rgba(0, 120, 212, 1)',
  },
} as const;

export async function startAdoHarness(options: AdoHarnessOptions): Promise<AdoHarness> {
  const { teams, distDir: distOption, hostPort, extensionPort, documentLimitBytes, theme: defaultTheme, profileTimeZone, ...simOptions } = options;
  const distDir = resolve(distOption ?? join(PACKAGE_DIR, 'dist'));
  if (!existsSync(join(distDir, 'hub.html'))) throw new Error(`the extension's pages are not built (${distDir}): run npm run build -w @agile-kpi/azure-devops-extension`);
  const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'vss-extension.json'), 'utf8')) as { publisher: string; id: string; version: string; contributions: { id: string }[] };
  const ado = await startSimulatedAzureDevOps({ ...simOptions, teams });
  const limit = documentLimitBytes ?? 128 * 1024;
  const extensionData = new Map<string, Map<string, StoredDoc>>();
  const widgetSettings = new Map<string, WidgetSettings>();
  const proxied: AdoHarness['proxied'] = [];
  const stats = { tokens: 0, dataCalls: 0, largestDocument: 0 };
  const tokens = new Set<string>();
  let tokenMode: TokenMode = 'ok';
  const orgPath = new URL(ado.url).pathname;
  const simOrigin = new URL(ado.url).origin;

  const extension = createServer((req, res) => serveStatic(distDir, req, res));
  const host = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  const [url, extensionOrigin] = await Promise.all([listen(host, hostPort ?? 0), listen(extension, extensionPort ?? 0)]);
  const orgUrl = `${url}${orgPath}`;

  const validToken = (authorization: string | undefined): boolean => {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    return !!m && tokens.has(m[1]!) && tokenMode === 'ok';
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', url);
    const path = u.pathname;
    if (path === '/' || path === '/_harness' || path === '/_harness/') return send(res, 200, TYPES['.html']!, indexPage());
    if (path === '/favicon.ico') return send(res, 204, 'text/plain', '');
    if (path === '/_harness/host.js') return send(res, 200, TYPES['.js']!, readFileSync(join(PACKAGE_DIR, 'harness', 'host-page.js')));
    const surface = /^\/_harness\/(hub|widget|configure)$/.exec(path)?.[1] as 'hub' | 'widget' | 'configure' | undefined;
    if (surface) return send(res, 200, TYPES['.html']!, hostPage(surface, u.searchParams));
    if (path === '/_harness/api/token' && req.method === 'POST') {
      if (tokenMode === 'fail') return json(res, 500, { ok: false, error: { message: 'no token' } });
      const token = `sim-token-${randomUUID()}`;
      tokens.add(token);
      stats.tokens++;
      return json(res, 200, { token });
    }
    if (path === '/_harness/api/extdata' && req.method === 'POST') return json(res, 200, extensionDataCall(JSON.parse(await readBody(req)) as DataCall));
    const widget = /^\/_harness\/api\/widgets\/([^/]+)$/.exec(path);
    if (widget) {
      const id = decodeURIComponent(widget[1]!);
      if (req.method === 'POST') {
        const { settings } = JSON.parse(await readBody(req)) as { settings: WidgetSettings };
        widgetSettings.set(id, settings);
      }
      return json(res, 200, { ok: true, value: settingsOf(id) });
    }
    if (path === orgPath || path.startsWith(`${orgPath}/`)) return proxy(req, res, u);
    return send(res, 404, 'text/plain', 'not found');
  }

  /** The organisation's REST API as the extension's origin sees it: CORS, bearer tokens, then the simulation. */
  async function proxy(req: IncomingMessage, res: ServerResponse, u: URL): Promise<void> {
    const origin = req.headers.origin;
    const cors: Record<string, string> = origin ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED, vary: 'Origin' } : {};
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS',
        'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? 'authorization, content-type, accept'),
        'access-control-max-age': '600',
      });
      return void res.end();
    }
    const body = await readBody(req);
    if (!validToken(req.headers.authorization)) {
      proxied.push({ method: req.method ?? 'GET', path: u.pathname, query: u.search, status: 401 });
      const message = "TF400813: The user '' is not authorized to access this resource.";
      res.writeHead(401, { ...cors, 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer authorization_uri=https://login.microsoftonline.com/common' });
      return void res.end(JSON.stringify({ $id: '1', innerException: null, message, typeName: 'Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException', typeKey: 'UnauthorizedRequestException', errorCode: 0, eventId: 3000 }));
    }
    const headers: Record<string, string> = { authorization: `Basic ${Buffer.from(`:${ado.pat}`).toString('base64')}`, 'x-tfs-fedauthredirect': 'Suppress' };
    for (const h of ['accept', 'content-type', 'x-tfs-session']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h] as string;
    const answer = await new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((done, fail) => {
      const out = httpRequest(`${simOrigin}${u.pathname}${u.search}`, { method: req.method ?? 'GET', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => {
          const h: Record<string, string> = {};
          for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') h[k] = v;
          done({ status: r.statusCode ?? 502, headers: h, body: Buffer.concat(chunks) });
        });
        r.on('error', fail);
      });
      out.on('error', fail);
      out.end(body);
    });
    proxied.push({ method: req.method ?? 'GET', path: u.pathname, query: u.search, status: answer.status });
    const keep: Record<string, string> = {};
    for (const [k, v] of Object.entries(answer.headers)) if (/^(content-type|date|retry-after|x-ratelimit-.*|activityid|x-tfs-serviceerror|www-authenticate)$/i.test(k)) keep[k] = v;
    res.writeHead(answer.status, { ...keep, ...cors, 'content-length': String(answer.body.length) });
    res.end(answer.body);
  }

  interface DataCall {
    op: string;
    token?: string;
    collection?: string;
    id?: string;
    doc?: Record<string, unknown>;
    key?: string;
    value?: unknown;
    names?: string[];
  }

  /** The extension data service: documents with etags, refusing stale writes, documents over the limit, and refused tokens. */
  function extensionDataCall(call: DataCall): { ok: true; value: unknown } | { ok: false; error: { status: number; message: string; typeKey: string } } {
    stats.dataCalls++;
    const fail = (status: number, typeKey: string, message: string) => ({ ok: false as const, error: { status, typeKey, message } });
    if (!call.token || !tokens.has(call.token) || tokenMode !== 'ok') return fail(401, 'UnauthorizedRequestException', "TF400813: The user '' is not authorized to access this resource.");
    const collectionOf = (name: string) => {
      let c = extensionData.get(name);
      if (!c) extensionData.set(name, (c = new Map()));
      return c;
    };
    const name = call.collection ?? '$settings';
    const docs = collectionOf(name);
    const write = (doc: Record<string, unknown>, mustExist: boolean, mustNotExist: boolean) => {
      const id = typeof doc['id'] === 'string' && doc['id'] ? doc['id'] : randomUUID();
      const existing = docs.get(id);
      if (mustNotExist && existing) return fail(409, 'DocumentExistsException', `The document ${id} already exists in collection ${name}.`);
      if (mustExist && !existing) return fail(404, 'DocumentDoesNotExistException', `The document ${id} does not exist in collection ${name}.`);
      const etag = doc['__etag'];
      if (existing && typeof etag === 'number' && etag !== -1 && etag !== existing.__etag) {
        return fail(409, 'InvalidDocumentVersionException', `The document ${id} was changed by someone else (etag ${etag}, now ${existing.__etag}).`);
      }
      const stored: StoredDoc = { ...doc, id, __etag: (existing?.__etag ?? 0) + 1 };
      const size = Buffer.byteLength(JSON.stringify(stored));
      if (size > limit) return fail(413, 'DocumentTooLargeException', `The document ${id} is ${size} bytes; documents are limited to ${limit} bytes.`);
      stats.largestDocument = Math.max(stats.largestDocument, size);
      docs.set(id, stored);
      return { ok: true as const, value: stored };
    };
    switch (call.op) {
      case 'get': {
        const doc = docs.get(String(call.id));
        return doc ? { ok: true, value: doc } : fail(404, 'DocumentDoesNotExistException', `The document ${call.id} does not exist in collection ${name}.`);
      }
      case 'list':
        return { ok: true, value: [...docs.values()] };
      case 'create':
        return write(call.doc ?? {}, false, true);
      case 'set':
        return write(call.doc ?? {}, false, false);
      case 'update':
        return write(call.doc ?? {}, true, false);
      case 'delete': {
        if (!docs.delete(String(call.id))) return fail(404, 'DocumentDoesNotExistException', `The document ${call.id} does not exist in collection ${name}.`);
        return { ok: true, value: undefined };
      }
      case 'getValue':
        return { ok: true, value: (collectionOf('$settings').get(String(call.key)) as { value?: unknown } | undefined)?.value };
      case 'setValue': {
        const r = write({ id: String(call.key), value: call.value, __etag: -1 }, false, false);
        return r.ok ? { ok: true, value: call.value } : r;
      }
      case 'queryByName':
        return { ok: true, value: (call.names ?? []).map((n) => ({ collectionName: n, scopeType: 'Default', scopeValue: 'Current', documents: [...collectionOf(n).values()] })) };
      default:
        return fail(400, 'ArgumentException', `unknown extension data operation ${call.op}`);
    }
  }

  function settingsOf(id: string): WidgetSettings {
    return widgetSettings.get(id) ?? { name: 'Agile KPIs', size: { rowSpan: 3, columnSpan: 4 }, customSettings: { data: null, version: { major: 1, minor: 0, patch: 0 } } };
  }

  function context(params: URLSearchParams) {
    const index = Number(params.get('team') ?? 0);
    const project = ado.projects[index] ?? ado.projects[0]!;
    const ids = ado.site.idMap.projects[project.name]!;
    const zone = teams[project.teamIndex]?.snapshot.team.timeZone ?? 'UTC';
    const theme = params.get('theme') === 'dark' || params.get('theme') === 'light' ? params.get('theme')! : (defaultTheme ?? 'light');
    const publisher = manifest.publisher;
    const extensionId = manifest.id;
    const contribution = (id: string) => `${publisher}.${extensionId}.${id}`;
    return {
      extensionOrigin,
      theme,
      themes: THEMES,
      pages: { hub: `${extensionOrigin}/dist/hub.html`, widget: `${extensionOrigin}/dist/widget.html`, config: `${extensionOrigin}/dist/widget-config.html` },
      contributions: { hub: contribution('agile-kpi-hub'), widget: contribution('agile-kpi-widget'), config: contribution('agile-kpi-widget-config') },
      relativeIds: { widget: 'agile-kpi-widget', config: 'agile-kpi-widget-config' },
      extension: { publisherId: publisher, extensionId, id: `${publisher}.${extensionId}`, version: manifest.version, baseUri: `${extensionOrigin}/` },
      user: { id: 'c5f2f3a4-0000-4000-8000-000000000001', name: 'sm@example.com', displayName: 'Sam Scrum-Master', descriptor: 'aad.c2ltLXVzZXI', imageUrl: '' },
      host: { id: 'b1f3d4e5-0000-4000-8000-00000000a001', name: ado.organization, serviceVersion: 'harness', type: 4, isHosted: true },
      webContext: {
        project: { id: ids.id, name: ids.name },
        ...(params.get('scope') === 'project' ? {} : { team: { id: ids.team.id, name: ids.team.name } }),
        // The VSS web context's own user, which the legacy handshake carries instead of `context.user`.
        user: { id: 'c5f2f3a4-0000-4000-8000-000000000001', name: 'Sam (web context)', uniqueName: 'sm@example.com' },
      },
      handshake: params.get('handshake') === 'legacy' ? 'legacy' : 'current',
      globalization: { culture: 'en-US', explicitTheme: '', typeAheadDisabled: false, timeZoneId: profileTimeZone ?? WINDOWS_IDS[zone] ?? zone, timezoneOffset: 0 },
      resourceAreas: { [WIT_AREA]: `${orgUrl}/`, [WORK_AREA]: `${orgUrl}/` },
      serviceLocation: `${orgUrl}/`,
      orgUrl,
      team: `${ids.name} / ${ids.team.name}`,
    };
  }

  function hostPage(surface: 'hub' | 'widget' | 'configure', params: URLSearchParams): string {
    const ctx = context(params);
    const widgetId = params.get('id') ?? 'widget-1';
    const settings = settingsOf(widgetId);
    const config = { ...ctx, surface, widget: { id: widgetId, settings } };
    const cell = (n: number) => n * 160 + (n - 1) * 10;
    const query = params.toString() ? `?${params.toString()}` : '';
    const nav = [
      ['hub', `/_harness/hub${query}`, 'Boards › Agile KPIs (hub)'],
      ['widget', `/_harness/widget${query}`, 'Dashboard widget'],
      ['configure', `/_harness/configure${query}`, 'Configure the widget'],
    ]
      .map(([s, href, label]) => `<a href="${href}"${s === surface ? ' aria-current="page"' : ''}>${label}</a>`)
      .join('');
    const frames =
      surface === 'hub'
        ? `<iframe id="ext-hub" title="Agile KPIs hub" class="hub"></iframe>`
        : surface === 'widget'
          ? `<div class="widget-cell"><iframe id="ext-widget" title="Agile KPIs widget" style="width:${cell(settings.size.columnSpan)}px;height:${cell(settings.size.rowSpan)}px"></iframe></div>`
          : `<div class="configure"><section class="preview"><h2>Preview</h2><iframe id="ext-widget" title="Agile KPIs widget preview" style="width:${cell(settings.size.columnSpan)}px;height:${cell(settings.size.rowSpan)}px"></iframe></section>
             <aside class="panel"><h2>Configuration</h2><iframe id="ext-config" title="Agile KPIs widget configuration"></iframe>
             <div class="panel-actions"><button id="harness-save" type="button">Save</button></div></aside></div>`;
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Azure DevOps harness · ${surface}</title>
<style>
  :root { color-scheme: light; font-family: 'Segoe UI', system-ui, sans-serif; }
  html[data-theme=dark] { color-scheme: dark; }
  body { margin: 0; background: #f8f8f8; color: #201f1e; }
  html[data-theme=dark] body { background: #1b1a19; color: #f3f2f1; }
  header { display: flex; gap: 16px; align-items: center; padding: 8px 16px; background: #0078d4; color: #fff; font-size: 14px; }
  header a { color: #fff; } header a[aria-current] { font-weight: 600; text-decoration: none; }
  header .where { margin-right: auto; }
  header button { font: inherit; }
  iframe { border: 0; background: transparent; display: block; }
  iframe.hub { width: 100%; height: calc(100vh - 40px); }
  .widget-cell, .configure { padding: 16px; }
  .widget-cell iframe, .preview iframe { box-shadow: 0 1.6px 3.6px rgba(0,0,0,.13); background: #fff; }
  html[data-theme=dark] .widget-cell iframe, html[data-theme=dark] .preview iframe { background: #201f1e; }
  .configure { display: flex; gap: 24px; align-items: flex-start; }
  .panel iframe { width: 380px; height: 760px; }
  .panel-actions { padding: 8px 0; }
  #harness-log { font: 12px monospace; max-height: 160px; overflow: auto; margin: 8px 16px; padding: 0; list-style: none; opacity: .7; }
</style></head><body>
<header><span class="where">Azure DevOps (simulated) · ${escapeHtml(ado.organization)} · ${escapeHtml(ctx.team)}</span>${nav}<button id="harness-theme" type="button">Light / dark</button></header>
${frames}
<ul id="harness-log" aria-label="What the host saw"></ul>
<script>window.__HARNESS__ = ${JSON.stringify(config).replace(/</g, '\\u003c')};</script>
<script src="/_harness/host.js"></script>
</body></html>`;
  }

  function indexPage(): string {
    const rows = ado.projects
      .map(
        (p, i) =>
          `<li>${escapeHtml(p.name)} / ${escapeHtml(p.team)}: <a href="/_harness/hub?team=${i}">hub</a> · <a href="/_harness/widget?team=${i}&id=widget-${i + 1}">widget</a> · <a href="/_harness/configure?team=${i}&id=widget-${i + 1}">configure the widget</a> · <a href="/_harness/hub?team=${i}&theme=dark">hub (dark)</a></li>`,
      )
      .join('');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>agile-kpi · Azure DevOps harness</title><style>body{font-family:'Segoe UI',system-ui,sans-serif;margin:32px;line-height:1.6}</style></head><body>
<h1>agile-kpi in a simulated Azure DevOps</h1>
<p>The extension's built pages (dist/) framed by a stand-in for Azure DevOps; the organisation <code>${escapeHtml(orgUrl)}</code> is the simulated Azure DevOps behind a proxy that accepts the pages' tokens.</p>
<ul>${rows}</ul></body></html>`;
  }

  return {
    url,
    extensionOrigin,
    orgUrl,
    ado,
    publisher: manifest.publisher,
    extensionData,
    widgetSettings,
    proxied,
    stats,
    hubUrl: (o = {}) => `${url}/_harness/hub?${surfaceQuery(o)}`,
    widgetUrl: (id, o = {}) => `${url}/_harness/widget?id=${encodeURIComponent(id)}&${surfaceQuery(o)}`,
    configureUrl: (id, o = {}) => `${url}/_harness/configure?id=${encodeURIComponent(id)}&${surfaceQuery(o)}`,
    setTokenMode(mode) {
      tokenMode = mode;
    },
    async close() {
      await Promise.all([closeServer(host), closeServer(extension)]);
      await ado.close();
    },
  };
}

function surfaceQuery(o: SurfaceOptions): string {
  return `team=${o.team ?? 0}${o.theme ? `&theme=${o.theme}` : ''}${o.scope ? `&scope=${o.scope}` : ''}${o.handshake ? `&handshake=${o.handshake}` : ''}`;
}

function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): void {
  const u = new URL(req.url ?? '/', 'http://localhost');
  const rel = decodeURIComponent(u.pathname).replace(/^\/dist\//, '');
  const file = normalize(join(root, rel));
  if (!u.pathname.startsWith('/dist/') || !file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    return void res.end('not found');
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', JSON.stringify(body) ?? 'null');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<string> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
