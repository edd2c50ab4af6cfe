import type { Random } from './random';

/**
 * Which special situations happen in which sprint.
 *
 * Each situation happens at random (a per-sprint rate), but every one of them is guaranteed at least once among the
 * closed sprints whenever there are any: tests for the metrics rely on finding, say, a reopened item or an item
 * completed outside its sprint in the default simulation, whatever the seed.
 */
export type SprintScenario =
  | 'no-goal'
  | 'goal-items'
  | 'goal-missed'
  | 'verdict'
  | 'completed-outside'
  | 'reopen-done'
  | 'reopen-open'
  | 'removal'
  | 'add-done'
  | 'add-open'
  | 're-estimate-up'
  | 're-estimate-down'
  | 'flag-weekend'
  | 'flag-until-done'
  | 'flag'
  | 'blocked'
  | 'impediment-item'
  | 'over-commit'
  | 'under-commit'
  | 'unestimated-commit'
  | 'kanban-done';

/** Per-sprint probabilities; `verdict` is handled apart (exactly "a couple" of sprints). */
const RATES: Readonly<Record<Exclude<SprintScenario, 'verdict' | 'goal-missed'>, number>> = {
  'no-goal': 0.15,
  'goal-items': 0.4,
  'completed-outside': 0.15,
  'reopen-done': 0.3,
  'reopen-open': 0.12,
  removal: 0.35,
  'add-done': 0.55,
  'add-open': 0.4,
  're-estimate-up': 0.3,
  're-estimate-down': 0.25,
  'flag-weekend': 0.25,
  'flag-until-done': 0.15,
  flag: 0.3,
  blocked: 0.35,
  'impediment-item': 0.35,
  'over-commit': 0.2,
  'under-commit': 0.2,
  'unestimated-commit': 0.05,
  'kanban-done': 0.25,
};

export class ScenarioPlan {
  private readonly bySprint: Set<SprintScenario>[];

  /** @param sprints total sprints; the last one is active, the others closed. */
  constructor(rng: Random, sprints: number) {
    this.bySprint = Array.from({ length: sprints }, () => new Set<SprintScenario>());
    const closed = sprints - 1;
    const forceOne = (scenario: SprintScenario, among: readonly number[]): void => {
      if (among.length === 0 || among.some((k) => this.has(k, scenario))) return;
      this.bySprint[rng.pick(among)]!.add(scenario);
    };
    const closedSprints = Array.from({ length: Math.max(0, closed) }, (_, k) => k);
    for (const [scenario, rate] of Object.entries(RATES) as [SprintScenario, number][]) {
      for (let k = 0; k < sprints; k++) if (rng.chance(rate)) this.bySprint[k]!.add(scenario);
      forceOne(scenario, closedSprints);
    }
    for (const set of this.bySprint) {
      if (set.has('over-commit') && set.has('under-commit')) set.delete('under-commit');
      if (set.has('no-goal')) set.delete('goal-items');
    }
    // At least one sprint must keep a goal, and guarantees may have been undone just above.
    if (closed > 1 && closedSprints.every((k) => this.has(k, 'no-goal'))) this.bySprint[0]!.delete('no-goal');
    const withGoal = closedSprints.filter((k) => !this.has(k, 'no-goal'));
    forceOne('under-commit', closedSprints.filter((k) => !this.has(k, 'over-commit')));
    forceOne('goal-items', withGoal);
    // Goal-item sprints: one missed (a goal item carried over) and, when there are two, one met.
    const goalSprints = closedSprints.filter((k) => this.has(k, 'goal-items'));
    if (goalSprints.length >= 2 && goalSprints.every((k) => !this.has(k, 'goal-missed'))) {
      this.bySprint[rng.pick(goalSprints)]!.add('goal-missed');
    } else if (goalSprints.length === 1 && rng.chance(0.5)) {
      this.bySprint[goalSprints[0]!]!.add('goal-missed');
    }
    for (const k of goalSprints) if (!this.has(k, 'goal-missed') && rng.chance(0.2)) this.bySprint[k]!.add('goal-missed');
    if (goalSprints.length >= 2 && goalSprints.every((k) => this.has(k, 'goal-missed'))) {
      this.bySprint[goalSprints[0]!]!.delete('goal-missed');
    }
    for (const k of rng.sample(closedSprints, Math.min(2, closedSprints.length))) this.bySprint[k]!.add('verdict');
  }

  has(sprint: number, scenario: SprintScenario): boolean {
    return this.bySprint[sprint]?.has(scenario) ?? false;
  }
}
