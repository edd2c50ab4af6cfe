import { type HostResult, escapeHtml } from '@agile-kpi/presentation';
import { leadSentences } from '@agile-kpi/report';
import { ForgeKvsAPIError } from '@forge/kvs';
import { simulateTeam, snapshotAt } from '@agile-kpi/testkit';
import type { KvsPort, KvsSetOptions } from '../../src/kvs-port';
import { isoWeek, periodOf, sendScheduledReports } from '../../src/report-trigger';
import { type ForgeHarness, HOUR, forgeHarness } from './forge-harness';

/**
 * The Forge app's emailed report: recipients and the issue to notify on are set in a gadget's edit view, and the
 * daily trigger sends the report through Jira's notify API — checked against the simulated Jira, which serves
 * `POST /rest/api/3/issue/{key}/notify` and logs each notification's body.
 */
const DAY = 24 * HOUR;
const ok = <T>(r: HostResult<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.data;
};
interface NotifyBody {
  subject: string;
  textBody: string;
  htmlBody: string;
  to: { users: { accountId: string }[]; groups: { name: string }[]; groupIds: string[]; reporter: boolean; assignee: boolean; watchers: boolean; voters: boolean };
  restrict: { permissions: { key: string }[] };
}

describe('weekly reports of a board, to the users and groups its gadgets list', () => {
  const team = simulateTeam({ seed: 42 });
  let h: ForgeHarness;
  let board: string;
  let lead: string;
  let issueKey: string;

  beforeAll(async () => {
    h = await forgeHarness([team]);
    board = String(h.jira.boards[0]!.id);
    lead = h.jira.site.teams[0]!.accounts[0]!.accountId;
    issueKey = team.snapshot.items[0]!.key;
    const r = h.resolvers();
    // Two gadgets with the same settings: one report to everybody on either list. One without recipients.
    ok(await r.saveConfig({ config: { source: board, reportRecipients: [lead, 'jira-software-users'], reportIssueKey: issueKey.toLowerCase() } }, h.context('g-velocity', 'agile-kpi-velocity')));
    ok(await r.saveConfig({ config: { source: board, reportRecipients: 'team-leads, jira-software-users', reportIssueKey: issueKey } }, h.context('g-flow', 'agile-kpi-flow')));
    ok(await r.saveConfig({ config: { source: board } }, h.context('g-plain', 'agile-kpi-impediments')));
    ok(await r.loadMetrics({ config: { source: board } }, h.context('g-plain')));
  });
  afterAll(() => h.close());

  it('the edit view’s settings are checked: an issue is needed, and must exist', async () => {
    const r = h.resolvers();
    const noIssue = await r.saveConfig({ config: { source: board, reportRecipients: [lead] } }, h.context('g-x'));
    expect(noIssue).toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringMatching(/^reportIssueKey is required with reportRecipients/) } });
    const missing = await r.saveConfig({ config: { source: board, reportRecipients: [lead], reportIssueKey: 'NOPE-1' } }, h.context('g-x'));
    expect(missing).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    expect(ok(await r.getConfig({}, h.context('g-velocity', 'agile-kpi-velocity')))).toMatchObject({ reportRecipients: [lead, 'jira-software-users'], reportIssueKey: issueKey });
  });

  it('sends one notification on the issue, to the configured users and groups, restricted to who may browse it', async () => {
    h.jira.requests.reset();
    const summary = await sendScheduledReports(h.deps());
    expect(summary).toEqual({ subscriptions: 1, sent: 1, skipped: 0, failed: 0 });
    const calls = h.jira.requests.filter('notify');
    expect(calls.map((c) => [c.method, c.path, c.status])).toEqual([['POST', `/rest/api/3/issue/${issueKey}/notify`, 204]]);
    const body = calls[0]!.body as NotifyBody;
    expect(body.to).toEqual({ reporter: false, assignee: false, watchers: false, voters: false, users: [{ accountId: lead }], groups: [{ name: 'jira-software-users' }, { name: 'team-leads' }], groupIds: [] });
    expect(body.restrict).toEqual({ permissions: [{ key: 'BROWSE' }] });
    // The report of the board as the adapter computes it directly: its subject, sentences and links.
    const report = await h.direct(Number(board));
    const closed = report.velocity.details.sprints.filter((s) => s.state === 'closed');
    expect(body.subject).toMatch(new RegExp(`^agile-kpi: ${report.team.name} — velocity ${Math.round(closed.at(-1)!.completed.points * 10) / 10} pts, `));
    for (const s of Object.values(leadSentences(report))) expect(body.textBody).toContain(s.text);
    // The lean notify HTML (@agile-kpi/report/notify): a fragment for Jira's own email, every style inline, no
    // style sheet, no images (the notify API takes no attachments) and nothing loaded from elsewhere.
    expect(body.htmlBody).toMatch(/^<div style="/);
    expect(body.htmlBody).not.toMatch(/<!doctype|<html|<head|<style|class=|<img|cid:|<script|src=/i);
    for (const s of Object.values(leadSentences(report))) expect(body.htmlBody).toContain(escapeHtml(s.text));
    expect(body.htmlBody).toContain(`${h.jira.url}/jira/dashboards/10000?view=velocity`);
    expect(body.htmlBody).toContain(`${report.impedimentResolutionTime.details.open[0]!.url}`);
    expect(h.logs.some((l) => l.level === 'info' && l.text.includes(`reports: sent "${body.subject}" on ${issueKey} to 1 user, group jira-software-users, group team-leads (week:2025-W25)`))).toBe(true);
  });

  it('never sends the same week twice, then shows the change since the last one', async () => {
    h.jira.requests.reset();
    expect(await sendScheduledReports(h.deps())).toMatchObject({ sent: 0, skipped: 1 });
    h.advance(3 * DAY);
    expect(await sendScheduledReports(h.deps())).toMatchObject({ sent: 0, skipped: 1 });
    expect(h.jira.requests.count('notify')).toBe(0);
    h.advance(4 * DAY);
    expect(await sendScheduledReports(h.deps())).toMatchObject({ sent: 1 });
    const body = h.jira.requests.filter('notify')[0]!.body as NotifyBody;
    expect(body.textBody).toContain('Changes since the report of 2025-06-16.');
    expect(body.textBody).toMatch(/\] Velocity: .* — unchanged\n/);
  });

  it('a failed notify is retried by the next run, not lost; two runs at once send once', async () => {
    h.advance(7 * DAY);
    const failing = h.deps({
      requestJira: async (path, init) => (path.endsWith('/notify') ? new Response(JSON.stringify({ errorMessages: ['Internal server error'] }), { status: 500 }) : h.requestJira(path, init)),
    });
    expect(await sendScheduledReports(failing)).toMatchObject({ sent: 0, failed: 1 });
    expect(h.logs.at(-2)!.text).toMatch(/reports: board \d+ on SIM-\d+ failed: server: .*; tomorrow's run tries again$/);
    h.jira.requests.reset();
    const [a, b] = await Promise.all([sendScheduledReports(h.deps()), sendScheduledReports(h.deps())]);
    expect(a.sent + b.sent).toBe(1);
    expect(h.jira.requests.count('notify')).toBe(1);
  });

  it('a claim that Forge refuses with 409 is another run’s, whatever code the error carries', async () => {
    h.advance(7 * DAY);
    // @forge/kvs's own error: the HTTP status in responseDetails.status, the store's code beside it (a 409 whose
    // body is not a Forge error arrives as UNKNOWN_ERROR).
    const conflict = new ForgeKvsAPIError({ status: 409, statusText: 'Conflict', traceId: 't', httpMethod: 'POST', httpPath: '/api/v1/set', responseBodyLength: 0 }, { code: 'UNKNOWN_ERROR', message: 'Unexpected error in Forge KVS API' });
    const set = (key: string, value: unknown, options?: KvsSetOptions) => (key.includes(':claim:') ? Promise.reject(conflict) : h.kvs.set(key, value, options));
    const kvs = new Proxy(h.kvs, {
      get: (target, prop) => {
        if (prop === 'set') return set;
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as KvsPort;
    h.jira.requests.reset();
    expect(await sendScheduledReports(h.deps({ kvs }))).toMatchObject({ sent: 0, skipped: 1, failed: 0 });
    expect(h.jira.requests.count('notify')).toBe(0);
    expect(h.logs.some((l) => l.text.includes('report is being sent by another run'))).toBe(true);
  });
});

describe('after each sprint', () => {
  it('sends once per closed sprint, on the first run after it closed', async () => {
    const full = simulateTeam({ seed: 9, sprints: 6 });
    const sprint = full.snapshot.sprints[3]!;
    // The site as it was a day after sprint 4 closed.
    const cut = snapshotAt(full, Date.parse(sprint.closedAt!) + DAY);
    const h = await forgeHarness([cut]);
    try {
      const board = String(h.jira.boards[0]!.id);
      const key = cut.snapshot.items[0]!.key;
      const r = h.resolvers();
      ok(await r.saveConfig({ config: { source: board, reportRecipients: ['team-leads'], reportIssueKey: key, reportCadence: 'sprint' } }, h.context('g-1')));
      ok(await r.loadMetrics({ config: { source: board } }, h.context('g-1')));
      expect(await sendScheduledReports(h.deps())).toMatchObject({ sent: 1 });
      const body = h.jira.requests.filter('notify')[0]!.body as NotifyBody;
      expect(body.textBody).toContain(`in ${sprint.name}, `);
      h.advance(DAY);
      expect(await sendScheduledReports(h.deps())).toMatchObject({ sent: 0, skipped: 1 });
      expect(h.jira.requests.count('notify')).toBe(1);
    } finally {
      await h.close();
    }
  });

  it('periods: the ISO week in the team’s zone; a sprint only within 7 days of its close', () => {
    // Sunday 23:30 UTC is already Monday in Berlin: a new week there.
    expect(isoWeek(Date.parse('2025-06-15T22:30:00Z'), 'Europe/Berlin')).toBe('2025-W25');
    expect(isoWeek(Date.parse('2025-06-15T22:30:00Z'), 'UTC')).toBe('2025-W24');
    expect(isoWeek(Date.parse('2026-01-01T12:00:00Z'), 'UTC')).toBe('2026-W01');
    expect(isoWeek(Date.parse('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
    const report = { team: { timeZone: 'UTC' }, velocity: { details: { sprints: [{ sprintId: 's1', state: 'closed', endAt: '2025-06-01T10:00:00Z' }] } } } as never;
    expect(periodOf('sprint', report, Date.parse('2025-06-02T10:00:00Z'))).toBe('sprint:s1');
    expect(periodOf('sprint', report, Date.parse('2025-06-09T10:00:01Z'))).toBeUndefined();
  });
});
