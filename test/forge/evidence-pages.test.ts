import { type DashboardConfig, EVIDENCE_PAGE_SIZE, type HostResult, type MetricsPayload, VIEW_KPI, type ViewName, kpiHeadlines, listAt } from '@agile-kpi/presentation';
import { simulateTeam } from '@agile-kpi/testkit';
import { packAnswer } from '../../src/packed-answer';
import { type ForgeHarness, forgeHarness, wire, withAllPages } from './forge-harness';

/**
 * A gadget's answer carries its KPI with the first page of each long evidence list; the `evidence` resolver pages
 * in the rest from the cached report's chunks. On a generated board large enough that every view has lists of
 * several pages: each answer is small, every list in it at most a page, the pages joined are the evidence computed
 * directly, and a token that is not one of ours, of another KPI, past the end or of an older computation is refused
 * with a message.
 */
// 24 sprints of 60 items: about 2 400 issues, release evidence lists of about 2 000 entries (10 pages).
const team = simulateTeam({ seed: 31, sprints: 24, itemsPerSprint: 60 });
let h: ForgeHarness;
let config: DashboardConfig;

beforeAll(async () => {
  h = await forgeHarness([team]);
  config = { source: String(h.jira.boards[0]!.id) };
  ok(await h.resolvers().saveConfig({ config }, h.context('g-sync')));
  expect(await h.refresh()).toMatchObject({ synced: 1, failed: 0 });
}, 120_000);
afterAll(() => h.close());

const ok = <T>(r: HostResult<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.data;
};

it('every view: an answer of first pages, and its pages joined are the evidence computed directly', async () => {
  const direct = wire(await h.direct(Number(config.source)));
  let paged = 0;
  for (const [view, kpi] of Object.entries(VIEW_KPI) as [ViewName, (typeof VIEW_KPI)[keyof typeof VIEW_KPI]][]) {
    const ctx = h.context(`g-${view}`);
    const payload = ok(await h.resolvers().loadMetrics({ config: { ...config, view } }, ctx));
    const lists = payload.evidencePages?.[kpi] ?? [];
    for (const l of lists) {
      expect([view, l.path, listAt(payload.report[kpi], l.path).length]).toEqual([view, l.path, EVIDENCE_PAGE_SIZE]);
      expect(l.total).toBe(listAt(direct[kpi], l.path).length);
    }
    paged += lists.length;
    // The headline's "why" reads the evidence: the answer brings the sentence of the whole report.
    if (lists.length) expect([view, payload.headlines?.[kpi]]).toEqual([view, kpiHeadlines(direct)[kpi]]);
    // As it travels (packed as src/index.ts packs it): far under Forge's 5 MB, and under the 1 MB of issue #13.
    const travelled = JSON.stringify(packAnswer({ ok: true, data: payload })).length;
    expect(travelled).toBeLessThan(1024 * 1024);
    const whole = await withAllPages(h.resolvers(), { ...config, view }, ctx, payload);
    expect([view, wire(whole.report[kpi])]).toEqual([view, direct[kpi]]);
  }
  expect(paged).toBeGreaterThan(5);
});

it('a page is read from one stored chunk, not from the whole KPI', async () => {
  const view = 'releasePredictability';
  const payload = ok(await h.resolvers().loadMetrics({ config: { ...config, view } }, h.context('g-r')));
  const list = payload.evidencePages!.releasePredictability!.find((l) => l.total > 3 * EVIDENCE_PAGE_SIZE)!;
  h.kvs.resetCalls();
  const page = ok(await h.resolvers().evidence({ config: { ...config, view }, kpi: 'releasePredictability', page: list.next }, h.context('g-r')));
  expect(page).toMatchObject({ kpi: 'releasePredictability', path: list.path, offset: EVIDENCE_PAGE_SIZE, total: list.total });
  expect(page.entries).toHaveLength(EVIDENCE_PAGE_SIZE);
  expect(page.next).toMatch(/^ev1\./);
  // The board's check (none here), the site, and the chunk: one read of the report's keys.
  expect(h.kvs.written).toEqual([]);
  expect(h.kvs.usage.readBytes).toBeLessThan(JSON.stringify(payload.report.releasePredictability).length);
});

it('refuses a bad, foreign, past-the-end or outdated page token with a message', async () => {
  const view = 'velocity';
  const cfg = { ...config, view };
  const ctx = h.context('g-v');
  const payload: MetricsPayload = ok(await h.resolvers().loadMetrics({ config: cfg }, ctx));
  const list = payload.evidencePages!.velocity![0]!;
  const ask = (kpi: unknown, page: unknown) => h.resolvers().evidence({ config: cfg, kpi, page }, ctx);
  expect(await ask('velocity', 'garbage')).toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringMatching(/not a page token/) } });
  expect(await ask('flow', list.next)).toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringMatching(/for velocity, not flow/) } });
  expect(await ask('velocity', undefined)).toMatchObject({ ok: false, error: { kind: 'invalid' } });
  const last = Math.ceil(list.total / EVIDENCE_PAGE_SIZE) * EVIDENCE_PAGE_SIZE;
  const beyond = list.next.replace(/\.\d+$/, `.${last}`);
  expect(await ask('velocity', beyond)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/entries|reload/) } });
  expect(await ask('velocity', list.next.replace(/\.(\d+)\.(\d+)$/, '.999.$2'))).toMatchObject({ ok: false, error: { kind: 'not-found' } });

  // A goal verdict makes the metrics computed again: the old token is refused, the new one answers.
  const closed = payload.report.velocity.details.sprints.find((s) => s.state === 'closed')!;
  ok(await h.resolvers().recordVerdict({ config: cfg, sprintId: closed.sprintId, verdict: { outcome: 'met' } }, ctx));
  const stale = await ask('velocity', list.next);
  expect(stale).toMatchObject({ ok: false, error: { kind: 'not-found', message: expect.stringMatching(/computed before .*reload the gadget/) } });
  const fresh = ok(await h.resolvers().loadMetrics({ config: cfg }, ctx));
  expect(ok(await ask('velocity', fresh.evidencePages!.velocity![0]!.next)).entries.length).toBeGreaterThan(0);
});
