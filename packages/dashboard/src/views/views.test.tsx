import { computeMetrics, parseSnapshot, type MetricsReport, type Snapshot } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { localDate, num, pct } from '@agile-kpi/presentation';
import { kpiHeadlines } from '@agile-kpi/presentation';
import { kpiLights } from '@agile-kpi/presentation';
import { DrillDownProvider, EvidencePanel } from '../ui/drill-down';
import { BacklogHealthView } from './backlog-health-view';
import { FlowView } from './flow-view';
import { ImpedimentsView } from './impediments-view';
import { ReleasePredictabilityView } from './release-predictability-view';
import { SprintGoalView } from './sprint-goal-view';
import { SprintProgressView } from './sprint-progress-view';
import { VelocityView } from './velocity-view';

const XSS = '<img src=x onerror=alert(1)>';

let snapshot: Snapshot;
let report: MetricsReport;
beforeAll(() => {
  snapshot = parseSnapshot(simulateTeam({ seed: 42 }).snapshot);
  report = computeMetrics(snapshot);
});

const render = (el: ReactElement) => renderToStaticMarkup(<DrillDownProvider>{el}</DrillDownProvider>);

/** The markup as a reader sees it: tags gone, entities decoded, spaces collapsed. */
function textOf(markup: string): string {
  return markup
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

const attr = (markup: string, testId: string, name: string) => new RegExp(`data-testid="${testId}"[^>]*?${name}="([^"]*)"|${name}="([^"]*)"[^>]*?data-testid="${testId}"`).exec(markup)?.slice(1).find((x) => x !== undefined);

describe('each view shows the report’s exact figures, its headline sentence and its light', () => {
  test('velocity', () => {
    const html = render(<VelocityView report={report} />);
    const text = textOf(html);
    const v = report.velocity.value!;
    expect(text).toContain(kpiHeadlines(report).velocity);
    for (const f of [`${v.velocity} pts`, `${v.median} pts`, String(v.coefficientOfVariation), `${v.trend} pts per sprint`, String(v.sayDo), `Sprints averaged ${v.sprintsAveraged}`]) expect(text).toContain(f);
    expect(attr(html, 'kpi-light-velocity', 'data-light')).toBe(kpiLights(report).velocity);
    expect(html).toContain('data-testid="kpi-headline-velocity"');
    for (const s of report.velocity.details.sprints) {
      expect(html).toMatch(new RegExp(`data-testid="drill-velocity-committed-${s.sprintId}"[^>]*>${num(s.committed.points, 2)}<`));
      expect(html).toMatch(new RegExp(`data-testid="drill-velocity-completed-${s.sprintId}"[^>]*>${num(s.completed.points, 2)}<`));
    }
    const sprint5 = report.velocity.details.sprints[0]!;
    const committed = sprint5.evidence.filter((e) => e.role === 'committed').length;
    expect(attr(html, `drill-velocity-committed-${sprint5.sprintId}`, 'aria-label')).toBe(`${sprint5.committed.points} pts committed in ${sprint5.name}: show the ${committed} items behind it`);
    expect(html).toContain('role="img"');
    expect(html).toContain('data-testid="chart-table-velocity"');
  });

  test('sprint goal rate, with the verdict control when the host can record verdicts', () => {
    const g = report.sprintGoalRate.value!;
    const html = render(<SprintGoalView report={report} onRecordVerdict={async () => ({ ok: false, error: { kind: 'internal', message: 'unused' } })} />);
    const text = textOf(html);
    expect(text).toContain(kpiHeadlines(report).sprintGoalRate);
    expect(text).toContain(pct(g.rate));
    for (const [label, n] of [['Met', g.met], ['Partly', g.partly], ['Missed', g.missed], ['No goal', g.noGoal], ['Sprints considered', g.sprintsConsidered]] as const) expect(text).toContain(`${label} ${n}`);
    for (const s of report.sprintGoalRate.details.sprints) expect(text).toContain(s.name);
    for (const s of report.sprintGoalRate.details.sprints) {
      if (s.rule === 'goal-items') expect(text).toContain(`${s.name} ${s.outcome} goal items: ${s.goalItems.done} of ${s.goalItems.total} done`);
      if (s.rule === 'inferred') expect(text).toContain(`${s.name} ${s.outcome} inferred: say/do ${s.completionRatio!.toFixed(2)}`);
    }
    expect(html).toContain('data-testid="verdict-control"');
    for (const id of ['verdict-sprint', 'verdict-outcome-met', 'verdict-outcome-partly', 'verdict-outcome-missed', 'verdict-note', 'verdict-submit', 'verdict-status']) expect(html).toContain(`data-testid="${id}"`);
    expect(render(<SprintGoalView report={report} />)).not.toContain('verdict-control');
  });

  test('impediments', () => {
    const i = report.impedimentResolutionTime.value!;
    const html = render(<ImpedimentsView report={report} />);
    const text = textOf(html);
    expect(text).toContain(kpiHeadlines(report).impedimentResolutionTime);
    expect(text).toContain(`${i.workingHours!.median} working h`);
    for (const f of [`Raised in the window ${i.raised}`, `Resolved ${i.resolved}`, `Open ${i.open}`, `P85 (working h) ${i.workingHours!.p85}`, `Median (calendar h) ${i.calendarHours!.median}`, `P85 (calendar h) ${i.calendarHours!.p85}`]) expect(text).toContain(f);
    const open = report.impedimentResolutionTime.details.open;
    expect(text).toContain(`Open impediments (${open.length}, oldest first)`);
    // Oldest first, each with its age in days and its title as text.
    let at = 0;
    for (const o of open) {
      const here = text.indexOf(o.key, at);
      expect(here).toBeGreaterThanOrEqual(at);
      at = here;
      expect(text).toContain(o.title);
      expect(html).toContain(`data-testid="drill-impediments-age-${o.id}"`);
    }
  });

  test('sprint progress', () => {
    const p = report.sprintProgress.value!;
    const text = textOf(render(<SprintProgressView report={report} />));
    expect(text).toContain(kpiHeadlines(report).sprintProgress);
    for (const f of [`${p.remaining} pts left`, `Committed ${p.committed} pts`, `Scope now ${p.scope} pts`, `Completed ${p.completed} pts`, `Ideal remaining ${p.idealRemaining} pts`, `Working days ${p.workingDaysElapsed} of ${p.workingDaysTotal}`, `${p.pacePerWorkingHour} pts per working hour`, `${p.projectedCompletedAtEnd} pts`, localDate(p.projectedFinish!, report.team.timeZone), 'no, behind']) expect(text).toContain(f);
  });

  test('backlog health', () => {
    const b = report.backlogHealth.value!;
    const html = render(<BacklogHealthView report={report} />);
    const text = textOf(html);
    expect(text).toContain(kpiHeadlines(report).backlogHealth);
    for (const f of [`${b.score} / 100`, `Ready depth ${b.readyDepth} sprints`, `Backlog items ${b.items}`, `Ready items ${b.readyItems}`, `Ready pts ${b.readyPoints}`, `${b.medianAgeDays} days`, pct(b.estimatedShare!), pct(b.staleShare!), String(b.growthRatio)]) expect(text).toContain(f);
    expect(attr(html, 'kpi-light-backlogHealth', 'data-light')).toBe(b.light);
    for (const c of report.backlogHealth.details.components) expect(attr(html, `backlog-light-${c.name}`, 'data-light')).toBe(c.light ?? 'none');
    expect(text).toContain('under 1 red, under 2 amber, 2–5 green (healthy 2–3), above 5 amber');
  });

  test('release predictability, with the forecast of the open release', () => {
    const r = report.releasePredictability.value!;
    const text = textOf(render(<ReleasePredictabilityView report={report} />));
    expect(text).toContain(kpiHeadlines(report).releasePredictability);
    for (const f of [pct(r.predictability!), `Predictability ${r.predictability}`, `On time ${pct(r.onTimeRate!)}`, `Mean slip +${r.meanSlipDays} days`, `Releases considered ${r.releasesConsidered}`, `Sprint say/do ${r.sprintSayDo}`]) expect(text).toContain(f);
    for (const x of report.releasePredictability.details.releases) {
      expect(text).toContain(`${x.name} ${x.state === 'released' ? `released ${localDate(x.releasedAt!, report.team.timeZone)}` : 'open'} ${x.plannedDate} ${x.planned.points}`);
      if (x.forecast) expect(text).toContain(`${x.name} ${x.forecast.remaining.points} pts ${x.plannedDate} ${x.forecast.p50} ${x.forecast.p85} ${x.forecast.p95} ${pct(x.forecast.probabilityOnTime!)}`);
    }
  });

  test('flow', () => {
    const f = report.flow.value!;
    const html = render(<FlowView report={report} />);
    const text = textOf(html);
    expect(text).toContain(kpiHeadlines(report).flow);
    for (const x of [`${f.throughputPerWeek} items/week`, `Cycle time median ${f.cycleTimeDays!.median} d`, `Cycle time p85 ${f.cycleTimeDays!.p85} d`, `Cycle time p95 ${f.cycleTimeDays!.p95} d`, `Lead time median ${f.leadTimeDays!.median} d`, `WIP ${f.wip}`, `Aging above p85 ${f.agingAboveP85}`]) expect(text).toContain(x);
    for (const w of report.flow.details.weeks) expect(html).toMatch(new RegExp(`data-testid="drill-flow-week-${w.week}"[^>]*>${w.finished}<`));
    for (const a of report.flow.details.aging) expect(html).toMatch(new RegExp(`data-testid="drill-flow-age-${a.itemId}"[^>]*>${a.ageDays}<`));
  });

  test("flow's aging table names each item by its title, even when the answer carries only a first page of the evidence", () => {
    const aging = report.flow.details.aging;
    expect(aging.length).toBeGreaterThan(1);
    // A hosted answer cut to its first page: no evidence at all here, the worst case.
    const cut: MetricsReport = { ...report, flow: { ...report.flow, evidence: [] } };
    const text = textOf(render(<FlowView report={cut} />));
    const titleOf = new Map(snapshot.items.map((i) => [i.id, i.title]));
    for (const a of aging) {
      expect(a.title).toBe(titleOf.get(a.itemId));
      expect(text).toContain(`${a.key} ${a.title} ${a.status}`);
    }
  });
});

describe('empty is not zero: each view says why it has no value', () => {
  let empty: MetricsReport;
  beforeAll(() => {
    empty = computeMetrics({ ...snapshot, items: [], sprints: [], releases: [] });
  });

  test.each([
    ['velocity', (r: MetricsReport) => <VelocityView report={r} />, 'No closed sprint yet: velocity needs at least one.'],
    ['sprintGoalRate', (r: MetricsReport) => <SprintGoalView report={r} />, 'No closed sprint yet.'],
    ['impediments', (r: MetricsReport) => <ImpedimentsView report={r} />, 'No impediment raised, resolved or open in the window'],
    ['sprintProgress', (r: MetricsReport) => <SprintProgressView report={r} />, 'No sprint is active at asOf.'],
    ['backlogHealth', (r: MetricsReport) => <BacklogHealthView report={r} />, 'No component of backlog health can be computed yet'],
    ['releasePredictability', (r: MetricsReport) => <ReleasePredictabilityView report={r} />, 'The team has no releases'],
    ['flow', (r: MetricsReport) => <FlowView report={r} />, 'No work items existed at asOf.'],
  ])('%s', (view, make, message) => {
    const html = render(make(empty));
    expect(html).toContain(`data-testid="state-empty-${view}"`);
    expect(textOf(html)).toContain(message);
    expect(html).toContain(`data-testid="kpi-headline-${view}"`);
    expect(attr(html, `kpi-light-${view}`, 'data-light')).toBe('none');
    expect(html).not.toContain('role="img"'); // no empty chart
  });
});

describe('titles and names from the tracker are text, never markup', () => {
  let hostile: MetricsReport;
  beforeAll(() => {
    hostile = computeMetrics({
      ...snapshot,
      items: snapshot.items.map((i) => ({ ...i, title: XSS })),
      sprints: snapshot.sprints.map((s) => ({ ...s, name: `${s.name} ${XSS}`, ...(s.goal ? { goal: XSS } : {}) })),
      releases: snapshot.releases.map((r) => ({ ...r, name: `${r.name} ${XSS}` })),
    });
  });

  test('every view escapes them', () => {
    const html = [VelocityView, ImpedimentsView, SprintProgressView, BacklogHealthView, ReleasePredictabilityView, FlowView]
      .map((View) => render(<View report={hostile} />))
      .concat(render(<SprintGoalView report={hostile} onRecordVerdict={async () => ({ ok: false, error: { kind: 'x', message: 'x' } })} />))
      .join('\n');
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('the evidence panel lists the items as text, their keys linking to the tracker', () => {
    const items = hostile.velocity.evidence;
    const html = renderToStaticMarkup(<EvidencePanel request={{ title: `Committed in ${XSS}`, unit: 'pts', items: [...items, { key: 'BAD-1', url: 'javascript:alert(1)', role: 'committed', title: XSS }] }} onClose={() => {}} />);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html.match(/data-testid="evidence-row"/g)).toHaveLength(items.length + 1);
    expect(html).toContain(`<a href="${items[0]!.url}" target="_blank" rel="noopener noreferrer" data-testid="evidence-link">${items[0]!.key}</a>`);
    expect(html).toMatch(/role="dialog" aria-modal="false" aria-labelledby="([^"]+)" data-testid="evidence-panel"/);
    const labelledBy = /aria-labelledby="([^"]+)"/.exec(html)![1]!;
    expect(html).toContain(`id="${labelledBy}" tabindex="-1" data-testid="evidence-panel-title">Committed in &lt;img`);
    expect(html).toContain('data-testid="evidence-panel-close"');
    expect(textOf(html)).toContain(`${items.length + 1} items behind this number.`);
  });
});
