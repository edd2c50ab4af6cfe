import { computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { configQuery, createHttpHost } from './http-host';

interface Call {
  url: string;
  method: string;
  body: unknown;
  headers: Record<string, string>;
}

function fakeFetch(answer: (call: Call) => { status?: number; body: unknown } | Error) {
  const calls: Call[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const call = { url: String(input), method: init?.method ?? 'GET', body: init?.body === undefined ? undefined : JSON.parse(String(init.body)), headers: (init?.headers ?? {}) as Record<string, string> };
    calls.push(call);
    const a = answer(call);
    if (a instanceof Error) throw a;
    const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
    return new Response(text, { status: a.status ?? 200, statusText: a.status === 502 ? 'Bad Gateway' : 'OK', headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

describe('createHttpHost: the standalone page’s host over the JSON API', () => {
  test('each call goes to its route with its method and body, and answers the HostResult', async () => {
    const report = computeMetrics(parseSnapshot(simulateTeam({ seed: 42 }).snapshot));
    const { fetch, calls } = fakeFetch((c) => ({ body: { ok: true, data: c.url.includes('metrics') || c.url.includes('verdicts') ? { report, syncedAt: 'now' } : c.url.includes('sources') ? [{ id: 'demo', name: 'Demo' }] : { source: 'demo' } } }));
    const host = createHttpHost('http://127.0.0.1:4242/', { fetch });
    expect(host.kind).toBe('standalone');
    expect(await host.getConfig()).toEqual({ ok: true, data: { source: 'demo' } });
    await host.saveConfig({ source: 'demo', goalThreshold: 0.7 });
    expect(await host.listSources()).toEqual({ ok: true, data: [{ id: 'demo', name: 'Demo' }] });
    const metrics = await host.loadMetrics({ source: 'demo', velocitySprints: 3, timeZone: 'Europe/Berlin' });
    expect(metrics.ok && metrics.data.report.velocity.value?.velocity).toBe(report.velocity.value!.velocity);
    await host.recordVerdict({ source: 'demo' }, 'sim:sprint:11', { outcome: 'partly', note: 'API done, UI not' });
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['GET', 'http://127.0.0.1:4242/api/config', undefined],
      ['PUT', 'http://127.0.0.1:4242/api/config', { source: 'demo', goalThreshold: 0.7 }],
      ['GET', 'http://127.0.0.1:4242/api/sources', undefined],
      ['GET', 'http://127.0.0.1:4242/api/metrics?source=demo&velocitySprints=3&timeZone=Europe%2FBerlin', undefined],
      ['POST', 'http://127.0.0.1:4242/api/verdicts', { config: { source: 'demo' }, sprintId: 'sim:sprint:11', outcome: 'partly', note: 'API done, UI not' }],
    ]);
    expect(calls[1]!.headers['content-type']).toBe('application/json');
  });

  test('the server’s own errors pass through; network failures and foreign answers become HostErrors', async () => {
    const invalid = createHttpHost('', { fetch: fakeFetch(() => ({ status: 200, body: { ok: false, error: { kind: 'invalid', message: 'goalSprints must be a whole number of 1 or more' } } })).fetch });
    expect(await invalid.loadMetrics({ source: 'x' })).toEqual({ ok: false, error: { kind: 'invalid', message: 'goalSprints must be a whole number of 1 or more' } });
    const down = createHttpHost('', { fetch: fakeFetch(() => new TypeError('fetch failed')).fetch });
    expect(await down.getConfig()).toEqual({ ok: false, error: { kind: 'network', message: 'the dashboard’s server did not answer: check that agile-kpi serve is still running' } });
    const proxy = createHttpHost('', { fetch: fakeFetch(() => ({ status: 502, body: '<html>bad gateway</html>' })).fetch });
    expect(await proxy.listSources()).toEqual({ ok: false, error: { kind: 'server', message: 'the server answered 502 Bad Gateway without the expected JSON' } });
    const odd = createHttpHost('', { fetch: fakeFetch(() => ({ body: { hello: 'world' } })).fetch });
    expect(await odd.getConfig()).toEqual({ ok: false, error: { kind: 'unexpected-shape', message: 'the server answered JSON that is not a dashboard answer' } });
  });

  test('relative base: the page’s own server wherever it is mounted; options for a gadget-like page', async () => {
    const { fetch, calls } = fakeFetch(() => ({ body: { ok: true, data: {} } }));
    const host = createHttpHost('.', { fetch, fixedView: 'velocity', editing: true });
    await host.getConfig();
    expect(calls[0]!.url).toBe('./api/config');
    expect(host.fixedView).toBe('velocity');
    expect(host.editing).toBe(true);
    expect(configQuery({})).toBe('');
  });
});
