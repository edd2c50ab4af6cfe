import { JiraClient, JiraError, forgeTransport } from '@agile-kpi/jira';
import { simulateTeam } from '@agile-kpi/testkit';
import { type ForgeHarness, HOUR, forgeHarness } from './forge-harness';

/**
 * Jira's hourly rate limit (the points-based quota per hour: a 429 whose Retry-After lasts to the next full hour,
 * https://developer.atlassian.com/cloud/jira/platform/rate-limiting/) against the simulated Jira, which answers
 * 429 with Retry-After, X-RateLimit-Reset and RateLimit-Reason. When the wait outlasts what the caller can wait
 * (the CLI's 5 minutes, a Forge resolver's deadline), nothing is slept: the caller learns at once when it resets.
 */
const team = simulateTeam({ seed: 3, sprints: 4, itemsPerSprint: 8 });
let h: ForgeHarness;
beforeAll(async () => {
  h = await forgeHarness([team]);
});
afterAll(() => h.close());
afterEach(() => h.jira.setFaults({}));

/** A Jira client on a fixed clock, recording its waits instead of sleeping (the CLI's: no deadline). */
function client(now: number, waits: number[]): JiraClient {
  const sleep = Object.assign(async (ms: number) => void waits.push(ms), { now: () => now });
  return new JiraClient(forgeTransport(h.requestJira, h.jira.url), { sleep, random: () => 0.5 });
}
const readMyself = (c: JiraClient) => c.request({ method: 'GET', path: '/rest/api/3/myself' }, 'read the API user');

describe('the Jira client (the CLI: waits up to 5 minutes)', () => {
  it('fails at once when the hourly quota is used up until the next hour: no wait, no retry, the reset time', async () => {
    const now = Date.parse('2025-06-16T13:20:00Z');
    h.jira.setFaults({ rateLimit: { at: [1], burst: 100, retryAfterSeconds: 40 * 60 } });
    h.jira.requests.reset();
    const waits: number[] = [];
    const err = await readMyself(client(now, waits)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(JiraError);
    expect(err).toMatchObject({ kind: 'rate-limited', details: { status: 429, resetAt: '2025-06-16T14:00:00.000Z' } });
    expect((err as Error).message).toMatch(/^Jira's hourly rate limit for .* is used up \(jira-quota-tenant-based\); it resets at 14:00 UTC, in 40 min: we did not read the API user, try again after that\.$/);
    expect(waits).toEqual([]);
    expect(h.jira.requests.count()).toBe(1);
  });

  it('waits a quota out when it resets within what the caller can wait', async () => {
    const now = Date.parse('2025-06-16T13:58:00Z');
    h.jira.setFaults({ rateLimit: { at: [1], burst: 1, retryAfterSeconds: 120 } });
    const waits: number[] = [];
    const response = await readMyself(client(now, waits));
    expect(response.status).toBe(200);
    expect(waits).toEqual([120_000]);
  });

  it('a long wait that ends before the next hour is not the hourly quota: the usual rate-limit error', async () => {
    const now = Date.parse('2025-06-16T13:20:00Z');
    h.jira.setFaults({ rateLimit: { at: [1], burst: 100, retryAfterSeconds: 400 } });
    const waits: number[] = [];
    const err = (await readMyself(client(now, waits)).catch((e: unknown) => e)) as JiraError;
    expect(err.kind).toBe('rate-limited');
    expect(err.details.resetAt).toBeUndefined();
    expect(err.message).toMatch(/kept rate-limiting us .* Jira asked us to wait 400 s\.$/);
    expect(waits).toEqual([]);
  });
});

describe('the Forge app (a resolver has 25 s)', () => {
  it('a gadget whose board was never synced says when the hourly limit resets, at once, though it resets within minutes', async () => {
    // Two minutes before the hour: less than the CLI would wait, more than the resolver's deadline allows.
    const nextHour = Math.floor(h.now() / HOUR) * HOUR + HOUR;
    h.advance(nextHour - h.now() - 120_000);
    const seconds = Math.ceil((nextHour - h.now()) / 1000);
    h.jira.setFaults({ rateLimit: { at: [1], burst: 1000, retryAfterSeconds: seconds } });
    h.jira.requests.reset();
    h.waits.length = 0;
    const started = h.now();
    const answer = await h.resolvers().loadMetrics({ config: { source: String(h.jira.boards[0]!.id) } }, h.context('g-1'));
    const hhmm = new Date(nextHour).toISOString().slice(11, 16);
    expect(answer).toEqual({ ok: false, error: { kind: 'rate-limited', message: `Jira's hourly rate limit for the agile-kpi app is used up; it resets at ${hhmm} UTC, and the metrics load again after that.` } });
    expect(h.waits).toEqual([]);
    expect(h.now()).toBe(started);
    expect(h.jira.requests.entries.filter((e) => e.status === 429).length).toBeLessThanOrEqual(4);
    expect(h.logs.some((l) => l.level === 'warn' && l.text.includes("Jira's hourly rate limit"))).toBe(true);
  });
});
