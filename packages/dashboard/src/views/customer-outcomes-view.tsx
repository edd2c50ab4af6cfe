import { type CsatFigure, FEW_RESPONSES, type ImpactChange, type MetricsReport, type NpsFigure, type ReleaseImpactRow, type RoiRow, type SatisfactionPeriod } from '@agile-kpi/core';
import { useCallback } from 'react';
import type { ChartTheme } from '@agile-kpi/presentation';
import { adoptionChartOption, adoptionCurves, satisfactionChartOption } from '../charts/outcomes-chart';
import { localDate, num, pct, signed } from '@agile-kpi/presentation';
import { money, outcomeHeadlines, signedPct } from '@agile-kpi/presentation';
import { ChartFigure } from '../ui/chart-figure';
import { DrillButton, type DrillRequest } from '../ui/drill-down';
import { EmptyState } from '../ui/states';
import { DataTable, FigureList, ViewSection } from '../ui/view-section';

/** What a team does to get each outcome, said where the outcome is missing. */
export const OUTCOME_HINTS = {
  customerSatisfaction:
    'Import survey responses (agile-kpi outcomes import FILE --kind csat for ratings 1-5, --kind nps for scores 0-10: a CSV or JSON file with a date and a score per row), or name the team’s Jira Service Management projects (agile-kpi sync --service-projects SUP,HELP) so that their request ratings are read.',
  featureAdoption:
    'Import a product-analytics export (agile-kpi outcomes import FILE --kind usage: date, feature, users, active users), and link each feature to the epic or release that ships it (agile-kpi outcomes settings --feature export=PROJ-12, or label the epic feature:<key>).',
  roi: 'Set the team’s cost per sprint (agile-kpi outcomes settings --cost-per-sprint "10000 EUR"), and import the benefit per period, revenue or cost saved per epic or release (agile-kpi outcomes import FILE --kind benefit).',
  releaseImpact: 'Release impact compares each shipped release’s customer figures in the weeks before and after it: it starts with the first release that ships.',
} as const;

/**
 * Customer outcomes: what releases did for customers. The headline is release impact, the latest shipped release's
 * delivered vs planned beside CSAT and NPS in the weeks before and after it (a change only when the 95 % intervals
 * do not overlap) and the adoption of the features it shipped; then CSAT and NPS by month, feature adoption, and ROI
 * per epic and release. No light: what a good outcome is belongs to the product. Each missing outcome says why and
 * what to import or set.
 */
export function CustomerOutcomesView({ report }: { readonly report: MetricsReport }) {
  const impact = report.releaseImpact;
  const latest = impact.value;
  const zone = report.team.timeZone;
  const sentences = outcomeHeadlines(report);
  const releaseEvidence = (r: ReleaseImpactRow): DrillRequest => {
    const outcome = report.releasePredictability.details.releases.find((x) => x.releaseId === r.releaseId);
    const items = outcome?.evidence.filter((e) => e.role === 'planned' || e.role === 'delivered') ?? [];
    // A report summarised for another view has no release lists: the latest release's delivered items travel with release impact.
    return { title: `Planned and delivered items of ${r.name}`, unit: 'pts', items: items.length || r.releaseId !== latest?.releaseId ? items : impact.evidence };
  };
  const noResponses = impact.details.releases.every((r) => !r.before.csat && !r.after.csat && !r.before.nps && !r.after.nps);
  return (
    <ViewSection view="customerOutcomes" title="Customer outcomes">
      <div className="akpi-headline">
        <div className="akpi-headline__top">
          {latest && latest.delivered !== null ? (
            <DrillButton request={{ title: `Delivered items of ${latest.name}`, unit: 'pts', items: impact.evidence }} testId="kpi-headline-customerOutcomes" what={`of ${latest.name}’s planned scope delivered`} className="akpi-headline__figure">
              {pct(latest.delivered)}
            </DrillButton>
          ) : (
            <span className="akpi-headline__figure akpi-headline__figure--none" data-testid="kpi-headline-customerOutcomes">
              n/a
            </span>
          )}
        </div>
        <p className="akpi-headline__sentence" data-testid="kpi-sentence-customerOutcomes">
          {sentences.releaseImpact}
        </p>
        <p className="akpi-headline__rule akpi-muted">
          No light: what a good outcome is belongs to the product. A difference is called a change only when the 95% intervals before and after the release do not overlap
          {` (${impact.params.weeks} weeks each side)`}.
        </p>
      </div>
      {!latest && <EmptyState reason={impact.reason} hint={OUTCOME_HINTS.releaseImpact} testId="state-empty-releaseImpact" />}
      {latest && noResponses && <EmptyState reason="no survey response falls in the weeks around a shipped release" hint={OUTCOME_HINTS.customerSatisfaction} testId="state-empty-releaseImpact-responses" />}
      {impact.details.releases.length > 0 && (
        <DataTable
          caption="Before and after each shipped release (95% intervals; resp.: responses)"
          testId="table-releaseImpact"
          head={['Release', 'Released', 'Delivered / planned', 'CSAT before', 'CSAT after', 'CSAT', 'NPS before', 'NPS after', 'NPS', 'Adoption at 30 days']}
        >
          {[...impact.details.releases].reverse().map((r) => (
            <tr key={r.releaseId} data-testid={`impact-${r.releaseId}`}>
              <th scope="row">{r.name}</th>
              <td className="akpi-date">{localDate(r.releasedAt, zone)}</td>
              <td className="akpi-num">
                {r.delivered === null ? (
                  '—'
                ) : (
                  <DrillButton request={releaseEvidence(r)} testId={`drill-releaseImpact-delivered-${r.releaseId}`} what={`of ${r.name}’s planned scope delivered`}>
                    {pct(r.delivered)}
                  </DrillButton>
                )}
              </td>
              <td className="akpi-num">{responsesCell(r, 'before', 'csat', csatCell(r.before.csat))}</td>
              <td className="akpi-num">{responsesCell(r, 'after', 'csat', csatCell(r.after.csat))}</td>
              <ChangeCell change={r.csatChange} testId={`impact-csat-${r.releaseId}`} />
              <td className="akpi-num">{responsesCell(r, 'before', 'nps', npsCell(r.before.nps))}</td>
              <td className="akpi-num">{responsesCell(r, 'after', 'nps', npsCell(r.after.nps))}</td>
              <ChangeCell change={r.npsChange} testId={`impact-nps-${r.releaseId}`} />
              <td>{r.features.length ? r.features.map((f) => `${f.feature} ${f.at30 === null ? 'not yet' : pct(f.at30)}`).join(', ') : '—'}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Satisfaction report={report} sentence={sentences.customerSatisfaction} />
      <Adoption report={report} sentence={sentences.featureAdoption} />
      <ReturnOnInvestment report={report} sentence={sentences.roi} />
    </ViewSection>
  );
}

function ChangeCell({ change, testId }: { readonly change: ImpactChange; readonly testId: string }) {
  const words = change === null ? 'n/a' : change === 'none' ? 'no change' : `changed: ${change}`;
  return (
    <td data-testid={testId} data-change={change ?? 'none-measured'}>
      {change === 'up' || change === 'down' ? <strong>{words}</strong> : words}
    </td>
  );
}

/** A before or after figure that opens its responses (the survey rows and ratings behind it). */
function responsesCell(r: ReleaseImpactRow, side: 'before' | 'after', kind: 'csat' | 'nps', text: string) {
  const items = r.evidence.filter((e) => e.role === `${kind}-${side}`);
  if (items.length === 0) return text;
  const label = kind === 'csat' ? 'CSAT' : 'NPS';
  return (
    <DrillButton request={{ title: `${label} responses ${side} ${r.name}`, unit: 'score', items }} testId={`drill-releaseImpact-${kind}-${side}-${r.releaseId}`} what={`${label} ${side} ${r.name}`}>
      {text}
    </DrillButton>
  );
}

/** "100% [83.9–100%], 20" */
function csatCell(f: CsatFigure | null): string {
  return f ? `${pct(f.share)} [${pct(f.interval[0])}–${pct(f.interval[1])}], ${f.responses} resp.` : '—';
}

function npsCell(f: NpsFigure | null): string {
  return f ? `${signed(f.score)} [${num(f.interval[0])} to ${num(f.interval[1])}], ${f.responses} resp.` : '—';
}

function Satisfaction({ report, sentence }: { readonly report: MetricsReport; readonly sentence: string }) {
  const result = report.customerSatisfaction;
  const v = result.value;
  const months = result.details.months;
  const build = useCallback((theme: ChartTheme) => satisfactionChartOption(result, theme), [result]);
  const few = (p: SatisfactionPeriod) => (p.csat !== null && p.csat.responses < FEW_RESPONSES) || (p.nps !== null && p.nps.responses < FEW_RESPONSES);
  const responses = (kind: 'csat' | 'nps'): DrillRequest => ({
    title: `${kind.toUpperCase()} responses of ${v?.month ?? ''}`,
    unit: kind === 'csat' ? 'rating' : 'score',
    items: result.evidence.filter((e) => (kind === 'csat' ? e.role === 'satisfied' || e.role === 'not-satisfied' : e.role === 'promoter' || e.role === 'passive' || e.role === 'detractor')),
  });
  return (
    <>
      <h3 className="akpi-subtitle">Customer satisfaction by month</h3>
      {v && (
        <p className="akpi-muted" data-testid="sentence-customerSatisfaction">
          {sentence}
        </p>
      )}
      {!v && <EmptyState reason={result.reason} {...(months.length ? {} : { hint: OUTCOME_HINTS.customerSatisfaction })} testId="state-empty-customerSatisfaction" />}
      {v && (
        <FigureList
          testId="figures-customerSatisfaction"
          figures={[
            ...(v.csat ? [{ label: `CSAT ${v.month}`, value: `${pct(v.csat.share)} of ${v.csat.responses}`, drill: { request: responses('csat'), testId: 'drill-customerSatisfaction-csat', what: `CSAT ratings of ${v.month}` } }] : []),
            ...(v.nps ? [{ label: `NPS ${v.month}`, value: `${signed(v.nps.score)} of ${v.nps.responses}`, drill: { request: responses('nps'), testId: 'drill-customerSatisfaction-nps', what: `NPS scores of ${v.month}` } }] : []),
            { label: 'CSAT trend', value: v.csatTrend === null ? 'n/a' : `${signed(v.csatTrend * 100)} pp a month` },
            { label: 'NPS trend', value: v.npsTrend === null ? 'n/a' : `${signed(v.npsTrend)} a month` },
          ]}
        />
      )}
      {result.warnings.length > 0 && (
        <ul className="akpi-muted" data-testid="warnings-customerSatisfaction">
          {result.warnings.map((w, i) => (
            <li key={i}>
              <code>{w.code}</code> {w.message}
            </li>
          ))}
        </ul>
      )}
      {months.length > 0 && (
        <>
          <ChartFigure
            id="customerSatisfaction"
            caption="CSAT (share of ratings 4–5) and NPS by month, with their 95% intervals"
            summary={months.map((m) => `${m.period}: CSAT ${m.csat ? `${pct(m.csat.share)} of ${m.csat.responses}` : 'none'}, NPS ${m.nps ? `${signed(m.nps.score)} of ${m.nps.responses}` : 'none'}`).join('; ') + '.'}
            build={build}
            table={{ columns: ['Month', 'CSAT %', 'CSAT responses', 'NPS', 'NPS responses'], rows: months.map((m) => [m.period, m.csat ? num(m.csat.share * 100) : null, m.csat?.responses ?? null, m.nps?.score ?? null, m.nps?.responses ?? null]) }}
          />
          <DataTable caption={`CSAT and NPS by month (95% intervals; under ${FEW_RESPONSES} responses a figure moves a lot)`} testId="table-customerSatisfaction" head={['Month', 'CSAT', 'Mean rating', 'CSAT 95% interval', 'Ratings', 'NPS', 'NPS 95% interval', 'Scores', 'Note']}>
            {[...months].reverse().map((m) => (
              <tr key={m.period} data-testid={`month-${m.period}`}>
                <th scope="row">{m.period}</th>
                <td className="akpi-num">{m.csat ? pct(m.csat.share) : '—'}</td>
                <td className="akpi-num">{m.csat ? num(m.csat.mean, 2) : '—'}</td>
                <td className="akpi-num">{m.csat ? `${pct(m.csat.interval[0])}–${pct(m.csat.interval[1])}` : '—'}</td>
                <td className="akpi-num">{m.csat?.responses ?? 0}</td>
                <td className="akpi-num">{m.nps ? signed(m.nps.score) : '—'}</td>
                <td className="akpi-num">{m.nps ? `${num(m.nps.interval[0])} to ${num(m.nps.interval[1])}` : '—'}</td>
                <td className="akpi-num">{m.nps?.responses ?? 0}</td>
                <td data-testid={`month-note-${m.period}`}>{few(m) ? `few responses (under ${FEW_RESPONSES})` : ''}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </>
  );
}

function Adoption({ report, sentence }: { readonly report: MetricsReport; readonly sentence: string }) {
  const result = report.featureAdoption;
  const features = result.details.features;
  const days = result.params.days;
  const curves = adoptionCurves(result);
  const build = useCallback((theme: ChartTheme) => adoptionChartOption(result, theme), [result]);
  return (
    <>
      <h3 className="akpi-subtitle">Feature adoption</h3>
      {result.value && (
        <p className="akpi-muted" data-testid="sentence-featureAdoption">
          {sentence}
        </p>
      )}
      {!result.value && <EmptyState reason={result.reason} hint={OUTCOME_HINTS.featureAdoption} testId="state-empty-featureAdoption" />}
      {features.length > 0 && (
        <DataTable caption={`Adoption (share of active users) after each feature’s release; days to reach ${pct(result.params.target)}`} testId="table-featureAdoption" head={['Feature', 'Released', ...days.map((d) => `${d} days`), 'Days to target', 'Epic', 'Why no figures']}>
          {features.map((f) => {
            const epic = result.evidence.filter((e) => e.itemId === f.epicId);
            return (
              <tr key={f.feature} data-testid={`feature-${f.feature}`}>
                <th scope="row">{f.feature}</th>
                <td className="akpi-date">{f.releasedOn ?? '—'}</td>
                {days.map((d) => (
                  <td key={d} className="akpi-num">
                    {f.at[String(d)] == null ? '—' : pct(f.at[String(d)]!)}
                  </td>
                ))}
                <td className="akpi-num">{f.daysToTarget ?? '—'}</td>
                <td>
                  {epic.length ? (
                    <DrillButton request={{ title: `The epic of feature ${f.feature}`, unit: 'share at 30 days', items: epic }} testId={`drill-featureAdoption-epic-${f.feature}`} what={`epic of feature ${f.feature}`}>
                      {epic[0]!.key}
                    </DrillButton>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{f.reason ?? ''}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
      {curves.length > 0 && (
        <ChartFigure
          id="featureAdoption"
          caption="Adoption curves: share of active users who used each feature, by days after its release"
          summary={curves.map((f) => `${f.feature}: ${f.curve.map((c) => `day ${c.day} ${pct(c.adoption)}`).join(', ')}`).join('; ') + '.'}
          build={build}
          table={{ columns: ['Feature', 'Day', 'Date', 'Adoption %'], rows: curves.flatMap((f) => f.curve.map((c) => [f.feature, c.day, c.date, num(c.adoption * 100)])) }}
        />
      )}
    </>
  );
}

function ReturnOnInvestment({ report, sentence }: { readonly report: MetricsReport; readonly sentence: string }) {
  const result = report.roi;
  const v = result.value;
  // Epics with neither a cost nor a benefit (every epic, before a cost per sprint is set) would only repeat the reason.
  const rows = [...result.details.epics, ...result.details.releases].filter((r) => r.cost !== null || r.benefit !== null);
  const costOf = (r: RoiRow): DrillRequest => ({
    title: `Cost of ${r.name}: the sprints that spent on it`,
    ...(r.currency ? { unit: r.currency } : {}),
    description: `Each sprint's cost per sprint × the share of its completed points that went to ${r.kind === 'epic' ? 'the epic’s items' : 'the release’s items'}.`,
    items: r.sprints.map((s) => ({ key: s.name, role: 'sprint-cost', contribution: s.cost, note: `${pct(s.share)} of the sprint’s completed points` })),
  });
  return (
    <>
      <h3 className="akpi-subtitle">Return on investment</h3>
      {v && (
        <p className="akpi-muted" data-testid="sentence-roi">
          {sentence}
        </p>
      )}
      {!v && <EmptyState reason={result.reason} hint={OUTCOME_HINTS.roi} testId="state-empty-roi" />}
      {v && (
        <FigureList
          testId="figures-roi"
          figures={[
            { label: 'ROI', value: signedPct(v.roi) },
            { label: 'Cost', value: money(v.cost, v.currency), drill: { request: { title: 'Cost of the epics measured', unit: v.currency, items: result.evidence }, testId: 'drill-roi-cost', what: 'cost of the epics measured' } },
            { label: 'Benefit', value: money(v.benefit, v.currency) },
            { label: 'Measured', value: `${v.measured} epic${v.measured === 1 ? '' : 's'} or release${v.measured === 1 ? '' : 's'}` },
          ]}
        />
      )}
      {rows.length > 0 && (
        <DataTable caption="ROI = (benefit − cost) / cost, per epic and per release; payback: days from the release until the benefit covered the cost" testId="table-roi" head={['Epic or release', 'Kind', 'Cost', 'Benefit', 'ROI', 'Payback', 'Why no ROI']}>
          {rows.map((r) => (
            <tr key={`${r.kind}-${r.id}`} data-testid={`roi-${r.kind}-${r.id}`}>
              <th scope="row">{r.name}</th>
              <td>{r.kind}</td>
              <td className="akpi-num">
                {r.cost === null ? (
                  '—'
                ) : (
                  <DrillButton request={costOf(r)} testId={`drill-roi-cost-${r.kind}-${r.id}`} what={`cost of ${r.name}`}>
                    {money(r.cost, r.currency)}
                  </DrillButton>
                )}
              </td>
              <td className="akpi-num">{r.benefit === null ? '—' : money(r.benefit, r.currency)}</td>
              <td className="akpi-num">{r.roi === null ? '—' : signedPct(r.roi)}</td>
              <td className="akpi-num">{r.paybackDays === null ? (r.roi === null ? '—' : 'not yet') : `${r.paybackDays} days`}</td>
              <td>{r.reason ?? ''}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
