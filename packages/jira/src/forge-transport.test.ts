import { forgeTransport, queryString, type FetchLikeResponse } from './forge-transport';
import { TransportFailure } from './transport';

const response = (status: number, text: string, headers: Record<string, string> = {}): FetchLikeResponse => ({
  status,
  headers: { forEach: (cb) => Object.entries(headers).forEach(([k, v]) => cb(v, k)) },
  text: async () => text,
});

describe('forgeTransport (the shape the Forge app fills with requestJira)', () => {
  it('sends the path with its query string, JSON body and headers; reads status, headers and JSON', async () => {
    const calls: unknown[] = [];
    const t = forgeTransport(async (path, init) => {
      calls.push([path, init]);
      return response(200, '{"issues":[],"isLast":true}', { 'X-RateLimit-Remaining': '42' });
    });
    const r = await t.send({ method: 'POST', path: '/rest/api/3/search/jql', query: { expand: ['changelog', 'names'], skip: undefined }, body: { jql: 'project = A' } });
    expect(calls).toEqual([
      ['/rest/api/3/search/jql?expand=changelog%2Cnames', { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: '{"jql":"project = A"}' }],
    ]);
    expect(r).toEqual({ status: 200, headers: { 'x-ratelimit-remaining': '42' }, body: { issues: [], isLast: true } });
  });

  it('returns error statuses (the client decides) and plain-text bodies as text', async () => {
    const t = forgeTransport(async () => response(401, 'Client must be authenticated to access this resource.'));
    await expect(t.send({ method: 'GET', path: '/rest/api/3/myself' })).resolves.toEqual({ status: 401, headers: {}, body: 'Client must be authenticated to access this resource.' });
  });

  it('turns a thrown fetch into a network failure', async () => {
    const t = forgeTransport(async () => {
      throw new Error('socket hang up');
    });
    await expect(t.send({ method: 'GET', path: '/x' })).rejects.toBeInstanceOf(TransportFailure);
  });

  it('builds query strings as jira.js does: arrays comma-joined, undefined left out', () => {
    expect(queryString({ state: ['future', 'active'], startAt: 0, none: undefined })).toBe('?state=future%2Cactive&startAt=0');
    expect(queryString({})).toBe('');
  });
});
