import { HistoryIndex, computeMetrics, parseSnapshot, velocity } from '@agile-kpi/core';
import { collectVelocityReport, reconcileVelocity } from '@agile-kpi/jira';
import { simulateTeam } from '@agile-kpi/testkit';
import { comparable, harness } from './jira-harness';

/**
 * The real jira.js client against the simulated Jira: the model the adapter builds from Jira's wire format
 * equals the simulator's own model (same items, same histories), whatever the page sizes, and the figures
 * equal the simulator's ground truth and Jira's own velocity chart.
 */
describe.each([
  { seed: 42, search: 100, bulkfetch: 1000, created: 'epoch-ms' as const },
  { seed: 7, search: 13, bulkfetch: 37, created: 'iso' as const },
  { seed: 3, search: 50, bulkfetch: 5, created: 'epoch-ms' as const },
])('seed $seed, pages of $search issues and $bulkfetch histories, bulkfetch `created` as $created', ({ seed, search, bulkfetch, created }) => {
  const team = simulateTeam({ seed });
  let h: Awaited<ReturnType<typeof harness>>;
  let snapshot: ReturnType<typeof parseSnapshot>;
  beforeAll(async () => {
    h = await harness([team], { pageCaps: { search, bulkfetch }, bulkfetchCreated: created });
    const scope = h.scope();
    await h.sync(scope);
    // Verdicts live in agile-kpi's store, not in Jira: record the simulator's as a Scrum Master would.
    for (const sp of team.snapshot.sprints) if (sp.verdict) scope.setVerdict(`jira:sprint:${h.jira.site.idMap.sprints[sp.id]}`, sp.verdict);
    snapshot = parseSnapshot(JSON.parse(JSON.stringify(await h.snapshot(scope, team.snapshot.asOf))));
  });
  afterAll(() => h.close());

  it('maps the same items with the same histories', () => {
    const map = h.jira.site.idMap;
    const sim = { sprint: (id: string) => `jira:sprint:${map.sprints[id]}`, release: (id: string) => `jira:version:${map.versions[id]}` };
    const adapter = { sprint: (id: string) => id, release: (id: string) => id };
    const ours = new Map(snapshot.items.map((i) => [i.key, comparable(i, adapter)]));
    expect(ours.size).toBe(team.snapshot.items.length);
    for (const item of team.snapshot.items) {
      expect(ours.get(item.key)).toEqual(comparable(item, sim));
    }
  });

  it('carries parents, sprints with goals, and versions', () => {
    const parentKeys = new Map(snapshot.items.map((i) => [i.id, i.key]));
    const simParents = new Map(team.snapshot.items.map((i) => [i.id, i.key]));
    for (const item of team.snapshot.items.filter((i) => i.parentId)) {
      const ours = snapshot.items.find((i) => i.key === item.key)!;
      expect([item.key, parentKeys.get(ours.parentId!)]).toEqual([item.key, simParents.get(item.parentId!)]);
    }
    expect(snapshot.sprints.map((s) => [s.name, s.goal ?? null])).toEqual(
      [...team.snapshot.sprints].sort((a, b) => h.jira.site.idMap.sprints[a.id]! - h.jira.site.idMap.sprints[b.id]!).map((s) => [s.name, s.goal ?? null]),
    );
    expect(snapshot.releases.map((r) => r.name).sort()).toEqual(team.snapshot.releases.map((r) => r.name).sort());
  });

  it("gives the simulator's committed and completed for every sprint, and agrees with Jira's velocity chart", async () => {
    const v = velocity(new HistoryIndex(snapshot), { historyCount: 1000 });
    for (const t of team.truth.sprints) {
      const s = v.details.sprints.find((x) => x.sprintId === `jira:sprint:${h.jira.site.idMap.sprints[t.sprintId]}`)!;
      expect([s.name, s.committed.points, s.completed.points]).toEqual([s.name, t.committedPoints, t.completedPoints]);
    }
    const report = await collectVelocityReport(h.client(), h.jira.boards[0]!.id);
    const rows = reconcileVelocity(v, report);
    expect(rows.length).toBe(team.truth.sprints.filter((s) => s.state === 'closed').length);
    expect(rows.filter((r) => !r.agrees)).toEqual([]);
  });

  it('computes the same flow, velocity, goal and impediment figures as from the simulator directly', () => {
    const a = computeMetrics(snapshot);
    const b = computeMetrics(parseSnapshot(team.snapshot));
    expect(a.velocity.value).toEqual(b.velocity.value);
    expect(a.flow.value).toEqual(b.flow.value);
    expect(a.impedimentResolutionTime.value).toEqual(b.impedimentResolutionTime.value);
    expect(a.sprintProgress.value?.remaining).toEqual(b.sprintProgress.value?.remaining);
    expect(a.sprintGoalRate.value).toEqual(b.sprintGoalRate.value);
    expect(a.sprintGoalRate.details.sprints.map((s) => [s.outcome, s.rule])).toEqual(b.sprintGoalRate.details.sprints.map((s) => [s.outcome, s.rule]));
    expect(a.backlogHealth.value?.readyItems).toEqual(b.backlogHealth.value?.readyItems);
  });
});
