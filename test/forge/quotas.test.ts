import type { DashboardConfig, HostResult } from '@agile-kpi/presentation';
import { simulateTeam } from '@agile-kpi/testkit';
import { HOUR, forgeHarness } from './forge-harness';
import { FORGE_KVS_QUOTAS, type KvsUsage } from './memory-kvs';

/**
 * The Forge app within the Key-Value Store's quotas (per installation: 1 000 requests a second, 4 000 reads and
 * 4 000 writes of 10 KB units a minute; developer.atlassian.com/platform/forge/limits-kvs-ce), counted by the
 * in-memory store in Forge's own units, on a board of about 5 000 issues: the first sync, an hourly refresh, and
 * a dashboard of seven gadgets opened by ten viewers in the same minute, which the store refuses nothing of.
 */
const team = simulateTeam({ seed: 5, sprints: 30, itemsPerSprint: 100 });
const MODULES = [
  'agile-kpi-velocity',
  'agile-kpi-sprint-goal-rate',
  'agile-kpi-impediments',
  'agile-kpi-sprint-progress',
  'agile-kpi-backlog-health',
  'agile-kpi-release-predictability',
  'agile-kpi-flow',
] as const;

const ok = <T>(r: HostResult<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.data;
};
const units = (u: KvsUsage) => `${u.readUnits} read and ${u.writeUnits} write units (${Math.round(u.readBytes / 1024)} KB read, ${Math.round(u.writeBytes / 1024)} KB written), ${u.requests} calls`;

it('syncs, refreshes and serves a dashboard of seven gadgets to ten viewers within Forge’s storage quotas', async () => {
  const h = await forgeHarness([team]);
  try {
    const board = h.jira.boards[0]!.id;
    const config: DashboardConfig = { source: String(board) };
    expect(team.snapshot.items.length).toBeGreaterThan(4_500);

    // The first sync runs in the scheduled trigger (900 s), as it does for a large board.
    for (const [i, moduleKey] of MODULES.entries()) ok(await h.resolvers().saveConfig({ config }, h.context(`g-${i}`, moduleKey)));
    h.kvs.resetCalls();
    const summary = await h.refresh();
    expect(summary).toMatchObject({ boards: 1, synced: 1, failed: 0 });
    const firstSync = { ...h.kvs.usage };

    // An hourly refresh that finds nothing new keeps the cached report (no report is written again).
    h.advance(HOUR);
    h.kvs.resetCalls();
    expect(await h.refresh()).toMatchObject({ synced: 1, failed: 0 });
    const refresh = { ...h.kvs.usage };
    expect(h.kvs.written.filter((k) => k.includes(':report:'))).toEqual([]);

    // Ten viewers open the dashboard within half a minute, one every three seconds, each one's seven gadgets at the
    // same instant: 70 gadget loads in one minute's quotas.
    h.advance(60_000);
    h.kvs.enforce(FORGE_KVS_QUOTAS);
    h.kvs.resetCalls();
    for (let viewer = 0; viewer < 10; viewer++) {
      if (viewer > 0) h.advance(3_000);
      for (const [i, moduleKey] of MODULES.entries()) {
        // As the gadget does: its settings (with its view), then its metrics.
        const ctx = { ...h.context(`g-${i}`, moduleKey), accountId: `viewer-${viewer}` };
        const saved = ok(await h.resolvers().getConfig(undefined, ctx));
        const payload = ok(await h.resolvers().loadMetrics({ config: saved }, ctx));
        expect(payload.report.velocity.value).not.toBeNull();
      }
    }
    const dashboard = { ...h.kvs.usage };
    expect(dashboard.refused).toBe(0);
    expect(dashboard.readUnits).toBeLessThanOrEqual(FORGE_KVS_QUOTAS.readUnitsPerMinute);
    expect(dashboard.writeUnits).toBeLessThanOrEqual(FORGE_KVS_QUOTAS.writeUnitsPerMinute);
    // What each costs, for docs/forge.md.
    console.info(
      [
        `board of ${team.snapshot.items.length} issues`,
        `first sync: ${units(firstSync)}`,
        `refresh, nothing new: ${units(refresh)}`,
        `70 gadget loads: ${units(dashboard)}; per load ${Math.round(dashboard.readUnits / 70)} read units`,
      ].join('\n'),
    );
  } catch (err) {
    console.error(`${units(h.kvs.usage)}, ${h.kvs.usage.refused} refused\n${h.logs.filter((l) => l.level === 'error').map((l) => l.text.split('\n')[0]).join('\n')}`);
    throw err;
  } finally {
    await h.close();
  }
});
