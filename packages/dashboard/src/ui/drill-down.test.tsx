import { computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { EVIDENCE_PAGE_SIZE, cutReport } from '@agile-kpi/presentation';
import { kpiHeadlines } from '@agile-kpi/presentation';
import { BacklogHealthView } from '../views/backlog-health-view';
import { FlowView } from '../views/flow-view';
import { ReleasePredictabilityView } from '../views/release-predictability-view';
import { SprintGoalView } from '../views/sprint-goal-view';
import { VelocityView } from '../views/velocity-view';
import { DrillDownProvider, EvidencePagesProvider, EvidencePanel, type LoadEvidencePage } from './drill-down';

/**
 * A view of an answer whose long evidence lists came as first pages (a hosted gadget on a large board) says
 * exactly what the view of the whole report says: every figure, and every "show the N items behind it".
 */
// 60 items a sprint: velocity per sprint, release and backlog lists of more than 200 entries.
const report = computeMetrics(parseSnapshot(simulateTeam({ seed: 5, sprints: 8, itemsPerSprint: 60 }).snapshot));
const { report: cut, pages } = cutReport(report, 'abc');
// As a hosted answer brings them: the headline sentences of the whole report (a "why" reads the evidence).
const headlines = kpiHeadlines(report);
const load: LoadEvidencePage = () => Promise.resolve({ ok: false, error: { kind: 'internal', message: 'not in this test' } });
const render = (el: ReactElement, paged: boolean) =>
  renderToStaticMarkup(paged ? <EvidencePagesProvider pages={pages} load={load} headlines={headlines}><DrillDownProvider>{el}</DrillDownProvider></EvidencePagesProvider> : <DrillDownProvider>{el}</DrillDownProvider>);

test.each([
  ['velocity', (r: typeof report) => <VelocityView report={r} />],
  ['sprintGoalRate', (r: typeof report) => <SprintGoalView report={r} />],
  ['flow', (r: typeof report) => <FlowView report={r} />],
  ['backlogHealth', (r: typeof report) => <BacklogHealthView report={r} />],
  ['releasePredictability', (r: typeof report) => <ReleasePredictabilityView report={r} />],
] as const)('%s: first pages and their counts read as the whole report does', (kpi, view) => {
  expect(pages[kpi]?.length).toBeGreaterThan(0);
  // Known difference: the aging table's titles come from the WIP evidence, and those past the first page are blank.
  const untitled = (html: string) => (kpi === 'flow' ? html.replace(/(<tr data-band="[^"]*"><th scope="row">[^<]*<\/th><td>)[^<]*(<\/td>)/g, '$1$2') : html);
  expect(untitled(render(view(cut), true))).toBe(untitled(render(view(report), false)));
});

test('without the whole report’s sentences, a "why" read from first pages would differ: the answer must bring them', () => {
  expect(kpiHeadlines(cut).flow).not.toBe(headlines.flow);
});

test('the evidence panel counts every item and offers the rest of a list cut short', () => {
  const list = pages.velocity!.find((l) => l.path === 'evidence')!;
  const request = { title: 'Velocity', items: cut.velocity.evidence, more: { kpi: 'velocity' as const, total: list.total, lists: [{ next: list.next }] } };
  const html = renderToStaticMarkup(
    <EvidencePagesProvider pages={pages} load={load}>
      <EvidencePanel request={request} onClose={() => {}} />
    </EvidencePagesProvider>,
  );
  expect(html).toContain(`${list.total} items behind this number.`);
  expect(html.match(/data-testid="evidence-row"/g)).toHaveLength(EVIDENCE_PAGE_SIZE);
  expect(html).toMatch(new RegExp(`data-testid="evidence-panel-more">${list.total - EVIDENCE_PAGE_SIZE} more — <button`));
});
