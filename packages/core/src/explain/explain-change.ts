import type { MetricsReport } from '../compute-metrics';
import type { ChangeExplanation } from './change-explanation';
import { type CycleTimeChangeOptions, cycleTimeChange } from './cycle-time-change';
import { type ForecastChangeOptions, forecastChange } from './forecast-change';
import { type GoalRateChangeOptions, goalRateChange } from './goal-rate-change';
import { type VelocityChangeOptions, velocityChange } from './velocity-change';

/** What to explain: the KPI, the report that holds it, and the period (and for a forecast, the earlier report). */
export type ChangeQuestion =
  | ({ readonly kpi: 'velocity'; readonly report: Pick<MetricsReport, 'velocity' | 'team'> } & VelocityChangeOptions)
  | ({ readonly kpi: 'cycleTime'; readonly report: Pick<MetricsReport, 'flow'> } & CycleTimeChangeOptions)
  | ({ readonly kpi: 'sprintGoalRate'; readonly report: Pick<MetricsReport, 'sprintGoalRate'> } & GoalRateChangeOptions)
  | ({
      readonly kpi: 'releaseForecast';
      readonly report: Pick<MetricsReport, 'team' | 'releasePredictability'>;
      /** The same data computed at an earlier asOf: the forecast the change is measured from. */
      readonly previous: Pick<MetricsReport, 'team' | 'releasePredictability'>;
    } & ForecastChangeOptions);

/**
 * Why a KPI changed between two periods, from the evidence its metric already carries: the figure before and
 * after, and the causes ranked by size in the KPI's unit, each naming its items (keys, links) and events. The
 * assistant (`agile-kpi mcp`), the emailed report and the dashboard all explain a change through this one
 * function, so they tell the same story.
 *
 * - velocity: sprint N's Completed against the mean of the sprints before it, split exactly into committed,
 *   added, removed, re-estimated and carried-over parts; a shorter sprint in working days as context
 *   (`velocityChange`);
 * - cycle time: the mean cycle time of the items finished in a period against those finished before, split by
 *   the days spent in each status (`cycleTimeChange`);
 * - sprint goal rate: the sprint whose outcome moved the rate, and the rule that decided it (`goalRateChange`);
 * - release forecast: the P85 date's move since an earlier forecast, replayed step by step: time passed, work
 *   finished, scope dropped, re-estimates, scope added, throughput (`forecastChange`).
 *
 * @example explainChange({ kpi: 'velocity', report }).causes[0] // { code: 're-estimated', kind: 'part', effect: -5, items: [{ key: 'D-1', ... }] } when a re-estimate of D-1 from 8 to 3 points cost most
 */
export function explainChange(question: ChangeQuestion): ChangeExplanation {
  switch (question.kpi) {
    case 'velocity':
      return velocityChange(question.report, question);
    case 'cycleTime':
      return cycleTimeChange(question.report, question);
    case 'sprintGoalRate':
      return goalRateChange(question.report, question);
    case 'releaseForecast':
      return forecastChange(question.previous, question.report, question);
  }
}
