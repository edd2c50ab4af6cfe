import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimulatedTeam } from '../ground-truth';
import { simulateTeam } from '../simulate-team';
import { startSimulatedAzureDevOps } from './server';
import type { SimulatedAzureDevOps } from './server';

/*
 * The simulated Azure DevOps over HTTP with plain fetch: the shapes of the spec's example responses, route
 * discovery, paging and the reporting watermark, authentication, throttling and faults.
 */

interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

function client(ado: SimulatedAzureDevOps, pat = ado.pat, base: Record<string, string> = {}) {
  const authorization = `Basic ${Buffer.from(`anyone:${pat}`).toString('base64')}`;
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const r = await fetch(`${ado.url}${path}`, {
      method,
      headers: {
        authorization,
        accept: 'application/json;api-version=7.1',
        'x-tfs-fedauthredirect': 'Suppress',
        ...base,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
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
    post: (path: string, body: unknown, headers?: Record<string, string>) => send('POST', path, body, headers),
    send,
  };
}

const SPEC = join(__dirname, 'spec');
const example = (name: string): any => JSON.parse(readFileSync(join(SPEC, 'examples', name), 'utf8').replace(/^\uFEFF/, '')).responses['200'].body;
const definitions: Record<string, Record<string, string[]>> = JSON.parse(readFileSync(join(SPEC, 'definitions.json'), 'utf8')).definitions;
const def = (area: 'wit' | 'work', name: string): string[] => definitions[area]![name]!;
const keys = (o: object): string[] => Object.keys(o).sort();
const union = (...lists: string[][]): string[] => [...new Set(lists.flat())].sort();
const subset = (a: string[], b: string[]): string[] => a.filter((x) => !b.includes(x));

const team: SimulatedTeam = simulateTeam({ seed: 7, sprints: 6, itemsPerSprint: 8 });
const asOf = Date.parse(team.snapshot.asOf);
let ado: SimulatedAzureDevOps;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  ado = await startSimulatedAzureDevOps({ teams: [team], pat: 'secret-pat', now: () => asOf });
  api = client(ado);
});
afterAll(() => ado.close());
beforeEach(() => {
  ado.requests.reset();
  ado.setFaults({});
  ado.configure({ pageCaps: { reportingRevisions: 1000, revisions: 200, updates: 200 }, wiqlLimit: 20_000 });
});

describe('route discovery', () => {
  it('lists the locations the node-api asks for, and the resource areas', async () => {
    const wit = await api.send('OPTIONS', '/_apis/wit');
    expect(wit.status).toBe(200);
    const ids = wit.body.value.map((l: any) => l.id);
    for (const id of [
      '1a9c53f7-f243-4447-b110-35ef023636e4',
      '908509b6-4248-4475-a1cd-829139ba419f',
      'f828fe59-dd87-495d-a17c-7a8d6211ca6c',
      'a00c85a5-80fa-4565-99c3-bcd2181434bb',
      '6570bf97-d02c-4a91-8d93-3abe9895b1a9',
      '7c8d7a76-4a09-43e8-b5df-bd792f4ac6aa',
      '7c9d7a76-4a09-43e8-b5df-bd792f4ac6aa',
      'a70579d1-f53a-48ee-a5be-7be8659023b9',
      '5a172953-1b41-49d3-840a-33f79c3ce89f',
    ]) {
      expect(ids).toContain(id);
    }
    expect(keys(wit.body.value[0])).toEqual(['area', 'id', 'maxVersion', 'minVersion', 'releasedVersion', 'resourceName', 'resourceVersion', 'routeTemplate']);
    const work = await api.send('OPTIONS', '/_apis/work');
    expect(work.body.value.map((l: any) => l.id)).toEqual(
      expect.arrayContaining(['c3c1012b-bea7-49d7-b45e-1664e566f84c', 'c9175577-28a1-4b06-9197-8636af9f64ad', '07ced576-58ed-49e6-9c1e-5cb53ab8bf2a']),
    );
    const location = await api.send('OPTIONS', '/_apis/Location');
    expect(location.body.value.map((l: any) => l.resourceName)).toEqual(['ResourceAreas', 'ConnectionData']);
    const areas = await api.get('/_apis/ResourceAreas');
    expect(areas.body.value.find((a: any) => a.id === '5264459e-e5e0-4bd8-b118-0985e68a4ec5')).toEqual({
      id: '5264459e-e5e0-4bd8-b118-0985e68a4ec5',
      name: 'wit',
      locationUrl: `${ado.url}/`,
    });
    expect(ado.requests.counts()).toEqual({ location: 4 });
  });
});

describe('shapes equal the spec examples', () => {
  it('reporting revisions (GET and POST)', async () => {
    const get = await api.get('/SIM/_apis/wit/reporting/workitemrevisions?$maxPageSize=5');
    expect(get.status).toBe(200);
    const examples = [example('reporting-revisions.json'), example('reporting-revisions-identity-ref.json'), example('reporting-revisions-post.json')];
    expect(keys(get.body)).toEqual(union(...examples.map(keys)));
    expect(subset(keys(get.body), def('wit', 'ReportingWorkItemRevisionsBatch'))).toEqual([]);
    expect(keys(get.body.values[0])).toEqual(keys(examples[0].values[0]));
    // Identities are "Name <email>" strings by default, refs with includeIdentityRef.
    expect(get.body.values[0].fields['System.CreatedBy']).toMatch(/^[^<]+ <[^>]+@sim\.example>$/);
    expect(get.body.values[0].fields['System.RevisedDate']).toMatch(/Z$/);
    const post = await api.post('/SIM/_apis/wit/reporting/workitemrevisions', { fields: ['System.WorkItemType', 'System.Title', 'System.AreaPath'], includeIdentityRef: true });
    expect(keys(post.body)).toEqual(keys(get.body));
    expect(keys(post.body.values[0].fields)).toEqual(keys(examples[2].values[0].fields));
    const refs = await api.post('/SIM/_apis/wit/reporting/workitemrevisions', { includeIdentityRef: true });
    expect(refs.body.values[0].fields['System.CreatedBy']).toMatchObject({ id: expect.any(String), uniqueName: expect.any(String) });
  });

  it('revisions and updates', async () => {
    const item = ado.site.visibleWorkItems().find((w) => w.revisions.length > 4)!;
    const revisions = await api.get(`/SIM/_apis/wit/workItems/${item.id}/revisions`);
    const ex = example('revisions.json');
    expect(keys(revisions.body)).toEqual(keys(ex));
    expect(keys(revisions.body.value[0])).toEqual(keys(ex.value[0]));
    expect(subset(keys(revisions.body.value[0]), def('wit', 'WorkItem'))).toEqual([]);
    expect(revisions.body.count).toBe(item.revisions.length);

    const updates = await api.get(`/SIM/_apis/wit/workItems/${item.id}/updates`);
    const exu = example('updates.json');
    expect(keys(updates.body)).toEqual(keys(exu));
    expect(keys(updates.body.value[0])).toEqual(keys(exu.value[0]));
    expect(subset(keys(updates.body.value[0]), def('wit', 'WorkItemUpdate'))).toEqual([]);
    // The first update holds every field as a newValue; later ones only what changed, with old and new values.
    expect(Object.values(updates.body.value[0].fields).every((c: any) => keys(c).join() === 'newValue')).toBe(true);
    for (const u of updates.body.value.slice(1)) {
      for (const change of Object.values(u.fields) as any[]) expect(subset(keys(change), def('wit', 'WorkItemFieldUpdate'))).toEqual([]);
      expect(u.fields['System.Rev']).toEqual({ oldValue: u.rev - 1, newValue: u.rev });
      // revisedDate is when the revision was superseded; the change instant is System.ChangedDate's newValue.
      expect(u.fields['System.ChangedDate'].newValue).toBe(revisions.body.value[u.rev - 1].fields['System.ChangedDate']);
    }
    expect(updates.body.value[updates.body.value.length - 1].revisedDate).toBe('9999-01-01T00:00:00Z');
    expect(updates.body.value[0].revisedDate).toBe(revisions.body.value[1].fields['System.ChangedDate']);
  });

  it('wiql and workitemsbatch', async () => {
    const q = await api.post('/SIM/SIM%20Team/_apis/wit/wiql', {
      query: "Select [System.Id], [System.Title], [System.State] From WorkItems Where [System.TeamProject] = @project order by [System.ChangedDate] desc",
    });
    const ex = example('wiql.json');
    expect(keys(q.body)).toEqual(union(keys(ex), ['queryResultType']));
    expect(subset(keys(q.body), def('wit', 'WorkItemQueryResult'))).toEqual([]);
    expect(q.body).toMatchObject({ queryType: 'flat', queryResultType: 'workItem' });
    expect(keys(q.body.columns[0])).toEqual(keys(ex.columns[0]));
    expect(keys(q.body.sortColumns[0])).toEqual(keys(ex.sortColumns[0]));
    expect(keys(q.body.workItems[0])).toEqual(keys(ex.workItems[0]));

    const ids = q.body.workItems.slice(0, 3).map((w: any) => w.id);
    const batch = await api.post('/SIM/_apis/wit/workitemsbatch', { ids, fields: ['System.Id', 'System.Title', 'System.WorkItemType', 'Microsoft.VSTS.Scheduling.RemainingWork'] });
    const exb = example('workitemsbatch.json');
    expect(keys(batch.body)).toEqual(keys(exb));
    expect(keys(batch.body.value[0])).toEqual(keys(exb.value[0]));
    expect(keys(batch.body.value[0].fields)).toEqual(['System.Id', 'System.Title', 'System.WorkItemType']);
    expect(batch.body.value.map((w: any) => w.id)).toEqual(ids);
  });

  it('work item type states', async () => {
    const states = await api.get('/SIM/_apis/wit/workitemtypes/Product%20Backlog%20Item/states');
    const ex = example('workitemtype-states.json');
    expect(keys(states.body)).toEqual(keys(ex));
    expect(keys(states.body.value[0])).toEqual(keys(ex.value[0]));
    expect(states.body.value.map((s: any) => `${s.name}:${s.category}`)).toEqual([
      'New:Proposed',
      'Approved:Proposed',
      'Committed:InProgress',
      'In Review:InProgress',
      'Blocked:InProgress',
      'Done:Completed',
      'Removed:Removed',
    ]);
  });

  it('team iterations, team settings, team field values', async () => {
    const list = await api.get('/SIM/SIM%20Team/_apis/work/teamsettings/iterations');
    const single = example('team-iteration.json');
    expect(keys(list.body)).toEqual(['count', 'value']);
    const { _links: _, ...singleWithoutLinks } = single;
    expect(keys(list.body.value[0])).toEqual(keys(singleWithoutLinks));
    expect(subset(keys(list.body.value[0]), def('work', 'TeamSettingsIteration'))).toEqual([]);
    expect(keys(list.body.value[0].attributes)).toEqual(def('work', 'TeamIterationAttributes'));
    expect(list.body.value[0]).toMatchObject({
      name: 'Sprint 1',
      path: 'SIM\\Sprint 1',
      attributes: { startDate: '2025-01-06T00:00:00Z', finishDate: '2025-01-19T00:00:00Z', timeFrame: 'past' },
    });
    const current = await api.get('/SIM/SIM%20Team/_apis/work/teamsettings/iterations?$timeframe=current');
    expect(current.body.value.map((i: any) => i.name)).toEqual(['Sprint 6']);
    expect(keys(current.body.value[0])).toEqual(keys(example('team-iterations-current.json').values[0]).concat('path').sort());
    const one = await api.get(`/SIM/SIM%20Team/_apis/work/teamsettings/iterations/${list.body.value[0].id}`);
    expect(keys(one.body)).toEqual(keys(single));
    expect(keys(one.body._links)).toEqual(keys(single._links));

    const settings = await api.get('/SIM/SIM%20Team/_apis/work/teamsettings');
    const exs = example('teamsettings.json');
    expect(keys(settings.body)).toEqual(keys(exs));
    expect(keys(settings.body.backlogIteration)).toEqual(keys(exs.backlogIteration));
    expect(keys(settings.body.defaultIteration)).toEqual(keys(exs.defaultIteration));
    expect(keys(settings.body._links)).toEqual(keys(exs._links));
    expect(settings.body).toMatchObject({
      backlogIteration: { name: 'SIM', path: '' },
      bugsBehavior: 'asRequirements',
      workingDays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      defaultIteration: { name: 'Sprint 6', path: 'SIM\\Sprint 6' },
    });

    const values = await api.get('/SIM/SIM%20Team/_apis/work/teamsettings/teamfieldvalues');
    const exv = example('teamfieldvalues.json');
    expect(keys(values.body)).toEqual(keys(exv));
    expect(keys(values.body.values[0])).toEqual(keys(exv.values[0]));
    expect(keys(values.body._links)).toEqual(keys(exv._links));
    expect(values.body).toMatchObject({
      field: { referenceName: 'System.AreaPath' },
      defaultValue: 'SIM\\SIM Team',
      values: [{ value: 'SIM\\SIM Team', includeChildren: true }],
    });
  });

  it('classification nodes', async () => {
    const nodes = await api.get('/SIM/_apis/wit/classificationnodes/iterations?$depth=2');
    const ex = example('classificationnodes-iterations.json');
    expect(keys(nodes.body)).toEqual(keys(ex));
    expect(subset(keys(nodes.body), def('wit', 'WorkItemClassificationNode'))).toEqual([]);
    const exChild = ex.children[3].children.find((c: any) => c.attributes);
    const sprint = nodes.body.children.find((c: any) => c.name === 'Sprint 2');
    expect(keys(sprint)).toEqual(keys(exChild));
    expect(sprint).toMatchObject({ path: '\\SIM\\Iteration\\Sprint 2', attributes: { startDate: '2025-01-20T00:00:00Z', finishDate: '2025-02-02T00:00:00Z' } });
    const releases = nodes.body.children.find((c: any) => c.name === 'Releases');
    expect(releases.children.map((r: any) => r.name)).toEqual(team.snapshot.releases.map((r) => r.name));
    const one = await api.get('/SIM/_apis/wit/classificationNodes/Iterations/Releases/SIM%201.0');
    expect(one.body.attributes.finishDate).toBe(`${team.snapshot.releases[0]!.currentPlannedDate}T00:00:00Z`);
    const roots = await api.get('/SIM/_apis/wit/classificationnodes?$depth=1');
    expect(roots.body.value.map((n: any) => `${n.structureType}:${n.name}`)).toEqual(['area:SIM', 'iteration:SIM']);
    expect(roots.body.value[0].children.map((n: any) => n.name)).toEqual(['SIM Team']);
  });
});

describe('work items', () => {
  it('refuses more than 200 ids, fields with $expand, unknown fields', async () => {
    const ids = Array.from({ length: 201 }, (_, i) => i + 1);
    const tooMany = await api.post('/SIM/_apis/wit/workitemsbatch', { ids });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toBe('VS403474: You requested 201 work items which exceeds the limit of 200.');
    expect(keys(tooMany.body)).toEqual(['$id', 'errorCode', 'eventId', 'innerException', 'message', 'typeKey', 'typeName']);
    const both = await api.post('/SIM/_apis/wit/workitemsbatch', { ids: [1], fields: ['System.Title'], $expand: 'relations' });
    expect(both.status).toBe(400);
    const unknown = await api.post('/SIM/_apis/wit/workitemsbatch', { ids: [1], fields: ['Custom.Nope'] });
    expect(unknown.body.message).toBe('TF51535: Cannot find field Custom.Nope.');
    const missing = await api.post('/SIM/_apis/wit/workitemsbatch', { ids: [1, 999999] });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/^TF401232: Work item 999999 does not exist/);
    const omitted = await api.post('/SIM/_apis/wit/workitemsbatch', { ids: [1, 999999], errorPolicy: 'omit' });
    expect(omitted.body.value[1]).toBeNull();
  });

  it('asOf gives the item as it was', async () => {
    const item = ado.site.visibleWorkItems().find((w) => w.revisions.length > 3)!;
    const second = item.revisions[1]!;
    const at = new Date(second.ms + 1).toISOString();
    const batch = await api.post('/SIM/_apis/wit/workitemsbatch', { ids: [item.id], asOf: at });
    expect(batch.body.value[0].rev).toBe(2);
    expect(batch.body.value[0].fields['System.ChangedDate']).toBe(new Date(second.ms).toISOString().replace('.000Z', 'Z'));
    const single = await api.get(`/SIM/_apis/wit/workitems/${item.id}?asOf=${encodeURIComponent(at)}`);
    expect(single.body.rev).toBe(2);
    const relations = await api.get(`/_apis/wit/workitems?ids=${item.id}&$expand=relations`);
    expect(relations.body.value[0]).toHaveProperty('relations');
  });

  it('pages revisions and updates with $top and $skip', async () => {
    const item = ado.site.visibleWorkItems().find((w) => w.revisions.length > 4)!;
    const page = await api.get(`/SIM/_apis/wit/workItems/${item.id}/revisions?$top=2&$skip=1`);
    expect(page.body.value.map((r: any) => r.rev)).toEqual([2, 3]);
    ado.configure({ pageCaps: { updates: 3 } });
    const capped = await api.get(`/SIM/_apis/wit/workItems/${item.id}/updates`);
    expect(capped.body.count).toBe(3);
    const rest = await api.get(`/SIM/_apis/wit/workItems/${item.id}/updates?$skip=3`);
    expect(rest.body.value[0].rev).toBe(4);
  });
});

describe('reporting revisions: paging and the continuation watermark', () => {
  it('pages through every revision of the project in change order, and a later mutation shows up alone', async () => {
    ado.configure({ pageCaps: { reportingRevisions: 50 } });
    const seen: { id: number; rev: number; changed: string }[] = [];
    let token: string | undefined;
    let pages = 0;
    for (;;) {
      const r: Reply = await api.post(`/SIM/_apis/wit/reporting/workitemrevisions${token ? `?continuationToken=${encodeURIComponent(token)}` : ''}`, {
        fields: ['System.Id', 'System.Rev', 'System.ChangedDate'],
      });
      pages++;
      for (const v of r.body.values) seen.push({ id: v.id, rev: v.rev, changed: v.fields['System.ChangedDate'] });
      expect(r.body.nextLink).toContain(`continuationToken=${encodeURIComponent(r.body.continuationToken)}`);
      token = r.body.continuationToken;
      if (r.body.isLastBatch) break;
      expect(r.body.values).toHaveLength(50);
    }
    const total = ado.site.visibleWorkItems().reduce((n, w) => n + w.revisions.length, 0);
    expect(seen).toHaveLength(total);
    expect(pages).toBe(Math.ceil(total / 50));
    expect(new Set(seen.map((s) => `${s.id}:${s.rev}`)).size).toBe(total);
    const times = seen.map((s) => Date.parse(s.changed));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // Nothing new: an empty last batch with the same token.
    const idle = await api.post(`/SIM/_apis/wit/reporting/workitemrevisions?continuationToken=${encodeURIComponent(token!)}`, {});
    expect(idle.body).toMatchObject({ values: [], isLastBatch: true, continuationToken: token });

    const item = ado.site.visibleWorkItems()[3]!;
    const revision = ado.site.edit(item.id, { title: 'Renamed by a test' }, asOf + 60_000)!;
    const next = await api.post(`/SIM/_apis/wit/reporting/workitemrevisions?continuationToken=${encodeURIComponent(token!)}`, { fields: ['System.Title'] });
    expect(next.body.values).toEqual([{ id: item.id, rev: revision.rev, fields: { 'System.Title': 'Renamed by a test' } }]);
    expect(next.body.isLastBatch).toBe(true);

    // Deleting moves the item to the recycle bin: gone from WIQL and the reporting API unless includeDeleted.
    ado.site.deleteWorkItem(item.id, asOf + 120_000);
    const after = await api.post(`/SIM/_apis/wit/reporting/workitemrevisions?continuationToken=${encodeURIComponent(next.body.continuationToken)}`, {});
    expect(after.body.values).toEqual([]);
    const deleted = await api.post(`/SIM/_apis/wit/reporting/workitemrevisions?continuationToken=${encodeURIComponent(next.body.continuationToken)}`, { includeDeleted: true });
    expect(deleted.body.values.map((v: any) => [v.id, v.fields['System.IsDeleted']])).toEqual([[item.id, true]]);
    const wiql = await api.post('/SIM/_apis/wit/wiql', { query: `SELECT [System.Id] FROM WorkItems WHERE [System.Id] = ${item.id}` });
    expect(wiql.body.workItems).toEqual([]);
    expect((await api.get(`/SIM/_apis/wit/workitems/${item.id}`)).status).toBe(404);
  });

  it('refuses a token together with startDateTime, filters by type and gives the latest revisions only', async () => {
    const both = await api.get('/SIM/_apis/wit/reporting/workitemrevisions?continuationToken=5&startDateTime=2025-01-01T00:00:00Z');
    expect(both.status).toBe(400);
    const bugs = await api.post('/SIM/_apis/wit/reporting/workitemrevisions', { types: ['Bug'], includeLatestOnly: true, fields: ['System.WorkItemType'] });
    expect(new Set(bugs.body.values.map((v: any) => v.fields['System.WorkItemType']))).toEqual(new Set(['Bug']));
    const ids = bugs.body.values.map((v: any) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    const start = await api.get(`/SIM/_apis/wit/reporting/workitemrevisions?startDateTime=${encodeURIComponent(team.snapshot.sprints[5]!.startAt!)}&fields=System.ChangedDate`);
    for (const v of start.body.values) expect(Date.parse(v.fields['System.ChangedDate'])).toBeGreaterThanOrEqual(Date.parse(team.snapshot.sprints[5]!.startAt!));
  });
});

describe('authentication', () => {
  it('401 with TF400813 for a wrong PAT when the sign-in redirect is suppressed (the node-api always does)', async () => {
    const wrong = client(ado, 'nope');
    const r = await wrong.get('/_apis/projects');
    expect(r.status).toBe(401);
    expect(r.body.message).toBe("TF400813: The user '' is not authorized to access this resource.");
    expect(r.body.typeKey).toBe('UnauthorizedRequestException');
    expect(r.headers.get('www-authenticate')).toMatch(/Basic realm=/);
  });

  it('203 with the sign-in page otherwise', async () => {
    const r = await fetch(`${ado.url}/_apis/projects`, { headers: { authorization: `Basic ${Buffer.from(':nope').toString('base64')}` } });
    expect(r.status).toBe(203);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    expect(await r.text()).toMatch(/Sign In/);
  });

  it('any user name with the PAT as password', async () => {
    const pat = await fetch(`${ado.url}/_apis/projects`, { headers: { authorization: `Basic ${Buffer.from('PAT:secret-pat').toString('base64')}` } });
    expect(pat.status).toBe(200);
    const empty = await fetch(`${ado.url}/_apis/projects`, { headers: { authorization: `Basic ${Buffer.from(':secret-pat').toString('base64')}` } });
    expect(empty.status).toBe(200);
  });
});

describe('throttling and faults', () => {
  it('429 with Retry-After, the X-RateLimit headers and the TF400733 body', async () => {
    ado.setFaults({ rateLimit: { at: [2], retryAfterSeconds: 7, kinds: ['wiql'] } });
    const query = { query: 'SELECT [System.Id] FROM WorkItems' };
    expect((await api.post('/SIM/_apis/wit/wiql?$top=1', query)).status).toBe(200);
    await api.get('/_apis/projects');
    const blocked = await api.post('/SIM/_apis/wit/wiql?$top=1', query);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('7');
    for (const h of ['x-ratelimit-resource', 'x-ratelimit-delay', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) expect(blocked.headers.get(h)).not.toBeNull();
    expect(Number(blocked.headers.get('x-ratelimit-reset'))).toBe(Math.ceil(asOf / 1000) + 7);
    expect(blocked.body.message).toMatch(/^TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource/);
    expect(blocked.body.typeKey).toBe('RequestBlockedException');
    expect((await api.post('/SIM/_apis/wit/wiql?$top=1', query)).status).toBe(200);
    expect(ado.requests.filter('wiql').map((r) => r.fault ?? '-')).toEqual(['-', '429', '-']);
  });

  it('delayed requests: a 200 that carries Retry-After and X-RateLimit-Delay', async () => {
    ado.setFaults({ delayed: { every: 2, retryAfterSeconds: 3, delaySeconds: 1.25 } });
    const first = await api.get('/_apis/projects');
    const second = await api.get('/_apis/projects');
    expect(first.status).toBe(200);
    expect(first.headers.get('retry-after')).toBeNull();
    expect(second.status).toBe(200);
    expect(second.body.value).toHaveLength(1);
    expect(second.headers.get('retry-after')).toBe('3');
    expect(second.headers.get('x-ratelimit-delay')).toBe('1.250');
    expect(ado.requests.last()!.fault).toBe('delayed');
  });

  it('503, 500 and 502 blips, a hard failure, and latency', async () => {
    ado.setFaults({ unavailable: { at: [1], retryAfterSeconds: 2 }, serverError: { at: [2] } });
    const unavailable = await api.get('/_apis/projects');
    expect([unavailable.status, unavailable.headers.get('retry-after')]).toEqual([503, '2']);
    const error = await api.get('/_apis/projects');
    expect(error.status).toBe(500);
    expect(error.body.message).toMatch(/^TF400898: An Internal Error Occurred/);
    expect((await api.get('/_apis/projects')).status).toBe(200);

    ado.setFaults({ serverError: { every: 1, status: 502 } });
    expect((await api.get('/_apis/projects')).status).toBe(502);

    ado.setFaults({ failFrom: 2 });
    expect((await api.get('/_apis/projects')).status).toBe(200);
    expect((await api.get('/_apis/projects')).status).toBe(500);
    expect((await api.get('/_apis/projects')).status).toBe(500);

    ado.setFaults({ latencyMs: { projects: 120, default: 0 } });
    const t0 = Date.now();
    await api.get('/_apis/projects');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    const t1 = Date.now();
    await api.get('/_apis/teams');
    expect(Date.now() - t1).toBeLessThan(110);
  });

  it('a wrong PAT is not counted by the fault rules', async () => {
    ado.setFaults({ rateLimit: { at: [1] } });
    expect((await client(ado, 'nope').get('/_apis/projects')).status).toBe(401);
    expect((await api.get('/_apis/projects')).status).toBe(429);
  });
});

describe('protocol', () => {
  it('the Date header is the site clock', async () => {
    const r = await api.get('/_apis/projects');
    expect(r.headers.get('date')).toBe(new Date(asOf).toUTCString());
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8; api-version=7.1');
  });

  it('api-version rules: none on a POST, a preview version without -preview, a version out of range', async () => {
    const none = await api.post('/SIM/_apis/wit/wiql', { query: 'SELECT [System.Id] FROM WorkItems' }, { accept: 'application/json' });
    expect(none.status).toBe(400);
    expect(none.body.message).toMatch(/^No api-version was supplied for the "POST" request/);
    const preview = await api.get('/_apis/projects', { accept: 'application/json;api-version=7.2' });
    expect(preview.status).toBe(400);
    expect(preview.body.typeKey).toBe('VssInvalidPreviewVersionException');
    expect((await api.get('/_apis/projects', { accept: 'application/json;api-version=7.2-preview.4' })).status).toBe(200);
    expect((await api.get('/_apis/projects?api-version=9.0', { accept: 'application/json' })).status).toBe(400);
    expect((await api.get('/_apis/projects', { accept: 'application/json' })).status).toBe(200);
  });

  it('unknown projects, routes and methods', async () => {
    const project = await api.get('/NOPE/_apis/wit/workitemtypes');
    expect(project.status).toBe(404);
    expect(project.body.message).toMatch(/^TF200016: The following project does not exist: NOPE/);
    expect((await api.get('/SIM/_apis/wit/nothing')).status).toBe(404);
    expect((await api.get('/SIM/_apis/wit/wiql')).status).toBe(405);
    const other = await fetch(`${ado.url.replace(/simorg$/, 'elsewhere')}/_apis/projects`);
    expect(other.status).toBe(404);
  });

  it('projects, teams, capabilities', async () => {
    const projects = await api.get('/_apis/projects');
    expect(projects.body.value.map((p: any) => p.name)).toEqual(['SIM']);
    const project = await api.get('/_apis/projects/SIM?includeCapabilities=true');
    expect(project.body.capabilities.processTemplate.templateName).toBe('Sim Scrum');
    expect(project.body.defaultTeam.name).toBe('SIM Team');
    const teams = await api.get(`/_apis/projects/${project.body.id}/teams`);
    expect(teams.body.value.map((t: any) => t.name)).toEqual(['SIM Team']);
    expect(ado.projects).toEqual([{ name: 'SIM', team: 'SIM Team', teamIndex: 0 }]);
  });
});
