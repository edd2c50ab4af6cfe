import type { ViewName } from './host';
import { type KpiKey, OUTCOME_KEYS, type ResultKey } from './traffic-lights';

/** The views that show one KPI (every view but the customer outcomes'). */
export type KpiViewName = Exclude<ViewName, 'customerOutcomes'>;

/** The KPI each KPI view shows (the impediments view shows the impediment resolution time). */
export const VIEW_KPI: Readonly<Record<KpiViewName, KpiKey>> = {
  velocity: 'velocity',
  sprintGoalRate: 'sprintGoalRate',
  impediments: 'impedimentResolutionTime',
  sprintProgress: 'sprintProgress',
  backlogHealth: 'backlogHealth',
  releasePredictability: 'releasePredictability',
  flow: 'flow',
};

/**
 * The results each view reads whole (a gadget's answer carries these with their evidence, the rest summarised):
 * a KPI view its KPI; the customer outcomes view the four outcome results, and release predictability, whose
 * planned and delivered items are the evidence of each release's "delivered vs planned".
 */
export const VIEW_RESULTS: Readonly<Record<ViewName, readonly ResultKey[]>> = {
  velocity: [VIEW_KPI.velocity],
  sprintGoalRate: [VIEW_KPI.sprintGoalRate],
  impediments: [VIEW_KPI.impediments],
  sprintProgress: [VIEW_KPI.sprintProgress],
  backlogHealth: [VIEW_KPI.backlogHealth],
  releasePredictability: [VIEW_KPI.releasePredictability],
  flow: [VIEW_KPI.flow],
  customerOutcomes: [...OUTCOME_KEYS, 'releasePredictability'],
};

export const VIEW_TITLES: Readonly<Record<ViewName, string>> = {
  velocity: 'Velocity',
  sprintGoalRate: 'Sprint goal rate',
  impediments: 'Impediments',
  sprintProgress: 'Sprint progress',
  backlogHealth: 'Backlog health',
  releasePredictability: 'Release predictability',
  flow: 'Flow',
  customerOutcomes: 'Customer outcomes',
};
