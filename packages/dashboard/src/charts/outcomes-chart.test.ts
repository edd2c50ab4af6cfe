import { type MetricsReport, computeMetrics } from '@agile-kpi/core';
import { goldenOutcomes, outcomesGoldenSnapshot } from '../../../core/src/testing/outcomes-golden';
import { DARK_CHART_THEME } from '@agile-kpi/presentation';
import { adoptionChartOption, adoptionCurves, satisfactionChartOption } from './outcomes-chart';

type Series = { id?: string; data?: unknown[]; yAxisIndex?: number; markLine?: { data?: { yAxis?: unknown }[] } };
const byId = (option: { series?: unknown }, id: string) => (option.series as Series[]).find((s) => s.id === id)!;

/** Core's golden outcomes board (values worked by hand in outcomes-golden.ts). */
let report: MetricsReport;
beforeAll(() => {
  report = computeMetrics(outcomesGoldenSnapshot(), {}, goldenOutcomes);
});

describe('customer outcome charts draw the report’s own numbers', () => {
  test('satisfaction by month: CSAT % and NPS, each over its 95 % interval band', () => {
    const o = satisfactionChartOption(report.customerSatisfaction);
    expect((o.xAxis as { data: string[] }).data).toEqual(['2026-03', '2026-04']);
    // March: twenty 3s (0 %, [0, 16.1 %]), ten 7s (0, [0, 0]); April: twenty 5s (100 %, [83.9, 100 %]), NPS 50 [20, 80].
    expect(byId(o, 'csat').data).toEqual([0, 100]);
    expect(byId(o, 'csat-low').data).toEqual([0, 83.9]);
    expect(byId(o, 'csat-band').data).toEqual([16.1, 16.1]);
    expect(byId(o, 'nps').data).toEqual([0, 50]);
    expect(byId(o, 'nps').yAxisIndex).toBe(1);
    expect(byId(o, 'nps-low').data).toEqual([0, 20]);
    expect(byId(o, 'nps-band').data).toEqual([0, 60]);
  });

  test('adoption curves: % of active users by days after the release, the target across', () => {
    const o = adoptionChartOption(report.featureAdoption, DARK_CHART_THEME);
    // export: 10, 50, 250, 300 of 1 000 on days 0, 7, 30, 90; search has no release, so no curve.
    expect(adoptionCurves(report.featureAdoption).map((f) => f.feature)).toEqual(['export']);
    expect(byId(o, 'feature-export').data).toEqual([[0, 1], [7, 5], [30, 25], [90, 30]]);
    expect(byId(o, 'feature-export').markLine!.data![0]!.yAxis).toBe(20);
  });

  test('tooltips escape what comes from outside', () => {
    const o = adoptionChartOption({ ...report.featureAdoption, details: { features: report.featureAdoption.details.features.map((f) => ({ ...f, feature: '<img src=x>' })) } });
    const tip = (o.tooltip as { formatter: (p: unknown) => string }).formatter({ seriesName: '<img src=x>', value: [7, 5] });
    expect(tip).not.toContain('<img');
    expect(tip).toContain('day 7: 5% of active users');
  });
});
