import { computeMetrics, parseSnapshot, type MetricsReport } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { renderToStaticMarkup } from 'react-dom/server';
import { Dashboard, DashboardBody, DashboardRoot } from './dashboard';
import { type DashboardState, loadDashboardState } from './dashboard-state';
import { allWarnings } from '@agile-kpi/presentation';
import { type Host, type HostResult, VIEW_NAMES } from '@agile-kpi/presentation';

let report: MetricsReport;
beforeAll(() => {
  report = computeMetrics(parseSnapshot(simulateTeam({ seed: 42 }).snapshot));
});

const ok = <T,>(data: T): Promise<HostResult<T>> => Promise.resolve({ ok: true, data });
const fail = (kind: string, message: string): Promise<HostResult<never>> => Promise.resolve({ ok: false, error: { kind, message } });

function fakeHost(over: Partial<Host> = {}): Host {
  return {
    kind: 'standalone',
    getConfig: () => ok({ source: 'demo' }),
    saveConfig: (c) => ok(c),
    listSources: () => ok([{ id: 'demo', name: 'Demo team' }]),
    loadMetrics: () => ok({ report, syncedAt: '2025-06-16T09:30:00.000Z' }),
    recordVerdict: () => ok({ report, syncedAt: '2025-06-16T09:30:00.000Z' }),
    ...over,
  };
}

const body = (state: DashboardState, props: Partial<Parameters<typeof DashboardBody>[0]> = {}) =>
  renderToStaticMarkup(
    <DashboardRoot>
      <DashboardBody state={state} hostKind="standalone" {...props} />
    </DashboardRoot>,
  );

describe('loadDashboardState', () => {
  test('ready: the configuration and the metrics it asks for', async () => {
    const asked: unknown[] = [];
    const state = await loadDashboardState(fakeHost({ loadMetrics: (c) => (asked.push(c), ok({ report, syncedAt: 'x' })) }));
    expect(state.status).toBe('ready');
    expect(asked).toEqual([{ source: 'demo' }]);
  });

  test('not configured without a source, or when the host says so', async () => {
    expect((await loadDashboardState(fakeHost({ getConfig: () => ok({}) }))).status).toBe('not-configured');
    expect((await loadDashboardState(fakeHost({ getConfig: () => fail('not-configured', 'pick a board') }))).status).toBe('not-configured');
    expect((await loadDashboardState(fakeHost({ loadMetrics: () => fail('not-configured', 'pick a board') }))).status).toBe('not-configured');
  });

  test('the host’s error, kind and message; a host that throws becomes an internal error', async () => {
    expect(await loadDashboardState(fakeHost({ loadMetrics: () => fail('rate-limited', 'Jira asked us to slow down') }))).toEqual({
      status: 'error',
      error: { kind: 'rate-limited', message: 'Jira asked us to slow down' },
      config: { source: 'demo' },
    });
    const thrown = await loadDashboardState(fakeHost({ getConfig: () => Promise.reject(new Error('bridge gone')) }));
    expect(thrown).toEqual({ status: 'error', error: { kind: 'internal', message: 'the host failed unexpectedly (bridge gone)' } });
  });
});

describe('the dashboard’s states, in words', () => {
  test('loading is announced politely', () => {
    const html = body({ status: 'loading' });
    expect(html).toContain('role="status" aria-live="polite" data-testid="state-loading"');
    expect(html).toContain('Loading the metrics…');
  });

  test('an error says what happened and what to do, with a retry', () => {
    const html = body({ status: 'error', error: { kind: 'auth', message: 'the Jira token was rejected' } }, { onRetry: () => {} });
    expect(html).toContain('role="alert" data-testid="state-error" data-error-kind="auth"');
    expect(html).toContain('The Jira token was rejected.');
    expect(html).toContain('Sign in to the tracker again');
    expect(html).toContain('data-testid="state-error-retry"');
  });

  test('not configured prompts to pick a board, where the host keeps its settings', () => {
    expect(body({ status: 'not-configured', config: {} }, { onOpenSettings: () => {} })).toContain('data-testid="open-settings"');
    const forge = renderToStaticMarkup(<DashboardBody state={{ status: 'not-configured', config: {} }} hostKind="forge" />);
    expect(forge).toContain('data-testid="state-not-configured"');
    expect(forge).toContain('Open this gadget’s menu and choose Edit to pick a board.');
  });

  test('ready: the header (team, as of in the team’s zone, source, warnings) and all seven views', () => {
    const html = body({ status: 'ready', config: { source: 'demo' }, payload: { report, syncedAt: '2025-06-16T09:30:00.000Z', stale: true } }, { onOpenSettings: () => {} });
    expect(html).toContain('<h1 class="akpi-header__team" data-testid="dashboard-team">Simulated Team</h1>');
    expect(html).toContain('As of <time dateTime="2025-06-16T10:00:00.000Z">2025-06-16 12:00</time> (Europe/Berlin)');
    expect(html).toContain('Source: simulator (agile-kpi testkit seed=42)');
    expect(html).toContain('Synced <time dateTime="2025-06-16T09:30:00.000Z">2025-06-16 11:30</time>');
    expect(html).toContain('data-testid="dashboard-stale"');
    const n = allWarnings(report).length;
    expect(html).toContain(`<summary data-testid="warnings-count">${n} data-quality warning${n === 1 ? '' : 's'}</summary>`);
    expect(html.match(/<li><code>/g)).toHaveLength(n);
    for (const v of VIEW_NAMES) {
      expect(html).toContain(`data-testid="view-${v}"`);
      expect(html).toContain(`href="#akpi-${v}"`);
    }
    expect(html).not.toContain('data-testid="verdict-control"'); // the control needs onRecordVerdict
  });

  test('a gadget shows its one view under a compact header', () => {
    const html = body({ status: 'ready', config: { source: 'demo' }, payload: { report, syncedAt: '' } }, { fixedView: 'flow', onRecordVerdict: async () => ({ ok: true, data: { report, syncedAt: '' } }) });
    expect(html).toContain('data-testid="view-flow"');
    expect(html).not.toContain('data-testid="view-velocity"');
    expect(html).not.toContain('<h1');
    expect(html).toContain('akpi-header--compact');
  });
});

describe('<Dashboard host>', () => {
  test('starts by loading (the host is called after the first paint)', () => {
    const html = renderToStaticMarkup(<Dashboard host={fakeHost()} />);
    expect(html).toContain('data-testid="dashboard"');
    expect(html).toContain('data-testid="state-loading"');
  });

  test('in a gadget’s edit view, loads the settings form', () => {
    const html = renderToStaticMarkup(<Dashboard host={fakeHost({ kind: 'forge', editing: true })} />);
    expect(html).toContain('Loading the settings…');
  });
});
