import { linearRegression, mean, median, sampleStandardDeviation } from 'simple-statistics';
import type { HistoryIndex } from '../history/history-index';
import { type Evidence, type MetricResult, round } from '../result';
import { formatInstant } from '../time/instant';
import type { TeamSettings } from '../model/types';
import { type AzureDevOpsLens, type AzureDevOpsLensOptions, type AzureDevOpsLensRole, azureDevOpsLens } from './azure-devops-velocity';
import { scopeEvidence, startedSprintScopes, sumPoints, type ScopeEntry, type SprintScope } from './sprint-scope';
import { resolveMetricOptions } from '../options/metric-options-schema';

export interface VelocityOptions {
  /** Closed sprints averaged into the team velocity (Jira's velocity chart shows 7; teams plan on ~3). */
  readonly lastN?: number;
  /** Closed sprints shown and used for median, stability and trend. */
  readonly historyCount?: number;
  /** The Azure DevOps lens's two offsets, as the team set them in Azure DevOps' Velocity widget. */
  readonly azureDevOps?: AzureDevOpsLensOptions;
}

/** Points and item counts of one part of a sprint's scope. */
export interface ScopeFigure {
  readonly points: number;
  readonly items: number;
}

export interface SprintVelocity {
  readonly sprintId: string;
  readonly name: string;
  readonly state: 'closed' | 'active';
  readonly startAt: string;
  /** Close instant; for the active sprint, asOf ("completed so far"). */
  readonly endAt: string;
  readonly committed: ScopeFigure;
  readonly completed: ScopeFigure;
  readonly added: ScopeFigure;
  readonly removed: ScopeFigure;
  /** Net points changed by re-estimates while items were in the sprint; items = how many were re-estimated. */
  readonly reEstimated: ScopeFigure;
  readonly carriedOver: ScopeFigure;
  readonly completedOutside: ScopeFigure;
  /** Completed / Committed; null when nothing was committed. */
  readonly sayDo: number | null;
  /** Azure DevOps' lens on the same sprint, counted as its Velocity widget counts (see `azureDevOpsLens`). */
  readonly azureDevOps: Omit<AzureDevOpsLens, 'evidence'>;
  readonly evidence: readonly Evidence<VelocityRole>[];
}

export interface VelocityValue {
  /** Mean Completed of the last N closed sprints. */
  readonly velocity: number;
  readonly median: number;
  /** Sample standard deviation / mean of the shown sprints (stability; lower is steadier); null under 2 sprints. */
  readonly coefficientOfVariation: number | null;
  /** Least-squares slope of Completed per sprint over the shown sprints; null under 2 sprints. */
  readonly trend: number | null;
  /** Sum of Completed / sum of Committed over the last N closed sprints. */
  readonly sayDo: number | null;
  readonly sprintsAveraged: number;
}

export interface VelocityDetails {
  /** Shown closed sprints (oldest first), then the active sprint if any. */
  readonly sprints: readonly SprintVelocity[];
  readonly active: SprintVelocity | null;
}

/** What velocity publishes in `params`: the options it used and the team settings that shape it. */
export type VelocityParams = {
  readonly lastN: number;
  readonly historyCount: number;
  readonly asOf: string;
  readonly estimateUnit: TeamSettings['estimateUnit'];
  readonly doneRule: TeamSettings['doneRule'];
  readonly azureDevOps: { readonly plannedDaysAfterStart: number; readonly lateDaysAfterEnd: number };
};

/**
 * The roles of velocity's evidence: each part of a sprint's scope, and Azure DevOps' lens. The team figure's
 * evidence is the `committed` and `completed` rows of the averaged sprints (the active sprint's rows, all roles,
 * when no sprint has closed).
 */
export type VelocityRole =
  | 'committed'
  | 'completed'
  | 'added'
  | 'removed'
  | 're-estimated'
  | 'carried-over'
  | 'completed-outside'
  | AzureDevOpsLensRole;

export type VelocityResult = MetricResult<VelocityValue, VelocityDetails, VelocityParams, VelocityRole>;

/**
 * Velocity (commitment vs completed, per sprint and for the team).
 *
 * Per sprint, reconstructed from history: **Committed** = estimates as at sprint start of the items in the
 * sprint at its start (items removed later stay committed, as in Jira's sprint report); **Completed** =
 * estimates as at close of the items in the sprint at close and done at close (board's done column); items
 * added mid-sprint and finished count in Completed, never in Committed; items already done when they joined
 * are "completed outside" and excluded; sub-tasks are excluded unless the team counts them. Added, removed,
 * re-estimated and carried over are reported beside. The active sprint shows Completed so far at asOf.
 * Team: velocity = mean Completed of the last N closed sprints (default 3), plus median, coefficient of
 * variation and least-squares trend over up to 7 shown sprints, and say/do = ΣCompleted / ΣCommitted.
 * Azure DevOps' lens, as its Velocity widget counts: Planned (assigned as of the start date's snapshot),
 * Completed and Completed late (by the iteration items are assigned to now), Incomplete (see `azureDevOpsLens`).
 *
 * @example velocity(new HistoryIndex(snapshot)).value?.velocity // 21.33 for completed 20, 24, 20
 */
export function velocity(index: HistoryIndex, options: VelocityOptions = {}): VelocityResult {
  const chosen = resolveMetricOptions('velocity', options);
  const lastN = chosen.lastN;
  const historyCount = Math.max(chosen.historyCount, lastN);
  const lens = { plannedDaysAfterStart: chosen.azureDevOps.plannedDaysAfterStart, lateDaysAfterEnd: chosen.azureDevOps.lateDaysAfterEnd };
  const params: VelocityParams = { lastN, historyCount, asOf: formatInstant(index.asOfMs), estimateUnit: index.team.estimateUnit, doneRule: index.team.doneRule, azureDevOps: lens };
  const { scopes, excluded, warnings } = startedSprintScopes(index);
  const closed = scopes.filter((s) => s.schedule.stateAtAsOf === 'closed');
  const activeScope = scopes.find((s) => s.schedule.stateAtAsOf === 'active');
  const shown = closed.slice(-historyCount).map((s) => sprintVelocity(index, s, lens));
  const active = activeScope ? sprintVelocity(index, activeScope, lens) : null;
  for (const s of scopes) warnings.push(...s.warnings);
  for (const s of scopes) excluded.push(...s.excluded.map((e) => ({ ...e, reason: `${s.schedule.sprint.name}: ${e.reason}` })));
  const details = { sprints: active ? [...shown, active] : shown, active };
  const base = { metric: 'velocity' as const, unit: unitLabel(index), excluded, warnings, params, details };

  const averaged = shown.slice(-lastN);
  if (averaged.length === 0) {
    return { ...base, value: null, reason: 'no closed sprint yet: velocity needs at least one', evidence: active?.evidence ?? [] };
  }
  if (averaged.length < lastN) {
    warnings.push({ code: 'few-closed-sprints', message: `only ${averaged.length} closed sprint(s); velocity averages ${lastN} when it can` });
  }
  const completed = averaged.map((s) => s.completed.points);
  const history = shown.map((s) => s.completed.points);
  const committedSum = averaged.reduce((a, s) => a + s.committed.points, 0);
  const completedSum = completed.reduce((a, b) => a + b, 0);
  const avg = mean(completed);
  const value: VelocityValue = {
    velocity: round(avg),
    median: round(median(history)),
    coefficientOfVariation: history.length >= 2 && mean(history) > 0 ? round(sampleStandardDeviation(history) / mean(history), 3) : null,
    trend: history.length >= 2 ? round(linearRegression(history.map((y, x) => [x, y])).m) : null,
    sayDo: committedSum > 0 ? round(completedSum / committedSum, 3) : null,
    sprintsAveraged: averaged.length,
  };
  const evidence = averaged.flatMap((s) => s.evidence.filter((e) => e.role === 'completed' || e.role === 'committed'));
  return { ...base, value, evidence };
}

function sprintVelocity(index: HistoryIndex, scope: SprintScope, lensOptions: AzureDevOpsLensOptions): SprintVelocity {
  const sp = scope.schedule.sprint;
  const figure = (entries: readonly ScopeEntry[]): ScopeFigure => ({ points: round(sumPoints(entries)), items: entries.length });
  const committed = figure(scope.committed);
  const completed = figure(scope.completed);
  const state = scope.schedule.stateAtAsOf === 'closed' ? 'closed' : 'active';
  const { evidence: lensEvidence, ...lens } = azureDevOpsLens(index, scope.schedule, lensOptions);
  return {
    sprintId: sp.id,
    name: sp.name,
    state,
    startAt: formatInstant(scope.startMs),
    endAt: formatInstant(scope.endMs),
    committed,
    completed,
    added: figure(scope.added),
    removed: figure(scope.removed),
    reEstimated: figure(scope.reEstimated),
    carriedOver: figure(scope.carriedOver),
    completedOutside: figure(scope.completedOutside),
    sayDo: committed.points > 0 ? round(completed.points / committed.points, 3) : null,
    azureDevOps: lens,
    evidence: [
      ...scopeEvidence(scope.committed, 'committed', sp.id),
      ...scopeEvidence(scope.completed, 'completed', sp.id),
      ...scopeEvidence(scope.added, 'added', sp.id),
      ...scopeEvidence(scope.removed, 'removed', sp.id),
      ...scopeEvidence(scope.reEstimated, 're-estimated', sp.id),
      ...scopeEvidence(scope.carriedOver, 'carried-over', sp.id),
      ...scopeEvidence(scope.completedOutside, 'completed-outside', sp.id),
      ...lensEvidence,
    ],
  };
}

export function unitLabel(index: HistoryIndex): string {
  return index.team.estimateUnit === 'count' ? 'items' : index.team.estimateUnit;
}
