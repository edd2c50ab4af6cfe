import type { SprintGoalEntry, SprintGoalOutcome, SprintGoalRateResult } from '@agile-kpi/core';
import type { EChartsOption } from 'echarts';
import { baseOption, categoryAxis, safeTooltip, valueAxis } from './chart-base';
import { type ChartTheme, LIGHT_CHART_THEME } from '@agile-kpi/presentation';

export const GOAL_OUTCOMES: readonly SprintGoalOutcome[] = ['met', 'partly', 'missed', 'no-goal', 'undetermined'];

export const OUTCOME_LABELS: Readonly<Record<SprintGoalOutcome, string>> = {
  met: 'met',
  partly: 'partly met',
  missed: 'missed',
  'no-goal': 'no goal',
  undetermined: 'undetermined',
};

/** Which rule decided a sprint's outcome, in words, with the figure it read. */
export function decidedBy(s: SprintGoalEntry, threshold: number): string {
  switch (s.rule) {
    case 'verdict':
      return `verdict by ${s.verdict?.by ?? 'someone'}`;
    case 'goal-items':
      return `goal items: ${s.goalItems.done} of ${s.goalItems.total} done`;
    case 'inferred':
      return s.completionRatio === null
        ? 'inferred: nothing committed'
        : `inferred: say/do ${s.completionRatio.toFixed(2)} ${s.completionRatio >= threshold ? '>=' : '<'} ${threshold}`;
    case 'none':
      return 'no goal text, verdict or goal items';
  }
}

/**
 * Sprint goal chart: each closed sprint's Completed / Committed, coloured by its outcome (one series per
 * outcome, so the legend names the colours), with the inferred rule's threshold across.
 */
export function sprintGoalChartOption(goals: SprintGoalRateResult, theme: ChartTheme = LIGHT_CHART_THEME): EChartsOption {
  const sprints = goals.details.sprints;
  const threshold = goals.params.inferredThreshold;
  const colors: Record<SprintGoalOutcome, string> = { met: theme.met, partly: theme.partly, missed: theme.missed, 'no-goal': theme.noGoal, undetermined: theme.neutral };
  const present = GOAL_OUTCOMES.filter((o) => sprints.some((s) => s.outcome === o));
  return {
    ...baseOption(theme),
    tooltip: safeTooltip(theme, '', (p) => {
      const s = sprints.find((x) => x.name === p.name);
      return s ? decidedBy(s, threshold) : undefined;
    }),
    xAxis: categoryAxis(theme, sprints.map((s) => s.name)),
    yAxis: valueAxis(theme, 'say/do', { min: 0 }),
    series: present.map((o, i) => ({
      id: o,
      name: OUTCOME_LABELS[o],
      type: 'bar' as const,
      stack: 'outcome',
      barMaxWidth: 48,
      itemStyle: { color: colors[o] },
      data: sprints.map((s) => (s.outcome === o ? (s.completionRatio ?? 0) : null)),
      ...(i === 0
        ? {
            markLine: {
              silent: true,
              symbol: 'none',
              lineStyle: { color: theme.mutedText, type: 'dashed' as const },
              label: { color: theme.mutedText, formatter: `inferred threshold ${threshold}`, position: 'insideEndTop' as const },
              data: [{ yAxis: threshold }],
            },
          }
        : {}),
    })),
  };
}
