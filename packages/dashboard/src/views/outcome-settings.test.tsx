import { renderToStaticMarkup } from 'react-dom/server';
import { createHttpHost } from '../http-host';
import { OutcomeFileList, OutcomeSettingsForm, fieldsToSettings, settingsToFields } from './outcome-settings';

describe('the outcome settings and uploaded files in the settings', () => {
  test('the settings form: amount and currency labelled, a row per feature mapping with its remove button, add and save', () => {
    const html = renderToStaticMarkup(
      <OutcomeSettingsForm initial={{ cost: { perSprint: 10_000, currency: 'EUR' }, features: [{ feature: 'export', shippedBy: 'PROJ-12' }, { feature: 'search', shippedBy: 'Release 2.0' }] }} save={async () => null} />,
    );
    for (const id of ['outcome-settings', 'outcome-cost-amount', 'outcome-cost-currency', 'outcome-features', 'outcome-feature-add', 'outcome-settings-save', 'outcome-settings-status']) expect(html).toContain(`data-testid="${id}"`);
    expect(html).toContain('<label for="outcome-cost-amount">Amount</label>');
    expect(html).toMatch(/id="outcome-cost-amount"[^>]*value="10000"/);
    expect(html).toMatch(/id="outcome-cost-currency"[^>]*value="EUR"/);
    expect(html).toMatch(/aria-label="Feature key 2"[^>]*value="search"/);
    expect(html).toMatch(/aria-label="Epic key or release name 1"[^>]*value="PROJ-12"/);
    expect(html).toContain('data-testid="outcome-feature-remove-1"');
    expect(html).toContain('role="status" aria-live="polite"');
    // No mappings: no table, only the button that adds one.
    const empty = renderToStaticMarkup(<OutcomeSettingsForm initial={{}} save={async () => null} />);
    expect(empty).not.toContain('data-testid="outcome-features"');
    expect(empty).toMatch(/id="outcome-cost-amount"[^>]*value=""/);
  });

  test("the form's fields read by core's rule: empty cost is none, empty rows are dropped, the first problem names its field", () => {
    const fields = settingsToFields({ cost: { perSprint: 12_500.5, currency: 'USD' }, features: [{ feature: 'export', shippedBy: 'PROJ-12' }] });
    expect(fields).toEqual({ amount: '12500.5', currency: 'USD', features: [{ feature: 'export', shippedBy: 'PROJ-12' }] });
    expect(fieldsToSettings(fields)).toEqual({ ok: true, value: { cost: { perSprint: 12_500.5, currency: 'USD' }, features: [{ feature: 'export', shippedBy: 'PROJ-12' }] } });
    expect(fieldsToSettings({ amount: ' ', currency: '', features: [{ feature: '', shippedBy: ' ' }] })).toEqual({ ok: true, value: {} });
    expect(fieldsToSettings({ amount: '10,000', currency: 'eur', features: [] })).toEqual({
      ok: false,
      field: 'cost',
      message: "cost per sprint must be an amount above 0 and a currency code, e.g. 10000 EUR, got '10,000 eur'",
    });
    expect(fieldsToSettings({ amount: '10000', currency: '', features: [] })).toMatchObject({ ok: false, field: 'cost' });
    expect(fieldsToSettings({ amount: '', currency: '', features: [{ feature: 'export', shippedBy: '' }] })).toMatchObject({ ok: false, field: 'features', message: expect.stringMatching(/^a feature mapping needs a feature key and the epic key or release name/) });
    expect(fieldsToSettings({ amount: '', currency: '', features: [{ feature: 'a', shippedBy: 'R1' }, { feature: 'a', shippedBy: 'R2' }] })).toMatchObject({ ok: false, field: 'features', message: 'feature a is mapped twice: a feature is shipped by one epic or release' });
  });

  test('the file list: kind, name and record count per file, each with its remove button; none says so', () => {
    const html = renderToStaticMarkup(
      <OutcomeFileList
        files={[
          { kind: 'csat', name: 'survey <march>.csv', records: 10 },
          { kind: 'usage', name: 'usage.csv', records: 3 },
        ]}
        remove={async () => 'unused'}
      />,
    );
    expect(html.match(/data-testid="outcome-file-row"/g)).toHaveLength(2);
    expect(html).toContain('<td>csat</td><td>survey &lt;march&gt;.csv</td><td class="akpi-num">10</td>');
    expect(html).toContain('csat records of survey &lt;march&gt;.csv');
    expect(html.match(/data-testid="outcome-file-remove"/g)).toHaveLength(2);
    expect(renderToStaticMarkup(<OutcomeFileList files={[]} remove={async () => 'unused'} />)).toContain('No files uploaded yet.');
  });

  test("the standalone host's calls: GET /api/outcomes, PUT /api/outcomes/settings, POST /api/outcomes/remove", async () => {
    const calls: { url: string; method: string; body?: unknown }[] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(input), method: init?.method ?? 'GET', ...(init?.body ? { body: JSON.parse(String(init.body)) } : {}) });
      return new Response(JSON.stringify({ ok: true, data: { files: [] } }), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof globalThis.fetch;
    const host = createHttpHost('http://127.0.0.1:4242', { fetch });
    expect(await host.loadOutcomeData!()).toEqual({ ok: true, data: { files: [] } });
    await host.saveOutcomeSettings!({ cost: { perSprint: 5, currency: 'EUR' } });
    await host.removeOutcomeFile!({ kind: 'nps', name: 'nps.csv' });
    expect(calls).toEqual([
      { url: 'http://127.0.0.1:4242/api/outcomes', method: 'GET' },
      { url: 'http://127.0.0.1:4242/api/outcomes/settings', method: 'PUT', body: { cost: { perSprint: 5, currency: 'EUR' } } },
      { url: 'http://127.0.0.1:4242/api/outcomes/remove', method: 'POST', body: { kind: 'nps', name: 'nps.csv' } },
    ]);
  });
});
