import { HistoryIndex, computeMetrics, parseInstant, parseSnapshot, velocity } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { adapterItem, adoHarness, simItemAsAdo } from './ado-harness';

/**
 * The real azure-devops-node-api against the simulated organisation, for the Scrum and the Agile process:
 * the model the adapter builds from revisions equals the simulator's own (as Azure DevOps can hold it: one
 * iteration at a time, the process's states), and the sprint figures equal the simulator's ground truth.
 * Teams use the date-aligned calendar, which Azure DevOps' date-only iterations express exactly.
 */
describe.each([
  { seed: 42, process: 'scrum' as const },
  { seed: 42, process: 'agile' as const },
  { seed: 8, process: 'scrum' as const },
  { seed: 13, process: 'agile' as const },
])('seed $seed, $process process', ({ seed, process }) => {
  const team = simulateTeam({ seed, sprintCalendar: 'dates' });
  let h: Awaited<ReturnType<typeof adoHarness>>;
  let snapshot: ReturnType<typeof parseSnapshot>;
  beforeAll(async () => {
    h = await adoHarness([team], { process, pageCaps: { reportingRevisions: 97 } });
    const scope = h.scope();
    await h.sync(scope);
    for (const sp of team.snapshot.sprints) if (sp.verdict) scope.setVerdict(`ado:iteration:${h.ado.site.idMap.iterations[sp.id]!.id}`, sp.verdict);
    snapshot = parseSnapshot(JSON.parse(JSON.stringify(await h.snapshot(scope, team.snapshot.asOf))));
  });
  afterAll(() => h.close());

  it('maps the same work items with the same histories', () => {
    const map = h.ado.site.idMap;
    const start = new Map(team.snapshot.sprints.map((s) => [s.id, parseInstant(s.startAt!)]));
    const ids = { sprint: (id: string) => `ado:iteration:${map.iterations[id]!.id}`, release: (id: string) => `ado:release:${map.releases[id]!.name}` };
    const ours = new Map(snapshot.items.map((i) => [i.key, adapterItem(i)]));
    expect(ours.size).toBe(team.snapshot.items.length);
    for (const item of team.snapshot.items) {
      const key = String(map.workItems[item.id]);
      expect(ours.get(key)).toEqual({ ...simItemAsAdo(item, process, ids, (s) => start.get(s)!), key });
    }
  });

  it("gives the simulator's committed and completed for every sprint", () => {
    const v = velocity(new HistoryIndex(snapshot), { historyCount: 1000 });
    for (const t of team.truth.sprints) {
      const s = v.details.sprints.find((x) => x.sprintId === `ado:iteration:${h.ado.site.idMap.iterations[t.sprintId]!.id}`)!;
      expect([s.name, s.committed.points, s.completed.points]).toEqual([s.name, t.committedPoints, t.completedPoints]);
    }
  });

  it('computes the same flow and impediment figures as from the simulator directly', () => {
    const a = computeMetrics(snapshot);
    const b = computeMetrics(parseSnapshot(team.snapshot));
    expect(a.flow.value).toEqual(b.flow.value);
    expect(a.impedimentResolutionTime.value).toEqual(b.impedimentResolutionTime.value);
    expect(a.velocity.value).toEqual(b.velocity.value);
  });
});
