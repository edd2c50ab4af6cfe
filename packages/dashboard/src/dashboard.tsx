import type { MetricsReport } from '@agile-kpi/core';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { type DashboardState, guard, loadDashboardState } from './dashboard-state';
import { localDateTime } from '@agile-kpi/presentation';
import { allWarnings } from '@agile-kpi/presentation';
import { type Host, type MetricsPayload, type ViewName, VIEW_NAMES } from '@agile-kpi/presentation';
import { DrillDownProvider, EvidencePagesProvider, type LoadEvidencePage } from './ui/drill-down';
import type { EvidencePages } from '@agile-kpi/presentation';
import { ErrorState, LoadingState, NotConfiguredState } from './ui/states';
import { BacklogHealthView } from './views/backlog-health-view';
import { CustomerOutcomesView } from './views/customer-outcomes-view';
import { EditView } from './views/edit-view';
import { FlowView } from './views/flow-view';
import { ImpedimentsView } from './views/impediments-view';
import { ReleasePredictabilityView } from './views/release-predictability-view';
import { type RecordVerdict, SprintGoalView } from './views/sprint-goal-view';
import { SprintProgressView } from './views/sprint-progress-view';
import { VelocityView } from './views/velocity-view';
import { VIEW_TITLES } from '@agile-kpi/presentation';

/** One KPI view of a report. */
export function KpiView({ view, report, onRecordVerdict }: { readonly view: ViewName; readonly report: MetricsReport; readonly onRecordVerdict?: RecordVerdict }) {
  switch (view) {
    case 'velocity':
      return <VelocityView report={report} />;
    case 'sprintGoalRate':
      return <SprintGoalView report={report} {...(onRecordVerdict ? { onRecordVerdict } : {})} />;
    case 'impediments':
      return <ImpedimentsView report={report} />;
    case 'sprintProgress':
      return <SprintProgressView report={report} />;
    case 'backlogHealth':
      return <BacklogHealthView report={report} />;
    case 'releasePredictability':
      return <ReleasePredictabilityView report={report} />;
    case 'flow':
      return <FlowView report={report} />;
    case 'customerOutcomes':
      return <CustomerOutcomesView report={report} />;
  }
}

function sourceText(report: MetricsReport): string {
  const s = report.source;
  if (!s) return 'unknown';
  return [s.tracker, s.site, s.board ? `board ${s.board}` : undefined].filter(Boolean).join(', ') + (s.generator ? ` (${s.generator})` : '');
}

/** Team, instant, source, freshness and the data-quality warnings of a report. */
export function DashboardHeader({ payload, compact = false, onOpenSettings }: { readonly payload: MetricsPayload; readonly compact?: boolean; readonly onOpenSettings?: () => void }) {
  const { report } = payload;
  const zone = report.team.timeZone;
  const warnings = allWarnings(report);
  return (
    <header className={`akpi-header${compact ? ' akpi-header--compact' : ''}`} data-testid="dashboard-header">
      {!compact && (
        <div className="akpi-header__row">
          <h1 className="akpi-header__team" data-testid="dashboard-team">
            {report.team.name}
          </h1>
          {onOpenSettings && (
            <button type="button" className="akpi-button" onClick={onOpenSettings} data-testid="open-settings">
              Settings
            </button>
          )}
        </div>
      )}
      <p className="akpi-header__meta">
        <span data-testid="dashboard-as-of">
          As of <time dateTime={report.asOf}>{localDateTime(report.asOf, zone)}</time> ({zone})
        </span>
        {' · '}
        <span data-testid="dashboard-source">Source: {sourceText(report)}</span>
        {payload.syncedAt && (
          <>
            {' · '}
            <span data-testid="dashboard-synced">
              Synced <time dateTime={payload.syncedAt}>{isInstant(payload.syncedAt) ? localDateTime(payload.syncedAt, zone) : payload.syncedAt}</time>
            </span>
          </>
        )}
        {payload.stale && (
          <>
            {' · '}
            <strong className="akpi-stale" data-testid="dashboard-stale">
              The data may be out of date: a refresh is under way or failed.
            </strong>
          </>
        )}
      </p>
      {warnings.length === 0 ? (
        <p className="akpi-muted" data-testid="warnings-count">
          No data-quality warnings.
        </p>
      ) : (
        <details className="akpi-warnings" data-testid="warnings">
          <summary data-testid="warnings-count">
            {warnings.length} data-quality warning{warnings.length === 1 ? '' : 's'}
          </summary>
          <ul data-testid="warnings-list">
            {warnings.map((w, i) => (
              <li key={`${w.code}-${i}`}>
                <code>{w.code}</code> {w.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </header>
  );
}

function isInstant(s: string): boolean {
  return !Number.isNaN(Date.parse(s));
}

export interface DashboardBodyProps {
  readonly state: DashboardState;
  readonly hostKind: Host['kind'];
  /** Show this one view (a gadget); all of them when absent. */
  readonly fixedView?: ViewName;
  readonly onRetry?: () => void;
  readonly onOpenSettings?: () => void;
  readonly onRecordVerdict?: RecordVerdict;
}

/** The dashboard for a given state, without loading anything: what `Dashboard` renders, and what tests render. */
export function DashboardBody({ state, hostKind, fixedView, onRetry, onOpenSettings, onRecordVerdict }: DashboardBodyProps) {
  switch (state.status) {
    case 'loading':
      return <LoadingState />;
    case 'not-configured':
      return <NotConfiguredState hostKind={hostKind} {...(onOpenSettings ? { onOpenSettings } : {})} />;
    case 'error':
      return <ErrorState error={state.error} {...(onRetry ? { onRetry } : {})} />;
    case 'ready': {
      const { report } = state.payload;
      const views = fixedView ? [fixedView] : VIEW_NAMES;
      return (
        <>
          <DashboardHeader payload={state.payload} compact={fixedView !== undefined} {...(onOpenSettings ? { onOpenSettings } : {})} />
          {!fixedView && (
            <nav className="akpi-nav" aria-label="KPIs">
              <ul>
                {views.map((v) => (
                  <li key={v}>
                    <a href={`#akpi-${v}`}>{VIEW_TITLES[v]}</a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <main className={fixedView ? 'akpi-main akpi-main--single' : 'akpi-main'}>
            {views.map((v) => (
              <div key={v} id={`akpi-${v}`} className="akpi-view-slot">
                <KpiView view={v} report={report} {...(onRecordVerdict ? { onRecordVerdict } : {})} />
              </div>
            ))}
          </main>
        </>
      );
    }
  }
}

/** The dashboard's outer element: theme variables, the evidence panel (with the answer's evidence pages, and how to fetch more). */
export function DashboardRoot({ children, pages, loadEvidence, headlines }: { readonly children: ReactNode; readonly pages?: EvidencePages; readonly loadEvidence?: LoadEvidencePage; readonly headlines?: MetricsPayload['headlines'] }) {
  return (
    <div className="akpi-root" data-testid="dashboard">
      <EvidencePagesProvider {...(pages ? { pages } : {})} {...(loadEvidence ? { load: loadEvidence } : {})} {...(headlines ? { headlines } : {})}>
        <DrillDownProvider>{children}</DrillDownProvider>
      </EvidencePagesProvider>
    </div>
  );
}

/**
 * The dashboard on any host: the edit form when the host is editing (a gadget's edit view), else the one
 * view the host fixes (a gadget) or every view with a header (the standalone page, which also has its own
 * settings). Loads through the host, shows loading, errors and "not configured" in words, records sprint
 * goal verdicts and shows the metrics they recompute.
 */
export function Dashboard({ host }: { readonly host: Host }) {
  const [state, setState] = useState<DashboardState>({ status: 'loading' });
  const [settings, setSettings] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (host.editing) return;
    let live = true;
    setState({ status: 'loading' });
    void loadDashboardState(host).then((s) => {
      if (live) setState(s);
    });
    return () => {
      live = false;
    };
  }, [host, attempt]);
  const ready = state.status === 'ready' ? state : null;
  const recordVerdict = useCallback<RecordVerdict>(
    async (sprintId, verdict) => {
      if (!ready) return { ok: false, error: { kind: 'internal', message: 'the metrics are not loaded yet' } };
      const answer = await guard(host.recordVerdict(ready.config, sprintId, verdict));
      if (answer.ok) setState({ ...ready, payload: answer.data });
      return answer;
    },
    [host, ready],
  );
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  // Further pages of the evidence lists the answer carries the first page of (hosted surfaces).
  const loadEvidence = useMemo<LoadEvidencePage | undefined>(() => {
    const load = host.loadEvidence?.bind(host);
    return load && ready ? (kpi, token) => guard(load(ready.config, kpi, token)) : undefined;
  }, [host, ready]);
  const openSettings = host.kind === 'standalone' ? () => setSettings(true) : undefined;

  if (host.editing) {
    return (
      <DashboardRoot>
        <EditView host={host} />
      </DashboardRoot>
    );
  }
  if (settings) {
    return (
      <DashboardRoot>
        <EditView
          host={host}
          onCancel={() => {
            // Back from the settings: a file uploaded there may have changed the figures.
            setSettings(false);
            retry();
          }}
          onSaved={() => {
            setSettings(false);
            retry();
          }}
        />
      </DashboardRoot>
    );
  }
  return (
    <DashboardRoot
      {...(ready?.payload.evidencePages ? { pages: ready.payload.evidencePages } : {})}
      {...(loadEvidence ? { loadEvidence } : {})}
      {...(ready?.payload.headlines ? { headlines: ready.payload.headlines } : {})}
    >
      <DashboardBody
        state={state}
        hostKind={host.kind}
        {...(host.fixedView ? { fixedView: host.fixedView } : {})}
        onRetry={retry}
        {...(openSettings ? { onOpenSettings: openSettings } : {})}
        onRecordVerdict={recordVerdict}
      />
    </DashboardRoot>
  );
}
