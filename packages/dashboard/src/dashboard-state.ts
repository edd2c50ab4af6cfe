import type { DashboardConfig, Host, HostError, HostResult, MetricsPayload } from '@agile-kpi/presentation';

/** What the dashboard shows: one of these at a time. */
export type DashboardState =
  | { readonly status: 'loading' }
  | { readonly status: 'not-configured'; readonly config: DashboardConfig }
  | { readonly status: 'error'; readonly error: HostError; readonly config?: DashboardConfig }
  | { readonly status: 'ready'; readonly config: DashboardConfig; readonly payload: MetricsPayload };

/** Hosts answer HostResults; one that throws anyway becomes an `internal` failure, not a blank page. */
export async function guard<T>(call: Promise<HostResult<T>>): Promise<HostResult<T>> {
  try {
    return await call;
  } catch (err) {
    return { ok: false, error: { kind: 'internal', message: `the host failed unexpectedly (${err instanceof Error ? err.message : String(err)})` } };
  }
}

/**
 * Reads the configuration, then the metrics it asks for: not configured without a source (or when the host
 * says so), the host's error when a call fails, else the metrics.
 */
export async function loadDashboardState(host: Host): Promise<DashboardState> {
  const config = await guard(host.getConfig());
  if (!config.ok) return config.error.kind === 'not-configured' ? { status: 'not-configured', config: {} } : { status: 'error', error: config.error };
  if (!config.data.source) return { status: 'not-configured', config: config.data };
  const metrics = await guard(host.loadMetrics(config.data));
  if (!metrics.ok) return metrics.error.kind === 'not-configured' ? { status: 'not-configured', config: config.data } : { status: 'error', error: metrics.error, config: config.data };
  return { status: 'ready', config: config.data, payload: metrics.data };
}
