import type { MetricsReport, SprintVelocity, VelocityRole } from '@agile-kpi/core';
import { useCallback } from 'react';
import { sprintLabel, velocityChartOption, type VelocitySeriesId } from '../charts/velocity-chart';
import type { ChartTheme } from '@agile-kpi/presentation';
import { num, unitLabel } from '@agile-kpi/presentation';
import { lightRules, velocityLight } from '@agile-kpi/presentation';
import { ChartFigure } from '../ui/chart-figure';
import { DrillButton, type DrillMore, type DrillRequest, useDrillDown, useMoreEvidence, useKpiHeadlines } from '../ui/drill-down';
import { KpiHeadline } from '../ui/kpi-headline';
import { EmptyState } from '../ui/states';
import { DataTable, FigureList, ViewSection } from '../ui/view-section';

const ROLE_OF: Record<VelocitySeriesId, VelocityRole> = { committed: 'committed', completed: 'completed', added: 'added', removed: 'removed', trend: 'completed' };

function sprintRole(s: SprintVelocity, role: VelocityRole, label: string, unit: string, more?: DrillMore): DrillRequest {
  return { title: `${label} in ${sprintLabel(s)}`, unit, items: s.evidence.filter((e) => e.role === role), ...(more ? { more } : {}) };
}

/**
 * Velocity: Committed vs Completed per sprint (added and removed beside), the team's velocity and trend, the
 * headline with its light. Every figure opens the items behind it.
 */
export function VelocityView({ report }: { readonly report: MetricsReport }) {
  const headlines = useKpiHeadlines(report);
  const velocity = report.velocity;
  const v = velocity.value;
  const unit = unitLabel(velocity.unit);
  const sprints = velocity.details.sprints;
  const open = useDrillDown();
  const moreOf = useMoreEvidence();
  // A hosted gadget's answer may carry the first page of a list only: the rest is paged in (per sprint, by role).
  const roleOf = (s: SprintVelocity, role: VelocityRole, label: string) => sprintRole(s, role, label, unit, moreOf('velocity', velocity, `details.sprints.${sprints.indexOf(s)}.evidence`, { roles: [role] }));
  const build = useCallback((theme: ChartTheme) => velocityChartOption(velocity, theme), [velocity]);
  const headlineMore = moreOf('velocity', velocity, 'evidence');
  const headline: DrillRequest = {
    title: `Velocity: committed and completed items of the last ${v?.sprintsAveraged ?? 0} closed sprints`,
    unit,
    items: velocity.evidence,
    ...(headlineMore ? { more: headlineMore } : {}),
  };
  return (
    <ViewSection view="velocity" title="Velocity">
      <KpiHeadline
        view="velocity"
        {...(v ? { figure: `${v.velocity} ${unit}` } : {})}
        what="team velocity"
        light={velocityLight(v)}
        sentence={headlines.velocity}
        rule={lightRules().velocity}
        evidence={headline}
      />
      {!v && <EmptyState reason={velocity.reason} testId="state-empty-velocity" hint="Velocity is the mean Completed of the last closed sprints; it appears when the first sprint closes." />}
      {v && (
        <FigureList
          testId="figures-velocity"
          figures={[
            { label: 'Velocity', value: `${v.velocity} ${unit}`, drill: { request: headline, testId: 'drill-velocity-velocity', what: 'team velocity' } },
            { label: 'Median', value: `${v.median} ${unit}` },
            { label: 'Coefficient of variation', value: v.coefficientOfVariation === null ? 'n/a' : String(v.coefficientOfVariation) },
            { label: 'Trend', value: v.trend === null ? 'n/a' : `${v.trend > 0 ? '+' : ''}${v.trend} ${unit} per sprint` },
            { label: 'Say/do', value: v.sayDo === null ? 'n/a' : String(v.sayDo) },
            { label: 'Sprints averaged', value: String(v.sprintsAveraged) },
          ]}
        />
      )}
      {sprints.length > 0 && (
        <>
          <ChartFigure
            id="velocity"
            caption={`Committed and completed ${unit} per sprint`}
            summary={
              sprints.map((s) => `${sprintLabel(s)}: committed ${s.committed.points}, completed ${s.completed.points}`).join('; ') +
              (v ? `. Velocity ${v.velocity} ${unit}.` : '.')
            }
            build={build}
            table={{
              columns: ['Sprint', 'Committed', 'Completed', 'Added', 'Removed'],
              rows: sprints.map((s) => [sprintLabel(s), s.committed.points, s.completed.points, s.added.points, s.removed.points]),
            }}
            onItemClick={(c, el) => {
              const s = sprints[c.dataIndex];
              const id = c.seriesId as VelocitySeriesId | undefined;
              if (s && id) open(roleOf(s, ROLE_OF[id], id === 'trend' ? 'Completed' : capital(id)), el);
            }}
          />
          <DataTable
            caption={`Per sprint (${unit}; say/do = completed / committed)`}
            testId="table-velocity"
            head={['Sprint', 'Committed', 'Completed', 'Added', 'Removed', 'Carried over', 'Say/do']}
          >
            {sprints.map((s) => (
              <tr key={s.sprintId}>
                <th scope="row">{sprintLabel(s)}</th>
                {(['committed', 'completed', 'added', 'removed', 'carried-over'] as const).map((role) => {
                  const fig = role === 'carried-over' ? s.carriedOver : s[role];
                  const label = role === 'carried-over' ? 'Carried over' : capital(role);
                  return (
                    <td key={role} className="akpi-num">
                      {role === 'carried-over' && s.state === 'active' ? (
                        '—'
                      ) : (
                        <DrillButton request={roleOf(s, role, label)} testId={`drill-velocity-${role}-${s.sprintId}`} what={`${unit} ${label.toLowerCase()} in ${sprintLabel(s)}`}>
                          {num(fig.points, 2)}
                        </DrillButton>
                      )}
                    </td>
                  );
                })}
                <td className="akpi-num">{s.sayDo === null ? '—' : String(s.sayDo)}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </ViewSection>
  );
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
