import type { DashboardConfig, HostResult, MetricsPayload } from '@agile-kpi/presentation';
import { simulateTeam } from '@agile-kpi/testkit';
import { type ForgeHarness, forgeHarness, wire, withAllPages } from './forge-harness';

/**
 * A board far larger than one resolver call's budget: every Jira request takes 400 ms on the app's clock and a
 * call may spend 4 s on Jira (budgets scaled down from Forge's 25 s, so that a board of about 1 000 issues needs
 * many calls). Each call syncs on from where the one before stopped (the search resumes after the last issue staged
 * with everything before it), the gadget says how far the first sync got and of about how many issues (Jira's
 * approximate count, asked once), and the metrics at the end are those of a sync in one go.
 */
const team = simulateTeam({ seed: 41, sprints: 10, itemsPerSprint: 35 });
let h: ForgeHarness;
let config: DashboardConfig;

beforeAll(async () => {
  // Search pages of 25 issues: many pages, as a 200 000-issue board has many pages of 100.
  h = await forgeHarness([team], { pageCaps: { search: 25 } });
  config = { source: String(h.jira.boards[0]!.id), view: 'velocity' };
});
afterAll(() => h.close());

const REQUEST_MS = 400;

it('a first sync over many calls: progress in between, each call going on from the last, the figures of a sync in one go', async () => {
  const slow = h.resolvers({
    requestJira: (path, init) => {
      h.advance(REQUEST_MS);
      return h.requestJira(path, init);
    },
    budgets: { resolverMs: 12_000, resolverReserveMs: 4_000 },
  });
  const ctx = h.context('g-big');
  h.jira.requests.reset();
  const progress: number[] = [];
  const totals = new Set<number>();
  let calls = 0;
  let answer: HostResult<MetricsPayload> | undefined;
  for (let call = 0; call < 200; call++) {
    answer = await slow.loadMetrics({ config }, ctx);
    if (answer.ok) break;
    expect(answer.error.kind).toBe('syncing');
    // What the gadget shows while the first sync runs (once a first batch of issues is staged, how many are).
    expect(answer.error.message).toMatch(/^the first sync of board \d+ is still running(: synced \d+ of about \d+ issues so far)? \(a large board takes several runs\)/);
    const m = /synced (\d+) of about (\d+) issues so far/.exec(answer.error.message);
    if (m) progress.push(Number(m[1]));
    if (m) totals.add(Number(m[2]));
    else expect(progress).toEqual([]);
    calls++;
    h.advance(60_000);
  }
  if (!answer?.ok) throw new Error('the first sync never finished');
  const issues = h.jira.site.issues.filter((i) => !i.deleted).length;
  // Many calls, and the count only grows, up to the board's issues.
  expect(progress.length).toBeGreaterThanOrEqual(3);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
  expect(progress[0]).toBeGreaterThan(0);
  expect(progress[progress.length - 1]).toBeLessThan(issues);
  // "of about N": the board's issues as Jira counted them (exact in the simulator), asked for once, by the first call.
  expect([...totals]).toEqual([issues]);
  expect(h.jira.requests.filter('count').map((r) => [r.method, r.path, (r.body as { jql?: string }).jql])).toEqual([['POST', '/rest/api/3/search/approximate-count', expect.stringMatching(/^project = /)]]);
  // Each call searched on from where the last stopped: a call reads again at most the pages of one changelog batch
  // (100 issues, 4 pages: those a deadline cut before they were staged). From the top each time, the calls would
  // read about 8 + 16 + 24 + 26 pages.
  const pages = Math.ceil(issues / 25);
  expect(h.jira.requests.count('search')).toBeLessThanOrEqual(pages + (calls + 1) * (100 / 25));
  // Every changelog fetched once.
  const fetched = h.jira.requests
    .filter('bulkfetch')
    .flatMap((r) => ((r.body as { issueIdsOrKeys?: unknown[] } | undefined)?.issueIdsOrKeys ?? []).map(String));
  expect(new Set(fetched).size).toBe(fetched.length);
  // The figures of a sync in one go (the adapter's own, into SQLite).
  const whole = await withAllPages(h.resolvers(), config, ctx, answer.data);
  expect(wire(whole.report.velocity)).toEqual(wire((await h.direct(Number(config.source))).velocity));
});
