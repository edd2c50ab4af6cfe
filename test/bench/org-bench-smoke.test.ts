import { orgBench, orgBudgets } from '../../bench/src/org-bench';
import { buildOnce } from '../cli/built-cli';

/**
 * The organisation server's benchmark at a tiny size (3 teams), so that it cannot rot: the built CLI serves an
 * org.yml of simulated Jira boards and Azure DevOps teams, syncs them, and answers the portfolio under concurrent clients. No timing is
 * judged here (docs/performance.md records the full run).
 */
it('syncs every team, lists them all with figures, answers every request, reads the peak memory', async () => {
  buildOnce();
  const m = await orgBench({ teams: 3, items: 60, clients: 4, requests: 12, log: () => {} });
  expect([m.teams, m.load.requests]).toEqual([3, 12]);
  expect(m.trackers).toEqual({ jira: 2, azureDevOps: 1 });
  expect(m.items).toBeGreaterThan(3 * 30);
  expect(m.sync.requests).toBeGreaterThan(3 * 5);
  expect(m.peakRssMb).toBeGreaterThan(0);
  expect(m.load.failed).toBe(0);
  expect(orgBudgets(m).map((b) => b.budget)).toEqual(['portfolio of 3 teams ≤ 300 ms p95 under 4 clients', 'server memory ≤ 1 GB', 'every request answered']);
}, 5 * 60_000);

it('runs on a PostgreSQL store too', async () => {
  buildOnce();
  const m = await orgBench({ teams: 2, items: 60, clients: 2, requests: 4, postgres: true, log: () => {} });
  expect([m.store, m.teams, m.load.requests]).toEqual(['postgres', 2, 4]);
}, 5 * 60_000);
