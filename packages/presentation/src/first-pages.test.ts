import { computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { EVIDENCE_PAGE_SIZE, listAt } from './evidence-pages';
import { firstPages } from './first-pages';
import { kpiHeadlines } from './headlines';
import { reportSummary, reportWith } from './report-parts';

describe('a report cut to first pages, with the headlines of the KPIs cut', () => {
  // 60 items a sprint: velocity, the goal rate, the backlog, releases and flow have lists of more than 200 entries.
  const report = computeMetrics(parseSnapshot(simulateTeam({ seed: 5, sprints: 8, itemsPerSprint: 60 }).snapshot));

  it('the doc comment example: a backlog of 1 000 rows answers its first 200 and says where the other 800 are', () => {
    const thousandRows = Array.from({ length: 1000 }, (_, i) => ({ itemId: `x:${i}`, key: `X-${i}`, role: i % 2 === 0 ? ('ready' as const) : ('not-ready' as const) }));
    const answer = firstPages({ ...report, backlogHealth: { ...report.backlogHealth, evidence: thousandRows } }, 'a1b2', ['backlogHealth']);
    expect(answer.report.backlogHealth.evidence).toEqual(thousandRows.slice(0, 200));
    expect(answer.evidencePages?.backlogHealth?.[0]).toMatchObject({ path: 'evidence', total: 1000, roles: { ready: 500, 'not-ready': 500 } });
    expect(Object.keys(answer.evidencePages!)).toEqual(['backlogHealth']);
    expect(Object.keys(answer.headlines!)).toEqual(['backlogHealth']);
  });

  it('cuts only the KPIs asked for, and gives the headline of each KPI cut (an outcome result has none)', () => {
    const answer = firstPages(report, 'abc', ['velocity', 'flow', 'impedimentResolutionTime', 'customerSatisfaction']);
    // The impediments and customer satisfaction of this team have no list longer than a page: not cut, no headline.
    expect(Object.keys(answer.evidencePages!).sort()).toEqual(['flow', 'velocity']);
    expect(answer.headlines).toEqual({ velocity: kpiHeadlines(report).velocity, flow: kpiHeadlines(report).flow });
    expect(listAt(answer.report.velocity, 'details.sprints.0.evidence').length).toBe(EVIDENCE_PAGE_SIZE);
    expect(answer.report.impedimentResolutionTime).toBe(report.impedimentResolutionTime);
    // Long lists of KPIs not asked for stay whole.
    expect(answer.report.backlogHealth).toBe(report.backlogHealth);
  });

  it("says the headlines of the report before the cut (flow's why read from its first page alone is another one), also of a summary with the KPIs asked for whole", () => {
    const answer = firstPages(report, 'abc', ['flow']);
    expect(answer.headlines).toEqual({ flow: kpiHeadlines(report).flow });
    expect(kpiHeadlines(answer.report).flow).not.toBe(kpiHeadlines(report).flow);
    const asked = reportWith(reportSummary(report), { flow: report.flow });
    expect(firstPages(asked, 'abc', ['flow'])).toEqual({ report: { ...asked, flow: answer.report.flow }, evidencePages: answer.evidencePages, headlines: answer.headlines });
  });

  it('a report with no list longer than a page comes back as it is, without pages or headlines', () => {
    const small = computeMetrics(parseSnapshot(simulateTeam({ seed: 5, sprints: 3, itemsPerSprint: 5 }).snapshot));
    const answer = firstPages(small, 'abc');
    expect(answer).toEqual({ report: small });
    expect(answer.report).toBe(small);
  });
});
