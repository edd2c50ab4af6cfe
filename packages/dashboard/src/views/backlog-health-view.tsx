import type { BacklogComponent, Evidence, MetricsReport } from '@agile-kpi/core';
import { useCallback } from 'react';
import { backlogHealthChartOption, COMPONENT_LABELS } from '../charts/backlog-health-chart';
import type { ChartTheme } from '@agile-kpi/presentation';
import { num, pct, unitLabel } from '@agile-kpi/presentation';
import { backlogHealthLight, lightRules } from '@agile-kpi/presentation';
import { ChartFigure } from '../ui/chart-figure';
import { DrillButton, type DrillRequest, useDrillDown, useMoreEvidence, useKpiHeadlines } from '../ui/drill-down';
import { KpiHeadline } from '../ui/kpi-headline';
import { LightBadge } from '../ui/light-badge';
import { EmptyState } from '../ui/states';
import { DataTable, FigureList, ViewSection } from '../ui/view-section';

function componentValue(c: BacklogComponent): string {
  if (c.value === null) return 'n/a';
  if (c.name === 'readyDepth') return `${c.value} sprints`;
  if (c.name === 'estimatedShare' || c.name === 'staleShare') return pct(c.value);
  return String(c.value);
}

/** The thresholds of a component's light in words. */
export function componentThresholds(c: BacklogComponent): string {
  const t = c.thresholds;
  switch (c.name) {
    case 'readyDepth':
      return `under ${t['critical']} red, under ${t['healthyMin']} amber, ${t['healthyMin']}–${t['overRefined']} green (healthy ${t['healthyMin']}–${t['healthyMax']}), above ${t['overRefined']} amber`;
    case 'estimatedShare':
      return `>= ${pct(t['green']!)} green, >= ${pct(t['amber']!)} amber, else red`;
    case 'staleShare':
    case 'growth':
      return `<= ${c.name === 'staleShare' ? pct(t['green']!) : t['green']} green, <= ${c.name === 'staleShare' ? pct(t['amber']!) : t['amber']} amber, else red`;
  }
}

/**
 * Backlog health: the score with its light, each component with its light, thresholds and the items behind
 * it, the ready depth in sprints, growth per sprint and the age of the backlog.
 */
export function BacklogHealthView({ report }: { readonly report: MetricsReport }) {
  const headlines = useKpiHeadlines(report);
  const backlog = report.backlogHealth;
  const b = backlog.value;
  const unit = unitLabel(report.velocity.unit);
  const { components, backlog: ranked, age, growth } = backlog.details;
  const drill = useDrillDown();
  const build = useCallback((theme: ChartTheme) => backlogHealthChartOption(backlog, theme), [backlog]);
  const evidenceOf = new Map(backlog.evidence.map((e: Evidence) => [e.itemId, e]));
  const items = (ids: readonly string[]) => ids.map((id) => evidenceOf.get(id)).filter((e): e is Evidence => e !== undefined);
  // The items of a component by id: those beyond the answer's first page are paged in.
  const byIds = (ids: readonly string[]) => {
    const more = idsMore(ids);
    return { items: items(ids), ...(more ? { more } : {}) };
  };
  const firstNotReady = ranked.findIndex((r) => !r.ready);
  const topRun = (firstNotReady < 0 ? ranked : ranked.slice(0, firstNotReady)).map((r) => r.itemId);
  const topChecked = backlog.params.topItemsChecked;
  const componentRequest = (c: BacklogComponent): DrillRequest => {
    switch (c.name) {
      case 'readyDepth':
        return backlog.params.readyDepthMode === 'all-ready'
          ? { title: 'Ready items on the backlog (ready depth)', unit, ...byIds(ranked.filter((r) => r.ready).map((r) => r.itemId)) }
          : { title: 'Ready items at the top of the backlog (ready depth)', unit, ...byIds(topRun), description: 'Counted from the top until the first item that is not ready.' };
      case 'estimatedShare':
        return { title: `The top ${topChecked} backlog items (estimated share)`, unit, ...byIds(ranked.slice(0, topChecked).map((r) => r.itemId)) };
      case 'staleShare':
        return { title: 'Stale backlog items (stale share)', unit, ...byIds(ranked.filter((r) => r.missing.includes('recent-activity')).map((r) => r.itemId)) };
      case 'growth':
        return { title: 'Growth: items created and completed per sprint', items: [], description: growth.map((g) => `${g.name}: ${g.created} created, ${g.completed} completed.`).join(' ') };
    }
  };
  // A hosted gadget's answer may carry the first page of the backlog only: the rest is paged in.
  const moreOf = useMoreEvidence();
  const allMore = moreOf('backlogHealth', backlog, 'evidence');
  const readyMore = moreOf('backlogHealth', backlog, 'evidence', { roles: ['ready'] });
  const idsMore = (ids: readonly string[]) => moreOf('backlogHealth', backlog, 'evidence', { itemIds: ids });
  const all: DrillRequest = { title: 'The backlog in rank order, ready or not', unit, items: backlog.evidence, ...(allMore ? { more: allMore } : {}) };
  return (
    <ViewSection view="backlogHealth" title="Backlog health">
      <KpiHeadline
        view="backlogHealth"
        figure={b ? `${b.score} / 100` : undefined}
        what="backlog health score"
        light={backlogHealthLight(b)}
        sentence={headlines.backlogHealth}
        rule={lightRules().backlogHealth}
        evidence={all}
      />
      {!b && <EmptyState reason={backlog.reason} testId="state-empty-backlogHealth" />}
      {b && (
        <FigureList
          testId="figures-backlogHealth"
          figures={[
            {
              label: 'Ready depth',
              value: b.readyDepth === null ? 'n/a' : `${b.readyDepth} sprints`,
              drill: { request: componentRequest(components.find((c) => c.name === 'readyDepth')!), testId: 'drill-backlogHealth-readyDepth', what: 'sprints of ready work at the top of the backlog' },
            },
            { label: 'Backlog items', value: String(b.items), drill: { request: all, testId: 'drill-backlogHealth-items', what: 'items on the backlog' } },
            {
              label: 'Ready items',
              value: String(b.readyItems),
              drill: { request: { title: 'Ready backlog items', unit, items: backlog.evidence.filter((e) => e.role === 'ready'), ...(readyMore ? { more: readyMore } : {}) }, testId: 'drill-backlogHealth-ready', what: 'ready items' },
            },
            { label: `Ready ${unit}`, value: String(b.readyPoints) },
            { label: 'Median age', value: b.medianAgeDays === null ? 'n/a' : `${b.medianAgeDays} days` },
          ]}
        />
      )}
      {components.length > 0 && (
        <>
          {components.some((c) => c.score !== null) && (
            <ChartFigure
              id="backlogHealth"
              caption="Score of each component (0–100)"
              summary={components.map((c) => `${COMPONENT_LABELS[c.name]}: ${c.score === null ? 'n/a' : c.score} (${c.light ?? 'no light'})`).join('; ') + (b ? `. Overall ${b.score}.` : '.')}
              build={build}
              table={{ columns: ['Component', 'Value', 'Score', 'Light'], rows: components.map((c) => [COMPONENT_LABELS[c.name], componentValue(c), c.score, c.light ?? 'none']) }}
              onItemClick={(c, el) => {
                const comp = components[c.dataIndex];
                if (comp) drill(componentRequest(comp), el);
              }}
            />
          )}
          <DataTable caption="Components" testId="table-backlogHealth" head={['Component', 'Value', 'Score', 'Light', 'Weight', 'Thresholds']}>
            {components.map((c) => {
              const request = componentRequest(c);
              return (
                <tr key={c.name}>
                  <th scope="row">{COMPONENT_LABELS[c.name]}</th>
                  <td className="akpi-num">
                    {c.name === 'growth' || c.value === null ? (
                      componentValue(c)
                    ) : (
                      <DrillButton request={request} testId={`drill-backlogHealth-${c.name}`} what={COMPONENT_LABELS[c.name].toLowerCase()}>
                        {componentValue(c)}
                      </DrillButton>
                    )}
                  </td>
                  <td className="akpi-num">{c.score === null ? '—' : String(c.score)}</td>
                  <td>
                    <LightBadge light={c.light} testId={`backlog-light-${c.name}`} />
                  </td>
                  <td className="akpi-num">{String(c.weight)}</td>
                  <td>{c.reason ?? componentThresholds(c)}</td>
                </tr>
              );
            })}
          </DataTable>
        </>
      )}
      {growth.length > 0 && (
        <DataTable caption="Growth: items created and completed per closed sprint" testId="table-backlogHealth-growth" head={['Sprint', 'Created', 'Completed']}>
          {growth.map((g) => (
            <tr key={g.sprintId}>
              <th scope="row">{g.name}</th>
              <td className="akpi-num">{g.created}</td>
              <td className="akpi-num">{g.completed}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {age && (
        <DataTable caption={`Age of the backlog (median ${num(age.medianDays)} days, p85 ${num(age.p85Days)}, oldest ${num(age.oldestDays)})`} testId="table-backlogHealth-age" head={['Age', 'Items']}>
          {Object.entries(age.buckets).map(([bucket, count]) => (
            <tr key={bucket}>
              <th scope="row">{bucket}</th>
              <td className="akpi-num">{count}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </ViewSection>
  );
}
