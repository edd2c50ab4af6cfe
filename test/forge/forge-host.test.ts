import { type Bridge, forgeHost } from '../../static/gadget/src/forge-host';
import { packAnswer } from '../../src/packed-answer';

/**
 * The gadget's Host over @forge/bridge: which resolver each call invokes with which payload, the view fixed
 * by the module key, the edit entry point closing with view.submit after a save, and failures of the bridge
 * itself answered as error results.
 */
function fakeBridge(answers: Record<string, unknown> = {}) {
  const invoked: [string, unknown][] = [];
  const submitted: unknown[] = [];
  const bridge: Bridge = {
    invoke: async (name, payload) => {
      invoked.push([name, payload]);
      const a = answers[name];
      if (a instanceof Error) throw a;
      return a ?? { ok: true, data: null };
    },
    submit: async (payload) => void submitted.push(payload),
  };
  return { bridge, invoked, submitted };
}

it('calls the resolvers with the contract’s payloads', async () => {
  const { bridge, invoked } = fakeBridge({ loadMetrics: { ok: true, data: { report: {}, syncedAt: 'x' } } });
  const host = forgeHost({ moduleKey: 'agile-kpi-flow' }, bridge);
  expect(host).toMatchObject({ kind: 'forge', fixedView: 'flow', editing: false });
  const config = { source: '42' };
  await host.getConfig();
  await host.listSources();
  expect(await host.loadMetrics(config)).toEqual({ ok: true, data: { report: {}, syncedAt: 'x' } });
  await host.recordVerdict(config, 'jira:sprint:7', { outcome: 'met', note: 'n' });
  expect(invoked).toEqual([
    ['getConfig', {}],
    ['listSources', {}],
    ['loadMetrics', { config }],
    ['recordVerdict', { config, sprintId: 'jira:sprint:7', verdict: { outcome: 'met', note: 'n' } }],
  ]);
});

it('the customer outcomes gadget alone takes outcome files: importOutcomes with the file as the settings read it', async () => {
  const answer = { imported: true, added: 2, replaced: 0, unchanged: 0, message: 'survey.csv (csat): 2 new records; 0 already imported' };
  const { bridge, invoked } = fakeBridge({ importOutcomes: { ok: true, data: answer } });
  const host = forgeHost({ moduleKey: 'agile-kpi-customer-outcomes', extension: { entryPoint: 'edit' } }, bridge);
  const file = { kind: 'csat' as const, name: 'survey.csv', text: 'date,score\n2026-03-02,5\n2026-03-03,4\n' };
  expect(await host.importOutcomes!(file)).toEqual({ ok: true, data: answer });
  expect(invoked).toEqual([['importOutcomes', file]]);
  expect(forgeHost({ moduleKey: 'agile-kpi-velocity', extension: { entryPoint: 'edit' } }, bridge).importOutcomes).toBeUndefined();
});

it('in the edit view, a successful save closes the form with view.submit; a refused one does not', async () => {
  const saved = { source: '42', view: 'velocity' };
  const ok = fakeBridge({ saveConfig: { ok: true, data: saved } });
  const editing = forgeHost({ moduleKey: 'agile-kpi-velocity', extension: { entryPoint: 'edit' } }, ok.bridge);
  expect(editing.editing).toBe(true);
  expect(await editing.saveConfig({ source: '42' })).toEqual({ ok: true, data: saved });
  expect(ok.submitted).toEqual([saved]);

  const refused = fakeBridge({ saveConfig: { ok: false, error: { kind: 'not-found', message: 'no such board' } } });
  const host = forgeHost({ extension: { entryPoint: 'edit' } }, refused.bridge);
  expect(await host.saveConfig({ source: '9' })).toEqual({ ok: false, error: { kind: 'not-found', message: 'no such board' } });
  expect(refused.submitted).toEqual([]);
  expect(host.fixedView).toBeUndefined();
});

it('never throws into the UI: a failing bridge or an odd answer become error results', async () => {
  const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const { bridge } = fakeBridge({ loadMetrics: new Error('Invocation timed out'), listSources: 'oops' });
    const host = forgeHost({}, bridge);
    expect(await host.loadMetrics({ source: '1' })).toMatchObject({ ok: false, error: { kind: 'network', message: expect.stringMatching(/Invocation timed out/) } });
    expect(await host.listSources()).toMatchObject({ ok: false, error: { kind: 'internal' } });
  } finally {
    spy.mockRestore();
  }
});

it('unpacks a compressed answer to the very payload the resolver gave; damaged data is an error result', async () => {
  const payload = { report: { rows: Array.from({ length: 10_000 }, (_, i) => ({ key: `SIM-${i}`, title: `Ümlaut “quoted” ${i}` })) }, syncedAt: '2026-11-27T10:00:00Z' };
  const packed = packAnswer({ ok: true, data: payload });
  expect(packed).toMatchObject({ ok: true, encoding: 'gzip-base64' });
  const host = forgeHost({}, fakeBridge({ loadMetrics: packed }).bridge);
  expect(await host.loadMetrics({ source: '1' })).toEqual({ ok: true, data: payload });

  const damaged = forgeHost({}, fakeBridge({ loadMetrics: { ok: true, encoding: 'gzip-base64', data: 'bm90IGd6aXA=', bytes: 7 } }).bridge);
  expect(await damaged.loadMetrics({ source: '1' })).toMatchObject({ ok: false, error: { kind: 'internal', message: expect.stringMatching(/could not be unpacked/) } });
});
