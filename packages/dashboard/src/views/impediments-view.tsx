import type { Impediment, MetricsReport } from '@agile-kpi/core';
import { useCallback } from 'react';
import { impedimentChartOption, impedimentHistogram } from '../charts/impediment-chart';
import type { ChartTheme } from '@agile-kpi/presentation';
import { localDateTime, num } from '@agile-kpi/presentation';
import { impedimentLight, lightRules } from '@agile-kpi/presentation';
import { ChartFigure } from '../ui/chart-figure';
import { DrillButton, type DrillRequest, type EvidenceItem, safeUrl, useDrillDown, useKpiHeadlines } from '../ui/drill-down';
import { KpiHeadline } from '../ui/kpi-headline';
import { EmptyState } from '../ui/states';
import { DataTable, FigureList, ViewSection } from '../ui/view-section';

const SOURCE_LABELS: Record<Impediment['source'], string> = { flagged: 'flagged', 'item-type': 'impediment item', 'blocked-status': 'blocked status' };

function rows(list: readonly Impediment[], role: string, zone: string): EvidenceItem[] {
  return list.map((i) => ({
    key: i.key,
    ...(i.url ? { url: i.url } : {}),
    title: i.title,
    role,
    contribution: i.workingHours,
    note: `${SOURCE_LABELS[i.source]}; raised ${localDateTime(i.raisedAt, zone)}${i.resolvedAt ? `, resolved ${localDateTime(i.resolvedAt, zone)}` : ''}; ${num(i.calendarHours)} calendar h`,
  }));
}

/**
 * Impediments: how long impediments take to resolve (the distribution in working hours with its median and
 * 85th percentile), the open ones by age (oldest first), and raised / resolved per sprint.
 */
export function ImpedimentsView({ report }: { readonly report: MetricsReport }) {
  const headlines = useKpiHeadlines(report);
  const imp = report.impedimentResolutionTime;
  const v = imp.value;
  const zone = report.team.timeZone;
  const { resolved, open, perSprint } = imp.details;
  const drill = useDrillDown();
  const build = useCallback((theme: ChartTheme) => impedimentChartOption(imp, theme), [imp]);
  const bins = impedimentHistogram(resolved);
  const resolvedRequest: DrillRequest = { title: 'Impediments resolved in the window', unit: 'working h', items: rows(resolved, 'resolved', zone) };
  const openRequest: DrillRequest = { title: 'Impediments open now', unit: 'working h so far', items: rows(open, 'open', zone) };
  const wh = v?.workingHours ?? null;
  const ch = v?.calendarHours ?? null;
  return (
    <ViewSection view="impediments" title="Impediments">
      <KpiHeadline
        view="impediments"
        figure={wh ? `${wh.median} working h` : undefined}
        what="median working hours to resolve an impediment"
        light={impedimentLight(v)}
        sentence={headlines.impedimentResolutionTime}
        rule={lightRules().impedimentResolutionTime}
        evidence={resolvedRequest}
      />
      {!v && <EmptyState reason={imp.reason} testId="state-empty-impediments" />}
      {v && (
        <FigureList
          testId="figures-impediments"
          figures={[
            { label: 'Raised in the window', value: String(v.raised) },
            { label: 'Resolved', value: String(v.resolved), drill: { request: resolvedRequest, testId: 'drill-impediments-resolved', what: 'impediments resolved in the window' } },
            { label: 'Open', value: String(v.open), drill: { request: openRequest, testId: 'drill-impediments-open', what: 'impediments open now' } },
            { label: 'Median (working h)', value: wh ? String(wh.median) : 'n/a' },
            { label: 'P85 (working h)', value: wh ? String(wh.p85) : 'n/a' },
            { label: 'Median (calendar h)', value: ch ? String(ch.median) : 'n/a' },
            { label: 'P85 (calendar h)', value: ch ? String(ch.p85) : 'n/a' },
            { label: 'Mean / max (working h)', value: wh ? `${wh.mean} / ${wh.max}` : 'n/a' },
          ]}
        />
      )}
      {bins.length > 0 && (
        <ChartFigure
          id="impediments"
          caption="Resolution time of the impediments resolved in the window (working hours)"
          summary={`${resolved.length} resolved; ${bins.map((b) => `${b.label}: ${b.impediments.length}`).join(', ')}${wh ? `; median ${wh.median} h, p85 ${wh.p85} h` : ''}.`}
          build={build}
          table={{ columns: ['Working hours', 'Impediments'], rows: bins.map((b) => [b.label, b.impediments.length]) }}
          onItemClick={(c, el) => {
            const b = bins[c.dataIndex];
            if (b) drill({ title: `Impediments resolved in ${b.label}`, unit: 'working h', items: rows(b.impediments, 'resolved', zone) }, el);
          }}
        />
      )}
      {v && (
        <DataTable caption={`Open impediments (${open.length}, oldest first)`} testId="table-impediments-open" head={['Item', 'Title', 'Source', 'Raised', 'Open for (days)', 'Working h']}>
          {open.length === 0 ? (
            <tr>
              <td colSpan={6}>No impediment is open.</td>
            </tr>
          ) : (
            open.map((i) => {
              const href = safeUrl(i.url);
              return (
                <tr key={i.id}>
                  <th scope="row">{href ? <a href={href} target="_blank" rel="noopener noreferrer">{i.key}</a> : i.key}</th>
                  <td>{i.title}</td>
                  <td>{SOURCE_LABELS[i.source]}</td>
                  <td>{localDateTime(i.raisedAt, zone)}</td>
                  <td className="akpi-num">
                    <DrillButton
                      request={{ title: `Open impediment ${i.key}`, unit: 'working h so far', items: rows([i], 'open', zone) }}
                      testId={`drill-impediments-age-${i.id}`}
                      what={`days ${i.key} has been open`}
                    >
                      {num(i.calendarHours / 24, 1)}
                    </DrillButton>
                  </td>
                  <td className="akpi-num">{String(i.workingHours)}</td>
                </tr>
              );
            })
          )}
        </DataTable>
      )}
      {perSprint.length > 0 && (
        <DataTable caption="Per sprint" testId="table-impediments-sprints" head={['Sprint', 'Raised', 'Resolved', 'Median (working h)', 'Median (calendar h)']}>
          {perSprint.map((s) => (
            <tr key={s.sprintId}>
              <th scope="row">{s.name}</th>
              <td className="akpi-num">{s.raised}</td>
              <td className="akpi-num">{s.resolved}</td>
              <td className="akpi-num">{s.medianWorkingHours ?? '—'}</td>
              <td className="akpi-num">{s.medianCalendarHours ?? '—'}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </ViewSection>
  );
}
