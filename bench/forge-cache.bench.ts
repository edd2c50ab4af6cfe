import { simulateTeam } from '@agile-kpi/testkit';
import { packAnswer } from '../src/packed-answer';
import { forgeHarness } from '../test/forge/forge-harness';
import { type Measured, timeIt } from './src/stats';

/**
 * The Forge resolver serving a board's metrics from its cache in Forge storage (here the in-memory Key-Value
 * Store with Forge's limits): what a Jira dashboard gadget waits for on every load. The board is synced by
 * the hourly refresh first; then `loadMetrics` is timed.
 */
export interface ForgeCacheMeasure {
  readonly items: number;
  readonly cachedLoadMs: Measured;
  readonly payloadKb: number;
}

export async function forgeCacheBench(itemsPerSprint: number, repeats: number): Promise<ForgeCacheMeasure> {
  const team = simulateTeam({ seed: 3, sprints: 40, itemsPerSprint });
  const forge = await forgeHarness([team]);
  try {
    const resolvers = forge.resolvers();
    const ctx = forge.context('bench-gadget');
    const config = { source: String(forge.jira.boards[0]!.id) };
    await resolvers.saveConfig({ config }, ctx);
    await forge.refresh();
    let size = 0;
    const cachedLoadMs = await timeIt(repeats, async () => {
      // What src/index.ts hands Forge: the answer packed (compressed) when it is big.
      const r = packAnswer(await resolvers.loadMetrics({ config }, ctx));
      if (!r.ok) throw new Error(`loadMetrics failed: ${r.error.message}`);
      size = JSON.stringify(r).length;
    });
    return { items: team.snapshot.items.length, cachedLoadMs, payloadKb: Math.round(size / 1024) };
  } finally {
    await forge.close();
  }
}
