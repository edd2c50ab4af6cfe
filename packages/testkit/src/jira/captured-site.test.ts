import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CapturedJira, type CapturedJiraBoard, columnsByStatusCategory, fixVersionsOf, startCapturedJira } from './captured-site';

/** The replay server on a real capture (DevLake's board 8): what it sends is what was captured, paged and filtered as Jira does. */
const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'jira', 'devlake');
const issuesText = readFileSync(join(FIXTURES, 'board8_issues_expand_changelog.json'), 'utf8');
const statuses = readFileSync(join(FIXTURES, 'statuses_api2_status.json'), 'utf8');
const capture: CapturedJiraBoard = {
  board: JSON.stringify({ id: 8, name: 'EE board', type: 'scrum', location: { projectKey: 'EE' } }),
  configuration: JSON.stringify({ id: 8, name: 'EE board', filter: { id: '1' }, columnConfig: { columns: columnsByStatusCategory(statuses) } }),
  filter: JSON.stringify({ id: '1', jql: 'project = EE' }),
  fields: '[]',
  statuses,
  issueTypes: '[]',
  myself: JSON.stringify({ accountId: 'x', timeZone: 'Asia/Shanghai' }),
  issues: [issuesText],
  sprints: readFileSync(join(FIXTURES, 'board8_sprints.json'), 'utf8'),
  versions: { EE: fixVersionsOf([issuesText]) },
};
type Raw = { id: string; key: string; fields: Record<string, unknown>; changelog: { histories: { id: string; created: string; items: { fieldId?: string }[] }[] } };
const raws = JSON.parse(issuesText) as Raw[];

let jira: CapturedJira;
beforeAll(async () => {
  jira = await startCapturedJira(capture, { now: '2022-06-01T00:00:00Z' });
});
afterAll(() => jira.close());

const auth = () => `Basic ${Buffer.from(`${jira.email}:${jira.apiToken}`).toString('base64')}`;
async function post(path: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${jira.url}${path}`, { method: 'POST', headers: { authorization: auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}
async function get(path: string): Promise<{ status: number; text: string; date: string | null }> {
  const res = await fetch(`${jira.url}${path}`, { headers: { authorization: auth() } });
  return { status: res.status, text: await res.text(), date: res.headers.get('date') };
}
const ms = (iso: string) => Date.parse(iso.replace(/(\d{2})(\d{2})$/, '$1:$2'));

it('sends the fields asked for with the text they were captured with (2.0 stays 2.0)', async () => {
  const r = await post('/rest/api/3/search/jql', { jql: 'id in (10064)', fields: ['customfield_10024', 'status'] });
  expect(r.status).toBe(200);
  expect(r.text).toContain('"customfield_10024":2.0');
  const body = JSON.parse(r.text) as { issues: Raw[]; isLast: boolean };
  expect(body.isLast).toBe(true);
  expect(body.issues.map((i) => [i.key, Object.keys(i.fields)])).toEqual([['EE-2', ['status', 'customfield_10024']]]);
  expect(body.issues[0]!.fields['status']).toEqual(raws[1]!.fields['status']);
  expect(body.issues[0]).not.toHaveProperty('changelog');
});

it('pages a search with nextPageToken, sorted as asked, and reads updated >= in the user zone', async () => {
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const r = JSON.parse((await post('/rest/api/3/search/jql', { jql: 'project = EE ORDER BY id ASC', fields: ['summary'], maxResults: 7, ...(token ? { nextPageToken: token } : {}) })).text) as { issues: Raw[]; nextPageToken?: string };
    seen.push(...r.issues.map((i) => i.id));
    token = r.nextPageToken;
  } while (token);
  expect(seen).toEqual(raws.map((i) => i.id).sort((a, b) => Number(a) - Number(b)));
  // EE-20 was last updated 2021-08-06T14:14:54.647+0800: from 14:14 Shanghai time it is in, from 14:15 out.
  const at = async (t: string) => (JSON.parse((await post('/rest/api/3/search/jql', { jql: `(project = EE) AND updated >= "${t}" ORDER BY updated ASC`, fields: ['id'] })).text) as { issues: Raw[] }).issues.map((i) => i.id);
  const latest = raws.reduce((a, b) => (ms(String(a.fields['updated'])) > ms(String(b.fields['updated'])) ? a : b));
  expect(await at('2021/08/06 14:14')).toEqual([latest.id]);
  expect(await at('2021/08/06 14:15')).toEqual([]);
  expect((await post('/rest/api/3/search/jql', { jql: 'updated >= "yesterday"' })).status).toBe(400);
});

it.each(['epoch-ms', 'iso'] as const)('bulkfetch sends the histories oldest first, filtered to the fields asked for, created as %s', async (created) => {
  const server = created === 'iso' ? await startCapturedJira(capture, { bulkfetchCreated: 'iso' }) : jira;
  try {
    const res = await fetch(`${server.url}/rest/api/3/changelog/bulkfetch`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${server.email}:${server.apiToken}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ issueIdsOrKeys: ['EE-1'], fieldIds: ['status'] }),
    });
    const body = (await res.json()) as { issueChangeLogs: { issueId: string; changeHistories: { id: string; created: unknown; items: { fieldId?: string }[] }[] }[] };
    const raw = raws[0]!.changelog.histories.filter((h) => h.items.some((i) => i.fieldId === 'status')).sort((a, b) => ms(a.created) - ms(b.created));
    const sent = body.issueChangeLogs[0]!.changeHistories;
    expect(sent.map((h) => h.id)).toEqual(raw.map((h) => h.id));
    expect(sent.map((h) => h.created)).toEqual(raw.map((h) => (created === 'iso' ? h.created : ms(h.created))));
    expect(sent.every((h) => h.items.every((i) => i.fieldId === 'status'))).toBe(true);
  } finally {
    if (server !== jira) await server.close();
  }
});

it('pages bulkfetch across issues by histories, every history once, unchanged but for created', async () => {
  const got: [string, string][] = [];
  let token: string | undefined;
  do {
    const page = JSON.parse((await post('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: ['10063', 'EE-2'], maxResults: 7, ...(token ? { nextPageToken: token } : {}) })).text) as {
      issueChangeLogs: { issueId: string; changeHistories: { id: string }[] }[];
      nextPageToken?: string;
    };
    expect(page.issueChangeLogs.reduce((n, l) => n + l.changeHistories.length, 0)).toBeLessThanOrEqual(7);
    for (const l of page.issueChangeLogs) for (const h of l.changeHistories) got.push([l.issueId, h.id]);
    token = page.nextPageToken;
  } while (token);
  const oldestFirst = (i: Raw) => [...i.changelog.histories].sort((a, b) => ms(a.created) - ms(b.created) || Number(a.id) - Number(b.id)).map((h): [string, string] => [i.id, h.id]);
  expect(got).toEqual([...oldestFirst(raws[0]!), ...oldestFirst(raws[1]!)]);
  expect((await post('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: ['EE-1'], nextPageToken: 'bm9wZQ' })).status).toBe(400);
});

it("answers discovery with the captured texts, sprints and versions in pages, and Jira's errors", async () => {
  const status = await get('/rest/api/3/status');
  expect(status.text).toBe(statuses);
  expect(status.date).toBe('Wed, 01 Jun 2022 00:00:00 GMT');
  const sprints = JSON.parse((await get('/rest/agile/1.0/board/8/sprint?state=closed&maxResults=10')).text) as { isLast: boolean; values: unknown[] };
  expect([sprints.isLast, sprints.values.length]).toEqual([false, 10]);
  expect(JSON.parse((await get('/rest/agile/1.0/board/9')).text)).toEqual({ errorMessages: ['Board does not exist or you do not have permission to see it.'], errors: {} });
  expect((await fetch(`${jira.url}/rest/api/3/myself`)).status).toBe(401);
  const versions = JSON.parse((await get('/rest/api/3/project/EE/version')).text) as { values: { name: string }[] };
  expect(versions.values.map((v) => v.name)).toEqual(['v2.7.0', 'v2.6.0', 'v2.5.4']);
});
