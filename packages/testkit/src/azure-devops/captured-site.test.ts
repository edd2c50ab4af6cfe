import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CapturedAzureDevOps, type CapturedAzureDevOpsOrg, httpExampleBody, startCapturedAzureDevOps } from './captured-site';

/** The replay Azure DevOps on Microsoft's example revisions: what it sends is what was captured, cut as the service cuts it. */
const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'azure-devops', 'wit', '7.1', 'httpExamples');
const file = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');
const revisionsText = httpExampleBody(file('revisions/GET__list_workitem_revisions.json'));
const org: CapturedAzureDevOpsOrg = {
  organization: 'fabrikam',
  project: { name: 'MyAgilePro1', id: 'aaee31d9-14cf-48b9-a92b-3f1446c13f80' },
  team: { name: 'MyAgilePro1 Team', id: 't1' },
  teamSettings: '{"bugsBehavior":"asRequirements"}',
  teamFieldValues: '{"values":[{"value":"MyAgilePro1","includeChildren":true}]}',
  iterations: '{"count":0,"value":[]}',
  workItemTypes: '{"count":0,"value":[]}',
  states: { Bug: httpExampleBody(file('workItemTypeStates/GET__workitem_type_states.json')) },
  iterationTree: httpExampleBody(file('classificationNodes/GET__wit_classificationNodes_iterations__depth-2.json')),
  revisions: [revisionsText],
};
type Revision = { id: number; rev: number; fields: Record<string, unknown> };
const raw = (JSON.parse(revisionsText) as { value: Revision[] }).value;

let ado: CapturedAzureDevOps;
beforeAll(async () => {
  ado = await startCapturedAzureDevOps(org, { now: '2017-09-10T00:00:00Z', feedLag: 2 });
});
afterAll(() => ado.close());

async function call(method: string, path: string, body?: unknown, version = '7.1'): Promise<{ status: number; text: string }> {
  const res = await fetch(`${ado.url}${path}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from(`:${ado.pat}`).toString('base64')}`, accept: `application/json;api-version=${version}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, text: await res.text() };
}

it("serves an item's revisions as captured, paged with $top and $skip", async () => {
  const all = await call('GET', '/MyAgilePro1/_apis/wit/workItems/1/revisions');
  expect(JSON.parse(all.text)).toEqual({ count: 9, value: raw });
  // Byte for byte: the captured text of each revision (`3.0` stays `3.0`).
  expect(all.text).toContain('"Microsoft.VSTS.Scheduling.StoryPoints": 3.0');
  const page = JSON.parse((await call('GET', '/MyAgilePro1/_apis/wit/workItems/1/revisions?$top=2&$skip=1')).text) as { value: Revision[] };
  expect(page.value.map((r) => r.rev)).toEqual([2, 3]);
  expect((await call('GET', '/Nope/_apis/wit/workItems/1/revisions')).status).toBe(404);
});

it('sends the current fields asked for from the last revision, null for an unknown id with errorPolicy omit', async () => {
  const r = JSON.parse((await call('POST', '/MyAgilePro1/_apis/wit/workitemsbatch', { ids: [1, 7], fields: ['System.Id', 'System.State', 'System.Tags'], errorPolicy: 'omit' })).text) as { count: number; value: (Revision | null)[] };
  expect(r.value).toEqual([{ id: 1, rev: 9, fields: { 'System.State': 'Active', 'System.Tags': 'beauty; Güvenlik açığı testi', 'System.Id': 1 }, url: `${ado.url}/_apis/wit/workItems/1` }, null]);
  expect((await call('POST', '/MyAgilePro1/_apis/wit/workitemsbatch', { ids: [7] })).status).toBe(404);
});

it('feeds the revisions it has caught up with, only the fields asked for, in pages with a continuation token', async () => {
  const first = JSON.parse((await call('POST', '/MyAgilePro1/_apis/wit/reporting/workItemRevisions?$maxPageSize=4', { fields: ['System.State', 'Microsoft.VSTS.Scheduling.StoryPoints'] })).text) as {
    values: Revision[];
    continuationToken: string;
    isLastBatch: boolean;
  };
  expect(first.values).toEqual(raw.slice(0, 4).map((r) => ({ id: 1, rev: r.rev, fields: { 'System.State': r.fields['System.State'] } })));
  expect(first.isLastBatch).toBe(false);
  const second = JSON.parse((await call('POST', `/MyAgilePro1/_apis/wit/reporting/workItemRevisions?continuationToken=${first.continuationToken}`, { fields: ['Microsoft.VSTS.Scheduling.StoryPoints'] })).text) as { values: Revision[]; isLastBatch: boolean };
  // Two revisions behind: 5 to 7, not 8 and 9.
  expect(second.values.map((r) => [r.rev, r.fields])).toEqual([5, 6, 7].map((rev) => [rev, { 'Microsoft.VSTS.Scheduling.StoryPoints': 3 }]));
  expect(second.isLastBatch).toBe(true);
  const identities = JSON.parse((await call('POST', '/MyAgilePro1/_apis/wit/reporting/workItemRevisions', { fields: ['System.CreatedBy'] })).text) as { values: Revision[] };
  expect(identities.values[0]!.fields['System.CreatedBy']).toBe('Jamal Hartnett <fabrikamfiber4@hotmail.com>');
});

it("answers WIQL with the items under the team's areas after an id, and route discovery as the simulated Azure DevOps", async () => {
  const ids = async (query: string) => (JSON.parse((await call('POST', '/MyAgilePro1/MyAgilePro1%20Team/_apis/wit/wiql?$top=100', { query })).text) as { workItems: { id: number }[] }).workItems.map((w) => w.id);
  expect(await ids("SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND ([System.AreaPath] UNDER 'MyAgilePro1') AND [System.Id] > 0")).toEqual([1]);
  expect(await ids("SELECT [System.Id] FROM WorkItems WHERE ([System.AreaPath] UNDER 'Elsewhere') AND [System.Id] > 0")).toEqual([]);
  expect(await ids("SELECT [System.Id] FROM WorkItems WHERE ([System.AreaPath] UNDER 'MyAgilePro1') AND [System.Id] > 1")).toEqual([]);
  expect((await call('POST', '/MyAgilePro1/Other%20Team/_apis/wit/wiql', { query: 'SELECT [System.Id] FROM WorkItems' })).status).toBe(404);
  const locations = JSON.parse((await call('OPTIONS', '/_apis/wit')).text) as { value: { id: string; routeTemplate: string }[] };
  expect(locations.value.find((l) => l.id === 'a00c85a5-80fa-4565-99c3-bcd2181434bb')?.routeTemplate).toBe('{project}/_apis/{area}/workItems/{id}/{resource}/{revisionNumber}');
  expect((await call('GET', '/MyAgilePro1/_apis/wit/workitemtypes/Bug/states', undefined, '9.9')).status).toBe(400);
  expect((await fetch(`${ado.url}/MyAgilePro1/_apis/wit/workitemtypes/Bug/states`)).status).toBe(401);
});
