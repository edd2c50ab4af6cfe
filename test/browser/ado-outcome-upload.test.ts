import { AdoClient, loadAdoTeam, mapAdoTeam, nodeApiTransport, syncAdoTeam } from '@agile-kpi/azure-devops';
import { type MetricsReport, parseSnapshot } from '@agile-kpi/core';
import { viewHeadline } from '@agile-kpi/presentation';
import { computeWithOutcomes, readOutcomeFile } from '@agile-kpi/hosted-service';
import { openStore } from '@agile-kpi/store';
import { simulateTeam } from '@agile-kpi/testkit';
import type { Browser } from 'playwright-core';
import { type AdoHarness, startAdoHarness } from '../../packages/azure-devops-extension/harness/harness-server';
import { launchChromium, screenshot, watchErrors } from './chromium';

/**
 * The BUILT Azure DevOps extension's hub (packages/azure-devops-extension/dist) in real Chromium, as
 * ado-extension.test.ts runs it: a survey file uploaded in the hub's settings is read in the page (the CSV reader's
 * browser build), kept in the extension data, and shown in the customer outcomes view; a bad one changes nothing.
 * Then the settings list it, set the cost per sprint (refusing a bad one by the shared rule) and remove it again.
 */
const team = simulateTeam({ seed: 42, sprintCalendar: 'dates' });
const asOf = new Date(team.snapshot.asOf);
const month = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
/** Ten ratings in the last complete month: CSAT 0.7, mean 3.7. */
const SURVEY = `date,score\n${[5, 5, 4, 4, 4, 3, 2, 5, 4, 1].map((s, i) => `${month}-${10 + i},${s}`).join('\n')}\n`;
let browser: Browser;
let h: AdoHarness;
let expected: MetricsReport;
let without: MetricsReport;

beforeAll(async () => {
  h = await startAdoHarness({ teams: [team], process: 'scrum', now: team.snapshot.asOf });
  const store = openStore(':memory:').scope({ source: 'azure-devops', site: h.ado.url, scope: 'direct' });
  await syncAdoTeam(new AdoClient(nodeApiTransport({ orgUrl: h.ado.url, pat: h.ado.pat })), store, { project: 'SIM', team: 'SIM Team' });
  const read = readOutcomeFile(SURVEY, 'csat', 'survey.csv');
  if (!read.ok) throw new Error('the survey does not read');
  const snapshot = parseSnapshot(mapAdoTeam((await loadAdoTeam(store, h.ado.url))!, { timeZone: team.snapshot.team.timeZone }));
  expected = computeWithOutcomes(snapshot, { records: read.records, settings: {} }, {}, 'team SIM Team');
  without = computeWithOutcomes(snapshot, { records: [], settings: {} }, {}, 'team SIM Team');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** The hub in a new page, its settings open. */
async function hubSettings() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  const errors = watchErrors(page);
  await page.goto(h.hubUrl());
  const frame = page.frameLocator('#ext-hub');
  await frame.getByTestId('kpi-sentence-velocity').waitFor({ timeout: 60_000 });
  await frame.getByTestId('hub-settings').click();
  return { page, errors, frame };
}

it('uploads a survey file in the hub’s settings: a bad one changes nothing and names its rows; a good one shows in the customer outcomes view', async () => {
  expect(expected.customerSatisfaction.value?.csat).toMatchObject({ share: 0.7, mean: 3.7, responses: 10 });
  expect(viewHeadline(expected, 'customerOutcomes')).not.toBe(viewHeadline(without, 'customerOutcomes'));
  const { page, errors, frame } = await hubSettings();
  await frame.getByTestId('outcome-upload').waitFor();
  const upload = async (name: string, text: string) => {
    await frame.getByTestId('outcome-kind').selectOption('csat');
    await frame.getByTestId('outcome-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await frame.getByTestId('outcome-upload-submit').click();
    await frame.getByTestId('outcome-upload-status').filter({ hasText: name }).waitFor({ timeout: 30_000 });
    return (await frame.getByTestId('outcome-upload-status').textContent())?.trim();
  };
  const outcomeDocs = () => [...(h.extensionData.get('agile-kpi')?.keys() ?? [])].filter((k) => k.includes('.outcomes'));
  expect(await upload('bad.csv', `date,score\n${month}-10,3\n${month}-11,6\n`)).toMatch(/^bad\.csv: 1 problem, nothing imported .*bad\.csv row 3, column score: /);
  expect(outcomeDocs()).toEqual([]);
  expect(await upload('survey.csv', SURVEY)).toBe('survey.csv (csat): 10 new records; 0 already imported');
  expect(await upload('survey.csv', SURVEY)).toBe('survey.csv (csat): 0 new records; 10 already imported');
  expect(outcomeDocs().length).toBe(2);
  await screenshot(page, 'ado-hub-outcome-upload');
  await frame.getByTestId('hub-settings').click();
  await frame.getByTestId('kpi-sentence-customerOutcomes').filter({ hasText: viewHeadline(expected, 'customerOutcomes') }).waitFor({ timeout: 60_000 });
  expect(errors).toEqual([]);
});

it('lists the uploaded file in the hub’s settings, sets the cost per sprint (a bad one names the field), and removes the file', async () => {
  const { page, errors, frame } = await hubSettings();
  const row = frame.getByTestId('outcome-file-row');
  await row.first().waitFor({ timeout: 30_000 });
  expect((await row.allTextContents()).map((t) => t.replace(/Remove.*$/, ''))).toEqual(['csatsurvey.csv10']);

  await frame.getByTestId('outcome-cost-amount').fill('10,000');
  await frame.getByTestId('outcome-cost-currency').fill('eur');
  await frame.getByTestId('outcome-settings-save').click();
  expect((await frame.getByTestId('outcome-settings-status').textContent())?.trim()).toBe("Not saved: Cost per sprint must be an amount above 0 and a currency code, e.g. 10000 EUR, got '10,000 eur'.");
  await frame.getByTestId('outcome-cost-amount').fill('10000');
  await frame.getByTestId('outcome-settings-save').click();
  await frame.getByTestId('outcome-settings-status').filter({ hasText: 'Saved' }).waitFor({ timeout: 30_000 });
  // Kept in the team's outcomes document (its value as JSON text), beside the digest of the csat records.
  const head = [...(h.extensionData.get('agile-kpi')?.entries() ?? [])].find(([k]) => k.endsWith('.outcomes'))?.[1] as unknown as { t: string };
  expect(JSON.parse(head.t)).toMatchObject({ settings: { cost: { perSprint: 10_000, currency: 'EUR' } } });

  await row.getByTestId('outcome-file-remove').click();
  await frame.getByTestId('outcome-files-status').filter({ hasText: 'removed 10 csat records of survey.csv' }).waitFor({ timeout: 30_000 });
  expect(await row.count()).toBe(0);
  await screenshot(page, 'ado-hub-outcome-settings');
  expect(errors).toEqual([]);
});
