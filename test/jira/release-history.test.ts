import { HistoryIndex, parseInstant, parseSnapshot, releasePredictability } from '@agile-kpi/core';
import { simulateTeam, snapshotAt } from '@agile-kpi/testkit';
import { harness } from './jira-harness';

/**
 * Jira keeps no history of release dates: agile-kpi snapshots them at every sync. A team that syncs at every
 * sprint start (the simulated Jira serving the site as it was then, its clock set to then) must see the same
 * planned dates, slips and on-time verdicts as the simulator recorded, and its syncs after the first must be
 * incremental.
 */
describe.each([42, 5])('seed %i: syncing at every sprint start', (seed) => {
  const team = simulateTeam({ seed });
  it('records the release dates as they were, so slips show', async () => {
    const asOf = parseInstant(team.snapshot.asOf);
    const times = [...team.snapshot.sprints.map((s) => parseInstant(s.startAt!)), asOf].filter((t) => t <= asOf).sort((a, b) => a - b);
    const h = await harness([snapshotAt(team, times[0]!)]);
    try {
      const scope = h.scope();
      const modes: string[] = [];
      for (const t of times) {
        h.jira.serve([snapshotAt(team, t)], { now: t });
        modes.push((await h.sync(scope)).mode);
      }
      expect(modes).toEqual(['full', ...times.slice(1).map(() => 'incremental')]);
      const viaJira = releasePredictability(new HistoryIndex(parseSnapshot(await h.snapshot(scope, team.snapshot.asOf))));
      const direct = releasePredictability(new HistoryIndex(parseSnapshot(team.snapshot)));
      const byName = (r: typeof direct) => r.details.releases.map((x) => [x.name, x.state, x.plannedDate, x.slipDays, x.onTime]);
      // A release the simulator never snapshotted falls back to its current date there (with a warning);
      // the syncs did snapshot it, at every sprint start: compare only what both sides know.
      const snapshotted = new Set(team.snapshot.releases.filter((r) => r.plannedDate.length > 0).map((r) => r.name));
      expect(byName(viaJira).filter((r) => snapshotted.has(r[0] as string))).toEqual(byName(direct).filter((r) => snapshotted.has(r[0] as string)));
      expect(viaJira.details.releases.some((r) => (r.slipDays ?? 0) > 0) || direct.details.releases.every((r) => (r.slipDays ?? 0) <= 0)).toBe(true);
    } finally {
      await h.close();
    }
  });
});
