import { computeMetrics } from './compute-metrics';
import { NO_OUTCOMES } from './model/outcomes';
import { goldenOutcomes, outcomesGoldenSnapshot } from './testing/outcomes-golden';

/** The customer outcome keys of the report, on the golden board of metrics/customer-outcomes.test.ts (worked there by hand). */
describe('computeMetrics with customer outcomes', () => {
  const snapshot = outcomesGoldenSnapshot();
  const report = computeMetrics(snapshot, {}, goldenOutcomes);

  it('adds the four outcome results, figured as the golden case works them out', () => {
    expect(report.roi.value).toEqual({ cost: 8750, benefit: 12000, roi: 0.371, currency: 'EUR', measured: 2 });
    expect(report.featureAdoption.value).toEqual({ features: 1, medianAt30: 0.25, reachedTarget: 1 });
    expect(report.releaseImpact.value).toMatchObject({ releaseId: 'r1', delivered: 1, csatChange: 'up', npsChange: 'up', features: [{ feature: 'export', at30: 0.25 }] });
    // asOf 2026-06-30 is in June, so May is the last complete month, and nobody answered in May.
    expect(report.customerSatisfaction.value).toBeNull();
    expect(report.customerSatisfaction.reason).toBe('no survey response in 2026-05, the last complete month');
    expect(report.customerSatisfaction.details.months.map((m) => [m.period, m.csat?.share ?? null, m.nps?.score ?? null])).toEqual([
      ['2026-03', 0, 0],
      ['2026-04', 1, 50],
    ]);
  });

  it('passes each outcome option on to its measure', () => {
    const tuned = computeMetrics(snapshot, { featureAdoption: { target: 0.3 }, releaseImpact: { weeks: 1 }, customerSatisfaction: { seed: 7 } }, goldenOutcomes);
    // 30 % first reached on 06-30, 90 days after the release on 04-01.
    expect(tuned.featureAdoption.details.features[0]).toMatchObject({ feature: 'export', daysToTarget: 90 });
    // One week either side of 04-01 23:59: the 03-20 and 03-21 answers fall before it, none after -> no change either way.
    expect(tuned.releaseImpact.value).toMatchObject({ before: { csat: null, nps: null }, csatChange: null, npsChange: null });
    expect(tuned.customerSatisfaction.params).toMatchObject({ seed: 7 });
  });

  it('without outcomes says what is missing, and leaves every other figure as it was', () => {
    const none = computeMetrics(snapshot);
    expect(none.customerSatisfaction.reason).toBe('no survey response: connect Jira Service Management or import a survey');
    expect(none.roi.reason).toMatch(/^no cost per sprint is configured/);
    expect(JSON.stringify(none)).toBe(JSON.stringify(computeMetrics(snapshot, {}, NO_OUTCOMES)));
    const delivery = (r: typeof report) => JSON.stringify({ ...r, customerSatisfaction: 0, featureAdoption: 0, roi: 0, releaseImpact: 0 });
    expect(delivery(report)).toBe(delivery(none));
  });
});
