import { bindOutcomes, computeMetrics, type ResponseRecord } from '@agile-kpi/core';
import { loadJiraBoard, mapJiraBoard, syncServiceRatings } from '@agile-kpi/jira';
import type { ScopeStore } from '@agile-kpi/store';
import { simulateTeam } from '@agile-kpi/testkit';
import { harness } from './jira-harness';

/**
 * Satisfaction ratings of Jira Service Management requests, read by the REAL jira.js client from the simulated Jira
 * (service projects SUP and HELP beside the team's software project) through the JQL search: imported as `csat`
 * records, then only what changed, a changed rating replacing its record, odd ratings as warnings.
 */
const team = simulateTeam({ seed: 7 });
let clock = Date.parse('2026-03-10T12:00:00Z');
let h: Awaited<ReturnType<typeof harness>>;
beforeAll(async () => {
  h = await harness([team], {
    now: () => clock,
    pageCaps: { search: 2 },
    serviceProjects: [
      {
        key: 'SUP',
        requests: [
          { rating: 5, ratedAt: '2026-02-02T10:00:00Z' },
          { rating: 4, ratedAt: '2026-02-03T10:00:00Z' },
          { rating: 2, ratedAt: '2026-02-04T10:00:00Z' },
          { rating: null, createdAt: '2026-02-05T10:00:00Z' },
        ],
      },
      { key: 'HELP', requests: [{ rating: 1, ratedAt: '2026-02-06T09:30:00Z' }, { rating: 5, ratedAt: '2026-02-07T10:00:00Z' }] },
    ],
  });
});
afterAll(() => h.close());
beforeEach(() => h.jira.tamper(undefined));

const csat = (scope: ScopeStore) => scope.listOutcomes(['csat']).map((r) => r.body as ResponseRecord & { id: string });

it('imports every rating, then reads only the requests that changed; a rating changed later replaces its record', async () => {
  const scope = h.scope();
  h.jira.requests.reset();
  const first = await syncServiceRatings(h.client(), scope, { projectKeys: ['sup', 'HELP'] });
  // Five rated requests (SUP-4 has no rating): three pages of at most two.
  expect(first).toMatchObject({ mode: 'full', requestsRead: 5, recordsChanged: 5, skipped: 0, warnings: [] });
  expect(h.jira.requests.counts()).toMatchObject({ search: 3, field: 1, myself: 1, project: 2 });
  const records = csat(scope);
  expect(records.map((r) => [r.id, r.score])).toEqual([
    ['jsm:request:HELP-1', 1],
    ['jsm:request:HELP-2', 5],
    ['jsm:request:SUP-1', 5],
    ['jsm:request:SUP-2', 4],
    ['jsm:request:SUP-3', 2],
  ]);
  expect(records[0]).toEqual({ id: 'jsm:request:HELP-1', kind: 'csat', at: expect.any(String), score: 1, source: 'HELP-1', url: `${h.jira.url}/browse/HELP-1` });
  expect(Date.parse(records[0]!.at!)).toBe(Date.parse('2026-02-06T09:30:00Z'));

  // Nothing changed: one search for changes, one listing of the rated keys (to see any that are gone); nothing
  // read, nothing written.
  clock += 3_600_000;
  h.jira.requests.reset();
  const idle = await syncServiceRatings(h.client(), scope, { projectKeys: ['HELP', 'SUP'] });
  expect(idle).toMatchObject({ mode: 'incremental', requestsRead: 0, recordsChanged: 0, recordsRemoved: 0 });
  expect(h.jira.requests.counts()).toMatchObject({ search: 2 });

  // SUP-3 is rated again (2 -> 4) and SUP-4 rated for the first time.
  clock += 3_600_000;
  h.jira.serviceDesk!.rate('SUP-3', 4, clock - 60_000);
  h.jira.serviceDesk!.rate('SUP-4', 3, clock - 30_000);
  h.jira.requests.reset();
  const second = await syncServiceRatings(h.client(), scope, { projectKeys: ['SUP', 'HELP'] });
  expect(second).toMatchObject({ mode: 'incremental', requestsRead: 2, recordsChanged: 2 });
  const search = h.jira.requests.filter('search');
  expect(search).toHaveLength(2);
  expect((search[0]!.body as { jql: string }).jql).toMatch(/^project in \("HELP", "SUP"\) AND cf\[\d+\] is not EMPTY AND updated >= "2026\/03\/10 \d\d:\d\d" ORDER BY updated ASC$/);
  const after = csat(scope);
  expect(after).toHaveLength(6);
  expect(after.find((r) => r.id === 'jsm:request:SUP-3')).toMatchObject({ score: 4 });
  expect(Date.parse(after.find((r) => r.id === 'jsm:request:SUP-3')!.at!)).toBe(clock - 60_000);
  expect(after.find((r) => r.id === 'jsm:request:SUP-4')).toMatchObject({ score: 3 });

  // A full sync reads everything again and changes nothing.
  const full = await syncServiceRatings(h.client(), scope, { projectKeys: ['SUP', 'HELP'], full: true });
  expect(full).toMatchObject({ mode: 'full', requestsRead: 6, recordsChanged: 0 });
});

it('reads odd ratings as warnings naming the request, never a failed sync', async () => {
  const scope = h.scope();
  const field = h.jira.serviceDesk!.fieldIds;
  h.jira.tamper(({ kind, body }) => {
    if (kind !== 'search') return body;
    for (const issue of (body as { issues: { key: string; fields: Record<string, unknown> }[] }).issues) {
      if (issue.key === 'SUP-1') issue.fields[field.satisfaction] = { rating: 7 };
      if (issue.key === 'SUP-2') issue.fields[field.satisfaction] = 'great';
      if (issue.key === 'HELP-1') issue.fields[field.satisfactionDate] = null;
      if (issue.key === 'HELP-2') {
        issue.fields[field.satisfactionDate] = null;
        issue.fields['resolutiondate'] = null;
      }
    }
    return body;
  });
  const result = await syncServiceRatings(h.client(), scope, { projectKeys: ['SUP', 'HELP'] });
  expect(result.requestsRead).toBe(6);
  expect(result.skipped).toBe(3);
  expect(result.warnings.map((w) => [w.code, w.itemKey])).toEqual(
    expect.arrayContaining([
      ['unreadable-rating', 'SUP-1'],
      ['unreadable-rating', 'SUP-2'],
      ['rating-dated-by-resolution', 'HELP-1'],
      ['rating-without-date', 'HELP-2'],
    ]),
  );
  expect(result.warnings.find((w) => w.itemKey === 'SUP-1')!.message).toBe('request SUP-1 left out: its satisfaction rating {"rating":7} is not a whole number from 1 to 5');
  expect(csat(scope).map((r) => r.id)).toEqual(['jsm:request:HELP-1', 'jsm:request:SUP-3', 'jsm:request:SUP-4']);
});

it('says clearly when a project does not exist or is not a service project', async () => {
  await expect(syncServiceRatings(h.client(), h.scope(), { projectKeys: ['NOPE'] })).rejects.toThrow(/project NOPE does not exist at .*check the service project keys/);
  const software = h.jira.boards[0]!.projectKey;
  const r = await syncServiceRatings(h.client(), h.scope(), { projectKeys: [software, 'SUP'] });
  expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'not-a-service-project', message: `project ${software} is a software project, not a service project: it has no satisfaction ratings` }));
  expect(r.requestsRead).toBe(4);
});

it('gives the board CSAT share from these ratings (worked by hand)', async () => {
  const scope = h.scope();
  await h.sync(scope);
  await syncServiceRatings(h.client(), scope, { projectKeys: ['SUP', 'HELP'] });
  const data = await loadJiraBoard(scope, h.jira.url);
  const snapshot = mapJiraBoard(data!, { asOf: new Date(clock).toISOString() });
  const { outcomes, unresolved } = bindOutcomes(snapshot, csat(scope));
  expect(unresolved).toEqual([]);
  const result = computeMetrics(snapshot, {}, outcomes).customerSatisfaction;
  // asOf 2026-03-10: the value is February, the last complete month. Its ratings: HELP-1 1, HELP-2 5, SUP-1 5,
  // SUP-2 4 -> CSAT 3 of 4 = 0.75, mean (1+5+5+4)/4 = 3.75. March so far: SUP-3 4 (re-rated), SUP-4 3 -> 1 of 2 = 0.5,
  // mean 3.5. SUP-3's first rating (2, February) is gone: its record was replaced.
  expect(result.value).toMatchObject({ month: '2026-02', csat: { share: 0.75, mean: 3.75, responses: 4 } });
  expect(result.details!.months.map((m) => [m.period, m.csat?.share, m.csat?.mean, m.csat?.responses])).toEqual([
    ['2026-02', 0.75, 3.75, 4],
    ['2026-03', 0.5, 3.5, 2],
  ]);
  expect(result.warnings.map((w) => w.code)).toContain('few-responses');
});

it('a rating cleared in Jira, or a project no longer named, leaves the store: Jira reports no deletions, so the rated keys are listed', async () => {
  const scope = h.scope();
  const desk = h.jira.serviceDesk!;
  await syncServiceRatings(h.client(), scope, { projectKeys: ['SUP', 'HELP'] });
  const before = csat(scope).map((r) => r.id);
  expect(before).toEqual(expect.arrayContaining(['jsm:request:SUP-1', 'jsm:request:HELP-2']));

  // SUP-1's rating is cleared: nothing about it changes that an "updated >=" search would show as a rating.
  clock += 3_600_000;
  const sup1 = desk.request('SUP-1')!;
  const [rating, ratedMs] = [sup1.rating, sup1.ratedMs];
  desk.rate('SUP-1', null, clock - 60_000);
  h.jira.requests.reset();
  const cleared = await syncServiceRatings(h.client(), scope, { projectKeys: ['SUP', 'HELP'] });
  expect(cleared).toMatchObject({ mode: 'incremental', recordsChanged: 0, recordsRemoved: 1 });
  // The changed requests, then the rated keys: ids and keys only, 5 000 a page.
  const searches = h.jira.requests.filter('search').map((r) => r.body as { jql: string; fields: string[]; maxResults: number });
  expect(searches.at(-1)).toMatchObject({ jql: expect.stringMatching(/^project in \("HELP", "SUP"\) AND cf\[\d+\] is not EMPTY ORDER BY id ASC$/), fields: ['key'], maxResults: 5000 });
  expect(csat(scope).map((r) => r.id)).toEqual(before.filter((id) => id !== 'jsm:request:SUP-1'));

  // HELP is no longer named: a full read of SUP, and HELP's ratings go.
  clock += 3_600_000;
  const supOnly = await syncServiceRatings(h.client(), scope, { projectKeys: ['SUP'] });
  expect(supOnly.mode).toBe('full');
  expect(csat(scope).map((r) => r.id)).toEqual(before.filter((id) => id.startsWith('jsm:request:SUP-') && id !== 'jsm:request:SUP-1'));
  expect(supOnly.recordsRemoved).toBe(before.filter((id) => id.startsWith('jsm:request:HELP-')).length);

  // Nothing gone: the listing removes nothing.
  clock += 3_600_000;
  expect(await syncServiceRatings(h.client(), scope, { projectKeys: ['SUP'] })).toMatchObject({ mode: 'incremental', recordsRemoved: 0 });
  desk.rate('SUP-1', rating, ratedMs ?? undefined);
});
