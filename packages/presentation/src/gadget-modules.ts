import type { ViewName } from './host';

/**
 * The Jira Forge app's gadgets, here because both its backend (`src/`) and its Custom UI bundle (`static/gadget`) read
 * them, and nothing under `static/` imports from `src/`. One `jira:dashboardGadget` module per view (the seven KPIs' and the customer outcomes'), all served by the same Custom UI bundle: a Scrum Master
 * arranges one KPI per gadget on a Jira dashboard (velocity beside goal rate, flow below), while the browser
 * loads one bundle. The module key is all the bundle needs to know which view to draw. `manifest.yml` lists
 * exactly these keys (a test checks it).
 */
export const GADGET_VIEWS = {
  'agile-kpi-velocity': 'velocity',
  'agile-kpi-sprint-goal-rate': 'sprintGoalRate',
  'agile-kpi-impediments': 'impediments',
  'agile-kpi-sprint-progress': 'sprintProgress',
  'agile-kpi-backlog-health': 'backlogHealth',
  'agile-kpi-release-predictability': 'releasePredictability',
  'agile-kpi-flow': 'flow',
  'agile-kpi-customer-outcomes': 'customerOutcomes',
} as const satisfies Record<string, ViewName>;

export type GadgetModuleKey = keyof typeof GADGET_VIEWS;

/** The view a gadget module shows; undefined for a key that is not one of ours. */
export function viewOfModule(moduleKey: string | undefined): ViewName | undefined {
  return moduleKey !== undefined && Object.hasOwn(GADGET_VIEWS, moduleKey) ? GADGET_VIEWS[moduleKey as GadgetModuleKey] : undefined;
}
