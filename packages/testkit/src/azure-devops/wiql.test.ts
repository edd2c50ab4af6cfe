import type { SimulatedTeam } from '../ground-truth';
import { simulateTeam } from '../simulate-team';
import { startSimulatedAzureDevOps } from './server';
import type { SimulatedAzureDevOps } from './server';
import type { WorkItemRecord } from './site';
import { parseWiql, WiqlError } from './wiql';

/* The WIQL subset, checked against an independent filter over the site's current records. */

const team: SimulatedTeam = simulateTeam({ seed: 9, sprints: 5, itemsPerSprint: 8 });
const asOf = Date.parse(team.snapshot.asOf);
let ado: SimulatedAzureDevOps;

async function wiql(query: string, params = '', path = '/SIM/SIM%20Team'): Promise<{ status: number; body: any }> {
  const r = await fetch(`${ado.url}${path}/_apis/wit/wiql${params}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`:${ado.pat}`).toString('base64')}`,
      accept: 'application/json;api-version=7.1-preview.2',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ query }),
  });
  return { status: r.status, body: await r.json() };
}

const ids = async (where: string, params = ''): Promise<number[]> => {
  const r = await wiql(`SELECT [System.Id] FROM WorkItems WHERE ${where}`, params);
  if (r.status !== 200) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  return r.body.workItems.map((w: { id: number }) => w.id);
};

const now = (w: WorkItemRecord) => ado.site.current(w).state;
/** The ids an independent filter finds; never empty (a comparison with nothing proves little). */
const expectIds = (filter: (w: WorkItemRecord) => boolean): number[] => {
  const found = ado.site.visibleWorkItems().filter(filter).map((w) => w.id);
  expect(found.length).toBeGreaterThan(0);
  return found;
};

beforeAll(async () => {
  ado = await startSimulatedAzureDevOps({ teams: [team], now: () => asOf });
});
afterAll(() => ado.close());
beforeEach(() => ado.configure({ wiqlLimit: 20_000 }));

describe('WIQL subset', () => {
  it('project, area, type, state, tags, ids', async () => {
    expect(await ids("[System.TeamProject] = @project AND [System.AreaPath] UNDER 'SIM'")).toEqual(expectIds(() => true));
    expect(await ids("[System.AreaPath] = 'SIM\\SIM Team'")).toEqual(expectIds(() => true));
    expect(await ids("[System.AreaPath] = 'SIM'")).toEqual([]);
    expect(await ids("[System.WorkItemType] = 'Bug'")).toEqual(expectIds((w) => now(w).type.name === 'Bug'));
    expect(await ids("[System.WorkItemType] IN ('Bug', 'product backlog item')")).toEqual(
      expectIds((w) => ['Bug', 'Product Backlog Item'].includes(now(w).type.name)),
    );
    expect(await ids("[State] <> 'Done' AND [State] <> 'Removed'")).toEqual(expectIds((w) => !['Done', 'Removed'].includes(now(w).state.name)));
    expect(await ids("[System.State] IN ('Committed', 'In Review', 'Blocked')")).toEqual(
      expectIds((w) => ['Committed', 'In Review', 'Blocked'].includes(now(w).state.name)),
    );
    expect(await ids("[System.Tags] CONTAINS 'release:SIM 1.0'")).toEqual(expectIds((w) => now(w).tags.includes('release:SIM 1.0')));
    expect(await ids("[System.Tags] NOT CONTAINS 'backend'")).toEqual(expectIds((w) => !now(w).tags.includes('backend')));
    expect(await ids('[System.Id] > 10 AND [System.Id] <= 20')).toEqual(expectIds((w) => w.id > 10 && w.id <= 20));
    expect(await ids('[System.Id] IN (3, 5, 999999)')).toEqual([3, 5]);
    expect(await ids("NOT ([System.WorkItemType] = 'Bug' OR [System.WorkItemType] = 'Epic') AND [System.Id] < 30")).toEqual(
      expectIds((w) => !['Bug', 'Epic'].includes(now(w).type.name) && w.id < 30),
    );
  });

  it('iteration path = and UNDER, @currentIteration on the team route', async () => {
    expect(await ids("[System.IterationPath] = 'SIM\\Sprint 2'")).toEqual(expectIds((w) => ado.site.pathOf(now(w).iteration) === 'SIM\\Sprint 2'));
    expect(await ids("[System.IterationPath] UNDER 'SIM'")).toEqual(expectIds(() => true));
    expect(await ids("[System.IterationPath] = 'SIM'")).toEqual(expectIds((w) => now(w).iteration.kind === 'root'));
    expect(await ids('[System.IterationPath] = @currentIteration')).toEqual(expectIds((w) => ado.site.pathOf(now(w).iteration) === 'SIM\\Sprint 5'));
    expect(await ids('[System.IterationPath] = @currentIteration - 1')).toEqual(expectIds((w) => ado.site.pathOf(now(w).iteration) === 'SIM\\Sprint 4'));
  });

  it('changed date with date precision, time precision and @today', async () => {
    const cut = '2025-02-10';
    const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
    const changed = (w: WorkItemRecord): number => ado.site.current(w).ms;
    expect(await ids(`[System.ChangedDate] >= '${cut}'`)).toEqual(expectIds((w) => day(changed(w)) >= cut));
    expect(await ids(`[System.ChangedDate] < '${cut}'`)).toEqual(expectIds((w) => day(changed(w)) < cut));
    const instant = '2025-02-10T10:30:00Z';
    const dated = await wiql(`SELECT [System.Id] FROM WorkItems WHERE [System.ChangedDate] > '${instant}'`);
    expect(dated.status).toBe(400);
    expect(dated.body.message).toBe(
      `You cannot supply a time with the date when running a query using date precision. The error is caused by «[System.ChangedDate] > '${instant}'».`,
    );
    expect(await ids(`[System.ChangedDate] > '${instant}'`, '?timePrecision=true')).toEqual(expectIds((w) => changed(w) > Date.parse(instant)));
    const today = day(asOf);
    expect(await ids('[System.ChangedDate] >= @today - 3')).toEqual(expectIds((w) => day(changed(w)) >= day(Date.parse(`${today}T00:00:00Z`) - 3 * 86_400_000)));
  });

  it('ORDER BY, $top, columns', async () => {
    const r = await wiql("SELECT [System.Id], [System.Title] FROM WorkItems WHERE [System.WorkItemType] = 'Bug' ORDER BY [System.ChangedDate] DESC", '?$top=3');
    const bugs = ado.site.visibleWorkItems().filter((w) => now(w).type.name === 'Bug');
    bugs.sort((a, b) => ado.site.current(b).ms - ado.site.current(a).ms || a.id - b.id);
    expect(r.body.workItems.map((w: any) => w.id)).toEqual(bugs.slice(0, 3).map((w) => w.id));
    expect(r.body.columns.map((c: any) => c.referenceName)).toEqual(['System.Id', 'System.Title']);
    expect(r.body.sortColumns).toEqual([{ field: expect.objectContaining({ referenceName: 'System.ChangedDate' }), descending: true }]);
    const byId = await wiql('SELECT [System.Id] FROM WorkItems ORDER BY [System.Id] DESC');
    expect(byId.body.workItems[0].id).toBe(Math.max(...ado.site.visibleWorkItems().map((w) => w.id)));
  });

  it('EVER and ASOF', async () => {
    expect(await ids("[System.State] EVER 'Blocked'")).toEqual(expectIds((w) => w.revisions.some((r) => r.state.state.name === 'Blocked')));
    const at = Date.parse(team.snapshot.sprints[2]!.startAt!);
    const r = await wiql(`SELECT [System.Id] FROM WorkItems WHERE [System.State] = 'Done' ASOF '${new Date(at).toISOString()}'`);
    expect(r.body.asOf).toBe(new Date(at).toISOString().replace('.000Z', 'Z'));
    expect(r.body.workItems.map((w: any) => w.id)).toEqual(expectIds((w) => ado.site.revisionAt(w, at)?.state.state.name === 'Done'));
  });

  it('over the size limit without $top: 400 VS402337', async () => {
    ado.configure({ wiqlLimit: 10 });
    const r = await wiql('SELECT [System.Id] FROM WorkItems');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      $id: '1',
      innerException: null,
      message: 'VS402337: The number of work items returned exceeds the size limit of 10. Change the query to return fewer work items.',
      typeName: 'Microsoft.TeamFoundation.WorkItemTracking.Server.WorkItemTrackingQueryResultSizeLimitExceededException, Microsoft.TeamFoundation.WorkItemTracking.Server',
      typeKey: 'WorkItemTrackingQueryResultSizeLimitExceededException',
      errorCode: 0,
      eventId: 3200,
    });
    const top = await wiql('SELECT [System.Id] FROM WorkItems', '?$top=10');
    expect(top.body.workItems).toHaveLength(10);
    expect((await wiql('SELECT [System.Id] FROM WorkItems WHERE [System.Id] <= 10')).status).toBe(200);
  });

  it('errors as Azure DevOps words them', async () => {
    const cases: [string, RegExp][] = [
      ['SELECT [System.Id] FROM WorkItems WHERE [System.Sprint] = 1', /^TF51005: The query references a field that does not exist\. The error is caused by «\[System\.Sprint\]»\.$/],
      ["SELECT [System.Id] FROM WorkItems WHERE [System.AreaPath] = 'Nowhere'", /^TF51011: The specified area path does not exist\. The error is caused by «'Nowhere'»\.$/],
      ["SELECT [System.Id] FROM WorkItems WHERE [System.IterationPath] CONTAINS 'Sprint'", /^The specified operator cannot be used with area path fields\./],
      ['SELECT [System.Id] FROM WorkItems WHERE [System.Id] IN ()', /^Expecting constant value\. The error is caused by «\)»\.$/],
      ['SELECT [System.Id] WorkItems', /^TF51006: The query statement is missing a FROM clause\. The error is caused by «WorkItems»\.$/],
      ['SELECT [System.Id] FROM WorkItems WHERE [System.Id] * 3', /^Expecting comparison operator\. The error is caused by «\*»\.$/],
      ["SELECT [System.Id] FROM WorkItems WHERE [System.Id] = 1 )", /^Expected end of string\. The error is caused by «\)»\.$/],
    ];
    for (const [query, message] of cases) {
      const r = await wiql(query);
      expect({ query, status: r.status }).toEqual({ query, status: 400 });
      expect(r.body.message).toMatch(message);
      expect(Object.keys(r.body).sort()).toEqual(['$id', 'errorCode', 'eventId', 'innerException', 'message', 'typeKey', 'typeName']);
    }
    expect((await wiql('SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project', '', '')).status).toBe(400);
  });

  it('parses the friendly field names and both quote styles', () => {
    const parsed = parseWiql(`select [Id], [Work Item Type] from workitems where [State] = "Done" and [Title] contains 'it''s' order by [Changed Date]`);
    expect(parsed.columns.map((c) => c.referenceName)).toEqual(['System.Id', 'System.WorkItemType']);
    expect(parsed.orderBy[0]!.field.referenceName).toBe('System.ChangedDate');
    expect(() => parseWiql('')).toThrow(WiqlError);
  });
});
