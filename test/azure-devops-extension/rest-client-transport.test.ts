import { AdoClient, ROUTES, TransportFailure } from '@agile-kpi/azure-devops';
import { type RawRequestParams, type RawResponse, TokenError, extensionApiTransport } from '../../packages/azure-devops-extension/src/rest-client-transport';

/**
 * The adapter's transport over the extension API's REST clients (fakes here, shaped as RestClientBase behaves:
 * the raw Response for a 2xx, a thrown TFS.WebApi.Exception with status and body otherwise, TF400893 without a
 * network; the real clients run in the browser tests).
 */
const response = (status: number, body: string, headers: Record<string, string> = {}): RawResponse => ({
  status,
  headers: { forEach: (cb) => Object.entries(headers).forEach(([k, v]) => cb(v, k)) },
  text: async () => body,
});

function clients(answer: (params: RawRequestParams, area: 'wit' | 'work') => Promise<RawResponse>) {
  const sent: [string, RawRequestParams][] = [];
  const make = (area: 'wit' | 'work') => ({
    request: (params: RawRequestParams) => {
      sent.push([area, params]);
      return answer(params, area);
    },
  });
  return { sent, transport: extensionApiTransport({ wit: make('wit'), work: make('work') }, 'https://dev.azure.com/fabrikam/') };
}

const wiql = {
  method: 'POST' as const,
  area: ROUTES.wiql.area,
  locationId: ROUTES.wiql.locationId,
  routeTemplate: ROUTES.wiql.routeTemplate,
  routeValues: { project: 'Fiber', team: 'Fiber Team', id: undefined },
  query: { $top: 100, skipped: undefined },
  body: { query: 'SELECT [System.Id] FROM WorkItems' },
  apiVersion: ROUTES.wiql.apiVersion,
};

it('sends each area through its client with the route, the query, the body and a plain api-version Accept header', async () => {
  const { sent, transport } = clients(async () => response(200, '{"asOf":"2025-06-16T10:00:00.12Z","workItems":[]}', { 'Retry-After': '2', 'Content-Type': 'application/json' }));
  const answer = await transport.send(wiql);
  expect(sent).toEqual([
    [
      'wit',
      {
        routeTemplate: '{project}/{team}/_apis/wit/wiql/{id}',
        apiVersion: ROUTES.wiql.apiVersion,
        routeValues: { project: 'Fiber', team: 'Fiber Team' },
        queryParams: { $top: 100 },
        method: 'POST',
        body: { query: 'SELECT [System.Id] FROM WorkItems' },
        customHeaders: { Accept: `application/json;api-version=${ROUTES.wiql.apiVersion}`, 'Content-Type': 'application/json' },
        returnRawResponse: true,
      },
    ],
  ]);
  // Headers as the adapter reads them; the organisation's clock from the WIQL answer when Date is not readable.
  expect(answer).toEqual({ status: 200, headers: { 'retry-after': '2', 'content-type': 'application/json', date: 'Mon, 16 Jun 2025 10:00:00 GMT' }, body: { asOf: '2025-06-16T10:00:00.12Z', workItems: [] } });
  await transport.send({ method: 'GET', area: 'work', locationId: ROUTES.teamSettings.locationId, routeTemplate: ROUTES.teamSettings.routeTemplate, routeValues: { project: 'P', team: 'T' }, apiVersion: ROUTES.teamSettings.apiVersion });
  expect(sent[1]![0]).toBe('work');
  expect(transport.site).toBe('https://dev.azure.com/fabrikam');
});

it('turns the extension API’s thrown HTTP errors into responses the adapter classifies', async () => {
  const thrown = (status: number, body: unknown) => Object.assign(new Error('x'), { name: 'TFS.WebApi.Exception', status, responseText: JSON.stringify(body), serverError: body });
  let next: unknown = thrown(429, { message: 'TF400733: The request has been blocked', typeKey: 'RequestBlockedException' });
  const { transport } = clients(async () => Promise.reject(next));
  expect(await transport.send(wiql)).toEqual({ status: 429, headers: {}, body: { message: 'TF400733: The request has been blocked', typeKey: 'RequestBlockedException' } });
  next = Object.assign(new Error('401: Unauthorized'), { status: 401, responseText: '' });
  const client = new AdoClient(transport, { sleep: async () => {} });
  await expect(client.send(wiql, 'run the WIQL query', 'Fiber/_apis/wit/wiql')).rejects.toMatchObject({ kind: 'auth' });
});

it('passes a missing token through at once, and makes a network failure a TransportFailure', async () => {
  let next: unknown = new TokenError('the host refused');
  const { transport } = clients(async () => Promise.reject(next));
  await expect(transport.send(wiql)).rejects.toBeInstanceOf(TokenError);
  next = Object.assign(new Error('TF400893: Unable to contact the server.'), { name: 'NetworkException' });
  await expect(transport.send(wiql)).rejects.toBeInstanceOf(TransportFailure);
});
