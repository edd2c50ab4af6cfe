import { computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { kpiHeadlines } from './headlines';
import { reportSummary, reportWith } from './report-parts';
import { KPI_KEYS, RESULT_KEYS } from './traffic-lights';

describe('a report in parts', () => {
  const report = computeMetrics(parseSnapshot(simulateTeam({ seed: 3 }).snapshot));
  const summary = reportSummary(report);

  it('keeps every value, unit, reason and warning, and no evidence', () => {
    for (const k of RESULT_KEYS) {
      expect([k, summary[k].value, summary[k].unit, summary[k].reason, summary[k].warnings]).toEqual([k, report[k].value, report[k].unit, report[k].reason, report[k].warnings]);
      expect([k, summary[k].evidence, summary[k].excluded]).toEqual([k, [], []]);
    }
    expect(summary.velocity.details.sprints).toEqual([]);
    expect(summary.flow.details.windowStart).toBe(report.flow.details.windowStart);
    expect(JSON.stringify(summary).length).toBeLessThan(JSON.stringify(report).length / 10);
  });

  it('gives back each KPI whole, and the same headline as the whole report for it', () => {
    for (const k of KPI_KEYS) {
      const one = reportWith(summary, { [k]: report[k] });
      expect(one[k]).toEqual(report[k]);
      expect([k, kpiHeadlines(one)[k]]).toEqual([k, kpiHeadlines(report)[k]]);
    }
    expect(reportWith(summary, Object.fromEntries(RESULT_KEYS.map((k) => [k, report[k]])))).toEqual(report);
  });
});
