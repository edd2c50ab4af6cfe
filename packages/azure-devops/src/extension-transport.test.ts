import { extensionTransport, type FetchLikeResponse } from './extension-transport';
import { ROUTES } from './routes';
import { TransportFailure, fillRoute } from './transport';

const response = (status: number, text: string, headers: Record<string, string> = {}): FetchLikeResponse => ({
  status,
  headers: { forEach: (cb) => Object.entries(headers).forEach(([k, v]) => cb(v, k)) },
  text: async () => text,
});

describe('extensionTransport (the shape the Azure DevOps extension fills)', () => {
  it('builds the URL from the route template, sends the token and the api-version, reads the answer', async () => {
    const calls: unknown[] = [];
    const t = extensionTransport('https://dev.azure.com/fabrikam/', async () => 'tok', async (url, init) => {
      calls.push([url, init]);
      return response(200, '{"workItems":[]}', { 'Retry-After': '2' });
    });
    const r = await t.send({
      method: 'POST',
      area: ROUTES.wiql.area,
      locationId: ROUTES.wiql.locationId,
      routeTemplate: ROUTES.wiql.routeTemplate,
      routeValues: { project: 'Fiber', team: 'Fiber Team' },
      query: { $top: 100 },
      body: { query: 'SELECT [System.Id] FROM WorkItems' },
      apiVersion: '7.1',
    });
    expect(calls).toEqual([
      [
        'https://dev.azure.com/fabrikam/Fiber/Fiber%20Team/_apis/wit/wiql?%24top=100&api-version=7.1',
        { method: 'POST', headers: { Accept: 'application/json', Authorization: 'Bearer tok', 'Content-Type': 'application/json' }, body: '{"query":"SELECT [System.Id] FROM WorkItems"}' },
      ],
    ]);
    expect(r).toEqual({ status: 200, headers: { 'retry-after': '2' }, body: { workItems: [] } });
  });

  it('fills route templates, dropping empty optional segments', () => {
    expect(fillRoute(ROUTES.classificationNodes.routeTemplate, { project: 'P', structureGroup: 'Iterations' })).toBe('P/_apis/wit/classificationNodes/Iterations');
    expect(fillRoute(ROUTES.revisions.routeTemplate, { project: 'P', id: 12 })).toBe('P/_apis/wit/workItems/12/revisions');
  });

  it('turns a thrown fetch into a network failure', async () => {
    const t = extensionTransport('https://dev.azure.com/x', async () => 't', async () => {
      throw new Error('offline');
    });
    await expect(t.send({ method: 'GET', area: 'wit', locationId: 'x', routeTemplate: '{project}/_apis/wit/x', routeValues: { project: 'P' }, apiVersion: '7.1' })).rejects.toBeInstanceOf(TransportFailure);
  });
});
