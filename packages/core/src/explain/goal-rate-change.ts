import type { MetricsReport } from '../compute-metrics';
import type { SprintGoalEntry } from '../metrics/sprint-goal-rate';
import { round } from '../result';
import { type CauseItem, type ChangeExplanation, byContribution, causeItem, pickByIdOrName, rankCauses } from './change-explanation';

export interface GoalRateChangeOptions {
  /** The sprint whose outcome is explained, by id or name; default the last closed sprint of the window. */
  readonly sprint?: string;
}

const JUDGED: ReadonlySet<string> = new Set(['met', 'partly', 'missed']);

/**
 * Why the sprint goal rate moved with a sprint: the rate over the window's judged sprints up to and including
 * sprint N against the rate over those before it, as a ratio.
 *
 * The rate is met / judged, so adding one judged sprint moves it by (1 if met, else 0, minus the rate before) /
 * (judged sprints after): that is the one part, and its cause is sprint N's outcome with the rule that decided
 * it — a verdict (who recorded it and when), goal items (the ones not done at close first), or the inferred
 * rule (Completed / Committed against the threshold; the committed items not completed). A sprint with no goal
 * is left out of the rate and changes nothing.
 *
 * @example goalRateChange(report).change // -0.083 when G5 is missed after 1 of 3 judged sprints met (1/3 -> 1/4)
 */
export function goalRateChange(report: Pick<MetricsReport, 'sprintGoalRate'>, options: GoalRateChangeOptions = {}): ChangeExplanation {
  const g = report.sprintGoalRate;
  const threshold = typeof g.params['inferredThreshold'] === 'number' ? g.params['inferredThreshold'] : 0.8;
  const base = { kpi: 'sprintGoalRate' as const, figure: 'share of judged sprint goals met', unit: 'ratio', params: { inferredThreshold: threshold, ...(options.sprint ? { sprint: options.sprint } : {}) } };
  const sprints = g.details.sprints;
  if (sprints.length === 0) {
    return { ...base, period: { label: 'no sprint' }, baseline: { label: 'no sprint before', size: 0 }, before: null, after: null, change: null, causes: [], alongside: [], reason: g.reason ?? 'no closed sprint yet' };
  }
  const at = options.sprint === undefined ? sprints.length - 1 : pickByIdOrName(sprints, (s) => s.sprintId, options.sprint, 'closed sprint in the goal window');
  const sprint = sprints[at]!;
  const earlier = sprints.slice(0, at).filter((s) => JUDGED.has(s.outcome));
  const rate = (list: readonly SprintGoalEntry[]) => (list.length ? list.filter((s) => s.outcome === 'met').length / list.length : null);
  const before = rate(earlier);
  const judged = JUDGED.has(sprint.outcome);
  const after = rate(judged ? [...earlier, sprint] : earlier);
  const shape = {
    ...base,
    period: { label: sprint.name, sprintId: sprint.sprintId, size: 1 },
    baseline: { label: `the ${earlier.length} judged sprint${earlier.length === 1 ? '' : 's'} before it in the window`, size: earlier.length },
    before: before === null ? null : round(before, 3),
    after: after === null ? null : round(after, 3),
    alongside: [{ figure: 'met', unit: 'sprints', before: earlier.filter((s) => s.outcome === 'met').length, after: earlier.filter((s) => s.outcome === 'met').length + (sprint.outcome === 'met' ? 1 : 0) }],
  };
  if (!judged) {
    const why = sprint.outcome === 'undetermined' ? 'has goal text but nothing committed, so its outcome cannot be inferred (record a verdict)' : 'had no goal, verdict or goal items';
    return { ...shape, change: before === null ? null : 0, causes: [], reason: `${sprint.name} ${why}: it is left out of the rate, which it does not move` };
  }
  if (before === null) return { ...shape, change: null, causes: [], reason: `${sprint.name} is the first judged sprint in the window: there is no rate before it to compare with` };
  return {
    ...shape,
    change: round(after! - before, 3),
    causes: rankCauses([
      {
        code: 'sprint-outcome',
        kind: 'part',
        subject: sprint.name,
        effect: after! - before,
        measure: { now: sprint.outcome === 'met' ? 1 : 0, usual: round(before, 3), unit: 'met' },
        detail: {
          outcome: sprint.outcome,
          rule: sprint.rule,
          ...(sprint.goal ? { goal: sprint.goal } : {}),
          ...(sprint.verdict ? { verdict: sprint.verdict } : {}),
          goalItems: sprint.goalItems,
          completionRatio: sprint.completionRatio,
          ...(sprint.rule === 'inferred' ? { threshold } : {}),
        },
        items: decidingItems(sprint),
      },
    ]),
  };
}

/** The items the deciding rule read: goal items (not done first), or for the inferred rule the committed items not completed. */
function decidingItems(s: SprintGoalEntry): CauseItem[] {
  if (s.rule === 'inferred') {
    const completed = new Set(s.evidence.filter((e) => e.role === 'completed').map((e) => e.itemId));
    const read = s.outcome === 'met' ? s.evidence.filter((e) => e.role === 'completed') : s.evidence.filter((e) => e.role === 'committed' && !completed.has(e.itemId));
    return read.map((e) => causeItem(e)).sort(byContribution);
  }
  return s.evidence
    .filter((e) => e.role === 'goal-item')
    .map((e) => causeItem(e))
    .sort((a, b) => (a.contribution ?? 0) - (b.contribution ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
