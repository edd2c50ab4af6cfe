import { renderToStaticMarkup } from 'react-dom/server';
import type { HostResult, OutcomeUploadResult } from '@agile-kpi/presentation';
import { createHttpHost } from '../http-host';
import { OUTCOME_FILE_LABELS, OutcomeUploadForm, hostUpload } from './outcome-upload';

describe('uploading outcome files in the settings', () => {
  test('the form: what the file holds (each kind with its columns), the file, the upload button and a status region', () => {
    const html = renderToStaticMarkup(<OutcomeUploadForm upload={async () => ({ kind: 'internal', message: 'unused' })} />);
    for (const id of ['outcome-upload', 'outcome-kind', 'outcome-file', 'outcome-upload-submit', 'outcome-upload-status']) expect(html).toContain(`data-testid="${id}"`);
    for (const [kind, label] of Object.entries(OUTCOME_FILE_LABELS)) expect(html).toContain(`<option value="${kind}">${label}</option>`);
    expect(html).toContain('accept=".csv,.json,text/csv,application/json"');
    expect(html).toContain('role="status"');
  });

  test('the standalone host posts the file to /api/outcomes and hands back the answer or the error', async () => {
    const calls: { url: string; method: string; body: unknown }[] = [];
    const answer: OutcomeUploadResult = { imported: true, added: 2, replaced: 0, unchanged: 0, message: 'survey.csv (csat): 2 new records; 0 already imported' };
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(input), method: init?.method ?? 'GET', body: JSON.parse(String(init?.body)) });
      return new Response(JSON.stringify({ ok: true, data: answer }), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof globalThis.fetch;
    const host = createHttpHost('http://127.0.0.1:4242', { fetch });
    const file = { kind: 'csat' as const, name: 'survey.csv', text: 'date,score\n2026-03-02,5\n2026-03-03,4\n' };
    expect(await hostUpload(host.importOutcomes!.bind(host))(file)).toEqual(answer);
    expect(calls).toEqual([{ url: 'http://127.0.0.1:4242/api/outcomes', method: 'POST', body: file }]);
    const failing = async (): Promise<HostResult<OutcomeUploadResult>> => ({ ok: false, error: { kind: 'invalid', message: 'kind must be one of csat, nps, usage, benefit' } });
    expect(await hostUpload(failing)(file)).toEqual({ kind: 'invalid', message: 'kind must be one of csat, nps, usage, benefit' });
  });
});
