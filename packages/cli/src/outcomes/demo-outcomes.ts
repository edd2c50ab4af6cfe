import { type MetricsOptions, type MetricsReport, type Snapshot, computeMetrics } from '@agile-kpi/core';
import { type SimulateTeamOptions, type SimulatedTeam, simulateOutcomes, simulateTeam } from '@agile-kpi/testkit';
import { type TeamOutcomeData, bindTeamOutcomes } from './scope-outcomes';

/** The demo team's features: epics labelled `feature:export` and `feature:search`, each shipped with a release. */
export const DEMO_FEATURES = ['export', 'search'] as const;

/** The simulated team every demo shows (`demo`, `serve --demo`, a report's demo team): with its feature epics. */
export function simulateDemoTeam(options: SimulateTeamOptions = {}): SimulatedTeam {
  return simulateTeam({ ...options, featureEpics: [...DEMO_FEATURES] });
}

/**
 * The demo team's customer outcomes, simulated with known effects so the "Customer outcomes" view has something
 * true to show: weekly surveys (CSAT with 65 % of ratings 4-5, NPS +15) that the last shipped release lifts by 15
 * share points and 20 NPS points; `export` adopted along a logistic curve (45 % of active users at its plateau),
 * `search` along a straight line to 30 % in 40 days; 4 000 EUR a month of benefit from `export`; a team cost of
 * 12 000 EUR a sprint. With no shipped release (a demo of few sprints) there is nothing to tie them to: none.
 */
export function demoOutcomes(team: SimulatedTeam): TeamOutcomeData {
  const shipped = team.truth.releases.filter((r) => r.releasedAt !== null && Date.parse(r.releasedAt) <= Date.parse(team.snapshot.asOf));
  const features = team.truth.features.filter((f) => f.shippedAt !== null && Date.parse(f.shippedAt) <= Date.parse(team.snapshot.asOf));
  if (shipped.length === 0) return { records: [], settings: {} };
  const curves = {
    export: { kind: 'logistic', plateau: 0.45, midpoint: 14, steepness: 0.25 },
    search: { kind: 'linear', plateau: 0.3, days: 40 },
  } as const;
  const { records, settings } = simulateOutcomes(team, {
    seed: 11,
    csat: { perWeek: 15, baseline: [0.06, 0.09, 0.2, 0.35, 0.3] },
    nps: { perWeek: 12, baseline: [0.02, 0.02, 0.02, 0.03, 0.03, 0.05, 0.08, 0.15, 0.2, 0.22, 0.18] },
    effects: [{ release: shipped.at(-1)!.releaseId, csat: 0.15, nps: 20 }],
    adoption: features.map((f) => ({ feature: f.feature, curve: curves[f.feature as keyof typeof curves] ?? curves.search })),
    benefits: features.some((f) => f.feature === 'export') ? [{ feature: 'export', perMonth: 4000, currency: 'EUR' }] : [],
    cost: { perSprint: 12_000, currency: 'EUR' },
  });
  return { records, settings };
}

/** Every KPI of the demo team read through the simulated Jira (`snapshot`), its simulated customer outcomes included. */
export function demoMetrics(team: SimulatedTeam, snapshot: Snapshot, options: MetricsOptions, label: string): MetricsReport {
  const bound = bindTeamOutcomes(snapshot, demoOutcomes(team), label);
  return computeMetrics(bound.snapshot, options, bound.outcomes);
}
