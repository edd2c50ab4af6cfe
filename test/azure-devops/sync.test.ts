import type { Snapshot } from '@agile-kpi/core';
import { AdoClient, AdoError, defaultTeamOf, nodeApiTransport, syncAdoTeam } from '@agile-kpi/azure-devops';
import { simulateTeam } from '@agile-kpi/testkit';
import { differences } from '../jira/jira-harness';
import { adoHarness } from './ado-harness';

/**
 * The Azure DevOps sync on the wire with the real client: throttling (429, and 200s that carry Retry-After)
 * ridden out as asked, blips retried, a hard failure leaving the store as it was, clear errors for a wrong PAT
 * or team; incremental syncs that read only what changed and end where a full sync ends; WIQL windows under
 * the 20 000 cap; resuming an interrupted sync.
 */
const team = simulateTeam({ seed: 21, sprintCalendar: 'dates' });
let h: Awaited<ReturnType<typeof adoHarness>>;
let clean: Snapshot;
beforeAll(async () => {
  h = await adoHarness([team], { process: 'scrum', pageCaps: { reportingRevisions: 150 } });
  const scope = h.scope();
  await h.sync(scope);
  clean = await h.snapshot(scope, team.snapshot.asOf);
});
afterAll(() => h.close());
beforeEach(() => {
  h.ado.setFaults({});
  h.waits.length = 0;
});

it('rides out throttling: 429s and delayed 200s, waiting as long as Azure DevOps says', async () => {
  h.ado.setFaults({ rateLimit: { kinds: ['reportingRevisions'], every: 2, burst: 1, retryAfterSeconds: 3 }, delayed: { kinds: ['workitemsbatch'], at: [1], retryAfterSeconds: 2 } });
  const scope = h.scope();
  const client = h.client();
  await h.sync(scope, {}, client);
  expect(client.stats.rateLimited).toBeGreaterThan(0);
  expect(h.waits.filter((w) => w === 3000).length).toBe(client.stats.rateLimited);
  expect(h.waits).toContain(2000);
  expect(differences(await h.snapshot(scope, team.snapshot.asOf), clean)).toEqual([]);
});

it('retries blips and stops on a hard failure with the store as it was', async () => {
  h.ado.setFaults({ serverError: { kinds: ['workitemsbatch'], at: [1], status: 500 } });
  const scope = h.scope();
  await h.sync(scope);
  expect(h.waits).toEqual([5000]);
  const before = JSON.stringify(await h.snapshot(scope));
  const token = scope.getState('ado-sync');
  h.ado.site.edit(h.ado.site.idMap.workItems[team.snapshot.items[3]!.id]!, { title: 'changed while the service breaks' });
  h.ado.setFaults({ failFrom: 4 });
  const err = await h.sync(scope).catch((e) => e);
  expect(err).toBeInstanceOf(AdoError);
  expect(err.kind).toBe('server');
  expect(err.message).toMatch(/^Azure DevOps at http:\/\/127\.0\.0\.1:\d+\/simorg failed \(HTTP 500\) while we tried to /);
  expect(JSON.stringify(await h.snapshot(scope))).toBe(before);
  expect(scope.getState('ado-sync')).toEqual(token);
});

it('names what to fix for a wrong PAT and an unknown team', async () => {
  const wrong = new AdoClient(nodeApiTransport({ orgUrl: h.ado.url, pat: 'wrong' }), { sleep: async () => {} });
  const auth = await syncAdoTeam(wrong, h.scope(), { project: 'SIM', team: 'SIM Team' }).catch((e) => e);
  expect(auth.kind).toBe('auth');
  expect(auth.message).toBe(`the personal access token was rejected by ${h.ado.url}: check AZURE_DEVOPS_PAT (it needs the "Work Items (Read)" scope and must not be expired)`);
  const missing = await h.sync(h.scope(), { team: 'No Such Team' }).catch((e) => e);
  expect(missing.kind).toBe('not-found');
  expect(missing.message).toMatch(/check the project and team names/);
});

it('reads only what changed since the last sync, and ends where a full sync ends', async () => {
  const scope = h.scope();
  await h.sync(scope);
  const ids = h.ado.site.idMap.workItems;
  const items = team.snapshot.items.filter((i) => i.type.kind === 'story');
  h.ado.site.edit(ids[items[0]!.id]!, { state: 'Done' });
  h.ado.site.edit(ids[items[1]!.id]!, { estimate: 13, tags: ['sprint-goal'] });
  h.ado.site.edit(ids[items[2]!.id]!, { blocked: true });
  h.ado.site.createWorkItem({ project: 'SIM', title: 'A new bug', type: 'Bug', estimate: 2, area: 'SIM\\SIM Team' });
  h.ado.site.deleteWorkItem(ids[items[3]!.id]!);
  h.ado.requests.reset();
  const second = await h.sync(scope);
  expect(second).toMatchObject({ mode: 'incremental', revisionsRead: 4, itemsChanged: 4, itemsDeleted: 1, backfilled: 0 });
  expect(h.ado.requests.count('revisions')).toBe(0);
  const fresh = h.scope();
  await h.sync(fresh, { full: true });
  expect(differences(await h.snapshot(scope, team.snapshot.asOf), await h.snapshot(fresh, team.snapshot.asOf))).toEqual([]);
});

it('backfills the history of an item that moved into the team from elsewhere', async () => {
  const scope = h.scope();
  const item = team.snapshot.items.find((i) => i.type.kind === 'story')!;
  const id = h.ado.site.idMap.workItems[item.id]!;
  h.ado.site.edit(id, { area: 'SIM' });
  await h.sync(scope);
  h.ado.site.edit(id, { area: 'SIM\\SIM Team' });
  const r = await h.sync(scope);
  // Its older revisions came through the feed while it belonged to another area, and were not kept.
  expect(r.backfilled).toBe(1);
  const fresh = h.scope();
  await h.sync(fresh);
  expect(differences(await h.snapshot(scope, team.snapshot.asOf), await h.snapshot(fresh, team.snapshot.asOf))).toEqual([]);
});

it('reads the ids in WIQL windows under the cap', async () => {
  h.ado.configure({ wiqlLimit: 60 });
  try {
    h.ado.requests.reset();
    const scope = h.scope();
    const r = await h.sync(scope, { wiqlWindow: 50 });
    const wiql = h.ado.requests.filter('wiql');
    expect(wiql).toHaveLength(Math.floor(r.items / 50) + 1);
    expect(wiql.every((q) => Number(q.query['$top']) === 50)).toBe(true);
    h.ado.configure({ wiqlLimit: 20_000 });
    const whole = h.scope();
    await h.sync(whole);
    expect(differences(await h.snapshot(scope, team.snapshot.asOf), await h.snapshot(whole, team.snapshot.asOf))).toEqual([]);
  } finally {
    h.ado.configure({ wiqlLimit: 20_000 });
  }
});

it('resumes a sync that failed halfway, reusing what it had staged', async () => {
  h.ado.requests.reset();
  await h.sync(h.scope());
  const full = h.ado.requests.count();
  const scope = h.scope();
  h.ado.setFaults({ failFrom: Math.floor(full * 0.8) });
  await expect(h.sync(scope, {}, h.client({ retry: { failureRetries: 0 } }))).rejects.toMatchObject({ kind: 'server' });
  expect(scope.getState('ado-sync')).toBeUndefined();
  h.ado.setFaults({});
  await h.sync(scope);
  const fresh = h.scope();
  await h.sync(fresh);
  expect(differences(await h.snapshot(scope, team.snapshot.asOf), await h.snapshot(fresh, team.snapshot.asOf))).toEqual([]);
});

it("finds the project's default team without a team name (team settings read without one), and syncs it by its id", async () => {
  const id = await defaultTeamOf(h.client(), 'SIM');
  expect(id).toBe(h.ado.site.idMap.projects['SIM']!.team.id);
  const scope = h.scope();
  await h.sync(scope, { team: id });
  const byId = await h.snapshot(scope, team.snapshot.asOf);
  // Against the team synced by its name now (earlier tests in this file edit the organisation).
  const named = h.scope();
  await h.sync(named);
  const byName = await h.snapshot(named, team.snapshot.asOf);
  // The same items and sprints; only what names the team (its id here) differs.
  expect(differences(byId, byName)).toEqual(['team differ', 'sprints differ', 'source differ']);
  const withoutUrl = (s: Snapshot) => s.sprints.map(({ url: _url, ...rest }) => rest);
  expect(withoutUrl(byId)).toEqual(withoutUrl(byName));
  expect(h.ado.requests.entries.some((r) => r.path === '/SIM/_apis/work/teamsettings')).toBe(true);
});
