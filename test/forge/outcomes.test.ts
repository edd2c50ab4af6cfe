import type { DashboardConfig, HostResult, MetricsPayload, OutcomeUploadResult } from '@agile-kpi/presentation';
import { simulateTeam } from '@agile-kpi/testkit';
import { type Bridge, PACK_UPLOAD_FROM_CHARS, forgeHost } from '../../static/gadget/src/forge-host';
import { type ForgeHarness, forgeHarness, wire } from './forge-harness';

/**
 * The customer outcomes gadget's settings upload (`importOutcomes`) on the Forge app, against the simulated Jira and
 * the in-memory Key-Value Store at Forge's limits: a survey file is kept with the board (in parts under 240 KiB when
 * large), the report computed with it, a new upload computing the cached report again; a bad file and the same file
 * again change nothing.
 */
const team = simulateTeam({ seed: 21, sprints: 6 });
let h: ForgeHarness;
let board: number;
const GADGET = 'g-outcomes';
const ctx = () => h.context(GADGET, 'agile-kpi-customer-outcomes');
const config = (): DashboardConfig => ({ source: String(board), view: 'customerOutcomes' });

/** The last complete month before the team's asOf (the value's month), and a day in it away from its edges. */
const asOf = new Date(team.snapshot.asOf);
const month = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
const day = (d: number) => `${month}-${String(d).padStart(2, '0')}`;
/** Ten ratings by hand: 5 5 4 4 4 3 2 5 4 1 -> 7 of 10 are 4 or 5 (CSAT 0.7), mean 37 / 10 = 3.7. */
const RATINGS = [5, 5, 4, 4, 4, 3, 2, 5, 4, 1];
const SURVEY = `date,score,segment\n${RATINGS.map((s, i) => `${day(10 + i)},${s},enterprise`).join('\n')}\n`;

const ok = <T>(r: HostResult<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.data;
};
const upload = async (kind: string, name: string, text: string) => h.resolvers().importOutcomes({ kind, name, text }, ctx());
const load = async (): Promise<MetricsPayload> => ok(await h.resolvers().loadMetrics({ config: config() }, ctx()));
/** Every key and value in the store: what "changes nothing" compares. */
const stored = async () => Object.fromEntries(await Promise.all(h.kvs.keys('').map(async (k) => [k, JSON.stringify(await h.kvs.get(k))] as const)));

beforeAll(async () => {
  h = await forgeHarness([team]);
  board = h.jira.boards[0]!.id;
});
afterAll(() => h.close());

describe('outcome data in the Forge app', () => {
  it('before the gadget names its board, an upload is refused with what to do', async () => {
    expect(await upload('csat', 'survey.csv', SURVEY)).toEqual({ ok: false, error: { kind: 'not-configured', message: expect.stringMatching(/^choose this gadget’s board and save the settings/) } });
  });

  it('without outcome data, the customer satisfaction has no value', async () => {
    ok(await h.resolvers().saveConfig({ config: config() }, ctx()));
    expect((await load()).report.customerSatisfaction.value?.csat ?? null).toBeNull();
  });

  it('a CSAT file: kept with the board, and the next load has its figures, worked out by hand', async () => {
    h.jira.requests.reset();
    expect(ok(await upload('csat', 'C:\\exports\\survey.csv', SURVEY))).toEqual({ imported: true, added: 10, replaced: 0, unchanged: 0, message: 'survey.csv (csat): 10 new records; 0 already imported' });
    expect(h.kvs.keys(`board:${board}:outcomes`)).toEqual([`board:${board}:outcomes`, `board:${board}:outcomes:csat`]);
    const satisfaction = (await load()).report.customerSatisfaction;
    // Computed again from the stored board (the cached report was of no outcome data), without a Jira request.
    expect(h.jira.requests.count()).toBe(0);
    expect(satisfaction.value).toMatchObject({ month, csat: { share: 0.7, mean: 3.7, responses: 10 } });
    expect(satisfaction.warnings.map((w) => w.code)).toContain('few-responses');
    // Every gadget of the board shows it: another gadget's settings name the same board.
    const other = ok(await h.resolvers().loadMetrics({ config: { ...config(), view: 'velocity' } }, h.context('g-velocity', 'agile-kpi-velocity')));
    expect(other.report.customerSatisfaction.value?.csat).toMatchObject({ share: 0.7, mean: 3.7 });
  });

  it('the same file again changes nothing: not the store, not the figures', async () => {
    const before = await stored();
    expect(ok(await upload('csat', 'survey.csv', SURVEY))).toMatchObject({ imported: true, added: 0, replaced: 0, unchanged: 10, message: 'survey.csv (csat): 0 new records; 10 already imported' });
    expect(await stored()).toEqual(before);
    expect((await load()).report.customerSatisfaction.value?.csat).toMatchObject({ share: 0.7, mean: 3.7, responses: 10 });
  });

  it('a file with bad rows changes nothing and names each row and column', async () => {
    const before = await stored();
    const bad = `date,score\n${day(20)},5\n${day(21)},6\n${month}-32,4\n${day(22)},\n`;
    const answer = ok(await upload('csat', 'survey-2.csv', bad));
    expect(answer).toEqual({
      imported: false,
      message: 'survey-2.csv: 3 problems, nothing imported (fix them and upload the whole file again)',
      problems: [
        "survey-2.csv row 3, column score: a CSAT rating is a whole number from 1 to 5, got '6'",
        `survey-2.csv row 4, column date: expected a date YYYY-MM-DD or an instant with an offset such as 2026-03-02T09:30:00Z, got '${month}-32'`,
        'survey-2.csv row 5, column score: is empty: every row needs one',
      ],
    });
    expect(await stored()).toEqual(before);
    expect(await upload('ratings', 'survey.csv', SURVEY)).toEqual({ ok: false, error: { kind: 'invalid', message: 'kind must be one of csat, nps, usage, benefit: what the file holds' } });
    expect(await stored()).toEqual(before);
  });

  it('a second file adds to the first, and the cached report is computed again', async () => {
    const more = `date,score\n${day(24)},1\n${day(25)},1\n`;
    expect(ok(await upload('csat', 'survey-3.csv', more))).toMatchObject({ imported: true, added: 2 });
    // 7 of 12 are 4 or 5 (0.583, rounded as every share is); the mean is (37 + 2) / 12 = 3.25.
    expect((await load()).report.customerSatisfaction.value?.csat).toMatchObject({ share: 0.583, mean: 3.25, responses: 12 });
  });

  it('a large file travels compressed from the gadget and is kept in parts within the store’s 240 KiB limit', async () => {
    const rows = Array.from({ length: 8_000 }, (_, i) => `${day(1 + (i % 28))},${1 + (i % 5)},segment-${i % 7},feature-${i % 11}`);
    const text = `date,score,segment,feature\n${rows.join('\n')}\n`;
    expect(text.length).toBeGreaterThan(PACK_UPLOAD_FROM_CHARS);
    // The customer outcomes gadget's own host, its bridge calling the resolver as Forge would.
    const sent: Record<string, unknown>[] = [];
    const bridge: Bridge = {
      invoke: async (name, payload) => {
        sent.push(payload);
        return h.resolvers()[name as 'importOutcomes'](wire(payload), ctx());
      },
      submit: async () => undefined,
    };
    const host = forgeHost({ moduleKey: 'agile-kpi-customer-outcomes', extension: { entryPoint: 'edit' } }, bridge);
    expect(ok(await host.importOutcomes!({ kind: 'csat', name: 'big.csv', text }))).toMatchObject({ imported: true, added: 8_000, message: 'big.csv (csat): 8000 new records; 0 already imported' });
    expect(sent[0]).toMatchObject({ kind: 'csat', name: 'big.csv', encoding: 'gzip-base64' });
    expect(String(sent[0]!['data']).length).toBeLessThan(text.length / 5);
    expect(h.kvs.keys(`board:${board}:outcomes:csat::`).length).toBeGreaterThan(1);
    expect(h.kvs.largestValueBytes).toBeLessThan(240 * 1024);
    expect((await load()).report.customerSatisfaction.value?.csat).toMatchObject({ responses: 8_012 });
  });

  it('a viewer who cannot see the board cannot upload to it', async () => {
    const before = await stored();
    const answer = await h.resolvers({ viewerCanSee: async () => false }).importOutcomes({ kind: 'csat', name: 's.csv', text: SURVEY.replace(',5,', ',1,') }, ctx());
    expect(answer).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(await stored()).toEqual(before);
  });
});
