import { parseInstant } from '@agile-kpi/core';
import type { SimulatedTeam } from '../ground-truth';
import { simulateTeam } from '../simulate-team';
import { startSimulatedJira } from './server';
import type { SimulatedJira } from './server';

interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

function client(jira: SimulatedJira, token = jira.apiToken) {
  const authorization = `Basic ${Buffer.from(`${jira.email}:${token}`).toString('base64')}`;
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization }): Promise<Reply> => {
    const r = await fetch(`${jira.url}${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: r.status, headers: r.headers, body: parsed, text };
  };
  return {
    get: (path: string, headers?: Record<string, string>) => send('GET', path, undefined, headers),
    post: (path: string, body: unknown) => send('POST', path, body),
  };
}

const q = (params: Record<string, string | number>): string =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

/** "yyyy/MM/dd HH:mm" of an instant in a zone, computed independently of the server (Intl). */
function jqlMinute(ms: number, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}/${parts.month}/${parts.day} ${parts.hour}:${parts.minute}`;
}

const team: SimulatedTeam = simulateTeam({ seed: 11, sprints: 8, itemsPerSprint: 8 });
let jira: SimulatedJira;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  jira = await startSimulatedJira({ teams: [team], email: 'bot@example.com', apiToken: 'secret-token' });
  api = client(jira);
});
afterAll(() => jira.close());
beforeEach(() => jira.requests.reset());

async function searchAll(jql: string, maxResults: number, extra: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET'): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let token: string | undefined;
  let pages = 0;
  for (;;) {
    const r =
      method === 'GET'
        ? await api.get(`/rest/api/3/search/jql?${q({ jql, maxResults, ...extra, ...(token ? { nextPageToken: token } : {}) })}`)
        : await api.post('/rest/api/3/search/jql', { jql, maxResults, fields: ['key'], ...(token ? { nextPageToken: token } : {}) });
    expect(r.status).toBe(200);
    expect(r.body).not.toHaveProperty('total');
    pages++;
    keys.push(...r.body.issues.map((i: any) => i.key));
    if (r.body.isLast) {
      expect(r.body.nextPageToken).toBeUndefined();
      return { keys, pages };
    }
    expect(r.body.issues.length).toBeGreaterThan(0);
    token = r.body.nextPageToken;
  }
}

describe('simulated Jira: basics', () => {
  it('answers myself, serverInfo, fields, statuses and issue types', async () => {
    const me = await api.get('/rest/api/3/myself');
    expect(me.status).toBe(200);
    expect(me.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(me.headers.get('x-arequestid')).toBeTruthy();
    expect(me.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(me.body).toMatchObject({ emailAddress: 'bot@example.com', timeZone: 'Europe/Berlin', active: true, accountId: expect.any(String) });
    const info = await api.get('/rest/api/3/serverInfo');
    expect(info.body).toMatchObject({ baseUrl: jira.url, deploymentType: 'Cloud' });
    const fields = await api.get('/rest/api/3/field');
    expect(fields.body.find((x: any) => x.id === jira.site.idMap.fields.sprint).schema.custom).toBe('com.pyxis.greenhopper.jira:gh-sprint');
    const statuses = await api.get('/rest/api/3/status');
    expect(statuses.body.map((s: any) => [s.name, s.statusCategory.key])).toEqual(
      expect.arrayContaining([['To Do', 'new'], ['In Progress', 'indeterminate'], ['Done', 'done']]),
    );
    const types = await api.get('/rest/api/3/issuetype');
    expect(types.body.find((t: any) => t.name === 'Sub-task')).toMatchObject({ subtask: true, hierarchyLevel: -1 });
  });

  it('rejects a missing or wrong token with 401 and the real plain-text body', async () => {
    for (const r of [await api.get('/rest/api/3/myself', {}), await client(jira, 'wrong').get('/rest/agile/1.0/board')]) {
      expect(r.status).toBe(401);
      expect(r.text).toBe('Client must be authenticated to access this resource.');
      expect(r.headers.get('www-authenticate')).toMatch(/^OAuth realm=/);
    }
    expect(jira.requests.entries.map((e) => e.status)).toEqual([401, 401]);
  });

  it('lists boards with offset paging, and 404s an unknown board with Jira\'s body', async () => {
    const boards = await api.get('/rest/agile/1.0/board?startAt=0&maxResults=10');
    expect(boards.body).toMatchObject({ startAt: 0, maxResults: 10, total: 1, isLast: true });
    expect(boards.body.values[0]).toMatchObject({ id: 1, type: 'scrum', location: { projectKey: 'SIM', projectId: Number(jira.site.idMap.projects.SIM) } });
    expect((await api.get('/rest/agile/1.0/board/1')).body.id).toBe(1);
    for (const path of ['/rest/agile/1.0/board/99', '/rest/agile/1.0/board/99/configuration', '/rest/agile/1.0/board/99/sprint']) {
      const r = await api.get(path);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ errorMessages: ['Board does not exist or you do not have permission to see it.'], errors: {} });
    }
    expect(jira.requests.counts()).toEqual({ board: 3, configuration: 1, sprint: 1 });
  });

  it('serves the board configuration and its filter', async () => {
    const config = await api.get('/rest/agile/1.0/board/1/configuration');
    expect(config.body.estimation.field.fieldId).toBe(jira.site.idMap.fields.storyPointEstimate);
    const filter = await api.get(`/rest/api/3/filter/${config.body.filter.id}`);
    expect(filter.body).toMatchObject({ id: config.body.filter.id, jql: 'project = SIM ORDER BY Rank ASC' });
    expect((await api.get('/rest/api/3/filter/1')).status).toBe(400);
  });

  it('pages sprints (offset, isLast, at most 50) and filters them by state', async () => {
    const all: any[] = [];
    for (let startAt = 0; ; ) {
      const r = await api.get(`/rest/agile/1.0/board/1/sprint?state=future,active,closed&startAt=${startAt}&maxResults=3`);
      all.push(...r.body.values);
      expect(r.body.values.length).toBeLessThanOrEqual(3);
      if (r.body.isLast) break;
      startAt += r.body.values.length;
    }
    expect(all.map((s) => s.id)).toEqual(team.snapshot.sprints.map((s) => jira.site.idMap.sprints[s.id]));
    expect(all.at(-1)).toMatchObject({ state: 'active', originBoardId: 1 });
    expect(all[0].completeDate).toMatch(/Z$/);
    const capped = await api.get('/rest/agile/1.0/board/1/sprint?maxResults=500');
    expect(capped.body.maxResults).toBe(50);
    const closed = await api.get('/rest/agile/1.0/board/1/sprint?state=closed');
    expect(closed.body.values.every((s: any) => s.state === 'closed')).toBe(true);
    expect(closed.body.values).toHaveLength(team.snapshot.sprints.length - 1);
    expect(jira.requests.count('sprint')).toBeGreaterThanOrEqual(5);
  });

  it('pages versions (/version) and lists them all (/versions)', async () => {
    const all = (await api.get('/rest/api/3/project/SIM/versions')).body;
    expect(all.map((v: any) => v.name)).toEqual(team.snapshot.releases.map((r) => r.name));
    const paged: any[] = [];
    let r = await api.get('/rest/api/3/project/SIM/version?startAt=0&maxResults=1');
    for (;;) {
      expect(r.body).toMatchObject({ maxResults: 1, total: all.length });
      paged.push(...r.body.values);
      if (r.body.isLast) {
        expect(r.body.nextPage).toBeUndefined();
        break;
      }
      r = await api.get(r.body.nextPage.slice(jira.url.length));
    }
    expect(paged).toEqual(all);
    const byId = (await api.get(`/rest/api/3/project/${jira.site.idMap.projects.SIM}/versions`)).body;
    expect(byId).toEqual(all);
    const missing = await api.get('/rest/api/3/project/NOPE/version');
    expect(missing.status).toBe(404);
    expect(missing.body.errorMessages).toEqual(["No project could be found with key 'NOPE'."]);
  });

  it('serves the velocity chart from the ground truth, and can switch it off', async () => {
    const r = await api.get('/rest/greenhopper/1.0/rapid/charts/velocity?rapidViewId=1');
    const closed = team.truth.sprints.filter((s) => s.state === 'closed').reverse();
    expect(r.body.sprints.map((s: any) => s.id)).toEqual(closed.map((s) => jira.site.idMap.sprints[s.sprintId]));
    for (const s of closed) {
      expect(r.body.velocityStatEntries[String(jira.site.idMap.sprints[s.sprintId])]).toEqual({
        estimated: { value: s.committedPoints, text: `${s.committedPoints}.0` },
        completed: { value: s.completedPoints, text: `${s.completedPoints}.0` },
      });
    }
    jira.configure({ velocityReport: false });
    expect((await api.get('/rest/greenhopper/1.0/rapid/charts/velocity?rapidViewId=1')).status).toBe(404);
    jira.configure({ velocityReport: true });
  });
});

describe('simulated Jira: search', () => {
  const total = team.snapshot.items.length;

  it('token paging covers every issue exactly once, for several page sizes, GET and POST', async () => {
    expect(total).toBeGreaterThan(100);
    for (const size of [1, 7, 50, 100]) {
      const { keys, pages } = await searchAll('project = SIM ORDER BY Rank ASC', size, { fields: 'key' });
      expect(keys).toHaveLength(total);
      expect(new Set(keys).size).toBe(total);
      expect(pages).toBe(Math.ceil(total / size));
    }
    const post = await searchAll('project = SIM', 13, {}, 'POST');
    expect(new Set(post.keys).size).toBe(total);
    // Rank order is the board's backlog order.
    const { keys } = await searchAll('project = SIM ORDER BY Rank ASC', 5000, { fields: 'key' });
    const rankOf = new Map(team.snapshot.items.map((i) => [i.key, i.rank!]));
    expect(keys.map((k) => rankOf.get(k))).toEqual([...keys.map((k) => rankOf.get(k)!)].sort());
  });

  it('caps pages at 100 with fields, 5000 for ids only, configurably', async () => {
    const withFields = await api.get(`/rest/api/3/search/jql?${q({ jql: 'project = SIM', maxResults: 500, fields: 'summary,status' })}`);
    expect(withFields.body.issues).toHaveLength(100);
    const idsOnly = await api.get(`/rest/api/3/search/jql?${q({ jql: 'project = SIM', maxResults: 5000 })}`);
    expect(idsOnly.body.issues).toHaveLength(total);
    expect(idsOnly.body.isLast).toBe(true);
    jira.configure({ pageCaps: { search: 10, searchIdsOnly: 20 } });
    try {
      expect((await api.get(`/rest/api/3/search/jql?${q({ jql: 'project = SIM', maxResults: 50, fields: 'summary' })}`)).body.issues).toHaveLength(10);
      expect((await api.get(`/rest/api/3/search/jql?${q({ jql: 'project = SIM', maxResults: 50 })}`)).body.issues).toHaveLength(20);
    } finally {
      jira.configure({ pageCaps: { search: 100, searchIdsOnly: 5000 } });
    }
    const defaults = await api.get(`/rest/api/3/search/jql?${q({ jql: 'project = SIM' })}`);
    expect(defaults.body.issues).toHaveLength(50);
  });

  it('returns only the requested fields: id by default, lists, repeated keys, *all, -field', async () => {
    const one = async (fields?: string, raw?: string): Promise<any> => {
      const params = q({ jql: 'key = SIM-5', ...(fields !== undefined ? { fields } : {}) });
      return (await api.get(`/rest/api/3/search/jql?${params}${raw ?? ''}`)).body.issues[0];
    };
    expect((await one()).fields).toEqual({});
    expect(Object.keys((await one('summary,status')).fields).sort()).toEqual(['status', 'summary']);
    expect(Object.keys((await one('summary', '&fields=status')).fields).sort()).toEqual(['status', 'summary']);
    const all = await one('*all');
    expect(all.fields).toHaveProperty('comment');
    expect(all.fields).toHaveProperty(jira.site.idMap.fields.sprint);
    const navigable = await one('-description');
    expect(navigable.fields).not.toHaveProperty('description');
    expect(navigable.fields).not.toHaveProperty('comment');
    expect(navigable.fields).toHaveProperty('summary');
    expect((await one('*all,-comment')).fields).not.toHaveProperty('comment');
  });

  it('embeds a truncated changelog with expand=changelog, newest first', async () => {
    const rich = [...jira.site.issues].sort((a, b) => b.histories.length - a.histories.length)[0]!;
    jira.configure({ changelogTruncation: 3 });
    try {
      const r = await api.get(`/rest/api/3/search/jql?${q({ jql: `key = ${rich.key}`, expand: 'changelog', fields: 'status' })}`);
      const log = r.body.issues[0].changelog;
      expect(log).toMatchObject({ startAt: 0, maxResults: 3, total: rich.histories.length });
      expect(log.histories).toHaveLength(3);
      expect(log.histories.map((h: any) => h.id)).toEqual(rich.histories.slice(-3).reverse().map((h) => String(h.id)));
    } finally {
      jira.configure({ changelogTruncation: 40 });
    }
  });

  it('rejects a token of another query, a broken token, a bad clause and an unbounded query with Jira\'s bodies', async () => {
    const first = await api.get(`/rest/api/3/search/jql?${q({ jql: 'project = SIM', maxResults: 2 })}`);
    const token = first.body.nextPageToken;
    expect(typeof token).toBe('string');
    const other = await api.get(`/rest/api/3/search/jql?${q({ jql: 'project = SIM ORDER BY created', maxResults: 2, nextPageToken: token })}`);
    expect(other.status).toBe(400);
    expect((await api.get(`/rest/api/3/search/jql?${q({ jql: 'project = SIM', nextPageToken: 'garbage' })}`)).status).toBe(400);
    const bad = await api.get(`/rest/api/3/search/jql?${q({ jql: 'project = SIM AND frobnicate ~ 3' })}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ errorMessages: ["Field 'frobnicate' does not exist or you do not have permission to view it."], errors: {} });
    const syntax = await api.post('/rest/api/3/search/jql', { jql: 'project = SIM AND' });
    expect(syntax.status).toBe(400);
    expect(syntax.body.errorMessages[0]).toMatch(/^Error in the JQL Query: /);
    expect(syntax.body.errors).toEqual({});
    const unknownProject = await api.get(`/rest/api/3/search/jql?${q({ jql: 'project = NOPE' })}`);
    expect(unknownProject.body.errorMessages).toEqual(["The value 'NOPE' does not exist for the field 'project'."]);
    for (const jql of ['', 'ORDER BY Rank ASC']) {
      const r = await api.get(`/rest/api/3/search/jql?${q({ jql })}`);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'], errors: {} });
    }
  });

  it('approximate-count: { count } of what a JQL matches; the search\'s answers to a bad or unbounded JQL', async () => {
    const all = await api.post('/rest/api/3/search/approximate-count', { jql: 'project = SIM' });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ count: team.snapshot.items.length });
    const bugs = team.snapshot.items.filter((i) => i.type.original === 'Bug').length;
    expect(bugs).toBeGreaterThan(0);
    expect((await api.post('/rest/api/3/search/approximate-count', { jql: 'project = SIM AND issuetype = Bug' })).body).toEqual({ count: bugs });
    for (const jql of [undefined, 'ORDER BY Rank ASC']) {
      const r = await api.post('/rest/api/3/search/approximate-count', jql === undefined ? {} : { jql });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'], errors: {} });
    }
    expect((await api.post('/rest/api/3/search/approximate-count', { jql: 'project = SIM AND frobnicate ~ 3' })).status).toBe(400);
    expect(jira.requests.last('count')!.path).toBe('/rest/api/3/search/approximate-count');
  });

  it('JQL: updated >= is read in the user\'s zone; key, id, sprint, issuetype, parentheses and OR work', async () => {
    const items = team.snapshot.items;
    const updated = items.map((i) => Date.parse(i.updatedAt)).sort((a, b) => a - b);
    // 30 minutes after a real update: read as UTC instead of Berlin, the text would include that update.
    const threshold = Math.ceil(updated[Math.floor(updated.length / 2)]! / 60_000) * 60_000 + 30 * 60_000;
    const keysFrom = (ms: number): string[] => items.filter((i) => Date.parse(i.updatedAt) >= ms).map((i) => i.key).sort();
    const run = async (jql: string): Promise<string[]> => (await searchAll(jql, 5000, { fields: 'key' })).keys.sort();
    const berlin = jqlMinute(threshold, 'Europe/Berlin');
    expect(await run(`project = SIM AND updated >= "${berlin}"`)).toEqual(keysFrom(threshold));
    expect(await run(`project = SIM AND updated >= "${berlin.replace(/\//g, '-')}"`)).toEqual(keysFrom(threshold));
    // The UTC wall-clock text of the same instant, read in Berlin (+01:00 / +02:00), is one or two hours earlier.
    const utc = jqlMinute(threshold, 'UTC');
    const offset = Date.parse(`${berlin.replace(/\//g, '-').replace(' ', 'T')}:00Z`) - Date.parse(`${utc.replace(/\//g, '-').replace(' ', 'T')}:00Z`);
    expect([3_600_000, 7_200_000]).toContain(offset);
    const asUtc = await run(`project = SIM AND updated >= "${utc}"`);
    expect(asUtc).toEqual(keysFrom(threshold - offset));
    expect(asUtc.length).toBeGreaterThan(keysFrom(threshold).length);
    expect(await run(`updated > "${jqlMinute(threshold, 'Europe/Berlin')}" AND project = SIM`)).toEqual(keysFrom(threshold + 60_000));

    expect(await run('key in (SIM-1, SIM-3) OR id = 10005')).toEqual(['SIM-1', 'SIM-3', 'SIM-5']);
    const sprint = team.snapshot.sprints[1]!;
    const inSprint = items.filter((i) => i.sprints.at(-1)?.value.includes(sprint.id)).map((i) => i.key).sort();
    expect(await run(`sprint = ${jira.site.idMap.sprints[sprint.id]}`)).toEqual(inSprint);
    const bugs = items.filter((i) => i.type.original === 'Bug').map((i) => i.key).sort();
    expect(await run('project = SIM AND issuetype = Bug')).toEqual(bugs);
    expect(await run('(issuetype = Bug OR issuetype = "Sub-task") AND project in (SIM)')).toEqual(
      items.filter((i) => i.type.original === 'Bug' || i.type.original === 'Sub-task').map((i) => i.key).sort(),
    );
    const byUpdated = (await searchAll('project = SIM ORDER BY updated DESC', 5000, { fields: 'updated' })).keys;
    const order = [...items].sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || Number(a.key.slice(4)) - Number(b.key.slice(4)));
    expect(byUpdated).toEqual(order.map((i) => i.key));
  });
});

describe('simulated Jira: changelogs', () => {
  it('pages one issue\'s changelog by offset (oldest first, at most 100) and 404s an unknown issue', async () => {
    const rich = [...jira.site.issues].sort((a, b) => b.histories.length - a.histories.length)[0]!;
    expect(rich.histories.length).toBeGreaterThan(4);
    const ids: string[] = [];
    let startAt = 0;
    for (;;) {
      const r = await api.get(`/rest/api/3/issue/${rich.key}/changelog?startAt=${startAt}&maxResults=2`);
      expect(r.body).toMatchObject({ startAt, maxResults: 2, total: rich.histories.length });
      ids.push(...r.body.values.map((h: any) => h.id));
      if (r.body.isLast) break;
      expect(r.body.nextPage).toContain(`startAt=${startAt + 2}`);
      startAt += 2;
    }
    expect(ids).toEqual(rich.histories.map((h) => String(h.id)));
    expect(ids.map(Number)).toEqual([...ids.map(Number)].sort((a, b) => a - b));
    const byId = await api.get(`/rest/api/3/issue/${rich.id}/changelog?maxResults=500`);
    expect(byId.body.maxResults).toBe(100);
    const missing = await api.get('/rest/api/3/issue/SIM-99999/changelog');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
  });

  it('bulkfetch pages histories across issues, continues an issue on the next page, filters by field', async () => {
    const keys = jira.site.issues.map((i) => i.key);
    const collected = new Map<string, string[]>();
    let token: string | undefined;
    let pages = 0;
    let split = false;
    let previousLast: string | undefined;
    for (;;) {
      const r = await api.post('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: keys, maxResults: 7, ...(token ? { nextPageToken: token } : {}) });
      expect(r.status).toBe(200);
      pages++;
      const count = r.body.issueChangeLogs.reduce((n: number, l: any) => n + l.changeHistories.length, 0);
      expect(count).toBeLessThanOrEqual(7);
      if (r.body.issueChangeLogs[0]?.issueId === previousLast) split = true;
      for (const log of r.body.issueChangeLogs) collected.set(log.issueId, [...(collected.get(log.issueId) ?? []), ...log.changeHistories.map((h: any) => h.id)]);
      previousLast = r.body.issueChangeLogs.at(-1)?.issueId;
      if (!r.body.nextPageToken) break;
      expect(count).toBe(7);
      token = r.body.nextPageToken;
    }
    expect(split).toBe(true);
    const totalHistories = jira.site.issues.reduce((n, i) => n + i.histories.length, 0);
    expect(pages).toBe(Math.ceil(totalHistories / 7));
    for (const issue of jira.site.issues) {
      expect(collected.get(issue.id) ?? []).toEqual(issue.histories.map((h) => String(h.id)));
    }
    const status = await api.post('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: keys.slice(0, 20), fieldIds: ['status'] });
    const items = status.body.issueChangeLogs.flatMap((l: any) => l.changeHistories.flatMap((h: any) => h.items));
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i: any) => i.fieldId === 'status')).toBe(true);
    expect(status.body.nextPageToken).toBeUndefined();
    expect((await api.post('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: Array.from({ length: 1001 }, (_, i) => `SIM-${i + 1}`) })).status).toBe(400);
    expect((await api.post('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: ['SIM-1'], fieldIds: Array.from({ length: 11 }, (_, i) => `f${i}`) })).status).toBe(400);
    expect(jira.requests.count('bulkfetch')).toBe(pages + 3);
  });

  it("bulkfetch writes a history's `created` as epoch milliseconds, as Jira Cloud does; the per-issue changelog as an ISO string", async () => {
    const issue = jira.site.issues.find((i) => i.histories.length > 0)!;
    const bulk = await api.post('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: [issue.key] });
    const perIssue = await api.get(`/rest/api/3/issue/${issue.key}/changelog`);
    const bulkCreated = bulk.body.issueChangeLogs[0].changeHistories.map((h: any) => h.created);
    const isoCreated = perIssue.body.values.map((h: any) => h.created);
    expect(bulkCreated.every((c: unknown) => typeof c === 'number')).toBe(true);
    expect(isoCreated.every((c: unknown) => typeof c === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$/.test(c))).toBe(true);
    expect(bulkCreated).toEqual(isoCreated.map((c: string) => parseInstant(c)));
    jira.configure({ bulkfetchCreated: 'iso' });
    try {
      const iso = await api.post('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: [issue.key] });
      expect(iso.body.issueChangeLogs[0].changeHistories.map((h: any) => h.created)).toEqual(isoCreated);
    } finally {
      jira.configure({ bulkfetchCreated: 'epoch-ms' });
    }
  });
});

describe('simulated Jira: faults, latency and the request log', () => {
  afterEach(() => jira.setFaults({}));

  it('answers a 429 burst with Retry-After and rate-limit headers, then succeeds', async () => {
    jira.setFaults({ rateLimit: { at: [1], burst: 2, retryAfterSeconds: 3 } });
    const before = Date.now();
    for (let i = 0; i < 2; i++) {
      const r = await api.get('/rest/agile/1.0/board');
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('3');
      expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(r.headers.get('x-ratelimit-nearlimit')).toBe('true');
      expect(Date.parse(r.headers.get('x-ratelimit-reset')!)).toBeGreaterThanOrEqual(before + 2000);
      expect(r.body).toEqual({ errorMessages: ['Rate limit exceeded.'], errors: {} });
    }
    expect((await api.get('/rest/agile/1.0/board')).status).toBe(200);
    expect(jira.requests.entries.map((e) => [e.status, e.fault])).toEqual([[429, '429'], [429, '429'], [200, undefined]]);
  });

  it('every-N bursts, only for some kinds', async () => {
    jira.setFaults({ rateLimit: { every: 2, kinds: ['search'] } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await api.get(`/rest/api/3/search/jql?${q({ jql: 'key = SIM-1' })}`)).status);
      statuses.push((await api.get('/rest/agile/1.0/board/1')).status);
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 200, 429, 200]);
  });

  it('503 blips with Retry-After, 500/502 blips without, and a hard failure', async () => {
    jira.setFaults({ unavailable: { at: [1], retryAfterSeconds: 5 }, serverError: { at: [2], status: 502 } });
    const a = await api.get('/rest/api/3/myself');
    expect([a.status, a.headers.get('retry-after')]).toEqual([503, '5']);
    const b = await api.get('/rest/api/3/myself');
    expect([b.status, b.headers.get('retry-after')]).toEqual([502, null]);
    expect((await api.get('/rest/api/3/myself')).status).toBe(200);
    jira.setFaults({ serverError: { every: 1 } });
    expect((await api.get('/rest/api/3/myself')).status).toBe(500);
    jira.setFaults({ failFrom: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await api.get('/rest/api/3/myself')).status);
    expect(statuses).toEqual([200, 200, 500, 500, 500]);
  });

  it('adds fixed and per-kind latency', async () => {
    jira.setFaults({ latencyMs: 120 });
    let t = Date.now();
    await api.get('/rest/api/3/myself');
    expect(Date.now() - t).toBeGreaterThanOrEqual(110);
    jira.setFaults({ latencyMs: { search: 150, default: 0 } });
    t = Date.now();
    await api.get('/rest/api/3/myself');
    const fast = Date.now() - t;
    t = Date.now();
    await api.get(`/rest/api/3/search/jql?${q({ jql: 'key = SIM-1' })}`);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    expect(fast).toBeLessThan(140);
    jira.setFaults({ latencyMs: { '/rest/agile': 130 } });
    t = Date.now();
    await api.get('/rest/agile/1.0/board/1');
    expect(Date.now() - t).toBeGreaterThanOrEqual(120);
  });

  it('logs every request with its kind, query and status; counters reset', async () => {
    await api.get('/rest/agile/1.0/board');
    await api.get(`/rest/api/3/search/jql?jql=project+%3D+SIM&fields=summary,status&fields=labels`);
    await api.post('/rest/api/3/search/jql', { jql: 'project = SIM' });
    await api.post('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: ['SIM-1'] });
    await api.get('/rest/api/3/issue/SIM-1/changelog');
    expect(jira.requests.counts()).toEqual({ board: 1, search: 2, bulkfetch: 1, changelog: 1 });
    const search = jira.requests.filter('search')[0]!;
    expect(search).toMatchObject({ method: 'GET', path: '/rest/api/3/search/jql', status: 200, query: { jql: 'project = SIM', fields: ['summary,status', 'labels'] } });
    expect(jira.requests.last('search')!.body).toEqual({ jql: 'project = SIM' });
    jira.requests.reset();
    expect(jira.requests.count()).toBe(0);
  });
});

describe('simulated Jira: mutations, permissions, organisations', () => {
  it('after edit, `updated >=` finds just that issue and its changelog has the new history; other endpoints follow', async () => {
    const own = await startSimulatedJira({ teams: [simulateTeam({ seed: 5, sprints: 4, itemsPerSprint: 6 })] });
    try {
      const c = client(own);
      const site = own.site;
      const target = site.issues.find((i) => i.status.name === 'To Do' && !i.type.subtask && i.type.name === 'Story')!;
      const before = target.histories.length;
      const now = Date.now();
      const active = site.sprints.find((s) => s.state === 'active')!;
      const history = site.edit(target.key, { status: 'In Progress', estimate: 5, flagged: true, labels: ['x', 'y'], sprints: [active.simId!] })!;
      expect(history).not.toBeNull();
      const since = jqlMinute(now - 60_000, site.userTimeZone);
      const found = await c.get(`/rest/api/3/search/jql?${q({ jql: `project = SIM AND updated >= "${since}"`, fields: 'updated,status' })}`);
      expect(found.body.issues.map((i: any) => i.key)).toEqual([target.key]);
      expect(found.body.issues[0].fields.status.name).toBe('In Progress');
      const log = await c.get(`/rest/api/3/issue/${target.key}/changelog`);
      expect(log.body.total).toBe(before + 1);
      const last = log.body.values.at(-1);
      expect(last.id).toBe(String(history.id));
      expect(Number(last.id)).toBeGreaterThan(Math.max(...site.issues.flatMap((i) => i.histories.filter((h) => h !== history).map((h) => h.id))));
      expect(last.items.map((i: any) => i.field)).toEqual(['status', 'Sprint', 'Story point estimate', 'Flagged', 'labels']);
      expect(last.items[1].to.split(', ')).toContain(String(active.id));
      expect(Date.parse(last.created.replace(/(\d\d)(\d\d)$/, '$1:$2'))).toBeGreaterThanOrEqual(now);
      expect(site.edit(target.key, { status: 'In Progress' })).toBeNull();

      // Create, delete, versions, sprints and the velocity report follow the site.
      const created = site.createIssue({ project: 'SIM', summary: 'New thing', estimate: 3, sprints: [active.id] });
      const inSprint = await c.get(`/rest/api/3/search/jql?${q({ jql: `sprint = ${active.id}`, maxResults: 5000 })}`);
      expect(inSprint.body.issues.map((i: any) => i.id)).toContain(created.id);
      site.edit(created.key, { status: 'Done' });
      site.deleteIssue(target.key);
      expect((await c.get(`/rest/api/3/issue/${target.key}/changelog`)).status).toBe(404);
      const version = site.versions.find((v) => !v.released)!;
      site.setVersion(version.id, { released: true, releaseDate: '2025-03-03' });
      const versions = (await c.get('/rest/api/3/project/SIM/versions')).body;
      expect(versions.find((v: any) => v.id === version.id)).toMatchObject({ released: true, releaseDate: '2025-03-03', overdue: false });
      site.closeSprint(active.id);
      const sprints = await c.get('/rest/agile/1.0/board/1/sprint?state=active');
      expect(sprints.body.values).toEqual([]);
      const velocity = (await c.get('/rest/greenhopper/1.0/rapid/charts/velocity?rapidViewId=1')).body;
      expect(velocity.sprints[0].id).toBe(active.id);
      expect(velocity.velocityStatEntries[String(active.id)].completed.value).toBeGreaterThanOrEqual(3);
    } finally {
      await own.close();
    }
  });

  it('simulates an organisation from { seed, teams } and hides a project without permission', async () => {
    const org = await startSimulatedJira({ teams: { seed: 3, teams: 2, sprints: 3, itemsPerSprint: 4 }, noPermission: ['T02'] });
    try {
      const c = client(org);
      expect(org.boards).toEqual([
        { id: 1, projectKey: 'T01', teamIndex: 0 },
        { id: 2, projectKey: 'T02', teamIndex: 1 },
      ]);
      const boards = await c.get('/rest/agile/1.0/board');
      expect(boards.body.values.map((b: any) => b.id)).toEqual([1]);
      expect((await c.get('/rest/agile/1.0/board/2/configuration')).status).toBe(404);
      expect((await c.get('/rest/api/3/project/T02/versions')).status).toBe(404);
      const jql = await c.get(`/rest/api/3/search/jql?${q({ jql: 'project = T02' })}`);
      expect(jql.body.errorMessages).toEqual(["The value 'T02' does not exist for the field 'project'."]);
      const me = await c.get('/rest/api/3/myself');
      expect(me.body.timeZone).toBe(org.site.teams[0]!.zone);
      org.site.setNoPermission([]);
      expect((await c.get('/rest/agile/1.0/board')).body.values.map((b: any) => b.id)).toEqual([1, 2]);
      const both = await c.get(`/rest/api/3/search/jql?${q({ jql: 'project in (T01, T02)', maxResults: 5000 })}`);
      const ids = both.body.issues.map((i: any) => i.id);
      expect(new Set(ids).size).toBe(org.site.issues.length);
    } finally {
      await org.close();
    }
  });
});
