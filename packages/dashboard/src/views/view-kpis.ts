import type { ViewName } from '../host';
import type { KpiKey } from '../traffic-lights';

/** The KPI each view shows (the impediments view shows the impediment resolution time). */
export const VIEW_KPI: Readonly<Record<ViewName, KpiKey>> = {
  velocity: 'velocity',
  sprintGoalRate: 'sprintGoalRate',
  impediments: 'impedimentResolutionTime',
  sprintProgress: 'sprintProgress',
  backlogHealth: 'backlogHealth',
  releasePredictability: 'releasePredictability',
  flow: 'flow',
};

export const VIEW_TITLES: Readonly<Record<ViewName, string>> = {
  velocity: 'Velocity',
  sprintGoalRate: 'Sprint goal rate',
  impediments: 'Impediments',
  sprintProgress: 'Sprint progress',
  backlogHealth: 'Backlog health',
  releasePredictability: 'Release predictability',
  flow: 'Flow',
};
