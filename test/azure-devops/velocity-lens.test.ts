import { computeMetrics, parseSnapshot, type SprintVelocity } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { DateTime } from 'luxon';
import { adoHarness } from './ado-harness';

/**
 * The Azure DevOps lens of velocity against an independent recomputation from the simulated organisation's own
 * revisions, by the Velocity widget's rules (learn.microsoft.com/azure/devops/report/dashboards/team-velocity):
 * Planned = requirement-level work whose revision current at the end of the iteration's start date (team's zone)
 * is in the iteration, with that revision's effort; Completed / Completed late = work whose latest revision is
 * in the iteration and in a Completed-category state, late when it entered that state after the end of the
 * finish date; Incomplete = latest revision in the iteration, not completed. No adapter or core code is used to
 * get the expected figures.
 */
const team = simulateTeam({ seed: 31, sprints: 8, sprintCalendar: 'dates' });

it("gives, sprint by sprint, the figures the widget's rules give on the organisation's own revisions", async () => {
  const h = await adoHarness([team], { process: 'scrum' });
  try {
    const scope = h.scope();
    await h.sync(scope);
    const report = computeMetrics(parseSnapshot(await h.snapshot(scope)));
    const zone = team.snapshot.team.timeZone;
    const site = h.ado.site;
    const nowMs = site.nowMs();
    const project = site.workItems[0]!.project;
    const counted = (typeName: string) => typeName === 'Product Backlog Item' || typeName === 'Bug';
    const items = site.workItems.filter((w) => !w.deleted && w.project === project && counted(w.revisions.at(-1)!.state.type.name));
    const endOfDay = (date: string) => DateTime.fromISO(date, { zone }).endOf('day').toMillis();
    const revisionAt = (w: (typeof items)[number], t: number) => [...w.revisions].reverse().find((r) => r.ms <= t);

    const expected = new Map<string, { planned: number; completed: number; completedLate: number; incomplete: number }>();
    for (const node of site.teamIterations(project).filter((n) => n.startDate && n.finishDate && Date.parse(`${n.startDate}T00:00:00Z`) <= nowMs)) {
      const plannedAt = Math.min(nowMs, endOfDay(node.startDate!));
      const lateAfter = endOfDay(node.finishDate!);
      const figures = { planned: 0, completed: 0, completedLate: 0, incomplete: 0 };
      for (const w of items) {
        const atPlan = revisionAt(w, plannedAt);
        if (atPlan && atPlan.state.iteration === node && atPlan.state.state.category !== 'Removed') figures.planned += atPlan.state.estimate ?? 0;
        const now = revisionAt(w, nowMs)!;
        if (now.state.iteration !== node || now.state.state.category === 'Removed') continue;
        if (now.state.state.category !== 'Completed') {
          figures.incomplete += now.state.estimate ?? 0;
          continue;
        }
        // Entered Completed: the first revision of the last run of Completed revisions.
        const revs = w.revisions.filter((r) => r.ms <= nowMs);
        let i = revs.length - 1;
        while (i > 0 && revs[i - 1]!.state.state.category === 'Completed') i--;
        figures[revs[i]!.ms > lateAfter ? 'completedLate' : 'completed'] += now.state.estimate ?? 0;
      }
      expected.set(node.identifier, figures);
    }

    const lens = (s: SprintVelocity) => ({ planned: s.azureDevOps.planned.points, completed: s.azureDevOps.completed.points, completedLate: s.azureDevOps.completedLate.points, incomplete: s.azureDevOps.incomplete.points });
    const sprints = report.velocity.details.sprints;
    expect(sprints.length).toBeGreaterThanOrEqual(7);
    for (const s of sprints) {
      const id = s.sprintId.replace(/^ado:iteration:/, '');
      expect([s.name, lens(s)]).toEqual([s.name, expected.get(id)]);
    }
    // The rules make a difference on this team: some work moved on after an end, or was done before it was planned.
    expect(sprints.some((s) => s.azureDevOps.planned.points !== s.committed.points || s.azureDevOps.incomplete.points !== s.carriedOver.points)).toBe(true);
  } finally {
    await h.close();
  }
});
