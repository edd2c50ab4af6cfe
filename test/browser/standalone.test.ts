import { type MetricsReport, type Snapshot, computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { VIEW_NAMES, kpiHeadlines, viewHeadline } from '@agile-kpi/presentation';
import { JiraError } from '@agile-kpi/jira';
import { simulateTeam } from '@agile-kpi/testkit';
import type { Browser, Page } from 'playwright-core';
import { type DashboardServer, type SnapshotSource, dashboardApi, dashboardWebRoot, memorySource, startDashboardServer, throughJira } from '@agile-kpi/cli';
import { launchChromium, screenshot, watchErrors } from './chromium';

/**
 * The standalone dashboard (`agile-kpi serve`) in real Chromium, on the simulated team read through the
 * simulated Jira: the rendered figures are the core's, every number drills down to its items, a Scrum
 * Master records a sprint goal verdict and the rate changes, settings save, and the empty, error and hostile
 * cases read as they should. Screenshots go to test-artifacts/screenshots.
 */
let browser: Browser;
let snapshot: Snapshot;
const servers: DashboardServer[] = [];

async function serve(source: SnapshotSource): Promise<string> {
  const server = await startDashboardServer({ api: dashboardApi(source), webRoot: dashboardWebRoot() });
  servers.push(server);
  return server.url;
}

async function open(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(url);
  await page.getByTestId('dashboard').waitFor();
  return { page, errors };
}

beforeAll(async () => {
  browser = await launchChromium();
  snapshot = parseSnapshot(await throughJira(simulateTeam({ seed: 42 })));
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
});

it('shows every KPI headline exactly as the core computes it', async () => {
  const url = await serve(memorySource(snapshot, { id: 'demo', name: 'Demo' }));
  const { page, errors } = await open(url);
  const expected = computeMetrics(snapshot);
  for (const view of VIEW_NAMES) {
    const sentence = page.getByTestId(`kpi-sentence-${view}`);
    await sentence.waitFor();
    expect([view, (await sentence.textContent())?.trim()]).toEqual([view, viewHeadline(expected, view)]);
  }
  await screenshot(page, 'standalone-all-views');
  expect(errors).toEqual([]);
});

it('drills down from a sprint bar to the items behind it, by keyboard too', async () => {
  const url = await serve(memorySource(snapshot, { id: 'demo', name: 'Demo' }));
  const { page, errors } = await open(url);
  const report = computeMetrics(snapshot);
  const sprint = report.velocity.details.sprints.filter((s) => s.state === 'closed').at(-1)!;
  const button = page.getByTestId(`drill-velocity-completed-${sprint.sprintId}`);
  await button.focus();
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('evidence-panel');
  await panel.waitFor();
  const rows = panel.getByTestId('evidence-row');
  expect(await rows.count()).toBe(sprint.completed.items);
  const keys = await panel.getByTestId('evidence-link').allTextContents();
  expect(keys.map((k) => k.trim()).sort()).toEqual(sprint.evidence.filter((e) => e.role === 'completed').map((e) => e.key).sort());
  await screenshot(page, 'standalone-drill-down');
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(`drill-velocity-completed-${sprint.sprintId}`);
  expect(errors).toEqual([]);
});

it('records a sprint goal verdict, and the goal rate changes to the recomputed one', async () => {
  const source = memorySource(snapshot, { id: 'demo', name: 'Demo' });
  const url = await serve(source);
  const { page, errors } = await open(url);
  const report = computeMetrics(snapshot);
  const target = report.sprintGoalRate.details.sprints.find((s) => s.outcome === 'missed')!;
  await page.getByTestId('verdict-sprint').selectOption(target.sprintId);
  await page.getByTestId('verdict-outcome-met').check();
  await page.getByTestId('verdict-note').fill('accepted in the review');
  await page.getByTestId('verdict-submit').click();
  await page.getByTestId('verdict-status').filter({ hasText: /recorded/i }).waitFor();
  const after: MetricsReport = computeMetrics(await source.snapshot());
  expect(after.sprintGoalRate.value!.met).toBe(report.sprintGoalRate.value!.met + 1);
  await page.getByTestId('kpi-sentence-sprintGoalRate').filter({ hasText: kpiHeadlines(after).sprintGoalRate }).waitFor();
  await screenshot(page, 'standalone-verdict');
  expect(errors).toEqual([]);
});

it('saves settings and shows the metrics they ask for', async () => {
  const url = await serve(memorySource(snapshot, { id: 'demo', name: 'Demo' }));
  const { page, errors } = await open(url);
  await page.getByTestId('open-settings').click();
  await page.getByTestId('config-form').waitFor();
  await page.getByTestId('config-goal-threshold').fill('5');
  await page.getByTestId('config-save').click();
  await page.getByTestId('config-error-goalThreshold').waitFor();
  await page.getByTestId('config-goal-threshold').fill('0.8');
  await page.getByTestId('config-velocity-sprints').fill('5');
  await page.getByTestId('config-save').click();
  const expected = kpiHeadlines(computeMetrics(snapshot, { velocity: { lastN: 5 } })).velocity;
  await page.getByTestId('kpi-sentence-velocity').filter({ hasText: expected }).waitFor();
  await screenshot(page, 'standalone-settings-saved');
  expect(errors).toEqual([]);
});

it('says what is missing on an empty board', async () => {
  const empty = parseSnapshot({ schemaVersion: 1, team: { id: 't', name: 'New team', timeZone: 'UTC' }, asOf: '2025-06-16T12:00:00Z', items: [] });
  const url = await serve(memorySource(empty, { id: 'empty', name: 'New team' }));
  const { page, errors } = await open(url);
  const report = computeMetrics(empty);
  const state = page.getByTestId('state-empty-velocity');
  await state.waitFor();
  // The UI writes the reason as a sentence (capital letter, full stop).
  expect((await state.textContent())?.toLowerCase()).toContain(report.velocity.reason!.toLowerCase());
  await screenshot(page, 'standalone-empty-board');
  expect(errors).toEqual([]);
});

it('shows a tracker error in words a Scrum Master can act on', async () => {
  const failing: SnapshotSource = {
    choice: { id: '42', name: 'Jira board 42' },
    snapshot: async () => {
      throw new JiraError('auth', 'the API token was rejected for sm@acme.test at https://acme.atlassian.net: check JIRA_EMAIL and JIRA_API_TOKEN');
    },
    recordVerdict: async () => {},
    syncedAt: async () => '',
  };
  const url = await serve(failing);
  const page = await browser.newPage();
  await page.goto(url);
  const message = page.getByTestId('state-error-message');
  await message.waitFor();
  expect(await message.textContent()).toBe('The API token was rejected for sm@acme.test at https://acme.atlassian.net: check JIRA_EMAIL and JIRA_API_TOKEN.');
  await screenshot(page, 'standalone-error');
});

it('renders a hostile item title as text', async () => {
  const hostile = '<img src=x onerror=alert(1)>';
  const tampered: Snapshot = { ...snapshot, items: snapshot.items.map((i) => (i.type.kind === 'story' ? { ...i, title: hostile } : i)) };
  const url = await serve(memorySource(tampered, { id: 'demo', name: 'Demo' }));
  const { page, errors } = await open(url);
  const sprint = computeMetrics(tampered).velocity.details.sprints.filter((s) => s.state === 'closed').at(-1)!;
  await page.getByTestId(`drill-velocity-completed-${sprint.sprintId}`).click();
  const panel = page.getByTestId('evidence-panel');
  await panel.waitFor();
  expect(await panel.textContent()).toContain(hostile);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  await page.getByTestId(`chart-canvas-velocity`).hover();
  await screenshot(page, 'standalone-hostile-title');
  expect(errors).toEqual([]);
});
