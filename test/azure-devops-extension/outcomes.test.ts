import { nodeApiTransport } from '@agile-kpi/azure-devops';
import type { HostResult, MetricsPayload } from '@agile-kpi/presentation';
import { type SimulatedAzureDevOps, simulateTeam, startSimulatedAzureDevOps } from '@agile-kpi/testkit';
import { hubHost, widgetHost } from '../../packages/azure-devops-extension/src/ado-host';
import { TeamService } from '../../packages/azure-devops-extension/src/team-service';
import { MemoryExtensionData } from './memory-extension-data';

/**
 * The hub settings' upload of customer outcome files in the Azure DevOps extension, on the simulated organisation
 * with the extension data in memory (64 KB a document): a survey file is kept with the team's data (in parts when
 * large), the report computed with it, a new upload computing the cached report again; a bad file and the same
 * file again change nothing.
 */
const team = simulateTeam({ seed: 11, sprintCalendar: 'dates' });
const ref = { projectId: 'proj-guid', projectName: 'SIM', teamId: 'team-guid', teamName: 'SIM Team' };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
let ado: SimulatedAzureDevOps;

/** The last complete month before the team's asOf (the value's month), and a day in it away from its edges. */
const asOf = new Date(team.snapshot.asOf);
const month = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
const day = (d: number) => `${month}-${String(d).padStart(2, '0')}`;
/** Ten ratings by hand: 5 5 4 4 4 3 2 5 4 1 -> 7 of 10 are 4 or 5 (CSAT 0.7), mean 37 / 10 = 3.7. */
const RATINGS = [5, 5, 4, 4, 4, 3, 2, 5, 4, 1];
const SURVEY = `[${RATINGS.map((s, i) => JSON.stringify({ date: day(10 + i), score: s })).join(',\n')}]`;

beforeAll(async () => {
  ado = await startSimulatedAzureDevOps({ teams: [team], process: 'scrum', now: team.snapshot.asOf });
});
afterAll(() => ado.close());

function setup(pat = ado.pat) {
  const data = new MemoryExtensionData();
  const service = new TeamService({ data, transport: nodeApiTransport({ orgUrl: ado.url, pat }), orgUrl: ado.url, user: { id: 'u-1', name: 'Pat Product-Owner' }, log: quiet, chunkBytes: 16_000, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
  const surface = { team: ref, service, zones: { profile: 'W. Europe Standard Time' } };
  return { data, service, surface, hub: hubHost(surface) };
}

const ok = <T>(r: HostResult<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.data;
};
/** Every document as stored: what "changes nothing" compares. */
const stored = (data: MemoryExtensionData) => JSON.stringify([...data.docs()].sort(([a], [b]) => (a < b ? -1 : 1)));

describe('outcome data in the Azure DevOps extension', () => {
  it('a CSAT file uploaded in the hub: kept with the team, its figures in the next load, worked out by hand; the same file again changes nothing', async () => {
    const { data, hub, surface } = setup();
    const before: MetricsPayload = ok(await hub.loadMetrics({}));
    expect(before.report.customerSatisfaction.value?.csat ?? null).toBeNull();

    expect(ok(await hub.importOutcomes!({ kind: 'csat', name: 'survey.json', text: SURVEY }))).toEqual({ imported: true, added: 10, replaced: 0, unchanged: 0, message: 'survey.json (csat): 10 new records; 0 already imported' });
    expect([...data.docs().keys()].filter((k) => k.includes('.outcomes')).sort()).toEqual(['p.proj-guid.t.team-guid.outcomes', 'p.proj-guid.t.team-guid.outcomes.csat']);
    const after = ok(await hub.loadMetrics({})).report.customerSatisfaction;
    expect(after.value).toMatchObject({ month, csat: { share: 0.7, mean: 3.7, responses: 10 } });
    // The team's widgets show it too.
    expect(ok(await widgetHost(surface, { view: 'customerOutcomes' }).loadMetrics({})).report.customerSatisfaction.value?.csat).toMatchObject({ share: 0.7, mean: 3.7 });

    const kept = stored(data);
    expect(ok(await hub.importOutcomes!({ kind: 'csat', name: 'survey.json', text: SURVEY }))).toMatchObject({ imported: true, added: 0, replaced: 0, unchanged: 10 });
    expect(stored(data)).toBe(kept);
  });

  it('a file with bad rows changes nothing and names each row and column', async () => {
    const { data, hub } = setup();
    ok(await hub.importOutcomes!({ kind: 'csat', name: 'survey.json', text: SURVEY }));
    const kept = stored(data);
    const bad = JSON.stringify([{ date: day(20), score: 5 }, { date: day(21), score: 0 }, { score: 4 }, 'five']);
    expect(ok(await hub.importOutcomes!({ kind: 'csat', name: 'bad.json', text: bad }))).toEqual({
      imported: false,
      message: 'bad.json: 3 problems, nothing imported (fix them and upload the whole file again)',
      problems: [
        "bad.json row 2, column score: a CSAT rating is a whole number from 1 to 5, got '0'",
        'bad.json row 3, column date: is empty: every row needs one',
        'bad.json row 4, column (row): must be an object such as {"date": "2026-03-02", "score": 5}, got "five"',
      ],
    });
    expect(await hub.importOutcomes!({ kind: 'nps', name: 'x.csv' } as never)).toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringMatching(/^text must be the file's content/) } });
    expect(stored(data)).toBe(kept);
    expect(ok(await hub.loadMetrics({})).report.customerSatisfaction.value?.csat).toMatchObject({ share: 0.7, responses: 10 });
  });

  it('a second file computes the cached report again; a large one is kept in parts within a document’s limit', async () => {
    const { data, hub } = setup();
    ok(await hub.importOutcomes!({ kind: 'csat', name: 'survey.json', text: SURVEY }));
    expect(ok(await hub.loadMetrics({})).report.customerSatisfaction.value?.csat).toMatchObject({ responses: 10 });
    ok(await hub.importOutcomes!({ kind: 'csat', name: 'more.csv', text: `date,score\n${day(24)},1\n${day(25)},1\n` }));
    // 7 of 12 are 4 or 5 (0.583, rounded as every share is); the mean is (37 + 2) / 12 = 3.25.
    expect(ok(await hub.loadMetrics({})).report.customerSatisfaction.value?.csat).toMatchObject({ share: 0.583, mean: 3.25, responses: 12 });
    const rows = Array.from({ length: 3_000 }, (_, i) => `${day(1 + (i % 28))},${1 + (i % 5)},segment-${i % 7}`);
    expect(ok(await hub.importOutcomes!({ kind: 'csat', name: 'big.csv', text: `date,score,segment\n${rows.join('\n')}\n` }))).toMatchObject({ imported: true, added: 3_000 });
    expect([...data.docs().keys()].filter((k) => k.startsWith('p.proj-guid.t.team-guid.outcomes.csat.part.')).length).toBeGreaterThan(1);
    expect(ok(await hub.loadMetrics({})).report.customerSatisfaction.value?.csat).toMatchObject({ responses: 3_012 });
  });

  it('a viewer whose sign-in cannot read the team cannot upload to it', async () => {
    const { data, hub } = setup('not-the-pat');
    const answer = await hub.importOutcomes!({ kind: 'csat', name: 'survey.json', text: SURVEY });
    expect(answer).toMatchObject({ ok: false, error: { kind: 'auth' } });
    expect([...data.docs().keys()].filter((k) => k.includes('.outcomes'))).toEqual([]);
  });
});
