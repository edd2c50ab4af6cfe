import type { DashboardConfig, HostResult, MetricsPayload } from '@agile-kpi/presentation';
import { simulateTeam } from '@agile-kpi/testkit';
import { type Bridge, forgeHost } from '../../static/gadget/src/forge-host';
import type { AppDeps } from '../../src/app';
import { HOUR, type ForgeHarness, forgeHarness, wire } from './forge-harness';
import { MemoryKvs } from './memory-kvs';

/**
 * Jira Service Management satisfaction ratings in the Forge app: the customer outcomes gadget's settings name the
 * board's service projects (checked against Jira: a typo or a software project is refused with its key), the board's
 * syncs read their ratings with the Jira adapter's own ratings sync (the CLI's: the first read whole, then what
 * changed, ratings gone from Jira removed), within the call's time budget, and the gadget shows CSAT from them.
 * The simulated Jira serves the service projects as Jira does (packages/testkit/src/jira/README.md, "Service
 * projects"), beside the team's software project; the app reaches it through the gadget's own host and resolvers.
 */
const team = simulateTeam({ seed: 21, sprints: 6 });
let h: ForgeHarness;
let board: number;
const GADGET = 'g-jsm';
const ctx = () => h.context(GADGET, 'agile-kpi-customer-outcomes');
const config = (): DashboardConfig => ({ source: String(board), view: 'customerOutcomes' });

const ok = <T>(r: HostResult<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.data;
};
/** The gadget's settings host, its bridge calling the resolvers as Forge would (the payload through JSON). */
const host = (extra: Partial<AppDeps> = {}) => {
  const bridge: Bridge = {
    invoke: async (name, payload) => h.resolvers(extra)[name as 'outcomeData'](wire(payload), ctx()),
    submit: async () => undefined,
  };
  return forgeHost({ moduleKey: 'agile-kpi-customer-outcomes', extension: { entryPoint: 'edit' } }, bridge);
};
const load = async (extra: Partial<AppDeps> = {}): Promise<MetricsPayload> => ok(await h.resolvers(extra).loadMetrics({ config: config() }, ctx()));
const csatMonths = (payload: MetricsPayload) => payload.report.customerSatisfaction.details!.months.map((m) => [m.period, m.csat?.responses, m.csat?.share, m.csat?.mean]);

// The board's asOf is 2025-03-24 (the site's clock): the last complete month is February 2025.
const SERVICE_PROJECTS = [
  {
    key: 'SUP',
    requests: [
      { rating: 5, ratedAt: '2025-02-03T10:00:00Z' },
      { rating: 4, ratedAt: '2025-02-10T10:00:00Z' },
      { rating: 2, ratedAt: '2025-02-17T10:00:00Z' },
      { rating: null, createdAt: '2025-02-18T10:00:00Z' },
    ],
  },
  { key: 'HELP', requests: [{ rating: 5, ratedAt: '2025-02-20T10:00:00Z' }, { rating: 1, ratedAt: '2025-03-05T10:00:00Z' }] },
];

beforeAll(async () => {
  h = await forgeHarness([team], { serviceProjects: SERVICE_PROJECTS });
  board = h.jira.boards[0]!.id;
  ok(await h.resolvers().saveConfig({ config: config() }, ctx()));
});
afterAll(() => h.close());

describe('Jira Service Management projects in the customer outcomes gadget', () => {
  it('are offered by the customer outcomes gadget’s settings only, and none are named at first', async () => {
    const velocity = forgeHost({ moduleKey: 'agile-kpi-velocity', extension: { entryPoint: 'edit' } }, { invoke: async () => undefined, submit: async () => undefined });
    expect(velocity.saveServiceProjects).toBeUndefined();
    expect(ok(await host().loadOutcomeData!())).toEqual({ files: [], settings: {} });
  });

  it.each([
    [['SUP;HELP'], 'Jira Service Management projects must be project keys separated by commas, like SUP, HELP (empty: none), got ["SUP;HELP"]'],
    [['NOPE'], /^project NOPE does not exist at http:\/\/127\.0\.0\.1:\d+, or the API user cannot browse it: check the service project keys$/],
  ])('refuses %j with a message naming the fix, and keeps what was there', async (projects, message) => {
    const r = await host().saveServiceProjects!(projects);
    expect(r).toEqual({ ok: false, error: { kind: 'invalid', message: typeof message === 'string' ? message : expect.stringMatching(message) } });
    expect(ok(await host().loadOutcomeData!()).serviceProjects).toBeUndefined();
  });

  it('refuses a software project: it has no satisfaction ratings', async () => {
    const software = h.jira.boards[0]!.projectKey;
    expect(await host().saveServiceProjects!(['SUP', software])).toEqual({
      ok: false,
      error: { kind: 'invalid', message: `project ${software} is a software project, not a service project: it has no satisfaction ratings` },
    });
  });

  it('the next load reads their ratings, and the gadget shows CSAT from them (worked by hand)', async () => {
    await load();
    expect(ok(await host().saveServiceProjects!(['sup', 'HELP']))).toEqual({ files: [], settings: {}, serviceProjects: ['SUP', 'HELP'] });
    h.jira.requests.reset();
    const payload = await load();
    // The board was synced at the load before: saving the projects makes this load sync again and read them.
    expect(h.jira.requests.filter('search').map((r) => (r.body as { jql: string }).jql)).toContainEqual(expect.stringMatching(/^project in \("HELP", "SUP"\) AND cf\[\d+\] is not EMPTY ORDER BY id ASC$/));
    // February 2025 (the last complete month at asOf 2025-03-24): SUP-1 5, SUP-2 4, SUP-3 2, HELP-1 5 -> 3 of 4
    // ratings are 4-5, CSAT 3/4 = 0.75, mean (5+4+2+5)/4 = 4. March so far: HELP-2 1 -> 0 of 1, mean 1. SUP-4 has
    // no rating and counts nowhere.
    expect(payload.report.customerSatisfaction.value).toMatchObject({ month: '2025-02', csat: { responses: 4, share: 0.75, mean: 4 } });
    expect(csatMonths(payload)).toEqual([
      ['2025-02', 4, 0.75, 4],
      ['2025-03', 1, 0, 1],
    ]);
    // Ratings are the board's data, not uploaded files: the settings list no file for them.
    expect(ok(await host().loadOutcomeData!()).files).toEqual([]);
  });

  it('the hourly refresh reads only what changed: a re-rating replaces its record, a cleared rating leaves', async () => {
    const desk = h.jira.serviceDesk!;
    const asOf = Date.parse(team.snapshot.asOf);
    desk.rate('SUP-3', 5, asOf - 60_000);
    desk.rate('HELP-2', null, asOf - 30_000);
    h.advance(HOUR + 60_000);
    h.jira.requests.reset();
    expect(await h.refresh()).toMatchObject({ boards: 1, synced: 1, failed: 0 });
    const jql = h.jira.requests.filter('search').map((r) => (r.body as { jql: string }).jql).filter((q) => q.startsWith('project in ("HELP", "SUP")'));
    // The changed requests since the watermark, then the rated keys (Jira reports no deletions).
    expect(jql).toEqual([expect.stringMatching(/AND updated >= "\d{4}\/\d\d\/\d\d \d\d:\d\d" ORDER BY updated ASC$/), expect.stringMatching(/is not EMPTY ORDER BY id ASC$/)]);
    // February: SUP-1 5, SUP-2 4, HELP-1 5 -> 3 of 3, CSAT 1, mean 14/3 = 4.67 (SUP-3's rating moved to March with
    // its new date). March: SUP-3 5 -> 1 of 1, mean 5; HELP-2's rating was cleared in Jira and is gone.
    const payload = await load();
    expect(csatMonths(payload)).toEqual([
      ['2025-02', 3, 1, 4.67],
      ['2025-03', 1, 1, 5],
    ]);
  });

  it('naming none stops reading ratings; those read stay (as the CLI’s --service-projects none)', async () => {
    expect(ok(await host().saveServiceProjects!([])).serviceProjects).toEqual([]);
    h.jira.requests.reset();
    await load();
    expect(h.jira.requests.filter('search').map((r) => (r.body as { jql: string }).jql).filter((q) => q.includes('"SUP"'))).toEqual([]);
    expect(h.jira.requests.filter('search').length).toBeGreaterThan(0);
    expect(csatMonths(await load())).toEqual([
      ['2025-02', 3, 1, 4.67],
      ['2025-03', 1, 1, 5],
    ]);
  });

  it('a first read cut short by the call’s time budget writes nothing; the hourly refresh reads it whole', async () => {
    const kvs = new MemoryKvs(h.now);
    // Reading SUP's project takes 9 s of the app's clock: the call's 8 s for Jira (12 s less 4 s kept back) are
    // spent before HELP's is asked for.
    const slow: AppDeps['requestJira'] = (path, init) => {
      if (path.startsWith('/rest/api/3/project/SUP')) h.advance(9_000);
      return h.requestJira(path, init);
    };
    const tight = { kvs, requestJira: slow, budgets: { resolverMs: 12_000, resolverReserveMs: 4_000 } };
    ok(await h.resolvers({ kvs }).saveConfig({ config: config() }, ctx()));
    ok(await host({ kvs }).saveServiceProjects!(['SUP', 'HELP']));
    h.logs.length = 0;
    const cut = await load(tight);
    // The board is served; no rating was kept, so there is no satisfaction figure yet.
    expect(cut.report.velocity.value).not.toBeNull();
    expect(cut.report.customerSatisfaction.value).toBeNull();
    expect(h.logs.map((l) => l.text)).toContainEqual(expect.stringMatching(/the time budget ran out while reading satisfaction ratings; the next sync reads them again$/));
    h.advance(HOUR + 60_000);
    expect(await h.refresh({ kvs })).toMatchObject({ synced: 1, failed: 0 });
    // The ratings as the simulated desk holds them now (after the test before): February 3 of 3, March 1 of 1.
    expect(csatMonths(await load({ kvs }))).toEqual([
      ['2025-02', 3, 1, 4.67],
      ['2025-03', 1, 1, 5],
    ]);
  });
});
