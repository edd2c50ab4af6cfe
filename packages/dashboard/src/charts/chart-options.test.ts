import { computeMetrics, parseSnapshot, type MetricsReport } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { agingWipChartOption, throughputChartOption } from './flow-chart';
import { backlogHealthChartOption } from './backlog-health-chart';
import { burndownChartOption, projectionLine } from './burndown-chart';
import { DARK_CHART_THEME, LIGHT_CHART_THEME, chartThemeVariable, readChartTheme } from '@agile-kpi/presentation';
import { escapeHtml } from '@agile-kpi/presentation';
import { impedimentChartOption, impedimentHistogram } from './impediment-chart';
import { releaseForecastChartOption, releaseScopeChartOption } from './release-chart';
import { sprintGoalChartOption } from './sprint-goal-chart';
import { velocityChartOption, velocityTrendLine } from './velocity-chart';

let report: MetricsReport;
beforeAll(() => {
  report = computeMetrics(parseSnapshot(simulateTeam({ seed: 42 }).snapshot));
});

type Series = { id?: string; name?: string; data?: unknown[]; markLine?: { data?: { yAxis?: unknown; xAxis?: unknown }[] } };
const seriesOf = (option: { series?: unknown }) => option.series as Series[];
const byId = (option: { series?: unknown }, id: string) => seriesOf(option).find((s) => s.id === id)!;
const values = (s: Series) => s.data!.map((d) => (d !== null && typeof d === 'object' && 'value' in d ? (d as { value: unknown }).value : d));
const categories = (option: { xAxis?: unknown }) => (option.xAxis as { data: string[] }).data;

describe('chart option builders draw the report’s own numbers', () => {
  test('velocity: committed, completed, added and removed per sprint; the team velocity across', () => {
    const v = report.velocity;
    const o = velocityChartOption(v);
    const sprints = v.details.sprints;
    expect(categories(o)).toEqual(sprints.map((s) => (s.state === 'active' ? `${s.name} (active)` : s.name)));
    expect(values(byId(o, 'committed'))).toEqual(sprints.map((s) => s.committed.points));
    expect(values(byId(o, 'completed'))).toEqual(sprints.map((s) => s.completed.points));
    expect(values(byId(o, 'added'))).toEqual(sprints.map((s) => s.added.points));
    expect(values(byId(o, 'removed'))).toEqual(sprints.map((s) => s.removed.points));
    expect(byId(o, 'completed').markLine!.data![0]!.yAxis).toBe(v.value!.velocity);
  });

  test('velocity trend line has the report’s slope through the closed sprints', () => {
    const line = velocityTrendLine(report.velocity);
    const closed = line.filter((x): x is number => x !== null);
    expect(closed).toHaveLength(report.velocity.details.sprints.filter((s) => s.state === 'closed').length);
    expect(closed[1]! - closed[0]!).toBeCloseTo(report.velocity.value!.trend!, 1);
    expect(line[line.length - 1]).toBeNull(); // the active sprint
  });

  test('sprint goals: one series per outcome, each sprint’s say/do in its outcome’s series', () => {
    const g = report.sprintGoalRate;
    const o = sprintGoalChartOption(g);
    expect(categories(o)).toEqual(g.details.sprints.map((s) => s.name));
    for (const s of seriesOf(o)) {
      const outcome = s.id!;
      expect(values(s)).toEqual(g.details.sprints.map((x) => (x.outcome === outcome ? (x.completionRatio ?? 0) : null)));
    }
    expect(seriesOf(o)[0]!.markLine!.data![0]!.yAxis).toBe(g.params['inferredThreshold']);
  });

  test('impediments: the histogram counts every resolved impediment once, in working hours', () => {
    const imp = report.impedimentResolutionTime;
    const bins = impedimentHistogram(imp.details.resolved);
    const o = impedimentChartOption(imp);
    expect(values(byId(o, 'resolved'))).toEqual(bins.map((b) => b.impediments.length));
    expect(bins.reduce((a, b) => a + b.impediments.length, 0)).toBe(imp.value!.resolved);
    for (const b of bins) for (const i of b.impediments) expect(i.workingHours >= b.from && i.workingHours < b.to).toBe(true);
    expect(JSON.stringify(byId(o, 'resolved').markLine)).toContain(`median ${Math.round(imp.value!.workingHours!.median * 10) / 10} h`);
  });

  test('burndown: scope, completed, remaining and ideal per day; the projection from today to the planned end', () => {
    const p = report.sprintProgress;
    const o = burndownChartOption(p);
    const days = p.details.days;
    expect(values(byId(o, 'scope'))).toEqual(days.map((d) => d.scope));
    expect(values(byId(o, 'completed'))).toEqual(days.map((d) => d.completed));
    expect(values(byId(o, 'remaining'))).toEqual(days.map((d) => d.remaining));
    expect(values(byId(o, 'ideal'))).toEqual(days.map((d) => d.ideal));
    const projection = projectionLine(p);
    const today = days.map((d) => d.kind !== 'future').lastIndexOf(true);
    expect(projection[today]).toBe(p.value!.remaining);
    expect(projection[days.length - 1]).toBeCloseTo(p.value!.scope - p.value!.projectedCompletedAtEnd!, 2);
  });

  test('backlog health: each component’s score, coloured by its light', () => {
    const b = report.backlogHealth;
    const o = backlogHealthChartOption(b, DARK_CHART_THEME);
    const data = byId(o, 'score').data as { value: number | null; itemStyle: { color: string } }[];
    expect(data.map((d) => d.value)).toEqual(b.details.components.map((c) => c.score));
    expect(data[0]!.itemStyle.color).toBe(DARK_CHART_THEME.red); // ready depth 0.25: red
  });

  test('releases: planned beside delivered per release; forecast dates of the open ones', () => {
    const r = report.releasePredictability;
    const o = releaseScopeChartOption(r);
    expect(values(byId(o, 'planned'))).toEqual(r.details.releases.map((x) => x.planned.points));
    expect(values(byId(o, 'delivered'))).toEqual(r.details.releases.map((x) => (x.state === 'released' ? x.delivered.points : null)));
    const f = releaseForecastChartOption(r);
    const open = r.details.releases.filter((x) => x.state === 'open');
    expect(byId(f, 'p85').data).toEqual(open.map((x) => [x.forecast!.p85, x.name]));
    expect(byId(f, 'planned').data).toEqual(open.map((x) => [x.plannedDate, x.name]));
    expect((f.xAxis as { min?: string }).min).toBe('2025-06-16'); // today (asOf, in the team's zone) is on the axis
  });

  test('flow: finished per week (the current week beside) and WIP by age', () => {
    const fl = report.flow;
    const o = throughputChartOption(fl);
    expect(values(byId(o, 'finished'))).toEqual([...fl.details.weeks.map((w) => w.finished), fl.details.currentWeek.finished]);
    expect(byId(o, 'finished').markLine!.data![0]!.yAxis).toBe(fl.value!.throughputPerWeek);
    const a = agingWipChartOption(fl);
    expect(values(byId(a, 'age'))).toEqual(fl.details.aging.map((x) => x.ageDays));
    expect(categories(a)).toEqual(fl.details.aging.map((x) => x.key));
  });
});

describe('tooltips are escaped text', () => {
  test('escapeHtml', () => {
    expect(escapeHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml(`a & "b" 'c'`)).toBe('a &amp; &quot;b&quot; &#39;c&#39;');
  });

  test('a sprint named like markup reaches the tooltip as text', () => {
    const o = velocityChartOption(report.velocity) as { tooltip: { formatter: (p: unknown) => string } };
    const html = o.tooltip.formatter([
      { name: '<img src=x onerror=alert(1)>', seriesName: '<b>x</b>', value: 3, marker: '<span style="color:red"></span>' },
      { name: 'x', seriesName: 'y', value: 2, marker: '<img src=x onerror=alert(2)>' },
    ]);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('<img');
    expect(html).toContain('<span style="color:red"></span>');
  });

  test('the forecast tooltip escapes release names', () => {
    const o = releaseForecastChartOption(report.releasePredictability) as { tooltip: { formatter: (p: unknown) => string } };
    expect(o.tooltip.formatter({ seriesName: 'P85', value: ['2025-08-11', '<script>x</script>'] })).toBe('<b>&lt;script&gt;x&lt;/script&gt;</b><br/>P85: 2025-08-11');
  });
});

describe('chart themes', () => {
  test('readChartTheme takes the page’s custom properties and falls back for the others', () => {
    const style = { getPropertyValue: (name: string) => (name === chartThemeVariable('completed') ? ' #123456 ' : name === '--akpi-chart-no-goal' ? '#abcdef' : '') };
    const theme = readChartTheme(style, LIGHT_CHART_THEME);
    expect(theme.completed).toBe('#123456');
    expect(theme.noGoal).toBe('#abcdef');
    expect(theme.committed).toBe(LIGHT_CHART_THEME.committed);
  });

  test('the stylesheet defines every chart colour, in the light and in both dark blocks', () => {
    const css: string = require('node:fs').readFileSync(require('node:path').join(__dirname, '..', 'styles', 'dashboard.css'), 'utf8');
    for (const key of Object.keys(LIGHT_CHART_THEME) as (keyof typeof LIGHT_CHART_THEME)[]) {
      if (key === 'fontFamily') continue;
      expect(css).toContain(`${chartThemeVariable(key)}:`);
    }
    const darkBlocks = css.split("html[data-color-mode='dark'] .akpi-root")[1]!;
    expect(darkBlocks).toContain('--akpi-chart-completed: #579dff');
    expect(css).toContain('@media (prefers-color-scheme: dark)');
  });
});
