import { type DashboardConfig, type HostResult, KPI_KEYS, type MetricsPayload, metricsOptionsOf } from '@agile-kpi/presentation';
import { simulateTeam } from '@agile-kpi/testkit';
import { type ForgeHarness, HOUR, forgeHarness, wire, withAllPages } from './forge-harness';

/**
 * The gadgets' resolvers and the hourly refresh, run in Node against the simulated Jira (through a fake
 * `requestJira`) and an in-memory Key-Value Store: what a gadget sees on first load, from the cache, after
 * changes, in a rate-limit storm, when the time budget runs out, on a board it may not read, after a goal
 * verdict, and what the scheduled trigger leaves behind.
 */
const teamA = simulateTeam({ seed: 11, sprints: 8 });
const teamB = simulateTeam({ seed: 12, sprints: 6, teamIndex: 1, teamKey: 'SIB', teamName: 'Team B' });
let h: ForgeHarness;
let boardA: number;
let boardB: number;

beforeAll(async () => {
  h = await forgeHarness([teamA, teamB], { pageCaps: { search: 25 } });
  [boardA, boardB] = h.jira.boards.map((b) => b.id) as [number, number];
});
afterAll(() => h.close());
beforeEach(() => h.jira.setFaults({}));

const ok = <T>(r: HostResult<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.data;
};

const changelogIds = () =>
  h.jira.requests
    .filter('bulkfetch')
    .flatMap((r) => ((r.body as { issueIdsOrKeys?: unknown[] } | undefined)?.issueIdsOrKeys ?? []).map(String))
    .sort();

describe('a gadget on board A', () => {
  const configA = (): DashboardConfig => ({ source: String(boardA), velocitySprints: 4, goalSprints: 5 });
  let first: MetricsPayload;

  it('saves its settings per gadget, and reads them back with its view', async () => {
    const r = h.resolvers();
    const saved = ok(await r.saveConfig({ config: { ...configA(), refresh: 15, junk: true } }, h.context('g-1', 'agile-kpi-velocity')));
    expect(saved).toEqual({ ...configA(), view: 'velocity' });
    expect(ok(await r.getConfig({}, h.context('g-1', 'agile-kpi-velocity')))).toEqual(saved);
    // Another gadget knows nothing yet, and tells its view from the module key.
    expect(ok(await r.getConfig({}, h.context('g-2', 'agile-kpi-flow')))).toEqual({ view: 'flow' });
  });

  it('first load: a full sync, and the metrics the adapter gives when computed directly', async () => {
    h.jira.requests.reset();
    first = ok(await h.resolvers().loadMetrics({ config: configA() }, h.context('g-1')));
    expect(first.stale).toBeUndefined();
    expect(h.jira.requests.count('search')).toBeGreaterThan(1);
    expect(changelogIds()).toHaveLength(teamA.snapshot.items.length);
    const direct = await h.direct(boardA, metricsOptionsOf(configA()));
    // Long evidence lists come as their first page; joined with every further page, the report is the direct one.
    expect(first.evidencePages).toBeDefined();
    expect(wire((await withAllPages(h.resolvers(), configA(), h.context('g-1'), first)).report)).toEqual(wire(direct));
    expect(first.syncedAt).toBe(direct.asOf);
    expect(first.report.velocity.params).toMatchObject({ lastN: 4 });
    // Everything went through parts of at most 8 000 bytes here; nothing reached the store's 240 KiB limit.
    expect(h.kvs.keys('board:').some((k) => k.includes('::'))).toBe(true);
    expect(h.kvs.largestValueBytes).toBeLessThan(240 * 1024);
  });

  it('cached load: no Jira request at all, the same numbers, for every gadget with the same settings', async () => {
    h.advance(10 * 60_000);
    h.jira.requests.reset();
    const again = ok(await h.resolvers().loadMetrics({ config: configA() }, h.context('g-1')));
    const other = ok(await h.resolvers().loadMetrics({ config: { ...configA(), view: 'flow' } }, h.context('g-2', 'agile-kpi-flow')));
    expect(h.jira.requests.count()).toBe(0);
    expect(wire(again)).toEqual(wire(first));
    // The flow gadget gets its own KPI whole and the others summarised: the same figures, one KPI's evidence.
    expect(wire(other.report.flow)).toEqual(wire(first.report.flow));
    for (const k of KPI_KEYS) expect([k, wire(other.report[k].value)]).toEqual([k, wire(first.report[k].value)]);
    expect(other.report.velocity.evidence).toEqual([]);
    expect(JSON.stringify(other.report).length).toBeLessThan(JSON.stringify(first.report).length / 2);
  });

  it('other settings: computed from the stored board, still without Jira', async () => {
    h.jira.requests.reset();
    const r = ok(await h.resolvers().loadMetrics({ config: { ...configA(), velocitySprints: 2 } }, h.context('g-1')));
    expect(h.jira.requests.count()).toBe(0);
    expect(r.report.velocity.params).toMatchObject({ lastN: 2 });
    const whole = await withAllPages(h.resolvers(), { ...configA(), velocitySprints: 2 }, h.context('g-1'), r);
    expect(wire(whole.report)).toEqual(wire(await h.direct(boardA, metricsOptionsOf({ ...configA(), velocitySprints: 2 }))));
  });

  it('after the refresh interval: an incremental sync fetching only the changed issues', async () => {
    const items = teamA.snapshot.items;
    h.jira.site.edit(items[3]!.key, { status: 'In Progress' });
    h.jira.site.edit(items[7]!.key, { estimate: 13 });
    h.advance(HOUR);
    h.jira.requests.reset();
    const r = ok(await h.resolvers().loadMetrics({ config: configA() }, h.context('g-1')));
    const changed = [items[3]!, items[7]!].map((i) => String(h.jira.site.idMap.issues[i.id]!.id)).sort();
    expect(changelogIds()).toEqual(changed);
    expect(r.stale).toBeUndefined();
    expect(wire((await withAllPages(h.resolvers(), configA(), h.context('g-1'), r)).report)).toEqual(wire(await h.direct(boardA, metricsOptionsOf(configA()))));
  });

  it('rides out a 429 storm, waiting as Jira asks, and answers fresh metrics', async () => {
    h.jira.site.edit(teamA.snapshot.items[12]!.key, { labels: ['storm'] });
    h.advance(HOUR);
    h.jira.setFaults({ rateLimit: { at: [3], burst: 5, retryAfterSeconds: 2 } });
    h.jira.requests.reset();
    h.waits.length = 0;
    const r = ok(await h.resolvers().loadMetrics({ config: configA() }, h.context('g-1')));
    const limited = h.jira.requests.entries.filter((e) => e.status === 429).length;
    expect(limited).toBeGreaterThanOrEqual(3);
    expect(h.waits).toContain(2000);
    expect(r.stale).toBeUndefined();
    h.jira.setFaults({});
    expect(wire((await withAllPages(h.resolvers(), configA(), h.context('g-1'), r)).report)).toEqual(wire(await h.direct(boardA, metricsOptionsOf(configA()))));
  });

  it('when Jira keeps it waiting past the budget: the last metrics, marked stale', async () => {
    h.advance(HOUR);
    h.jira.setFaults({ rateLimit: { every: 1, retryAfterSeconds: 60 } });
    const started = h.now();
    const r = ok(await h.resolvers().loadMetrics({ config: configA() }, h.context('g-1')));
    expect(r.stale).toBe(true);
    expect(r.syncedAt).toBe(first.syncedAt);
    expect(h.now() - started).toBeLessThan(20_000);
    h.jira.setFaults({});
  });

  it('a goal verdict changes the sprint goal rate, and is kept', async () => {
    h.advance(HOUR);
    const r = h.resolvers();
    const before = ok(await r.loadMetrics({ config: configA() }, h.context('g-1'))).report.sprintGoalRate;
    const target = before.details.sprints.find((s) => s.outcome === 'met') ?? before.details.sprints.find((s) => s.outcome !== 'missed')!;
    h.jira.requests.reset();
    const after = ok(await r.recordVerdict({ config: configA(), sprintId: target.sprintId, verdict: { outcome: 'missed', note: 'Demo cancelled' } }, h.context('g-1'))).report.sprintGoalRate;
    expect(h.jira.requests.count()).toBe(0);
    const entry = after.details.sprints.find((s) => s.sprintId === target.sprintId)!;
    expect(entry).toMatchObject({ outcome: 'missed', rule: 'verdict', verdict: { by: 'user-1', note: 'Demo cancelled' } });
    expect(after.value!.missed).toBe(before.value!.missed + 1);
    expect(after.value!.rate).toBeLessThan(before.value!.rate);
    // A later load (another gadget, same board) sees the verdict from the cache.
    const later = ok(await r.loadMetrics({ config: configA() }, h.context('g-2', 'agile-kpi-sprint-goal-rate'))).report.sprintGoalRate;
    expect(wire(later)).toEqual(wire(after));
    expect(await r.recordVerdict({ config: configA(), sprintId: 'jira:sprint:999999', verdict: { outcome: 'met' } }, h.context('g-1'))).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    expect(await r.recordVerdict({ config: configA(), sprintId: target.sprintId, verdict: { outcome: 'great' } }, h.context('g-1'))).toMatchObject({ ok: false, error: { kind: 'invalid' } });
  });
});

describe('board B, the first time, with too little time', () => {
  const configB = (): DashboardConfig => ({ source: String(boardB) });

  it('answers "first sync still running" while it resumes run after run, then the metrics', async () => {
    // A storm that starts after a few pages: the first call fetches part of the board and stops at the budget.
    h.jira.requests.reset();
    h.jira.setFaults({ rateLimit: { at: [14], burst: 1000, retryAfterSeconds: 60 } });
    const r = h.resolvers();
    const firstTry = await r.loadMetrics({ config: configB() }, h.context('g-3'));
    expect(firstTry).toMatchObject({ ok: false, error: { kind: 'syncing' } });
    expect(firstTry.ok === false && firstTry.error.message).toMatch(/first sync of board \d+ is still running.*hourly refresh will finish it/);
    const fetchedFirst = changelogIds();
    expect(fetchedFirst.length).toBeGreaterThan(0);
    expect(fetchedFirst.length).toBeLessThan(teamB.snapshot.items.length);

    h.jira.setFaults({});
    h.jira.requests.reset();
    const done = ok(await r.loadMetrics({ config: configB() }, h.context('g-3')));
    // Resumed: what the first call fetched is not fetched again.
    expect(changelogIds().length).toBe(teamB.snapshot.items.length - fetchedFirst.length);
    expect(wire(done.report)).toEqual(wire(await h.direct(boardB)));
  });
});

describe('what the app may not read, and what it cannot understand', () => {
  it('a board the app cannot see: a clear not-found error, never a throw', async () => {
    h.jira.site.setNoPermission([boardB]);
    try {
      const r = h.resolvers();
      const saved = await r.saveConfig({ config: { source: String(boardB) } }, h.context('g-9'));
      expect(saved).toMatchObject({ ok: false, error: { kind: 'not-found' } });
      expect(saved.ok === false && saved.error.message).toMatch(/cannot see it/);
      h.advance(HOUR);
      const loaded = await r.loadMetrics({ config: { source: String(boardB) } }, h.context('g-3'));
      // Access lost is not hidden behind the cached numbers.
      expect(loaded).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    } finally {
      h.jira.site.setNoPermission([]);
    }
  });

  it('a viewer who cannot see the board: forbidden, and nothing from Jira', async () => {
    const r = h.resolvers({ viewerCanSee: async (id) => id !== boardA });
    const res = await r.loadMetrics({ config: { source: String(boardA) } }, h.context('g-1'));
    expect(res).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await r.recordVerdict({ config: { source: String(boardA) }, sprintId: '1', verdict: { outcome: 'met' } }, h.context('g-1'))).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
  });

  it('never throws across the bridge: bad payloads, missing context, a broken store, a failing network', async () => {
    const r = h.resolvers();
    const calls: Promise<HostResult<unknown>>[] = [];
    for (const payload of [undefined, null, 42, 'x', {}, { config: 'x' }, { config: { source: 'abc' } }, { config: { source: '12', velocitySprints: -1 } }, { config: { timeZone: 'Mars/Olympus' } }]) {
      for (const fn of Object.values(r)) {
        calls.push(fn(payload, h.context('g-x')));
        calls.push(fn(payload, undefined as never));
      }
    }
    const results = await Promise.all(calls);
    for (const res of results) {
      if (res.ok) continue;
      expect(['invalid', 'not-configured', 'not-found']).toContain(res.error.kind);
      expect(res.error.message.length).toBeGreaterThan(10);
    }
    expect(await r.loadMetrics({}, h.context('g-x'))).toMatchObject({ ok: false, error: { kind: 'not-configured' } });
    expect(await r.loadMetrics({ config: { source: 'abc' } }, h.context('g-x'))).toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringMatching(/board id/) } });

    const broken = h.resolvers({
      kvs: {
        get: async () => {
          throw new Error('storage is down: secret internals');
        },
        set: async () => undefined,
        delete: async () => undefined,
        query: () => h.kvs.query(),
      },
    });
    const logged = h.logs.length;
    const internal = await broken.loadMetrics({ config: { source: String(boardA) } }, h.context('g-1'));
    expect(internal).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(internal.ok === false && internal.error.message).not.toMatch(/secret internals/);
    expect(h.logs.slice(logged).some((l) => l.level === 'error' && /secret internals/.test(l.text))).toBe(true);

    const offline = h.resolvers({
      requestJira: async () => {
        throw new TypeError('fetch failed');
      },
      budgets: { resolverMs: 200_000, resolverReserveMs: 0 },
    });
    expect(await offline.listSources({}, h.context('g-1'))).toMatchObject({ ok: false, error: { kind: 'network' } });
  });

  it('lets Forge’s own consent signal through, and nothing else', async () => {
    const consent = Object.assign(new Error('needs consent'), { name: 'NEEDS_AUTHENTICATION_ERR' });
    const r = h.resolvers({
      viewerCanSee: async () => {
        throw consent;
      },
      passThrough: (e) => e === consent,
    });
    await expect(r.loadMetrics({ config: { source: String(boardA) } }, h.context('g-1'))).rejects.toBe(consent);
  });
});

describe('listSources', () => {
  it('offers every board the app can read, by name', async () => {
    const boards = ok(await h.resolvers().listSources({}, h.context('g-1')));
    expect(boards.map((b) => b.id).sort()).toEqual([String(boardA), String(boardB)].sort());
    expect(boards[0]!.name).toMatch(/\(SI[MB], scrum\)$/);
  });
});

describe('the hourly refresh', () => {
  it('syncs every configured board and recomputes their gadgets’ reports, so gadgets load from the cache', async () => {
    const r = h.resolvers();
    ok(await r.saveConfig({ config: { source: String(boardA), goalSprints: 3 } }, h.context('g-4', 'agile-kpi-sprint-goal-rate')));
    ok(await r.saveConfig({ config: { source: String(boardB) } }, h.context('g-5', 'agile-kpi-flow')));
    ok(await r.saveConfig({}, h.context('g-6', 'agile-kpi-flow'))); // not set up yet: ignored
    const edited = teamB.snapshot.items[5]!;
    h.jira.site.edit(edited.key, { status: 'Done' });
    h.advance(HOUR + 1);
    h.jira.requests.reset();
    const summary = await h.refresh();
    expect(summary).toMatchObject({ boards: 2, synced: 2, failed: 0, skipped: 0 });
    expect(summary.reports).toBeGreaterThanOrEqual(3);
    expect(changelogIds()).toEqual([String(h.jira.site.idMap.issues[edited.id]!.id)]);

    h.jira.requests.reset();
    const a = ok(await r.loadMetrics({ config: { source: String(boardA), goalSprints: 3 } }, h.context('g-4')));
    const b = ok(await r.loadMetrics({ config: { source: String(boardB) } }, h.context('g-5')));
    expect(h.jira.requests.count()).toBe(0);
    expect(a.stale).toBeUndefined();
    expect(wire(b.report)).toEqual(wire(await h.direct(boardB)));
  });

  it('keeps going when a board fails, and never throws', async () => {
    h.jira.site.setNoPermission([boardB]);
    h.advance(HOUR + 1);
    try {
      const summary = await h.refresh();
      expect(summary).toMatchObject({ boards: 2, synced: 1, failed: 1 });
    } finally {
      h.jira.site.setNoPermission([]);
    }
    const broken = await h.refresh({
      kvs: {
        get: async () => undefined,
        set: async () => undefined,
        delete: async () => undefined,
        query: () => {
          throw new Error('storage is down');
        },
      },
    });
    expect(broken).toMatchObject({ boards: 0, synced: 0 });
  });
});
