import { computeMetrics, parseSnapshot, type MetricsReport } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { burndownChartOption } from './burndown-chart';
import { renderChartSvg } from './render-svg';
import { throughputChartOption } from './flow-chart';
import { velocityChartOption } from './velocity-chart';

let report: MetricsReport;
beforeAll(() => {
  report = computeMetrics(parseSnapshot(simulateTeam({ seed: 42 }).snapshot));
});

describe('renderChartSvg (server-side, no DOM)', () => {
  test('draws the velocity chart as an SVG document with its series, sprints and the velocity line', () => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    const svg = renderChartSvg(velocityChartOption(report.velocity), { width: 720, height: 360 });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('width="720"');
    expect(svg).toContain('height="360"');
    for (const name of ['Committed', 'Completed', 'Added', 'Removed', 'Trend']) expect(svg).toContain(`>${name}<`);
    expect(svg).toContain('SIM Sprint 5');
    expect(svg).toContain(`velocity ${report.velocity.value!.velocity}`);
    // One bar per sprint and figure: the committed bars carry the sprint-5 value as a path at least.
    expect((svg.match(/<path /g) ?? []).length).toBeGreaterThan(report.velocity.details.sprints.length * 2);
  });

  test('draws the burndown with its ideal line and today, and the throughput with its mean', () => {
    const burn = renderChartSvg(burndownChartOption(report.sprintProgress), { width: 640, height: 320 });
    for (const name of ['Scope', 'Completed', 'Remaining', 'Ideal', 'Projection', 'today']) expect(burn).toContain(`>${name}<`);
    const flow = renderChartSvg(throughputChartOption(report.flow), { width: 640, height: 320 });
    expect(flow).toContain(`mean ${report.flow.value!.throughputPerWeek}/week`);
    expect(flow).toContain(`${report.flow.details.currentWeek.week} (so far)`);
  });

  test('writes well-formed attributes even for font names in double quotes', () => {
    const option = velocityChartOption(report.velocity);
    const svg = renderChartSvg({ ...option, textStyle: { fontFamily: '"Segoe UI", Arial, sans-serif' } }, { width: 720, height: 360 });
    expect(svg).toContain("'Segoe UI', Arial");
    // Every style attribute ends where it should: followed by a space, '/' or '>', never by a font name.
    const styles = svg.match(/ style="[^"]*"./g) ?? [];
    expect(styles.length).toBeGreaterThan(0);
    for (const s of styles) expect(s.slice(-1)).toMatch(/[ />]/);
  });

  test('escapes names from the tracker inside the SVG', () => {
    const named = { ...report.velocity, details: { ...report.velocity.details, sprints: report.velocity.details.sprints.map((s, i) => (i === 0 ? { ...s, name: '<img src=x onerror=alert(1)>' } : s)) } };
    const svg = renderChartSvg(velocityChartOption(named), { width: 900, height: 360 });
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('says what to pass when the size is wrong', () => {
    expect(() => renderChartSvg(velocityChartOption(report.velocity), { width: 0, height: 300 })).toThrow(/width and height must be positive/);
  });
});
