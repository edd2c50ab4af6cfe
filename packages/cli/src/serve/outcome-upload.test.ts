import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostResult, OutcomeUploadResult } from '@agile-kpi/presentation';
import { openStore } from '@agile-kpi/store';
import { outcomesGoldenSnapshot } from '../../../core/src/testing/outcomes-golden';
import { memorySource, withMemoryOutcomes } from '../commands/serve';
import { readTeamOutcomes } from '../outcomes/scope-outcomes';
import { dashboardApi } from './dashboard-api';
import { startDashboardServer } from './http-server';
import { MAX_UPLOAD_CHARS, memoryOutcomeSink, scopeOutcomeSink, uploadOutcomes } from './outcome-upload';

const SURVEY = 'date,score\n2026-03-02,5\n2026-03-03,4\n2026-03-04,2\n';
const data = (r: HostResult<OutcomeUploadResult>) => {
  if (!r.ok) throw new Error(`expected an answer, got ${r.error.kind}: ${r.error.message}`);
  return r.data;
};

describe('uploadOutcomes: the settings page’s upload, read as agile-kpi outcomes import reads a file', () => {
  it('stores every row of a good file; the same file again changes nothing', async () => {
    const sink = memoryOutcomeSink();
    expect(data(await uploadOutcomes(sink, { kind: 'csat', name: 'survey.csv', text: SURVEY }))).toEqual({ imported: true, added: 3, replaced: 0, unchanged: 0, message: 'survey.csv (csat): 3 new records; 0 already imported' });
    expect(sink.records().map((r) => ('score' in r ? r.score : null))).toEqual([5, 4, 2]);
    expect(data(await uploadOutcomes(sink, { kind: 'csat', name: 'survey.csv', text: SURVEY }))).toMatchObject({ imported: true, added: 0, unchanged: 3 });
    expect(sink.records()).toHaveLength(3);
  });

  it('a file with a bad row stores nothing and names each problem’s row and column', async () => {
    const sink = memoryOutcomeSink();
    const answer = data(await uploadOutcomes(sink, { kind: 'csat', name: 'survey.csv', text: 'date,score\n2026-03-02,6\n2026-13-01,4\n2026-03-04,3\n' }));
    expect(answer.imported).toBe(false);
    if (answer.imported) return;
    expect(answer.message).toBe('survey.csv: 2 problems, nothing imported (fix them and upload the whole file again)');
    expect(answer.problems).toEqual([expect.stringMatching(/^survey\.csv row 2, column score: /), expect.stringMatching(/^survey\.csv row 3, column date: /)]);
    expect(sink.records()).toEqual([]);
  });

  it('refuses what is not an upload, with the fix named; keeps only the file’s own name', async () => {
    const sink = memoryOutcomeSink();
    expect(await uploadOutcomes(sink, { kind: 'ratings', name: 'a.csv', text: SURVEY })).toEqual({ ok: false, error: { kind: 'invalid', message: 'kind must be one of csat, nps, usage, benefit: what the file holds' } });
    expect(await uploadOutcomes(sink, { kind: 'nps', name: 'a.csv' })).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    expect(await uploadOutcomes(sink, undefined)).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    expect(await uploadOutcomes(sink, { kind: 'nps', name: 'a.csv', text: 'x'.repeat(MAX_UPLOAD_CHARS + 1) })).toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringContaining('larger than 5 MB') } });
    const answer = data(await uploadOutcomes(sink, { kind: 'nps', name: '../../etc/nps.csv', text: 'date,score\n2026-03-02,9\n' }));
    expect(answer.message).toBe('nps.csv (nps): 1 new record; 0 already imported');
    expect(sink.records()[0]!.source).toBe('nps.csv row 2');
  });

  it('into the store: the scope’s outcome records, by id, as the CLI import writes them', async () => {
    const store = openStore(':memory:');
    try {
      const scope = store.scope({ source: 'jira', site: 'https://upload.example', scope: '42' });
      const sink = scopeOutcomeSink(scope);
      expect(data(await uploadOutcomes(sink, { kind: 'csat', name: 'survey.csv', text: SURVEY }))).toMatchObject({ added: 3, unchanged: 0 });
      expect(data(await uploadOutcomes(sink, { kind: 'csat', name: 'survey.csv', text: SURVEY }))).toMatchObject({ added: 0, replaced: 0, unchanged: 3 });
      expect(scope.listOutcomes(['csat'])).toHaveLength(3);
    } finally {
      store.close();
    }
  });
});

describe('POST /api/outcomes', () => {
  const web = mkdtempSync(join(tmpdir(), 'akpi-web-'));
  writeFileSync(join(web, 'index.html'), '<!doctype html>');
  const api = dashboardApi({ choice: { id: 'x', name: 'X' }, snapshot: async () => { throw new Error('unused'); }, recordVerdict: async () => {}, syncedAt: async () => '' });
  afterAll(() => rmSync(web, { recursive: true, force: true }));
  const post = (url: string, body: unknown) => fetch(`${url}/api/outcomes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('stores an upload where the server keeps outcome data, and answers 400 for a bad request', async () => {
    const sink = memoryOutcomeSink();
    const server = await startDashboardServer({ api, webRoot: web, outcomes: sink });
    try {
      const ok = await post(server.url, { kind: 'nps', name: 'nps.csv', text: 'date,score\n2026-03-02,9\n' });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ ok: true, data: { imported: true, added: 1 } });
      expect(sink.records()).toHaveLength(1);
      expect((await post(server.url, { kind: 'x', text: '' })).status).toBe(400);
    } finally {
      await server.close();
    }
  });

  it('says so where the server keeps no outcome data', async () => {
    const server = await startDashboardServer({ api, webRoot: web });
    try {
      // The settings page's question on opening is answered (200), not a missing route.
      const asked = await fetch(`${server.url}/api/outcomes`);
      expect([asked.status, await asked.json()]).toEqual([200, { ok: false, error: { kind: 'not-found', message: 'this dashboard keeps no outcome data: import files with agile-kpi outcomes import' } }]);
      const answer = await post(server.url, { kind: 'nps', name: 'nps.csv', text: 'date,score\n2026-03-02,9\n' });
      expect(answer.status).toBe(404);
      expect(await answer.json()).toEqual({ ok: false, error: { kind: 'not-found', message: 'this dashboard keeps no outcome data: import the file with agile-kpi outcomes import' } });
    } finally {
      await server.close();
    }
  });
});

describe("serve's outcome data in the settings: GET /api/outcomes, PUT /api/outcomes/settings, POST /api/outcomes/remove", () => {
  const web = mkdtempSync(join(tmpdir(), 'akpi-web-'));
  writeFileSync(join(web, 'index.html'), '<!doctype html>');
  afterAll(() => rmSync(web, { recursive: true, force: true }));
  const call = async (url: string, path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as { ok: boolean; data?: any; error?: { kind: string; message: string } } };
  };

  it('keeps the settings in the store scope (as outcomes settings does); ROI takes the cost; a file is removed again', async () => {
    const store = openStore(':memory:');
    const scope = store.scope({ source: 'jira', site: 'https://serve.example', scope: '7' });
    const api = dashboardApi({
      choice: { id: '7', name: 'Golden' },
      snapshot: async () => outcomesGoldenSnapshot(),
      recordVerdict: async () => {},
      syncedAt: async () => '',
      outcomes: async () => readTeamOutcomes(scope),
    });
    const server = await startDashboardServer({ api, webRoot: web, outcomes: scopeOutcomeSink(scope) });
    try {
      const roiOfE1 = async () => (await call(server.url, '/api/metrics')).body.data.report.roi.details.epics.find((e: { name: string }) => e.name.startsWith('E-1'));
      // 13 125 EUR of benefit from epic E-1, before the board's asOf (2026-06-30).
      expect((await call(server.url, '/api/outcomes', 'POST', { kind: 'benefit', name: 'benefit.csv', text: 'date,amount,currency,epic\n2026-05-01,13125,EUR,E-1\n' })).body).toMatchObject({ ok: true, data: { added: 1 } });
      expect(await roiOfE1()).toMatchObject({ benefit: 13_125, roi: null, reason: 'no cost per sprint is configured' });

      expect(await call(server.url, '/api/outcomes/settings', 'PUT', { cost: { perSprint: 0, currency: 'EUR' } })).toEqual({
        status: 400,
        body: { ok: false, error: { kind: 'invalid', message: "cost per sprint must be an amount above 0 and a currency code, e.g. 10000 EUR, got '0 EUR'" } },
      });
      expect((await call(server.url, '/api/outcomes/settings', 'PUT', { cost: { perSprint: 10_000, currency: 'eur' } })).body).toEqual({
        ok: true,
        data: { files: [{ kind: 'benefit', name: 'benefit.csv', records: 1 }], settings: { cost: { perSprint: 10_000, currency: 'EUR' } } },
      });
      // Where `agile-kpi outcomes settings` keeps them, read by metrics and report too.
      expect(scope.getState('outcome-settings')).toEqual({ cost: { perSprint: 10_000, currency: 'EUR' } });
      // E-1's stories took 5 of S1's 10 completed points and 3 of S2's 8: 10 000 x 0.5 + 10 000 x 0.375 = 8 750 EUR;
      // ROI = (13 125 - 8 750) / 8 750 = 0.5.
      expect(await roiOfE1()).toMatchObject({ cost: 8_750, benefit: 13_125, roi: 0.5, currency: 'EUR' });

      expect((await call(server.url, '/api/outcomes', 'GET')).body).toEqual({ ok: true, data: { files: [{ kind: 'benefit', name: 'benefit.csv', records: 1 }], settings: { cost: { perSprint: 10_000, currency: 'EUR' } } } });
      expect(await call(server.url, '/api/outcomes/remove', 'POST', { kind: 'benefit', name: 'nope.csv' })).toMatchObject({ status: 404, body: { ok: false, error: { kind: 'not-found' } } });
      expect((await call(server.url, '/api/outcomes/remove', 'POST', { kind: 'benefit', name: 'benefit.csv' })).body).toMatchObject({ ok: true, data: { removed: 1, files: [] } });
      expect(scope.listOutcomes()).toEqual([]);
      expect(await roiOfE1()).toMatchObject({ benefit: null, roi: null });
    } finally {
      await server.close();
      store.close();
    }
  });

  it('serve --input FILE and --demo keep outcome settings set in the settings for the life of the server; ROI takes the cost', async () => {
    const { source, outcomes } = withMemoryOutcomes(memorySource(outcomesGoldenSnapshot(), { id: 'golden', name: 'Golden' }));
    const server = await startDashboardServer({ api: dashboardApi(source), webRoot: web, outcomes });
    try {
      const roiOfE1 = async () => (await call(server.url, '/api/metrics')).body.data.report.roi.details.epics.find((e: { name: string }) => e.name.startsWith('E-1'));
      // Offered from the start, empty: the settings page shows its form.
      expect((await call(server.url, '/api/outcomes')).body).toEqual({ ok: true, data: { files: [], settings: {} } });
      await call(server.url, '/api/outcomes', 'POST', { kind: 'benefit', name: 'benefit.csv', text: 'date,amount,currency,epic\n2026-05-01,13125,EUR,E-1\n' });
      expect(await roiOfE1()).toMatchObject({ roi: null, reason: 'no cost per sprint is configured' });
      expect((await call(server.url, '/api/outcomes/settings', 'PUT', { cost: { perSprint: 0, currency: 'EUR' } })).body).toMatchObject({ ok: false, error: { kind: 'invalid' } });
      expect((await call(server.url, '/api/outcomes/settings', 'PUT', { cost: { perSprint: 10_000, currency: 'eur' } })).body).toEqual({
        ok: true,
        data: { files: [{ kind: 'benefit', name: 'benefit.csv', records: 1 }], settings: { cost: { perSprint: 10_000, currency: 'EUR' } } },
      });
      // As with a store: E-1 took 5 of S1's 10 completed points and 3 of S2's 8: 10 000 x 0.5 + 10 000 x 0.375 =
      // 8 750 EUR; ROI = (13 125 - 8 750) / 8 750 = 0.5.
      expect(await roiOfE1()).toMatchObject({ cost: 8_750, benefit: 13_125, roi: 0.5, currency: 'EUR' });
    } finally {
      await server.close();
    }
  });

  it('a snapshot file or the demo (memory) lists and removes its uploads, but keeps its settings as they came', async () => {
    const api = dashboardApi({ choice: { id: 'x', name: 'X' }, snapshot: async () => outcomesGoldenSnapshot(), recordVerdict: async () => {}, syncedAt: async () => '' });
    const sink = memoryOutcomeSink();
    const server = await startDashboardServer({ api, webRoot: web, outcomes: sink });
    try {
      await call(server.url, '/api/outcomes', 'POST', { kind: 'nps', name: 'nps.csv', text: 'date,score\n2026-03-02,9\n' });
      expect((await call(server.url, '/api/outcomes')).body).toEqual({ ok: true, data: { files: [{ kind: 'nps', name: 'nps.csv', records: 1 }] } });
      expect((await call(server.url, '/api/outcomes/settings', 'PUT', {})).body).toMatchObject({ ok: false, error: { kind: 'not-found' } });
      expect((await call(server.url, '/api/outcomes/remove', 'POST', { kind: 'nps', name: 'nps.csv' })).body).toMatchObject({ ok: true, data: { removed: 1, files: [] } });
      expect(sink.records()).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
