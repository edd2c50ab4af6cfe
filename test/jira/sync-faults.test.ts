import { JiraError } from '@agile-kpi/jira';
import { simulateTeam } from '@agile-kpi/testkit';
import { differences, harness } from './jira-harness';
import type { Snapshot } from '@agile-kpi/core';

/**
 * Faults on the wire, with the real jira.js client: rate-limit storms and blips are ridden out (waiting as
 * Jira says), a hard failure is a clear error that leaves the store as it was, credentials and board ids are
 * checked with messages that say what to fix. Waits are recorded, not slept.
 */
const team = simulateTeam({ seed: 11 });
let h: Awaited<ReturnType<typeof harness>>;
let clean: Snapshot;

beforeAll(async () => {
  h = await harness([team], { pageCaps: { search: 40, bulkfetch: 200 } });
  const scope = h.scope();
  await h.sync(scope);
  clean = await h.snapshot(scope, team.snapshot.asOf);
});
afterAll(() => h.close());
beforeEach(() => {
  h.jira.setFaults({});
  h.waits.length = 0;
});

it('rides out a 429 storm, waiting exactly as long as Retry-After says, and ends with the same data', async () => {
  h.jira.setFaults({ rateLimit: { every: 3, burst: 2, retryAfterSeconds: 2 } });
  h.jira.requests.reset();
  const scope = h.scope();
  const client = h.client();
  await h.sync(scope, {}, client);
  expect(h.jira.requests.entries.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(4);
  expect(client.stats.rateLimited).toBe(h.jira.requests.entries.filter((r) => r.status === 429).length);
  expect(h.waits.length).toBeGreaterThan(0);
  expect(new Set(h.waits)).toEqual(new Set([2000]));
  expect(differences(await h.snapshot(scope, team.snapshot.asOf), clean)).toEqual([]);
});

it('retries 5xx blips with back-off and finishes', async () => {
  h.jira.setFaults({ serverError: { at: [2, 5], status: 502 }, unavailable: { at: [7], retryAfterSeconds: 1 } });
  const scope = h.scope();
  await h.sync(scope);
  // Back-off from 5 s with jitter 1.0 (random 0.5): 5 s for each blip; 1 s as the 503 asked.
  expect(h.waits.sort()).toEqual([1000, 5000, 5000]);
  expect(differences(await h.snapshot(scope, team.snapshot.asOf), clean)).toEqual([]);
});

it('stops on a hard 500 with a clear error and leaves the store as it was', async () => {
  const scope = h.scope();
  await h.sync(scope);
  const before = JSON.stringify(await h.snapshot(scope));
  const watermark = scope.getState('jira-sync');
  h.jira.site.edit(team.snapshot.items[5]!.key, { summary: 'changed while Jira breaks' });
  h.jira.setFaults({ failFrom: 10 });
  const err = await h.sync(scope).catch((e) => e);
  expect(err).toBeInstanceOf(JiraError);
  expect(err.kind).toBe('server');
  expect(err.message).toMatch(new RegExp(`^Jira at ${h.jira.url.replace(/[.]/g, '\\.')} failed \\(HTTP 500\\) while we tried to `));
  expect(JSON.stringify(await h.snapshot(scope))).toBe(before);
  expect(scope.getState('jira-sync')).toEqual(watermark);
});

it('names the account and the site when the token is wrong', async () => {
  const { JiraClient, jiraJsTransport, syncJiraBoard } = await import('@agile-kpi/jira');
  const client = new JiraClient(jiraJsTransport({ site: h.jira.url, email: 'sm@example.test', apiToken: 'wrong' }), { sleep: async () => {} });
  const err = await syncJiraBoard(client, h.scope(), { boardId: h.jira.boards[0]!.id }).catch((e) => e);
  expect(err.kind).toBe('auth');
  expect(err.message).toBe(
    `the API token was rejected for sm@example.test at ${h.jira.url}: check JIRA_EMAIL and JIRA_API_TOKEN (create a token at https://id.atlassian.com/manage-profile/security/api-tokens)`,
  );
});

it('says when the board does not exist', async () => {
  const err = await h.sync(h.scope(), { boardId: 999 }).catch((e) => e);
  expect(err.kind).toBe('not-found');
  expect(err.message).toMatch(/^could not read board 999 at http:\/\/127\.0\.0\.1:\d+: it does not exist or sim@example\.com cannot see it\./);
});
