import type { Evidence, FlowRole, MetricsReport } from '@agile-kpi/core';
import { useCallback } from 'react';
import type { ChartTheme } from '@agile-kpi/presentation';
import { agingWipChartOption, throughputChartOption } from '../charts/flow-chart';
import { localDate, localDateTime } from '@agile-kpi/presentation';
import { flowLight, lightRules } from '@agile-kpi/presentation';
import { ChartFigure } from '../ui/chart-figure';
import { DrillButton, type DrillRequest, useDrillDown, useMoreEvidence, useKpiHeadlines } from '../ui/drill-down';
import { KpiHeadline } from '../ui/kpi-headline';
import { EmptyState } from '../ui/states';
import { DataTable, FigureList, ViewSection } from '../ui/view-section';

const BAND_LABELS = { 'within-p50': 'within the median', 'p50-p85': 'between median and p85', 'above-p85': 'older than p85', unknown: 'no cycle time yet' } as const;

/** The Monday of the ISO week a local date falls in ("2025-06-12" -> "2025-06-09"). */
export function isoWeekStart(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = Date.UTC(y, m - 1, d);
  const back = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - back * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Flow: throughput per week, cycle and lead time percentiles, and the work in progress by age against the
 * cycle-time percentiles (oldest first).
 */
export function FlowView({ report }: { readonly report: MetricsReport }) {
  const headlines = useKpiHeadlines(report);
  const flow = report.flow;
  const v = flow.value;
  const zone = report.team.timeZone;
  const { weeks, currentWeek, finished, aging } = flow.details;
  const drill = useDrillDown();
  const buildThroughput = useCallback((theme: ChartTheme) => throughputChartOption(flow, theme), [flow]);
  const buildAging = useCallback((theme: ChartTheme) => agingWipChartOption(flow, theme), [flow]);
  const evidenceOf = new Map<string, Evidence>();
  for (const e of flow.evidence) evidenceOf.set(`${e.role}:${e.itemId}`, e);
  const allWeeks = [...weeks, currentWeek];
  // The items of a number by id (finished in some weeks, in progress): those beyond the answer's first page of the
  // evidence (a hosted gadget on a large board) are paged in.
  const moreOf = useMoreEvidence();
  const byIds = (role: FlowRole, ids: readonly string[]) => {
    const more = moreOf('flow', flow, 'evidence', { roles: [role], itemIds: ids });
    return { items: ids.map((id) => evidenceOf.get(`${role}:${id}`)).filter((e): e is Evidence => e !== undefined), ...(more ? { more } : {}) };
  };
  const finishedIn = (week: string): DrillRequest => ({
    title: `Finished in the week of ${week}`,
    unit: 'cycle days',
    ...byIds('finished', finished.filter((f) => isoWeekStart(localDate(f.finishedAt, zone)) === week).map((f) => f.itemId)),
  });
  const windowFinished = new Set(weeks.map((w) => w.week));
  const throughputRequest: DrillRequest = {
    title: `Finished in the last ${weeks.length} complete weeks`,
    unit: 'cycle days',
    ...byIds('finished', finished.filter((f) => windowFinished.has(isoWeekStart(localDate(f.finishedAt, zone)))).map((f) => f.itemId)),
  };
  const wipRequest: DrillRequest = { title: 'Work in progress, oldest first', unit: 'days in progress', ...byIds('wip', aging.map((a) => a.itemId)) };
  const agingAbove: DrillRequest = {
    title: 'Work in progress older than the cycle-time p85',
    unit: 'days in progress',
    ...byIds('wip', aging.filter((a) => a.band === 'above-p85').map((a) => a.itemId)),
  };
  const ct = v?.cycleTimeDays ?? null;
  const lt = v?.leadTimeDays ?? null;
  return (
    <ViewSection view="flow" title="Flow">
      <KpiHeadline
        view="flow"
        figure={v ? `${v.throughputPerWeek} items/week` : undefined}
        what="mean items finished per week"
        light={flowLight(v)}
        sentence={headlines.flow}
        rule={lightRules().flow}
        evidence={throughputRequest}
      />
      {!v && <EmptyState reason={flow.reason} testId="state-empty-flow" />}
      {v && (
        <FigureList
          testId="figures-flow"
          figures={[
            { label: 'Throughput', value: `${v.throughputPerWeek} items/week`, drill: { request: throughputRequest, testId: 'drill-flow-throughput', what: 'items finished per week' } },
            { label: 'Cycle time median', value: ct ? `${ct.median} d` : 'n/a' },
            { label: 'Cycle time p85', value: ct ? `${ct.p85} d` : 'n/a' },
            { label: 'Cycle time p95', value: ct ? `${ct.p95} d` : 'n/a' },
            { label: 'Lead time median', value: lt ? `${lt.median} d` : 'n/a' },
            { label: 'Lead time p85', value: lt ? `${lt.p85} d` : 'n/a' },
            { label: 'WIP', value: String(v.wip), drill: { request: wipRequest, testId: 'drill-flow-wip', what: 'items in progress' } },
            { label: 'Aging above p85', value: String(v.agingAboveP85), drill: { request: agingAbove, testId: 'drill-flow-aging', what: 'items in progress older than the cycle-time p85' } },
          ]}
        />
      )}
      {v && (
        <>
          <ChartFigure
            id="throughput"
            caption="Items finished per week"
            summary={`${allWeeks.map((w) => `${w.week}: ${w.finished}`).join(', ')} (the last week so far). Mean ${v.throughputPerWeek} per complete week.`}
            build={buildThroughput}
            table={{ columns: ['Week starting', 'Finished'], rows: [...weeks.map((w) => [w.week, w.finished] as const), [`${currentWeek.week} (so far)`, currentWeek.finished] as const] }}
            onItemClick={(c, el) => {
              const w = allWeeks[c.dataIndex];
              if (w) drill(finishedIn(w.week), el);
            }}
          />
          <DataTable caption="Throughput per week" testId="table-flow-weeks" head={['Week starting', 'Finished']}>
            {allWeeks.map((w) => (
              <tr key={w.week}>
                <th scope="row">{w === currentWeek ? `${w.week} (so far)` : w.week}</th>
                <td className="akpi-num">
                  <DrillButton request={finishedIn(w.week)} testId={`drill-flow-week-${w.week}`} what={`items finished in the week of ${w.week}`}>
                    {String(w.finished)}
                  </DrillButton>
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
      {aging.length > 0 && (
        <>
          <ChartFigure
            id="agingWip"
            caption="Work in progress by age (days since it started)"
            summary={`${aging.length} items in progress: ${aging.map((a) => `${a.key} ${a.ageDays} d`).join(', ')}${ct ? `; cycle time median ${ct.median} d, p85 ${ct.p85} d` : ''}.`}
            build={buildAging}
            table={{ columns: ['Item', 'Status', 'Age (days)', 'Against cycle time'], rows: aging.map((a) => [a.key, a.status, a.ageDays, BAND_LABELS[a.band]]) }}
            onItemClick={(c, el) => {
              const a = aging[c.dataIndex];
              if (a) drill({ title: `${a.key} in progress`, unit: 'days in progress', ...byIds('wip', [a.itemId]) }, el);
            }}
          />
          <DataTable caption="Aging work in progress, oldest first" testId="table-flow-aging" head={['Item', 'Title', 'Status', 'Started', 'Age (days)', 'Against cycle time']}>
            {aging.map((a) => (
              <tr key={a.itemId} data-band={a.band}>
                <th scope="row">{a.key}</th>
                <td>{a.title}</td>
                <td>{a.status}</td>
                <td>{localDateTime(a.startedAt, zone)}</td>
                <td className="akpi-num">
                  <DrillButton request={{ title: `${a.key} in progress`, unit: 'days in progress', ...byIds('wip', [a.itemId]) }} testId={`drill-flow-age-${a.itemId}`} what={`days ${a.key} has been in progress`}>
                    {String(a.ageDays)}
                  </DrillButton>
                </td>
                <td>{BAND_LABELS[a.band]}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </ViewSection>
  );
}
