import { computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
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
