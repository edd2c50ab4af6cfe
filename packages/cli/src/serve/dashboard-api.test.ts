import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { memorySource } from '../commands/serve';
import { checkConfig, dashboardApi } from './dashboard-api';
import { startDashboardServer } from './http-server';

const snapshot = parseSnapshot(simulateTeam({ seed: 42 }).snapshot);
const api = () => dashboardApi(memorySource(snapshot, { id: 'demo', name: 'Demo team' }), {}, () => new Date('2025-06-16T12:00:00Z'));

describe('dashboardApi', () => {
  it("binds the store's outcome records in the zone the figures use, then computes the customer outcomes", async () => {
    // Three ratings on 2025-05-10 and one on 2025-06-01, read in the configured zone (Los Angeles): June 1st begins
    // there at 07:00 UTC, so it is June's, and May (the last complete month before 2025-06-16) has 3 ratings,
    // 5 4 2: 2 of 3 are 4-5 -> 0.667. (Bound in the team's Berlin zone first, it would have been 2025-05-31 22:00 UTC,
    // 15:00 in Los Angeles: May's, 4 ratings.)
    const rating = (row: number, date: string, score: number) => ({ id: `import:f:${row}`, kind: 'csat' as const, date, score, source: `survey.csv row ${row}` });
    const source = {
      ...memorySource(snapshot, { id: 'board', name: 'Jira board 1' }),
      outcomes: async () => ({ records: [rating(2, '2025-05-10', 5), rating(3, '2025-05-10', 4), rating(4, '2025-05-10', 2), rating(5, '2025-06-01', 5)], settings: {} }),
    };
    const r = await dashboardApi(source).loadMetrics({ timeZone: 'America/Los_Angeles' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.data.report.team.timeZone).toBe('America/Los_Angeles');
    expect(r.data.report.customerSatisfaction.value).toMatchObject({ month: '2025-05', csat: { share: 0.667, responses: 3 } });
    expect(r.data.report.customerSatisfaction.details.months.map((m) => [m.period, m.csat?.responses])).toEqual([['2025-05', 3], ['2025-06', 1]]);
  });


  it('answers the metrics for a configuration, computed by core with its options', async () => {
    const r = await api().loadMetrics({ velocitySprints: '5' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.report.velocity.value).toEqual(computeMetrics(snapshot, { velocity: { lastN: 5 } }).velocity.value);
    expect(r.data.syncedAt).toBe(snapshot.asOf);
  });

  it('records a verdict and answers the recomputed goal rate', async () => {
    const a = api();
    const before = await a.loadMetrics({});
    if (!before.ok) throw new Error('no metrics');
    const sprint = before.data.report.sprintGoalRate.details.sprints.find((s) => s.rule !== 'verdict' && s.outcome === 'missed')!;
    const after = await a.recordVerdict({ sprintId: sprint.sprintId, outcome: 'met', note: 'the customer accepted it' });
    if (!after.ok) throw new Error(after.error.message);
    const judged = after.data.report.sprintGoalRate.details.sprints.find((s) => s.sprintId === sprint.sprintId)!;
    expect(judged).toMatchObject({ outcome: 'met', rule: 'verdict', verdict: { by: 'agile-kpi serve', at: '2025-06-16T12:00:00.000Z', note: 'the customer accepted it' } });
    expect(after.data.report.sprintGoalRate.value!.met).toBe(before.data.report.sprintGoalRate.value!.met + 1);
  });

  it('keeps a note of up to 2000 characters whole, as the Forge gadget and the Azure DevOps extension do (it was cut at 500)', async () => {
    const a = api();
    const before = await a.loadMetrics({});
    if (!before.ok) throw new Error('no metrics');
    const sprintId = before.data.report.sprintGoalRate.details.sprints[0]!.sprintId;
    const note = `${'a long reason. '.repeat(133)}end`.padEnd(2000, '.');
    expect(note.length).toBe(2000);
    const after = await a.recordVerdict({ sprintId, outcome: 'partly', note });
    if (!after.ok) throw new Error(after.error.message);
    expect(after.data.report.sprintGoalRate.details.sprints.find((s) => s.sprintId === sprintId)!.verdict).toMatchObject({ note });
  });

  it.each([
    [{ sprintId: '', outcome: 'met' }, 'invalid', /sprintId is required/],
    [{ sprintId: 'x', outcome: 'great' }, 'invalid', /a sprint goal verdict is met, partly or missed, got "great"/],
    [{ sprintId: 'x', outcome: 'met', note: 42 }, 'invalid', /a verdict note is text of at most 2000 characters/],
    [{ sprintId: 'x', outcome: 'met', note: 'n'.repeat(2001) }, 'invalid', /a verdict note is text of at most 2000 characters/],
    [{ sprintId: 'nope', outcome: 'met' }, 'not-found', /there is no sprint nope on this board/],
  ])('refuses a bad verdict %j', async (input, kind, message) => {
    const r = await api().recordVerdict(input);
    expect(r).toMatchObject({ ok: false, error: { kind } });
    if (!r.ok) expect(r.error.message).toMatch(message);
  });

  it('checks configuration values with messages that say what is wrong', () => {
    expect(checkConfig({ velocitySprints: '0' })).toMatchObject({ ok: false, error: { message: 'velocitySprints must be a whole number from 1 to 20 (teams usually average the last 3), got "0"' } });
    expect(checkConfig({ goalThreshold: 2 })).toMatchObject({ ok: false, error: { message: 'goalThreshold must be a ratio above 0 and at most 1, such as 0.8 (or a percentage such as 80%), got 2' } });
    expect(checkConfig({ timeZone: 'Mars/Base' })).toMatchObject({ ok: false, error: { message: 'timeZone must be an IANA time zone such as Europe/Berlin or America/New_York, got "Mars/Base"' } });
    expect(checkConfig({ velocitySprints: 4, goalThreshold: '0.7', timeZone: 'Europe/Berlin', view: 'velocity' })).toEqual({ ok: true, data: { velocitySprints: 4, goalThreshold: 0.7, timeZone: 'Europe/Berlin', view: 'velocity' } });
    const a = api();
    expect(a.saveConfig({ staleDays: 30 })).toEqual({ ok: true, data: { staleDays: 30, source: 'demo' } });
    expect(a.getConfig()).toEqual({ ok: true, data: { staleDays: 30, source: 'demo' } });
  });
});

describe('the dashboard server', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startDashboardServer>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agile-kpi-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>agile-kpi</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(tmpdir(), 'agile-kpi-secret.txt'), 'secret');
    server = await startDashboardServer({ api: api(), webRoot: dir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and serves the UI with security headers', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${server.url}/assets/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('never serves files outside the web root', async () => {
    const r = await fetch(`${server.url}/..%2Fagile-kpi-secret.txt`);
    expect(r.status).toBe(404);
  });

  it('answers the JSON API with HostResults and HTTP statuses that match', async () => {
    const m = await fetch(`${server.url}/api/metrics?velocitySprints=2`);
    expect(m.status).toBe(200);
    const body = (await m.json()) as { ok: boolean; data: { report: { velocity: { params: { lastN: number } } } } };
    expect(body.ok).toBe(true);
    expect(body.data.report.velocity.params.lastN).toBe(2);
    const bad = await fetch(`${server.url}/api/config`, { method: 'PUT', body: JSON.stringify({ goalThreshold: 5 }), headers: { 'Content-Type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ ok: false, error: { kind: 'invalid', message: 'goalThreshold must be a ratio above 0 and at most 1, such as 0.8 (or a percentage such as 80%), got 5' } });
    expect((await fetch(`${server.url}/api/nothing`)).status).toBe(404);
    expect(((await (await fetch(`${server.url}/api/sources`)).json()) as { data: unknown }).data).toEqual([{ id: 'demo', name: 'Demo team' }]);
  });
});
