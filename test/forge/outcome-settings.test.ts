import type { DashboardConfig, HostResult, MetricsPayload } from '@agile-kpi/presentation';
import { simulateTeam } from '@agile-kpi/testkit';
import { type Bridge, forgeHost } from '../../static/gadget/src/forge-host';
import { type ForgeHarness, forgeHarness, wire } from './forge-harness';

/**
 * The customer outcomes gadget's settings on the Forge app beside the upload: the board's uploaded files listed and
 * removed, and its outcome settings (cost per sprint, feature mappings) set, through the gadget's own host calling
 * the resolvers, against the simulated Jira and the in-memory Key-Value Store. ROI takes the cost set there; a
 * change computes the cached report again; a viewer who cannot see the board changes nothing.
 */
const team = simulateTeam({ seed: 21, sprints: 6 });
let h: ForgeHarness;
let board: number;
const GADGET = 'g-outcome-settings';
const ctx = () => h.context(GADGET, 'agile-kpi-customer-outcomes');
const config = (): DashboardConfig => ({ source: String(board), view: 'customerOutcomes' });

const ok = <T>(r: HostResult<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.data;
};
/** The gadget's settings host, its bridge calling the resolvers as Forge would (the payload through JSON). */
const host = (extra: Parameters<ForgeHarness['resolvers']>[0] = {}) => {
  const bridge: Bridge = {
    invoke: async (name, payload) => h.resolvers(extra)[name as 'outcomeData'](wire(payload), ctx()),
    submit: async () => undefined,
  };
  return forgeHost({ moduleKey: 'agile-kpi-customer-outcomes', extension: { entryPoint: 'edit' } }, bridge);
};
const load = async (): Promise<MetricsPayload> => ok(await h.resolvers().loadMetrics({ config: config() }, ctx()));
const stored = async () => Object.fromEntries(await Promise.all(h.kvs.keys('').map(async (k) => [k, JSON.stringify(await h.kvs.get(k))] as const)));

const SURVEY = 'date,score\n2025-02-10,5\n2025-02-11,4\n2025-02-12,2\n';
const MORE = 'date,score\n2025-02-13,1\n';
/** 15 000 EUR of revenue from the released SIM 1.0, before the board's asOf (2025-03-24). */
const BENEFIT = 'date,amount,currency,release\n2025-03-10,15000,EUR,SIM 1.0\n';

beforeAll(async () => {
  h = await forgeHarness([team]);
  board = h.jira.boards[0]!.id;
});
afterAll(() => h.close());

describe('outcome settings and uploaded files in the Forge app', () => {
  it('before the gadget names its board, its outcome data is refused with what to do', async () => {
    expect(await host().loadOutcomeData!()).toEqual({ ok: false, error: { kind: 'not-configured', message: expect.stringMatching(/^choose this gadget’s board and save the settings before seeing its outcome data/) } });
    expect(await host().saveOutcomeSettings!({ cost: { perSprint: 1, currency: 'EUR' } })).toMatchObject({ ok: false, error: { kind: 'not-configured' } });
  });

  it("only the customer outcomes gadget's settings offer them", () => {
    const velocity = forgeHost({ moduleKey: 'agile-kpi-velocity', extension: { entryPoint: 'edit' } }, { invoke: async () => undefined, submit: async () => undefined });
    expect([velocity.loadOutcomeData, velocity.saveOutcomeSettings, velocity.removeOutcomeFile]).toEqual([undefined, undefined, undefined]);
  });

  it('lists the files uploaded to the board, per kind, and no settings yet', async () => {
    ok(await h.resolvers().saveConfig({ config: config() }, ctx()));
    const gadget = host();
    expect(ok(await gadget.loadOutcomeData!())).toEqual({ files: [], settings: {} });
    ok(await gadget.importOutcomes!({ kind: 'csat', name: 'survey.csv', text: SURVEY }));
    ok(await gadget.importOutcomes!({ kind: 'csat', name: 'more.csv', text: MORE }));
    ok(await gadget.importOutcomes!({ kind: 'benefit', name: 'benefit.csv', text: BENEFIT }));
    expect(ok(await gadget.loadOutcomeData!())).toEqual({
      files: [
        { kind: 'csat', name: 'more.csv', records: 1 },
        { kind: 'csat', name: 'survey.csv', records: 3 },
        { kind: 'benefit', name: 'benefit.csv', records: 1 },
      ],
      settings: {},
    });
  });

  it('ROI of SIM 1.0 is null without a cost, and takes the cost per sprint set in the settings', async () => {
    const before = (await load()).report.roi.details.releases.find((r) => r.name === 'SIM 1.0')!;
    expect(before).toMatchObject({ benefit: 15000, roi: null, reason: 'no cost per sprint is configured' });

    expect(ok(await host().saveOutcomeSettings!({ cost: { perSprint: 10_000, currency: 'eur' }, features: [{ feature: 'export', shippedBy: 'SIM 1.0' }] }))).toMatchObject({
      settings: { cost: { perSprint: 10_000, currency: 'EUR' }, features: [{ feature: 'export', shippedBy: 'SIM 1.0' }] },
    });
    const report = (await load()).report;
    const roi = report.roi.details.releases.find((r) => r.name === 'SIM 1.0')!;
    // SIM 1.0's items took these shares of the closed sprints' completed points (velocity: 32, 47, 47, 48, 42):
    // sprint 1 32/32, sprint 2 41/47, sprint 3 40/47, sprint 4 22/48, sprint 5 none. At 10 000 EUR a sprint:
    // 10 000 + 8 723.40 + 8 510.64 + 4 583.33 = 31 817.37 EUR; ROI = (15 000 - 31 817.37) / 31 817.37 = -0.529.
    expect(roi.sprints.map((s) => [s.name, s.share, s.cost])).toEqual([
      ['SIM Sprint 1', 1, 10_000],
      ['SIM Sprint 2', 0.872, 8_723.4],
      ['SIM Sprint 3', 0.851, 8_510.64],
      ['SIM Sprint 4', 0.458, 4_583.33],
    ]);
    expect(roi).toMatchObject({ cost: 31_817.37, benefit: 15_000, currency: 'EUR', roi: -0.529 });
    expect(report.roi.params).toMatchObject({ costPerSprint: 10_000, currency: 'EUR' });
  });

  it('a bad cost is refused, naming the field, and changes nothing; so is a viewer who cannot see the board', async () => {
    const before = await stored();
    expect(await host().saveOutcomeSettings!({ cost: { perSprint: -1, currency: 'EUR' } })).toEqual({
      ok: false,
      error: { kind: 'invalid', message: "cost per sprint must be an amount above 0 and a currency code, e.g. 10000 EUR, got '-1 EUR'" },
    });
    expect(await host().saveOutcomeSettings!({ features: [{ feature: 'export', shippedBy: ' ' }] })).toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringMatching(/^a feature mapping needs/) } });
    const blind = host({ viewerCanSee: async () => false });
    expect(await blind.saveOutcomeSettings!({})).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await blind.removeOutcomeFile!({ kind: 'csat', name: 'survey.csv' })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await blind.loadOutcomeData!()).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await stored()).toEqual(before);
  });

  it("removes one file's records; the next load is computed without them; an unknown name lists the known ones", async () => {
    // 5 4 2 and 1: 2 of 4 are 4 or 5.
    expect((await load()).report.customerSatisfaction.details.months.at(-1)?.csat).toMatchObject({ responses: 4, share: 0.5 });
    expect(await host().removeOutcomeFile!({ kind: 'csat', name: 'survey.cvs' })).toEqual({ ok: false, error: { kind: 'not-found', message: 'there are no csat records from a file named survey.cvs: the csat files are more.csv, survey.csv' } });
    expect(ok(await host().removeOutcomeFile!({ kind: 'csat', name: 'more.csv' }))).toMatchObject({
      removed: 1,
      message: 'removed 1 csat record of more.csv',
      files: [
        { kind: 'csat', name: 'survey.csv', records: 3 },
        { kind: 'benefit', name: 'benefit.csv', records: 1 },
      ],
    });
    // 5 4 2: 2 of 3.
    expect((await load()).report.customerSatisfaction.details.months.at(-1)?.csat).toMatchObject({ responses: 3, share: 0.667 });
    ok(await host().removeOutcomeFile!({ kind: 'benefit', name: 'benefit.csv' }));
    expect((await load()).report.roi.details.releases.find((r) => r.name === 'SIM 1.0')).toBeUndefined();
  });
});
