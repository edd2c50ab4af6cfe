import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { CHART_STATE } from '@agile-kpi/dashboard';
import { type Browser, type Page, chromium } from 'playwright-core';

/** Chromiums installed by the system's package manager (or Google's installer), looked for in this order. */
export const SYSTEM_CHROMIUMS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/**
 * The browser the tests drive when one is given or installed: `CHROMIUM_PATH` if set (used as is: a wrong path fails
 * the launch, never falls back silently), else the first system Chromium that exists; undefined means none, so the
 * tests use the one the npm package ships.
 */
export function installedChromium(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string | undefined {
  const chosen = env['CHROMIUM_PATH'];
  if (chosen !== undefined && chosen !== '') return chosen;
  return SYSTEM_CHROMIUMS.find((path) => exists(path));
}

const run = promisify(execFile);
let shipped: Promise<string> | undefined;

/**
 * The Chromium inside the `@sparticuz/chromium` devDependency (installed by `npm ci` from the npm registry): its
 * bin/chromium.br is inflated on this machine, never downloaded, once per package version into
 * <tmpdir>/agile-kpi-chromium-<version>/. Linux x64 only (the build it ships); elsewhere set CHROMIUM_PATH.
 */
export function npmChromium(): Promise<string> {
  shipped ??= inflateShipped();
  return shipped;
}

async function inflateShipped(): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`@sparticuz/chromium ships a Chromium for Linux x64 only; on ${process.platform}-${process.arch} install Chromium or Chrome, or set CHROMIUM_PATH`);
  }
  const root = join(dirname(require.resolve('@sparticuz/chromium')), '..', '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const dir = join(tmpdir(), `agile-kpi-chromium-${version}`);
  const exe = join(dir, 'chromium');
  if (existsSync(exe)) return exe;
  // The package's own executablePath() (no argument: no URL, so no download) inflates its bin/ into os.tmpdir().
  // Run in a child whose TMPDIR is a fresh directory that then moves into place in one rename, so parallel Jest
  // workers never launch a half-written binary, and a /tmp/chromium of another version is never used.
  const staging = mkdtempSync(`${dir}.partial-`);
  try {
    const inflate = 'require(process.argv[1]).executablePath().then((path) => process.stdout.write(path))';
    const { stdout } = await run(process.execPath, ['-e', inflate, require.resolve('@sparticuz/chromium')], { env: { ...process.env, TMPDIR: staging } });
    if (stdout !== join(staging, 'chromium')) throw new Error(`@sparticuz/chromium inflated to ${stdout}, not into ${staging}`);
    renameSync(staging, dir);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(exe)) throw e; // another worker won the rename: use its copy
  }
  return exe;
}

/** The first of: CHROMIUM_PATH, a system Chromium, the npm-shipped one. */
export async function chromiumPath(): Promise<string> {
  return installedChromium() ?? (await npmChromium());
}

/**
 * Chromium driven by playwright-core (never a browser downloaded by `playwright install`): headless, no sandbox (CI
 * runs as root), no GPU, and no background networking (this machine's network is closed).
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumPath(),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Waits until every chart in the page and in its frames has finished drawing: ECharts loaded, the chart drawn and
 * its animations over (the chart element's CHART_STATE turns `finished` on ECharts' `finished` event).
 */
export async function chartsDrawn(page: Page): Promise<void> {
  for (const frame of page.frames()) {
    await frame.waitForFunction((state) => [...document.querySelectorAll('.akpi-echart')].every((chart) => chart.getAttribute(state) === 'finished'), CHART_STATE);
  }
}

/**
 * Screenshots are test artefacts: written under test-artifacts/ (ignored by git), named after the test, taken once
 * the charts have finished drawing (what a person sees, not a frame of an animation).
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  await chartsDrawn(page);
  const dir = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Fails the test on any page error or console error (an XSS payload firing, a crash in the UI). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return errors;
}
