import { nodeApiTransport } from '@agile-kpi/azure-devops';
import type { HostResult } from '@agile-kpi/presentation';
import { type SimulatedAzureDevOps, simulateTeam, startSimulatedAzureDevOps } from '@agile-kpi/testkit';
import { hubHost, widgetHost } from '../../packages/azure-devops-extension/src/ado-host';
import { TeamService } from '../../packages/azure-devops-extension/src/team-service';
import { MemoryExtensionData } from './memory-extension-data';

/**
 * The hub settings' customer outcome data beside the upload in the Azure DevOps extension, on the simulated
 * organisation with the extension data in memory: the team's uploaded files listed and removed, its outcome
 * settings (cost per sprint, feature mappings) set; ROI takes the cost set there, a change computes the cached
 * report again, a sign-in that cannot read the team changes nothing.
 */
const team = simulateTeam({ seed: 11, sprintCalendar: 'dates' });
const ref = { projectId: 'proj-guid', projectName: 'SIM', teamId: 'team-guid', teamName: 'SIM Team' };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
let ado: SimulatedAzureDevOps;

beforeAll(async () => {
  ado = await startSimulatedAzureDevOps({ teams: [team], process: 'scrum', now: team.snapshot.asOf });
});
afterAll(() => ado.close());

function setup(pat = ado.pat, data = new MemoryExtensionData()) {
  const service = new TeamService({ data, transport: nodeApiTransport({ orgUrl: ado.url, pat }), orgUrl: ado.url, user: { id: 'u-1', name: 'Pat Product-Owner' }, log: quiet, chunkBytes: 16_000, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
  const surface = { team: ref, service, zones: { profile: 'W. Europe Standard Time' } };
  return { data, surface, hub: hubHost(surface) };
}

const ok = <T>(r: HostResult<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.data;
};
const stored = (data: MemoryExtensionData) => JSON.stringify([...data.docs()].sort(([a], [b]) => (a < b ? -1 : 1)));

/** 15 000 EUR of revenue from the released SIM 1.0, before the team's asOf (2025-06-16). */
const BENEFIT = 'date,amount,currency,release\n2025-04-01,15000,EUR,SIM 1.0\n';

describe('outcome settings and uploaded files in the Azure DevOps extension', () => {
  it('ROI of SIM 1.0 is null without a cost, and takes the cost per sprint set in the hub’s settings', async () => {
    const { hub, surface } = setup();
    ok(await hub.importOutcomes!({ kind: 'benefit', name: 'benefit.csv', text: BENEFIT }));
    expect(ok(await hub.loadOutcomeData!())).toEqual({ files: [{ kind: 'benefit', name: 'benefit.csv', records: 1 }], settings: {} });
    expect(ok(await hub.loadMetrics({})).report.roi.details.releases.find((r) => r.name === 'SIM 1.0')).toMatchObject({ benefit: 15_000, roi: null, reason: 'no cost per sprint is configured' });

    expect(ok(await hub.saveOutcomeSettings!({ cost: { perSprint: 10_000, currency: 'EUR' }, features: [{ feature: 'export', shippedBy: 'SIM 1.1' }] }))).toEqual({
      files: [{ kind: 'benefit', name: 'benefit.csv', records: 1 }],
      settings: { cost: { perSprint: 10_000, currency: 'EUR' }, features: [{ feature: 'export', shippedBy: 'SIM 1.1' }] },
    });
    const report = ok(await hub.loadMetrics({})).report;
    const roi = report.roi.details.releases.find((r) => r.name === 'SIM 1.0')!;
    // SIM 1.0's items took all of sprints 1 and 2's completed points, 38/51 of sprint 3's and 44/49 of sprint 4's,
    // none later. At 10 000 EUR a sprint: 10 000 + 10 000 + 7 450.98 + 8 979.59 = 36 430.57 EUR;
    // ROI = (15 000 - 36 430.57) / 36 430.57 = -0.588.
    expect(roi.sprints.map((s) => [s.name, s.cost])).toEqual([
      ['Sprint 1', 10_000],
      ['Sprint 2', 10_000],
      ['Sprint 3', 7_450.98],
      ['Sprint 4', 8_979.59],
    ]);
    expect(roi).toMatchObject({ cost: 36_430.57, benefit: 15_000, currency: 'EUR', roi: -0.588 });
    // The team's widgets read the same settings.
    expect(ok(await widgetHost(surface, { view: 'customerOutcomes' }).loadMetrics({})).report.roi.params).toMatchObject({ costPerSprint: 10_000, currency: 'EUR' });
    // A widget offers no settings.
    expect(widgetHost(surface, { view: 'customerOutcomes' }).saveOutcomeSettings).toBeUndefined();
  });

  it('a bad cost is refused naming the field; a sign-in that cannot read the team changes nothing', async () => {
    const { data, hub } = setup();
    ok(await hub.saveOutcomeSettings!({ cost: { perSprint: 500, currency: 'USD' } }));
    const before = stored(data);
    expect(await hub.saveOutcomeSettings!({ cost: { perSprint: 500, currency: 'DOLLARS' } })).toEqual({
      ok: false,
      error: { kind: 'invalid', message: "cost per sprint must be an amount above 0 and a currency code, e.g. 10000 EUR, got '500 DOLLARS'" },
    });
    const outsider = setup('not-the-pat', data).hub;
    expect(await outsider.saveOutcomeSettings!({})).toMatchObject({ ok: false, error: { kind: 'auth' } });
    expect(await outsider.removeOutcomeFile!({ kind: 'csat', name: 'x.csv' })).toMatchObject({ ok: false, error: { kind: 'auth' } });
    expect(stored(data)).toBe(before);
    expect(ok(await hub.loadOutcomeData!()).settings).toEqual({ cost: { perSprint: 500, currency: 'USD' } });
  });

  it("removes one file's records and the next load is computed without them", async () => {
    const { hub } = setup();
    const month = new Date(Date.UTC(new Date(team.snapshot.asOf).getUTCFullYear(), new Date(team.snapshot.asOf).getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    ok(await hub.importOutcomes!({ kind: 'csat', name: 'survey.csv', text: `date,score\n${month}-10,5\n${month}-11,4\n` }));
    ok(await hub.importOutcomes!({ kind: 'csat', name: 'more.csv', text: `date,score\n${month}-12,1\n` }));
    // 5 4 1: 2 of 3 are 4 or 5.
    expect(ok(await hub.loadMetrics({})).report.customerSatisfaction.value?.csat).toMatchObject({ responses: 3, share: 0.667 });
    expect(ok(await hub.removeOutcomeFile!({ kind: 'csat', name: 'more.csv' }))).toEqual({ removed: 1, message: 'removed 1 csat record of more.csv', files: [{ kind: 'csat', name: 'survey.csv', records: 2 }], settings: {} });
    // 5 4: 2 of 2.
    expect(ok(await hub.loadMetrics({})).report.customerSatisfaction.value?.csat).toMatchObject({ responses: 2, share: 1 });
    expect(await hub.removeOutcomeFile!({ kind: 'csat', name: 'more.csv' })).toEqual({ ok: false, error: { kind: 'not-found', message: 'there are no csat records from a file named more.csv: the csat files are survey.csv' } });
  });
});
