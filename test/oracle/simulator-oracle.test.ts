import {
  HistoryIndex,
  collectImpediments,
  parseInstant,
  parseSnapshot,
  releasePredictability,
  sprintGoalRate,
  velocity,
} from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import type { SimulateTeamOptions } from '@agile-kpi/testkit';

/**
 * The core against an oracle that shares none of its code: the simulator records what was committed at
 * each start, what was done at each close, every impediment's interval and every release's scope while it
 * generates the history; the core must reconstruct the same figures from the history alone.
 */
const SEEDS = [1, 2, 3, 4, 5, 42];
const sorted = (xs: readonly string[]) => [...xs].sort();

describe.each(SEEDS)('seed %i: the core agrees with the simulator', (seed) => agrees({ seed }));

/**
 * The 'dates' sprint calendar (sprints from 00:00 on their first day to the end of their last day, planned the
 * working day before, carried over at the next start instant): the calendar a team served as Azure DevOps has.
 */
describe.each(SEEDS)("seed %i, sprintCalendar 'dates': the core agrees with the simulator", (seed) =>
  agrees({ seed, sprintCalendar: 'dates' }),
);

function agrees(options: SimulateTeamOptions): void {
  const { snapshot, truth } = simulateTeam(options);
  const index = new HistoryIndex(parseSnapshot(JSON.parse(JSON.stringify(snapshot))));
  const v = velocity(index, { historyCount: 1000 });
  const bySprint = new Map(v.details.sprints.map((s) => [s.sprintId, s]));
  const keys = (sprintId: string, role: string) =>
    sorted(bySprint.get(sprintId)!.evidence.filter((e) => e.role === role).map((e) => e.key));

  it('reconstructs every sprint it generated', () => {
    expect(sorted(v.details.sprints.map((s) => s.sprintId))).toEqual(sorted(truth.sprints.map((s) => s.sprintId)));
    expect(v.details.active?.sprintId).toBe(truth.activeSprintId);
  });

  it.each(truth.sprints.map((s) => [s.sprintId, s] as const))('sprint %s: committed and completed, items and points', (id, t) => {
    const s = bySprint.get(id)!;
    expect({ committed: s.committed.points, completed: s.completed.points }).toEqual({ committed: t.committedPoints, completed: t.completedPoints });
    expect(keys(id, 'committed')).toEqual(sorted(t.committedKeys));
    expect(keys(id, 'completed')).toEqual(sorted(t.completedKeys));
  });

  it.each(truth.sprints.map((s) => [s.sprintId, s] as const))('sprint %s: added, removed, re-estimated, carried over, completed outside', (id, t) => {
    expect(keys(id, 'added')).toEqual(sorted(t.addedKeys));
    expect(keys(id, 'removed')).toEqual(sorted(t.removedKeys));
    expect(keys(id, 're-estimated')).toEqual(sorted(t.reEstimatedKeys));
    if (t.state === 'closed') expect(keys(id, 'carried-over')).toEqual(sorted(t.carriedOverKeys));
    expect(keys(id, 'completed-outside')).toEqual(sorted(t.completedOutsideKeys));
  });

  it('finds the same goal items and recorded verdicts', () => {
    const goals = sprintGoalRate(index, { lastN: 1000 });
    for (const g of goals.details.sprints) {
      const t = truth.sprints.find((s) => s.sprintId === g.sprintId)!;
      expect([g.sprintId, sorted(g.evidence.filter((e) => e.role === 'goal-item').map((e) => e.key))]).toEqual([g.sprintId, sorted(t.goalItemKeys)]);
      if (t.verdict) expect([g.sprintId, g.outcome, g.rule]).toEqual([g.sprintId, t.verdict, 'verdict']);
    }
  });

  it('finds every impediment with its raised and resolved instants', () => {
    const fromCore = collectImpediments(index)
      .map((i) => `${i.history.item.key}|${i.source}|${i.raisedMs}|${i.resolvedMs}`)
      .sort();
    const fromTruth = truth.impediments
      .map((i) => `${i.itemKey}|${i.source}|${parseInstant(i.raisedAt)}|${i.resolvedAt === null ? null : parseInstant(i.resolvedAt)}`)
      .sort();
    expect(fromCore).toEqual(fromTruth);
    expect(fromTruth.length).toBeGreaterThan(0);
  });

  it('finds each release planned and delivered scope', () => {
    const r = releasePredictability(index, { trials: 100 });
    for (const t of truth.releases) {
      const rel = r.details.releases.find((x) => x.releaseId === t.releaseId)!;
      const rows = (role: string) => sorted(rel.evidence.filter((e) => e.role === role).map((e) => e.key));
      expect([t.releaseId, rows('planned')]).toEqual([t.releaseId, sorted(t.plannedKeys)]);
      expect([t.releaseId, rows('delivered')]).toEqual([t.releaseId, sorted(t.deliveredKeys)]);
      expect(rel.state).toBe(t.releasedAt === null ? 'open' : 'released');
    }
  });
}
