import { type MetricsReport, type Snapshot, computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { OUTCOME_HINTS, outcomeHeadlines, viewHeadline } from '@agile-kpi/dashboard';
import { simulateTeam } from '@agile-kpi/testkit';
import type { Browser, Page } from 'playwright-core';
import { type DashboardApi, type DashboardServer, type SnapshotSource, dashboardApi, dashboardWebRoot, memoryOutcomeSink, memorySource, startDashboardServer } from '@agile-kpi/cli';
import { goldenOutcomes, outcomesGoldenSnapshot } from '../../packages/core/src/testing/outcomes-golden';
import { chartsDrawn, launchChromium, screenshot, watchErrors } from './chromium';

/**
 * The Customer outcomes view of the standalone dashboard (`agile-kpi serve`'s page, built) in real Chromium, on
 * core's golden outcomes board read on 2026-05-10 (outcomes-golden.ts, worked by hand there): release impact of R1
 * as the headline, CSAT and NPS by month, the adoption curve and ROI, each figure opening the items behind it; and,
 * on a team without outcome data, what is missing and what to do. The API answers the report core computes with the
 * outcomes, so the page is checked against core's own figures.
 */
let browser: Browser;
let golden: Snapshot;
let report: MetricsReport;
const servers: DashboardServer[] = [];

/** The serve API over a snapshot, its metrics computed with these outcomes (as a store that keeps them answers). */
function withOutcomes(snapshot: Snapshot, compute: () => MetricsReport): DashboardApi {
  const api = dashboardApi(memorySource(snapshot, { id: 'golden', name: 'Golden team' }));
  return { ...api, loadMetrics: async () => ({ ok: true, data: { report: compute(), syncedAt: snapshot.asOf } }) };
}

async function open(api: DashboardApi): Promise<{ page: Page; errors: string[] }> {
  const server = await startDashboardServer({ api, webRoot: dashboardWebRoot() });
  servers.push(server);
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = watchErrors(page);
  await page.goto(`${server.url}?view=customerOutcomes`);
  await page.getByTestId('view-customerOutcomes').waitFor({ timeout: 30_000 });
  return { page, errors };
}

async function evidenceKeys(page: Page, testId: string): Promise<string[]> {
  await page.getByTestId(testId).click();
  const panel = page.getByTestId('evidence-panel');
  await panel.waitFor();
  const keys = (await panel.locator('[data-testid="evidence-row"] th').allTextContents()).map((k) => k.trim());
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  return keys;
}

beforeAll(async () => {
  browser = await launchChromium();
  golden = { ...outcomesGoldenSnapshot(), asOf: '2026-05-10T12:00:00Z' };
  report = computeMetrics(golden, {}, goldenOutcomes);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
});

it('shows release impact as the headline, CSAT and NPS by month, adoption and ROI, each opening its evidence', async () => {
  const { page, errors } = await open(withOutcomes(golden, () => report));
  const sentence = page.getByTestId('kpi-sentence-customerOutcomes');
  await sentence.waitFor();
  expect((await sentence.textContent())?.trim()).toBe(viewHeadline(report, 'customerOutcomes'));
  // R1: CSAT 0 % [0, 16.1 %] before, 100 % [83.9, 100 %] after: apart, so a change; NPS 0 [0, 0] -> +50 [20, 80]: a change.
  expect(await page.getByTestId('impact-csat-r1').getAttribute('data-change')).toBe('up');
  expect(await page.getByTestId('impact-nps-r1').getAttribute('data-change')).toBe('up');
  expect((await page.getByTestId('impact-r1').textContent())?.replace(/\s+/g, ' ')).toContain('0% [0%–16.1%], 20 resp.100% [83.9%–100%], 20 resp.changed: up');
  expect((await page.getByTestId('sentence-customerSatisfaction').textContent())?.trim()).toBe(outcomeHeadlines(report).customerSatisfaction);
  expect((await page.getByTestId('month-note-2026-04').textContent())?.trim()).toBe('few responses (under 30)');
  expect((await page.getByTestId('feature-export').textContent())?.replace(/\s+/g, ' ')).toContain('export2026-04-015%25%—30');
  // Both charts drawn to the end (data-chart-state finished), like every other view's.
  await page.locator('[data-testid="chart-canvas-customerSatisfaction"][data-chart-state="finished"]').waitFor();
  await page.locator('[data-testid="chart-canvas-featureAdoption"][data-chart-state="finished"]').waitFor();
  await chartsDrawn(page);
  // R1 delivered A-1 (5) and A-2 (3); April's CSAT is its 20 ratings; E-1's cost is S1's and S2's shares.
  expect((await evidenceKeys(page, 'kpi-headline-customerOutcomes')).sort()).toEqual(['A-1', 'A-2']);
  expect(await evidenceKeys(page, 'drill-customerSatisfaction-csat')).toHaveLength(20);
  expect(await evidenceKeys(page, 'drill-roi-cost-epic-test:issue:E-1')).toEqual(['S1', 'S2']);
  await screenshot(page, 'customer-outcomes');
  expect(errors).toEqual([]);
});

it('says, for a team without outcome data, what is missing and what to import or set', async () => {
  const snapshot = parseSnapshot(simulateTeam({ seed: 42 }).snapshot);
  const plain = computeMetrics(snapshot);
  const { page, errors } = await open(withOutcomes(snapshot, () => plain));
  for (const key of ['customerSatisfaction', 'featureAdoption', 'roi'] as const) {
    const state = page.getByTestId(`state-empty-${key}`);
    await state.waitFor();
    expect(await state.textContent()).toContain(OUTCOME_HINTS[key]);
  }
  expect(await page.locator('.akpi-echart').count()).toBe(0);
  await screenshot(page, 'customer-outcomes-missing');
  expect(errors).toEqual([]);
});

it('uploads survey files in the settings: a bad one changes nothing and names its rows, good ones show in the view', async () => {
  // The golden board without its outcomes, and a memory that keeps what is uploaded (as serve keeps a demo's).
  const sink = memoryOutcomeSink();
  const source: SnapshotSource = { ...memorySource(golden, { id: 'golden', name: 'Golden team' }), outcomes: async () => ({ records: sink.records(), settings: {} }) };
  const server = await startDashboardServer({ api: dashboardApi(source), webRoot: dashboardWebRoot(), outcomes: sink });
  servers.push(server);
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = watchErrors(page);
  // The whole dashboard: its header has the settings (a page showing one view, as a gadget does, has not).
  await page.goto(server.url);
  await page.getByTestId('state-empty-customerSatisfaction').waitFor({ timeout: 30_000 });
  await page.getByTestId('open-settings').click();
  await page.getByTestId('outcome-upload').waitFor();
  const upload = async (kind: string, name: string, text: string) => {
    await page.getByTestId('outcome-kind').selectOption(kind);
    await page.getByTestId('outcome-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.getByTestId('outcome-upload-submit').click();
    await page.getByTestId('outcome-upload-status').filter({ hasText: name }).waitFor();
    return (await page.getByTestId('outcome-upload-status').textContent())?.trim();
  };
  // Row 3's 6 is not a rating 1-5: nothing of the file is kept.
  expect(await upload('csat', 'bad.csv', 'date,score\n2026-03-20,3\n2026-03-20,6\n')).toMatch(/^bad\.csv: 1 problem, nothing imported .*bad\.csv row 3, column score: /);
  expect(sink.records()).toEqual([]);
  // The golden responses (outcomes-golden.ts): twenty CSAT 3s on 03-20 and twenty 5s on 04-10; ten NPS 7s on
  // 03-21, and five 9s and five 7s on 04-11.
  const csat = ['date,score', ...Array(20).fill('2026-03-20,3'), ...Array(20).fill('2026-04-10,5')].join('\n');
  const nps = ['date,score', ...Array(10).fill('2026-03-21,7'), ...[9, 9, 9, 9, 9, 7, 7, 7, 7, 7].map((x) => `2026-04-11,${x}`)].join('\n');
  expect(await upload('csat', 'csat.csv', csat)).toBe('csat.csv (csat): 40 new records; 0 already imported');
  expect(await upload('nps', 'nps.csv', nps)).toBe('nps.csv (nps): 20 new records; 0 already imported');
  expect(await upload('nps', 'nps.csv', nps)).toBe('nps.csv (nps): 0 new records; 20 already imported');
  await screenshot(page, 'customer-outcomes-upload');
  await page.getByTestId('config-cancel').click();
  // The same responses as the golden report's, so the same CSAT and NPS figures (the uploaded rows are dated by
  // day: noon UTC in the golden file, the day's start here; every one stays in its month and its side of R1).
  const expected = computeMetrics(golden, {}, { ...goldenOutcomes, usage: [], features: [], benefits: [] });
  await page.getByTestId('sentence-customerSatisfaction').filter({ hasText: outcomeHeadlines(expected).customerSatisfaction }).waitFor();
  expect(await page.getByTestId('impact-csat-r1').getAttribute('data-change')).toBe('up');
  expect(await page.getByTestId('impact-nps-r1').getAttribute('data-change')).toBe('up');
  expect(errors).toEqual([]);
});
