import type { HistoryIndex } from '../history/history-index';
import { type Evidence, type MetricResult, round } from '../result';
import { formatInstant } from '../time/instant';
import { scopeEvidence, startedSprintScopes, sumPoints, type SprintScope } from './sprint-scope';
import { resolveMetricOptions } from '../options/metric-options-schema';

export interface SprintGoalRateOptions {
  /** Closed sprints looked at (default 6). */
  readonly lastN?: number;
  /** Completed / Committed at or above which an inferred goal counts as met (default 0.8). */
  readonly inferredThreshold?: number;
}

export type SprintGoalOutcome = 'met' | 'partly' | 'missed' | 'no-goal' | 'undetermined';
export type SprintGoalRule = 'verdict' | 'goal-items' | 'inferred' | 'none';

export interface SprintGoalEntry {
  readonly sprintId: string;
  readonly name: string;
  readonly goal: string | null;
  readonly outcome: SprintGoalOutcome;
  /** Which rule decided the outcome. */
  readonly rule: SprintGoalRule;
  readonly verdict?: { readonly by: string; readonly at: string; readonly note?: string };
  /** Goal items: in the sprint at close with the goal label at close. */
  readonly goalItems: { readonly total: number; readonly done: number };
  /** Completed / Committed, what the inferred rule reads. */
  readonly completionRatio: number | null;
  readonly evidence: readonly Evidence<SprintGoalRole>[];
}

export interface SprintGoalRateValue {
  /** met / (met + partly + missed). */
  readonly rate: number;
  readonly met: number;
  readonly partly: number;
  readonly missed: number;
  readonly noGoal: number;
  readonly sprintsConsidered: number;
}

/** What the goal rate publishes in `params`: the sprints read, the inferred rule's threshold and the goal label. */
export type SprintGoalRateParams = {
  readonly lastN: number;
  readonly inferredThreshold: number;
  readonly goalLabel: string;
  readonly asOf: string;
};

/**
 * The roles of the goal rate's evidence: the goal items (a verdict's or the goal-items rule's sprints;
 * contribution 1 when done at close), or the committed and completed items the inferred rule read.
 */
export type SprintGoalRole = 'goal-item' | 'committed' | 'completed';

export type SprintGoalRateResult = MetricResult<SprintGoalRateValue, { readonly sprints: readonly SprintGoalEntry[] }, SprintGoalRateParams, SprintGoalRole>;

/**
 * Sprint goal rate: the share of closed sprints whose goal was met.
 *
 * Neither tracker stores whether a goal was met, so each sprint's outcome comes from the first rule that
 * applies: (1) a verdict a user recorded in the app (met / partly / missed); (2) goal items, the items in the
 * sprint at close carrying the goal label at close: met when all are done at close, else missed;
 * (3) inferred, when the sprint has goal text: Completed / Committed >= threshold (0.8) is met, else missed.
 * A sprint with no goal text, no verdict and no goal items is `no-goal` and left out of the rate.
 * Rate = met / (met + partly + missed) over the last N closed sprints (default 6).
 *
 * @example sprintGoalRate(index).value?.rate // 0.667 for outcomes met, missed, met (and a no-goal sprint)
 */
export function sprintGoalRate(index: HistoryIndex, options: SprintGoalRateOptions = {}): SprintGoalRateResult {
  const { lastN, inferredThreshold: threshold } = resolveMetricOptions('sprintGoalRate', options);
  const goalLabel = index.team.goalLabel;
  const params: SprintGoalRateParams = { lastN, inferredThreshold: threshold, goalLabel, asOf: formatInstant(index.asOfMs) };
  const { scopes, excluded, warnings } = startedSprintScopes(index);
  const closed = scopes.filter((s) => s.schedule.stateAtAsOf === 'closed').slice(-lastN);
  const sprints = closed.map((scope) => outcomeOf(index, scope, goalLabel, threshold));
  for (const s of sprints) {
    if (s.outcome === 'undetermined') {
      excluded.push({ id: s.sprintId, key: s.name, reason: 'goal text but nothing committed: the outcome cannot be inferred; record a verdict' });
    } else if (s.outcome === 'no-goal') {
      excluded.push({ id: s.sprintId, key: s.name, reason: 'no goal text, no recorded verdict and no goal items' });
    }
  }
  const count = (o: SprintGoalOutcome) => sprints.filter((s) => s.outcome === o).length;
  const met = count('met');
  const partly = count('partly');
  const missed = count('missed');
  const decided = met + partly + missed;
  const evidence = sprints.flatMap((s) => s.evidence);
  const base = { metric: 'sprintGoalRate' as const, unit: 'ratio', evidence, excluded, warnings, params, details: { sprints } };
  if (closed.length === 0) return { ...base, value: null, reason: 'no closed sprint yet' };
  if (decided === 0) return { ...base, value: null, reason: `none of the last ${closed.length} closed sprints had a goal, a verdict or goal items` };
  return {
    ...base,
    value: { rate: round(met / decided, 3), met, partly, missed, noGoal: count('no-goal'), sprintsConsidered: closed.length },
  };
}

function outcomeOf(index: HistoryIndex, scope: SprintScope, goalLabel: string, threshold: number): SprintGoalEntry {
  const sp = scope.schedule.sprint;
  const end = scope.endMs;
  const goalItems = scope.atEnd.filter((e) => e.history.labels.at(end).includes(goalLabel));
  const goalDone = goalItems.filter((e) => index.isDoneAt(e.history, end));
  const committed = sumPoints(scope.committed);
  const ratio = committed > 0 ? round(sumPoints(scope.completed) / committed, 3) : null;
  const goal = sp.goal?.trim() ? sp.goal : null;
  const common = {
    sprintId: sp.id,
    name: sp.name,
    goal,
    goalItems: { total: goalItems.length, done: goalDone.length },
    completionRatio: ratio,
  };
  const goalEvidence = goalItems.map((e) => ({
    ...scopeEvidence([e], 'goal-item', sp.id)[0]!,
    contribution: index.isDoneAt(e.history, end) ? 1 : 0,
  }));
  if (sp.verdict) {
    const { by, at, note } = sp.verdict;
    return { ...common, outcome: sp.verdict.outcome, rule: 'verdict', verdict: { by, at, ...(note ? { note } : {}) }, evidence: goalEvidence };
  }
  if (goalItems.length > 0) {
    return { ...common, outcome: goalDone.length === goalItems.length ? 'met' : 'missed', rule: 'goal-items', evidence: goalEvidence };
  }
  if (goal) {
    const evidence = [...scopeEvidence(scope.committed, 'committed', sp.id), ...scopeEvidence(scope.completed, 'completed', sp.id)];
    if (ratio === null) return { ...common, outcome: 'undetermined', rule: 'inferred', evidence };
    return { ...common, outcome: ratio >= threshold ? 'met' : 'missed', rule: 'inferred', evidence };
  }
  return { ...common, outcome: 'no-goal', rule: 'none', evidence: [] };
}
