import { computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { OUTCOME_LABELS, outcomeHeadlines, signed } from '@agile-kpi/presentation';
import { simulateTeam } from '@agile-kpi/testkit';
import { goldenOutcomes, outcomesGoldenSnapshot } from '../../core/src/testing/outcomes-golden';
import { kpiSummaries, localDateTime, num, renderText, sparkline } from './render-text';

describe('render-text helpers', () => {
  test('sparkline scales to the top value; days still to come are dots', () => {
    expect(sparkline([0, 7, 14, 28, null, null], 28)).toBe('▁▃▅█··');
    expect(sparkline([40], 20)).toBe('█');
  });

  test('numbers are rounded for reading, never "-0"', () => {
    expect([num(23.666), num(24), num(0.125, 2), num(-0.01), num(1e-9)]).toEqual(['23.7', '24', '0.13', '0', '0']);
  });

  test("times are shown in the team's zone whatever the machine's zone", () => {
    expect(localDateTime('2025-03-30T00:30:00.000Z', 'Europe/Berlin')).toBe('2025-03-30 01:30');
    expect(localDateTime('2025-03-30T01:30:00.000Z', 'Europe/Berlin')).toBe('2025-03-30 03:30');
    expect(localDateTime('2025-03-30T01:30:00.000Z', 'Pacific/Auckland')).toBe('2025-03-30 14:30');
  });
});

describe('renderText without enough data', () => {
  // One sprint, still active: nothing is closed, so the sprint-based KPIs have no value. Empty is not zero.
  const report = computeMetrics(parseSnapshot(simulateTeam({ seed: 3, sprints: 1 }).snapshot));

  test('metrics without a value show n/a and the reason, never a made-up 0', () => {
    const lines = kpiSummaries(report);
    expect(report.velocity.value).toBeNull();
    expect(lines.velocity).toBe(`n/a: ${report.velocity.reason}`);
    expect(lines.sprintGoalRate).toBe(`n/a: ${report.sprintGoalRate.reason}`);
    const text = renderText(report, { color: false });
    expect(text).toMatch(/^\[n\/a\] {3}Velocity {16}n\/a: no closed sprint yet/m);
    expect(text).toContain('Sprint goals\n  no closed sprint');
    expect(text).not.toContain('NaN');
    expect(text).not.toContain('undefined');
  });
});

describe('renderText: customer outcomes', () => {
  // Core's golden outcomes board (outcomes-golden.ts, worked by hand there) read on 2026-05-10: April is the last
  // complete month. March: twenty CSAT 3s (share 0, Wilson [0, 0.161]) and ten NPS 7s (0); April: twenty 5s
  // (share 1, mean 5, Wilson [0.839, 1]) and five 9s, five 7s (NPS 5/10 - 0/10 = +50).
  const report = computeMetrics({ ...outcomesGoldenSnapshot(), asOf: '2026-05-10T12:00:00Z' }, {}, goldenOutcomes);
  const text = renderText(report, { color: false });

  test('one sentence per outcome, in the words of the dashboard and the email', () => {
    const headlines = outcomeHeadlines(report);
    expect(text).toContain('\nCustomer outcomes\n');
    expect(text).toContain(`  Customer satisfaction  ${headlines.customerSatisfaction}\n`);
    expect(headlines.customerSatisfaction).toMatch(/^2026-04: CSAT 100% \(mean 5, 20 responses\), NPS \+50 \(10 responses\)/);
    for (const key of ['featureAdoption', 'roi', 'releaseImpact'] as const) expect(text).toContain(`  ${OUTCOME_LABELS[key].padEnd(21)}  ${headlines[key]}\n`);
  });

  test('CSAT and NPS by month with their counts and 95 % intervals', () => {
    const [low, high] = report.customerSatisfaction.details.months[1]!.nps!.interval;
    expect(text).toMatch(/^ {2}2026-03\s+0%\s+0% to 16\.1%\s+3\s+20\s+0\s+0 to 0\s+10$/m);
    expect(text).toMatch(new RegExp(`^ {2}2026-04\\s+100%\\s+83\\.9% to 100%\\s+5\\s+20\\s+\\+50\\s+${signed(low).replace('+', '\\+')} to ${signed(high).replace('+', '\\+')}\\s+10$`, 'm'));
  });

  test('a team without outcome data gets one line saying where they come from', () => {
    const none = renderText(computeMetrics(parseSnapshot(simulateTeam({ seed: 3, sprints: 2 }).snapshot)), { color: false });
    expect(none).toContain('Customer outcomes\n  none: import survey, usage and benefit data for the board or team (agile-kpi outcomes --help)\n');
  });
});
