import type { MetricsReport, ReleaseFigure, ReleaseOutcome, ReleasePredictabilityRole } from '@agile-kpi/core';
import { useCallback } from 'react';
import type { ChartTheme } from '@agile-kpi/presentation';
import { forecastReleases, releaseBasis, releaseFigure, releaseForecastChartOption, releaseScopeChartOption } from '../charts/release-chart';
import { localDate, optPct, pct, signed } from '@agile-kpi/presentation';
import { lightRules, releasePredictabilityLight } from '@agile-kpi/presentation';
import { ChartFigure } from '../ui/chart-figure';
import { DrillButton, type DrillRequest, useDrillDown, useMoreEvidence, useKpiHeadlines } from '../ui/drill-down';
import { KpiHeadline } from '../ui/kpi-headline';
import { EmptyState } from '../ui/states';
import { DataTable, FigureList, ViewSection } from '../ui/view-section';

const SCOPE_ROLES = ['planned', 'delivered', 'added', 'dropped'] as const;
type ScopeRole = (typeof SCOPE_ROLES)[number];

/**
 * Release predictability: planned vs delivered scope per release, its slip, and for open releases the
 * Monte Carlo forecast (P50 / P85 / P95 dates against the planned date, probability of being on time).
 */
export function ReleasePredictabilityView({ report }: { readonly report: MetricsReport }) {
  const headlines = useKpiHeadlines(report);
  const result = report.releasePredictability;
  const v = result.value;
  const releases = result.details.releases;
  const basis = releaseBasis(result);
  const unit = basis === 'count' ? 'items' : 'pts';
  const zone = report.team.timeZone;
  const drill = useDrillDown();
  const buildScope = useCallback((theme: ChartTheme) => releaseScopeChartOption(result, theme), [result]);
  const buildForecast = useCallback((theme: ChartTheme) => releaseForecastChartOption(result, theme), [result]);
  const forecasts = forecastReleases(result);
  // A hosted gadget's answer may carry the first page of a release's evidence only: the rest is paged in.
  const moreOf = useMoreEvidence();
  const pathOf = (r: ReleaseOutcome) => `details.releases.${releases.indexOf(r)}.evidence`;
  const role = (r: ReleaseOutcome, role: ReleasePredictabilityRole, title: string): DrillRequest => {
    const more = moreOf('releasePredictability', result, pathOf(r), { roles: [role] });
    return { title: `${title} in ${r.name}`, unit: basis === 'count' ? 'items' : unit, items: r.evidence.filter((e) => e.role === role), ...(more ? { more } : {}) };
  };
  const released = releases.filter((r) => r.state === 'released');
  const considered = released.slice(-(v?.releasesConsidered ?? 0) || undefined);
  const headlineMore = moreOf('releasePredictability', result, considered.map(pathOf), { roles: ['planned', 'delivered'] });
  const headline: DrillRequest = {
    title: `Planned and delivered items of the last ${v?.releasesConsidered ?? 0} releases`,
    unit,
    items: considered.flatMap((r) => r.evidence.filter((e) => e.role === 'planned' || e.role === 'delivered')),
    ...(headlineMore ? { more: headlineMore } : {}),
  };
  const fig = (f: ReleaseFigure) => String(releaseFigure(f, basis));
  return (
    <ViewSection view="releasePredictability" title="Release predictability">
      <KpiHeadline
        view="releasePredictability"
        figure={v?.predictability != null ? pct(v.predictability) : undefined}
        what="share of planned scope delivered"
        light={releasePredictabilityLight(v)}
        sentence={headlines.releasePredictability}
        rule={lightRules().releasePredictability}
        evidence={headline}
      />
      {!v && <EmptyState reason={result.reason} testId="state-empty-releasePredictability" />}
      {v && (
        <FigureList
          testId="figures-releasePredictability"
          figures={[
            { label: 'Predictability', value: v.predictability === null ? 'n/a' : String(v.predictability) },
            { label: 'On time', value: optPct(v.onTimeRate) },
            { label: 'Mean slip', value: v.meanSlipDays === null ? 'n/a' : `${signed(v.meanSlipDays)} days` },
            { label: 'Releases considered', value: String(v.releasesConsidered) },
            { label: 'Sprint say/do', value: v.sprintSayDo === null ? 'n/a' : String(v.sprintSayDo) },
          ]}
        />
      )}
      {releases.length > 0 && (
        <>
          <ChartFigure
            id="releasePredictability"
            caption={`Planned and delivered scope per release (${unit})`}
            summary={releases.map((r) => `${r.name}: planned ${fig(r.planned)}${r.state === 'released' ? `, delivered ${fig(r.delivered)}` : ' (open)'}`).join('; ') + '.'}
            build={buildScope}
            table={{ columns: ['Release', 'Planned', 'Delivered', 'Added', 'Dropped'], rows: releases.map((r) => [r.name, releaseFigure(r.planned, basis), r.state === 'released' ? releaseFigure(r.delivered, basis) : null, releaseFigure(r.added, basis), releaseFigure(r.dropped, basis)]) }}
            onItemClick={(c, el) => {
              const r = releases[c.dataIndex];
              const id = c.seriesId as ScopeRole | undefined;
              if (r && id && SCOPE_ROLES.includes(id)) drill(role(r, id, capital(id)), el);
            }}
          />
          <DataTable caption={`Releases (${unit}; slip in days)`} testId="table-releasePredictability" head={['Release', 'State', 'Planned date', 'Planned', 'Delivered', 'Added', 'Dropped', 'Delivered / planned', 'Slip', 'On time']}>
            {releases.map((r) => (
              <tr key={r.releaseId}>
                <th scope="row">{r.name}</th>
                <td className="akpi-date">{r.state === 'released' ? `released ${localDate(r.releasedAt!, zone)}` : 'open'}</td>
                <td className="akpi-date">{r.plannedDate ?? '—'}</td>
                {SCOPE_ROLES.map((k) => (
                  <td key={k} className="akpi-num">
                    {k === 'delivered' && r.state === 'open' ? (
                      '—'
                    ) : (
                      <DrillButton request={role(r, k, capital(k))} testId={`drill-releasePredictability-${k}-${r.releaseId}`} what={`${unit} ${k} in ${r.name}`}>
                        {fig(r[k])}
                      </DrillButton>
                    )}
                  </td>
                ))}
                <td className="akpi-num">{r.predictability === null ? '—' : String(r.predictability)}</td>
                <td className="akpi-num">{r.slipDays === null ? '—' : `${signed(r.slipDays)} d`}</td>
                <td>{r.onTime === null ? '—' : r.onTime ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
      {forecasts.length > 0 && (
        <>
          <h3 className="akpi-subtitle">Forecast of the open releases</h3>
          <DataTable caption="Monte Carlo forecast: the dates by which the remaining scope is done with 50, 85 and 95 % confidence" testId="table-releasePredictability-forecast" head={['Release', 'Remaining', 'Planned date', 'P50', 'P85', 'P95', 'Probability on time']}>
            {forecasts.map((r) => {
              const f = r.forecast!;
              return (
                <tr key={r.releaseId} data-testid={`forecast-${r.releaseId}`}>
                  <th scope="row">{r.name}</th>
                  <td className="akpi-num">
                    <DrillButton request={role(r, 'remaining', 'Remaining')} testId={`drill-releasePredictability-remaining-${r.releaseId}`} what={`${unit} remaining in ${r.name}`}>
                      {basis === 'count' ? `${f.remaining.items} ${f.remaining.items === 1 ? 'item' : 'items'}` : `${f.remaining.points} pts`}
                    </DrillButton>
                  </td>
                  <td className="akpi-num">{r.plannedDate ?? r.latestPlannedDate ?? '—'}</td>
                  <td className="akpi-num">{f.p50 ?? '—'}</td>
                  <td className="akpi-num">{f.p85 ?? '—'}</td>
                  <td className="akpi-num">{f.p95 ?? '—'}</td>
                  <td className="akpi-num">{f.probabilityOnTime === null ? '—' : pct(f.probabilityOnTime)}</td>
                </tr>
              );
            })}
          </DataTable>
          <p className="akpi-muted">
            {`${forecasts[0]!.forecast!.trials} trials drawing the ${forecasts[0]!.forecast!.sampledFrom === 'sprints' ? 'Completed of recent sprints' : 'weekly throughput'} (seed ${forecasts[0]!.forecast!.seed}).`}
          </p>
          <ChartFigure
            id="releaseForecast"
            caption="Forecast dates of the open releases against their planned dates"
            summary={forecasts.map((r) => `${r.name}: planned ${r.plannedDate ?? 'none'}, P50 ${r.forecast!.p50 ?? 'n/a'}, P85 ${r.forecast!.p85 ?? 'n/a'}, P95 ${r.forecast!.p95 ?? 'n/a'}`).join('; ') + '.'}
            build={buildForecast}
            height={Math.max(160, 80 + 48 * forecasts.length)}
            table={{ columns: ['Release', 'Planned date', 'P50', 'P85', 'P95'], rows: forecasts.map((r) => [r.name, r.plannedDate, r.forecast!.p50, r.forecast!.p85, r.forecast!.p95]) }}
          />
        </>
      )}
    </ViewSection>
  );
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
