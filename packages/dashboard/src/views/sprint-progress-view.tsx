import type { MetricsReport, SprintProgressRole } from '@agile-kpi/core';
import { useCallback } from 'react';
import { burnLabel, burndownChartOption, projectionLine } from '../charts/burndown-chart';
import type { ChartTheme } from '@agile-kpi/presentation';
import { localDate, unitLabel } from '@agile-kpi/presentation';
import { lightRules, sprintProgressLight } from '@agile-kpi/presentation';
import { ChartFigure } from '../ui/chart-figure';
import { type DrillRequest, useMoreEvidence, useKpiHeadlines } from '../ui/drill-down';
import { KpiHeadline } from '../ui/kpi-headline';
import { EmptyState } from '../ui/states';
import { FigureList, ViewSection } from '../ui/view-section';

/**
 * Sprint progress: burndown and burnup of the active sprint (scope, completed, remaining, the ideal line and
 * the projection at the current pace) and whether it will finish by its planned end.
 */
export function SprintProgressView({ report }: { readonly report: MetricsReport }) {
  const headlines = useKpiHeadlines(report);
  const progress = report.sprintProgress;
  const v = progress.value;
  const unit = unitLabel(progress.unit);
  const zone = report.team.timeZone;
  const days = progress.details.days;
  const build = useCallback((theme: ChartTheme) => burndownChartOption(progress, theme), [progress]);
  const moreOf = useMoreEvidence();
  const byRole = (roles: readonly SprintProgressRole[], title: string): DrillRequest => {
    // A hosted gadget's answer may carry the first page of the evidence only: the rest is paged in.
    const more = moreOf('sprintProgress', progress, 'evidence', { roles });
    return { title, unit, items: progress.evidence.filter((e) => roles.includes(e.role)), ...(more ? { more } : {}) };
  };
  const remaining = byRole(['remaining'], `Remaining in ${v?.name ?? 'the sprint'}`);
  const projection = projectionLine(progress);
  return (
    <ViewSection view="sprintProgress" title={v ? `Sprint progress: ${v.name}` : 'Sprint progress'}>
      <KpiHeadline
        view="sprintProgress"
        figure={v ? `${v.remaining} ${unit} left` : undefined}
        what={`${unit} remaining in the sprint`}
        light={sprintProgressLight(v)}
        sentence={headlines.sprintProgress}
        rule={lightRules().sprintProgress}
        evidence={remaining}
      />
      {!v && <EmptyState reason={progress.reason} testId="state-empty-sprintProgress" hint="The burndown shows the sprint active at the report’s instant." />}
      {v && (
        <>
          <FigureList
            testId="figures-sprintProgress"
            figures={[
              { label: 'Committed', value: `${v.committed} ${unit}` },
              { label: 'Scope now', value: `${v.scope} ${unit}`, drill: { request: byRole(['done', 'remaining'], `Everything in ${v.name} now`), testId: 'drill-sprintProgress-scope', what: `${unit} in the sprint now` } },
              { label: 'Completed', value: `${v.completed} ${unit}`, drill: { request: byRole(['done'], `Done in ${v.name}`), testId: 'drill-sprintProgress-completed', what: `${unit} completed` } },
              { label: 'Remaining', value: `${v.remaining} ${unit}`, drill: { request: remaining, testId: 'drill-sprintProgress-remaining', what: `${unit} remaining` } },
              { label: 'Added since the start', value: `${progress.evidence.filter((e) => e.role === 'added').length} items`, drill: { request: byRole(['added'], `Added to ${v.name} after its start`), testId: 'drill-sprintProgress-added', what: 'items added after the start' } },
              { label: 'Removed', value: `${progress.evidence.filter((e) => e.role === 'removed').length} items`, drill: { request: byRole(['removed'], `Removed from ${v.name}`), testId: 'drill-sprintProgress-removed', what: 'items removed from the sprint' } },
              { label: 'Ideal remaining', value: `${v.idealRemaining} ${unit}` },
              { label: 'Working days', value: `${v.workingDaysElapsed} of ${v.workingDaysTotal}` },
              { label: 'Pace', value: v.pacePerWorkingHour === null ? 'no pace yet' : `${v.pacePerWorkingHour} ${unit} per working hour` },
              { label: 'Projected completed at the end', value: v.projectedCompletedAtEnd === null ? 'n/a' : `${v.projectedCompletedAtEnd} ${unit}` },
              { label: 'Projected finish', value: v.projectedFinish ? localDate(v.projectedFinish, zone) : 'n/a' },
              { label: 'On track', value: v.onTrack === null ? 'no pace yet' : v.onTrack ? 'yes' : 'no, behind' },
            ]}
          />
          {days.length > 0 && (
            <ChartFigure
              id="sprintProgress"
              caption={`Burndown and burnup of ${v.name} (${unit})`}
              summary={`Committed ${v.committed}, scope ${v.scope}, completed ${v.completed}, remaining ${v.remaining} against an ideal ${v.idealRemaining}; ${v.onTrack === null ? 'no pace yet' : v.onTrack ? 'on track' : 'behind'}.`}
              build={build}
              table={{
                columns: ['Day', 'Scope', 'Completed', 'Remaining', 'Ideal', 'Projection'],
                rows: days.map((d, i) => [burnLabel(d), d.scope, d.completed, d.remaining, d.ideal, projection[i] ?? null]),
              }}
            />
          )}
        </>
      )}
    </ViewSection>
  );
}
