import { z } from 'zod';
import { JiraClient, retryAfterMs } from './jira-client';
import { JiraError } from './jira-error';
import { type JiraRequest, type JiraResponse, type JiraTransport, TransportFailure } from './transport';

/** A scripted transport: answers in order, records what it was asked. */
function scripted(answers: (JiraResponse | Error)[]): JiraTransport & { calls: JiraRequest[] } {
  const calls: JiraRequest[] = [];
  return {
    site: 'https://acme.atlassian.net',
    principal: 'sm@acme.test',
    calls,
    async send(r) {
      calls.push(r);
      const a = answers.shift();
      if (!a) throw new Error('no more scripted answers');
      if (a instanceof Error) throw a;
      return a;
    },
  };
}
const ok = (body: unknown = { ok: true }): JiraResponse => ({ status: 200, headers: {}, body });
const status = (s: number, headers: Record<string, string> = {}, body: unknown = { errorMessages: [`HTTP ${s}`], errors: {} }): JiraResponse => ({ status: s, headers, body });

function client(t: JiraTransport) {
  const waits: number[] = [];
  const c = new JiraClient(t, { sleep: async (ms) => void waits.push(ms), random: () => 0.5, retry: { baseDelayMs: 1000, maxDelayMs: 8000 } });
  return { c, waits };
}
const schema = z.looseObject({ ok: z.boolean() });

describe('JiraClient', () => {
  it('waits exactly as long as Retry-After says on 429, then succeeds', async () => {
    const t = scripted([status(429, { 'retry-after': '7' }), status(429, { 'retry-after': '3' }), ok()]);
    const { c, waits } = client(t);
    await expect(c.get('/x', undefined, 'read x', schema)).resolves.toMatchObject({ body: { ok: true } });
    expect(waits).toEqual([7000, 3000]);
    expect(c.stats).toMatchObject({ requests: 3, rateLimited: 2, waitedMs: 10000 });
  });

  it('honours Retry-After on 503 too', async () => {
    const { c, waits } = client(scripted([status(503, { 'retry-after': '2' }), ok()]));
    await c.get('/x', undefined, 'read x', schema);
    expect(waits).toEqual([2000]);
  });

  it('backs off exponentially (with jitter) on 5xx blips and network failures, within bounds', async () => {
    // random() = 0.5 -> jitter factor 1.0: 1 s, 2 s, 4 s.
    const t = scripted([status(502), new TransportFailure('socket hang up', 'network'), status(500), ok()]);
    const { c, waits } = client(t);
    await c.get('/x', undefined, 'read x', schema);
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(t.calls).toHaveLength(4);
  });

  it('gives up after the retry budget with a classified, actionable error', async () => {
    const { c } = client(scripted([status(500), status(500), status(500), status(500)]));
    const err = await c.get('/rest/api/3/search/jql', undefined, 'search the board issues', schema).catch((e) => e);
    expect(err).toBeInstanceOf(JiraError);
    expect(err.kind).toBe('server');
    expect(err.message).toBe('Jira at https://acme.atlassian.net failed (HTTP 500) while we tried to search the board issues; try again later. Jira said: HTTP 500');
  });

  it('names the principal and the site when the token is rejected, without retrying', async () => {
    const t = scripted([status(401, {}, 'Client must be authenticated to access this resource.')]);
    const { c } = client(t);
    const err = await c.get('/x', undefined, 'read x', schema).catch((e) => e);
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/^the API token was rejected for sm@acme.test at https:\/\/acme.atlassian.net/);
    expect(t.calls).toHaveLength(1);
  });

  it('classifies 403, 404 and 400 with what Jira said', async () => {
    const kinds = [];
    for (const s of [403, 404, 400]) {
      const { c } = client(scripted([status(s, {}, { errorMessages: ['Board does not exist or you do not have permission to see it.'], errors: {} })]));
      const err = (await c.get('/rest/agile/1.0/board/9', undefined, 'read board 9', schema).catch((e) => e)) as JiraError;
      kinds.push([err.kind, err.message.includes('Board does not exist')]);
    }
    expect(kinds).toEqual([
      ['forbidden', true],
      ['not-found', true],
      ['bad-request', true],
    ]);
  });

  it('refuses to wait longer than the ceiling and says how long Jira asked', async () => {
    // A burst limit's 429 (a wait to the next hour without a reason is the hourly quota: test/forge/rate-limit.test.ts).
    const { c } = client(scripted([status(429, { 'retry-after': '3600', 'ratelimit-reason': 'jira-burst-based' })]));
    const err = await c.get('/x', undefined, 'read x', schema).catch((e) => e);
    expect(err.kind).toBe('rate-limited');
    expect(err.message).toMatch(/Jira asked us to wait 3600 s\.$/);
  });

  it('reports an unexpected shape, naming the field', async () => {
    const { c } = client(scripted([ok({ ok: 'yes' })]));
    const err = await c.get('/x', undefined, 'read x', schema).catch((e) => e);
    expect(err.kind).toBe('unexpected-shape');
    expect(err.message).toMatch(/answered "read x" with an unexpected shape \(ok: /);
  });

  it('times out a request that never answers, and retries it', async () => {
    let n = 0;
    const t: JiraTransport = {
      site: 's',
      principal: 'p',
      send: () => (n++ === 0 ? new Promise<JiraResponse>(() => {}) : Promise.resolve(ok())),
    };
    const c = new JiraClient(t, { timeoutMs: 20, sleep: async () => {}, random: () => 0.5 });
    await expect(c.get('/x', undefined, 'read x', schema)).resolves.toBeDefined();
    expect(n).toBe(2);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const t: JiraTransport = {
      site: 's',
      principal: 'p',
      async send() {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return ok();
      },
    };
    const c = new JiraClient(t, { concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => c.get('/x', undefined, 'read x', schema)));
    expect(peak).toBe(3);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs({ 'retry-after': '5' }, 0)).toBe(5000);
    expect(retryAfterMs({ 'retry-after': 'Wed, 21 Oct 2015 07:28:10 GMT' }, Date.parse('2015-10-21T07:28:00Z'))).toBe(10000);
    expect(retryAfterMs({}, 0)).toBeUndefined();
  });
});
