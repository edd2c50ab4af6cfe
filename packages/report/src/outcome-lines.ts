import type { MetricsReport } from '@agile-kpi/core';
import { OUTCOME_LABELS, type OutcomeKey, outcomeHeadlines } from '@agile-kpi/presentation';
import { dashboardLink } from './kpi-lines';

/** One customer outcome as the report says it: its name and the dashboard's sentence, no light (see OUTCOME_KEYS). */
export interface OutcomeLine {
  readonly key: OutcomeKey;
  readonly label: string;
  readonly sentence: string;
  /** The customer outcomes view on the dashboard, when a dashboard URL is configured. */
  readonly dashboardUrl?: string;
}

/** The heading of the report's customer outcome lines. */
export const OUTCOMES_HEADING = 'Customer outcomes';

/**
 * The customer outcome lines of one team's report, only for outcomes that have data: release impact when the
 * latest shipped release has survey responses around it or features linked to it (without them it would only
 * repeat release predictability), CSAT and NPS of the last complete month with their response counts, feature
 * adoption, ROI. A team without survey, analytics or benefit data gets no line: the report stays as it was.
 * The sentences are the dashboard's (`outcomeHeadlines`), so the two never tell a different story.
 */
export function outcomeLines(r: MetricsReport, dashboardUrl?: string): OutcomeLine[] {
  const sentences = outcomeHeadlines(r);
  const impact = r.releaseImpact.value;
  const has: Readonly<Record<OutcomeKey, boolean>> = {
    releaseImpact: impact !== null && (impact.before.csat !== null || impact.after.csat !== null || impact.before.nps !== null || impact.after.nps !== null || impact.features.length > 0),
    customerSatisfaction: r.customerSatisfaction.value !== null,
    featureAdoption: r.featureAdoption.value !== null,
    roi: r.roi.value !== null,
  };
  const view = dashboardLink(dashboardUrl, 'customerOutcomes');
  return (['releaseImpact', 'customerSatisfaction', 'featureAdoption', 'roi'] as const)
    .filter((key) => has[key])
    .map((key) => ({ key, label: OUTCOME_LABELS[key], sentence: sentences[key], ...(view ? { dashboardUrl: view } : {}) }));
}
