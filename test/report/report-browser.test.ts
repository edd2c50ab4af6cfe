import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { launchChromium, screenshot, watchErrors } from '../browser/chromium';
import { ROOT, agileKpiAsync, buildOnce } from '../cli/built-cli';

/**
 * The report's HTML (the dry run's report.html: the email's HTML with its charts as files next to it) rendered
 * in real Chromium: it lays out, every chart loads, and tracker text that looks like markup stays text. The
 * screenshots are artefacts (test-artifacts/screenshots/report.png is the one the README shows).
 */
const HOSTILE = '<script>alert(1)</script>';
let browser: Browser;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  buildOnce();
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-report-browser-'));
  env = { HOME: dir, AGILE_KPI_STORE: join(dir, 'store.sqlite') };
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(html: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 680, height: 1100 } });
  const errors = watchErrors(page);
  await page.goto(pathToFileURL(html).href);
  await page.waitForLoadState('load');
  return { page, errors };
}

/** Every image has loaded and has pixels (a broken cid or file would have none). */
async function imagesLoaded(page: Page): Promise<{ count: number; broken: string[] }> {
  return page.evaluate(() => {
    const imgs = [...document.images];
    return { count: imgs.length, broken: imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src) };
  });
}

it('renders the demo report: every KPI, its sentence, the charts', async () => {
  const out = join(dir, 'demo');
  const run = await agileKpiAsync(['report', '--demo', '--to', 'lead@example.com', '--out', out, '--dashboard-url', 'http://127.0.0.1:4000/'], env);
  expect(run.code).toBe(0);
  const { page, errors } = await open(join(out, 'report.html'));
  for (const label of ['Velocity', 'Sprint goal rate', 'Impediment resolution', 'Sprint progress', 'Backlog health', 'Release predictability', 'Flow']) {
    await expect(page.getByText(label, { exact: true }).first().isVisible()).resolves.toBe(true);
  }
  await expect(page.locator('td.k-sentence', { hasText: /^Velocity \d+(\.\d)? pts in SIM Sprint 11, / }).isVisible()).resolves.toBe(true);
  expect(await imagesLoaded(page)).toEqual({ count: 4, broken: [] });
  // The table layout holds the email's 600 px: nothing wider than the page.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(680);
  await screenshot(page, 'report');
  // The top of the report, small enough for the README (docs/images/report.png is a copy of this one).
  const top = join(ROOT, 'test-artifacts', 'screenshots', 'report-top.png');
  mkdirSync(join(top, '..'), { recursive: true });
  await page.screenshot({ path: top, clip: { x: 0, y: 0, width: 680, height: 1100 } });
  expect(statSync(top).size).toBeLessThan(300_000);
  expect(errors).toEqual([]);
  await page.close();
});

it('shows an item titled <script>alert(1)</script> as text, and runs nothing', async () => {
  const team = simulateTeam({ seed: 42 });
  const plain = computeMetrics(parseSnapshot(team.snapshot));
  const oldest = [...plain.impedimentResolutionTime.details.open].sort((a, b) => a.raisedAt.localeCompare(b.raisedAt))[0]!;
  const snapshot = {
    ...team.snapshot,
    team: { ...team.snapshot.team, name: '<img src=x onerror=alert(2)> Team' },
    items: team.snapshot.items.map((i) => (i.key === oldest.key ? { ...i, title: HOSTILE } : i)),
  };
  const file = join(dir, 'hostile.json');
  writeFileSync(file, JSON.stringify(snapshot));
  const out = join(dir, 'hostile');
  const run = await agileKpiAsync(['report', '--input', file, '--to', 'lead@example.com', '--out', out], env);
  expect(run.code).toBe(0);
  const { page, errors } = await open(join(out, 'report.html'));
  // In the sentence, and in the list of impediments open longest.
  await expect(page.locator('td.k-sentence', { hasText: `the oldest ${oldest.key} “${HOSTILE}” for` }).isVisible()).resolves.toBe(true);
  await expect(page.locator('td', { hasText: HOSTILE }).first().isVisible()).resolves.toBe(true);
  await expect(page.getByText('<img src=x onerror=alert(2)> Team').first().isVisible()).resolves.toBe(true);
  expect(await page.evaluate(() => document.scripts.length)).toBe(0);
  expect(await page.evaluate(() => [...document.images].filter((i) => i.getAttribute('src') === 'x').length)).toBe(0);
  await screenshot(page, 'report-hostile-title');
  expect(errors).toEqual([]);
  await page.close();
});
