import type { DashboardConfig, Host, HostError, HostResult, ViewName } from '@agile-kpi/presentation';

export interface HttpHostOptions {
  /** The fetch to use (tests pass one; default: the global fetch). */
  readonly fetch?: typeof fetch;
  readonly fixedView?: ViewName;
  readonly editing?: boolean;
}

const CONFIG_KEYS = ['source', 'view', 'velocitySprints', 'goalSprints', 'goalThreshold', 'impedimentDays', 'staleDays', 'timeZone'] as const;

/** The configuration as a query string, in a stable order, leaving out what is unset: `?source=42&goalSprints=6`. */
export function configQuery(config: DashboardConfig): string {
  const q = new URLSearchParams();
  for (const k of CONFIG_KEYS) {
    const v = config[k];
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

function statusKind(status: number): string {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  return 'unexpected-shape';
}

function isHostResult(x: unknown): x is HostResult<unknown> {
  if (x === null || typeof x !== 'object') return false;
  const r = x as { ok?: unknown; data?: unknown; error?: { kind?: unknown; message?: unknown } };
  if (r.ok === true) return 'data' in r;
  return r.ok === false && typeof r.error?.kind === 'string' && typeof r.error.message === 'string';
}

/**
 * The standalone page's host: the same-origin JSON API of `agile-kpi serve` (GET/PUT /api/config,
 * GET /api/sources, GET /api/metrics?<config>, POST /api/verdicts, POST /api/outcomes, GET /api/outcomes,
 * PUT /api/outcomes/settings, POST /api/outcomes/remove), each answering a HostResult. Network
 * failures and answers that are not HostResults become HostErrors; nothing throws.
 *
 * @example createHttpHost('.') // the page's own server, wherever it is mounted
 */
export function createHttpHost(baseUrl = '', options: HttpHostOptions = {}): Host {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const base = baseUrl.replace(/\/+$/, '');
  async function call<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<HostResult<T>> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers: init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
    } catch {
      return fail('network', 'the dashboard’s server did not answer: check that agile-kpi serve is still running');
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return fail(response.ok ? 'unexpected-shape' : statusKind(response.status), `the server answered ${response.status} ${response.statusText} without the expected JSON`);
    }
    if (isHostResult(body)) return body as HostResult<T>;
    return fail(response.ok ? 'unexpected-shape' : statusKind(response.status), 'the server answered JSON that is not a dashboard answer');
  }
  return {
    kind: 'standalone',
    ...(options.fixedView ? { fixedView: options.fixedView } : {}),
    ...(options.editing ? { editing: true } : {}),
    getConfig: () => call('/api/config'),
    saveConfig: (config) => call('/api/config', { method: 'PUT', body: config }),
    listSources: () => call('/api/sources'),
    loadMetrics: (config) => call(`/api/metrics${configQuery(config)}`),
    recordVerdict: (config, sprintId, verdict) =>
      call('/api/verdicts', { method: 'POST', body: { config, sprintId, outcome: verdict.outcome, ...(verdict.note ? { note: verdict.note } : {}) } }),
    importOutcomes: (upload) => call('/api/outcomes', { method: 'POST', body: { kind: upload.kind, name: upload.name, text: upload.text } }),
    loadOutcomeData: () => call('/api/outcomes'),
    saveOutcomeSettings: (settings) => call('/api/outcomes/settings', { method: 'PUT', body: settings }),
    removeOutcomeFile: (file) => call('/api/outcomes/remove', { method: 'POST', body: { kind: file.kind, name: file.name } }),
  };
}

function fail(kind: string, message: string): { ok: false; error: HostError } {
  return { ok: false, error: { kind, message } };
}
