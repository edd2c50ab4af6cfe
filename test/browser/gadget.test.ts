import { existsSync, readFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { kpiHeadlines } from '@agile-kpi/presentation';
import { simulateTeam } from '@agile-kpi/testkit';
import type { Browser, Page } from 'playwright-core';
import { GADGET_VIEWS, type GadgetModuleKey } from '@agile-kpi/presentation';
import { packAnswer } from '../../src/packed-answer';
import { forgeHarness, type ForgeHarness } from '../forge/forge-harness';
import { launchChromium, screenshot, watchErrors } from './chromium';

/**
 * The BUILT Jira gadget (static/gadget/build, unmodified) in real Chromium, inside a harness page that stands
 * in for Jira: it provides the Custom UI bridge `@forge/bridge` talks to (`globalThis.__bridge.callBridge`),
 * answering `getContext` as Jira would for a gadget and routing `invoke` to the app's REAL resolvers, which
 * read the simulated Jira and keep their cache in an in-memory Key-Value Store.
 */
const BUILD = join(__dirname, '..', '..', 'static', 'gadget', 'build');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** The bridge Jira injects into a Custom UI iframe, played by the harness (plain JS, runs before the app). */
const BRIDGE = `
  const params = new URLSearchParams(location.search);
  window.__submitted = [];
  globalThis.__bridge = {
    callBridge: async (name, payload) => {
      if (name === 'getContext') {
        return { moduleKey: params.get('module'), accountId: 'user-1', extension: { entryPoint: params.get('entry') || 'view', gadget: { id: params.get('gadget') } } };
      }
      if (name === 'invoke') {
        const res = await fetch('/harness/invoke?' + params.toString(), { method: 'POST', body: JSON.stringify(payload) });
        return res.json();
      }
      if (name === 'submit') { window.__submitted.push(payload); return true; }
      return undefined;
    },
  };
`;

let browser: Browser;
let forge: ForgeHarness;
let url: string;
let close: () => Promise<void>;
/**
 * Answers that travelled compressed. A gadget's answer carries one KPI's evidence, under Forge's 256 KiB packing
 * threshold on a board this size, so the harness packs from 16 KiB: Chromium's unpacking runs on every load.
 */
let packedAnswers = 0;
const team = simulateTeam({ seed: 42 });
/** A second board, large enough that the velocity's evidence (390 items) comes as a first page of 200 and a page token. */
const bigTeam = simulateTeam({ seed: 43, itemsPerSprint: 50, teamIndex: 1, teamKey: 'BIG', teamName: 'Big team' });

beforeAll(async () => {
  if (!existsSync(join(BUILD, 'index.html'))) throw new Error('the gadget is not built: run npm run build');
  forge = await forgeHarness([team, bigTeam]);
  const resolvers = forge.resolvers();
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://localhost');
    if (u.pathname === '/favicon.ico') {
      // Jira's page, not the gadget's frame, has the icon.
      res.writeHead(204);
      return void res.end();
    }
    if (u.pathname === '/harness/bridge.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      return void res.end(BRIDGE);
    }
    if (u.pathname === '/harness/invoke') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const { functionKey, payload } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { functionKey: keyof typeof resolvers; payload: unknown };
      const context = forge.context(u.searchParams.get('gadget') ?? 'g-1', u.searchParams.get('module') ?? undefined);
      // As src/index.ts hands answers to Forge: big ones compressed, for the gadget's host to unpack.
      const answer = packAnswer<unknown>(await resolvers[functionKey](payload, context), { packAboveBytes: 16 * 1024 });
      packedAnswers += 'encoding' in answer ? 1 : 0;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify(answer));
    }
    const rel = u.pathname === '/gadget/' ? 'index.html' : decodeURIComponent(u.pathname.replace(/^\/gadget\//, ''));
    const file = normalize(join(BUILD, rel));
    if (!file.startsWith(BUILD + sep) || !existsSync(file)) {
      res.writeHead(404);
      return void res.end();
    }
    let body: string | Buffer = readFileSync(file);
    // The harness page: the unmodified gadget page, with Jira's bridge provided before the app starts.
    if (rel === 'index.html') body = body.toString('utf8').replace('<head>', '<head><script src="/harness/bridge.js"></script>');
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise<void>((r) => server.close(() => r()));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await close?.();
  await forge?.close();
});

const gadgetUrl = (module: string, gadget: string, entry = 'view') => `${url}/gadget/?module=${module}&gadget=${gadget}&entry=${entry}`;

/** Configures a gadget to show the first board, as a user does in its edit view. */
async function configure(page: Page, module: string, gadget: string, board = 0): Promise<void> {
  await page.goto(gadgetUrl(module, gadget, 'edit'));
  await page.getByTestId('config-source').selectOption(String(forge.jira.boards[board]!.id));
  await page.getByTestId('config-save').click();
  await page.waitForFunction(() => (window as unknown as { __submitted: unknown[] }).__submitted.length === 1);
}

it('is configured in its edit view, then shows the velocity the core computes', async () => {
  const page = await browser.newPage({ viewport: { width: 640, height: 900 } });
  const errors = watchErrors(page);
  await configure(page, 'agile-kpi-velocity', 'g-velocity');
  await screenshot(page, 'gadget-edit-view');

  await page.goto(gadgetUrl('agile-kpi-velocity', 'g-velocity'));
  const expected = kpiHeadlines(await forge.direct(forge.jira.boards[0]!.id)).velocity;
  await page.getByTestId('kpi-sentence-velocity').filter({ hasText: expected }).waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('view-sprintGoalRate').count()).toBe(0);
  expect(packedAnswers).toBeGreaterThan(0);
  await screenshot(page, 'gadget-velocity');
  expect(errors).toEqual([]);
});

it('records a sprint goal verdict from the goal-rate gadget, and the rate changes', async () => {
  const page = await browser.newPage({ viewport: { width: 640, height: 1100 } });
  const errors = watchErrors(page);
  await configure(page, 'agile-kpi-sprint-goal-rate', 'g-goals');
  await page.goto(gadgetUrl('agile-kpi-sprint-goal-rate', 'g-goals'));
  const before = await forge.direct(forge.jira.boards[0]!.id);
  await page.getByTestId('kpi-sentence-sprintGoalRate').filter({ hasText: kpiHeadlines(before).sprintGoalRate }).waitFor({ timeout: 30_000 });
  const target = before.sprintGoalRate.details.sprints.find((s) => s.outcome === 'missed')!;
  await page.getByTestId('verdict-sprint').selectOption(target.sprintId);
  await page.getByTestId('verdict-outcome-met').check();
  await page.getByTestId('verdict-submit').click();
  await page.getByTestId('verdict-status').filter({ hasText: /recorded/i }).waitFor();
  const rate = before.sprintGoalRate.value!;
  const expected = Math.round(((rate.met + 1) / (rate.met + rate.partly + rate.missed)) * 100);
  await page.getByTestId('kpi-sentence-sprintGoalRate').filter({ hasText: `${expected}% met` }).waitFor();
  await screenshot(page, 'gadget-verdict');
  expect(errors).toEqual([]);
});

it('on a large board, shows the first page of a long evidence list and loads the rest on request', async () => {
  const page = await browser.newPage({ viewport: { width: 640, height: 1100 } });
  const errors = watchErrors(page);
  await configure(page, 'agile-kpi-velocity', 'g-big-velocity', 1);
  await page.goto(gadgetUrl('agile-kpi-velocity', 'g-big-velocity'));
  const direct = await forge.direct(forge.jira.boards[1]!.id);
  await page.getByTestId('kpi-sentence-velocity').filter({ hasText: kpiHeadlines(direct).velocity }).waitFor({ timeout: 60_000 });
  const total = direct.velocity.evidence.length;
  expect(total).toBeGreaterThan(200);
  await page.getByTestId('drill-velocity-velocity').click();
  // The answer carried the first 200 rows; the panel counts them all and offers the rest.
  await page.getByTestId('evidence-panel-count').filter({ hasText: `${total} items behind this number` }).waitFor();
  expect(await page.getByTestId('evidence-row').count()).toBe(200);
  await page.getByTestId('evidence-panel-more').filter({ hasText: `${total - 200} more` }).waitFor();
  await page.getByTestId('evidence-load-more').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="evidence-row"]').length === n, Math.min(total, 400));
  const keys = await page.getByTestId('evidence-row').locator('th').allTextContents();
  expect(keys.slice(0, Math.min(total, 400))).toEqual(direct.velocity.evidence.slice(0, 400).map((e) => e.key));
  if (total <= 400) expect(await page.getByTestId('evidence-panel-more').count()).toBe(0);
  await screenshot(page, 'gadget-evidence-load-more');
  expect(errors).toEqual([]);
});

it('asks to be configured before it has a board, and says so in words', async () => {
  const page = await browser.newPage();
  await page.goto(gadgetUrl('agile-kpi-flow', 'g-new'));
  await page.getByTestId('state-not-configured').waitFor();
  await screenshot(page, 'gadget-not-configured');
});

/** Where a table's columns end up in a narrow gadget: measured in the page, scrolled to each end. */
interface TableFit {
  readonly testId: string | null;
  /** The scroll box lies inside the gadget's width. */
  readonly boxInside: boolean;
  /** Its columns fit, or it scrolls sideways (overflow-x auto or scroll). */
  readonly fitsOrScrolls: boolean;
  /** Scrolled fully left, the first column starts inside the box; scrolled fully right, the last ends inside it. */
  readonly firstReachable: boolean;
  readonly lastReachable: boolean;
}

it.each(Object.keys(GADGET_VIEWS) as GadgetModuleKey[])('%s, 620 px wide, shows every column of its tables (they scroll, the page does not)', async (module) => {
  const page = await browser.newPage({ viewport: { width: 620, height: 900 } });
  const errors = watchErrors(page);
  const gadget = `g-620-${module}`;
  await configure(page, module, gadget);
  await page.goto(gadgetUrl(module, gadget));
  await page.getByTestId(`kpi-sentence-${GADGET_VIEWS[module]}`).waitFor({ timeout: 30_000 });
  await screenshot(page, `gadget-620-${module}`);
  const { pageWidth, viewportWidth, tables } = await page.evaluate(() => {
    const fits = [...document.querySelectorAll<HTMLElement>('.akpi-table-scroll')].map((box) => {
      const cells = box.querySelectorAll('table thead th');
      const boxRect = box.getBoundingClientRect();
      const overflowX = getComputedStyle(box).overflowX;
      box.scrollLeft = 0;
      const firstReachable = cells[0]!.getBoundingClientRect().left >= boxRect.left - 0.5;
      box.scrollLeft = box.scrollWidth;
      const lastReachable = cells[cells.length - 1]!.getBoundingClientRect().right <= boxRect.right + 0.5;
      box.scrollLeft = 0;
      return {
        testId: box.querySelector('table')!.getAttribute('data-testid'),
        boxInside: boxRect.left >= 0 && boxRect.right <= document.documentElement.clientWidth,
        fitsOrScrolls: box.scrollWidth <= box.clientWidth || overflowX === 'auto' || overflowX === 'scroll',
        firstReachable,
        lastReachable,
      };
    });
    return { pageWidth: document.documentElement.scrollWidth, viewportWidth: document.documentElement.clientWidth, tables: fits };
  });
  expect(pageWidth).toBeLessThanOrEqual(viewportWidth);
  const everyColumnShown: TableFit = { testId: expect.any(String) as unknown as string, boxInside: true, fitsOrScrolls: true, firstReachable: true, lastReachable: true };
  expect(tables).toEqual(tables.map(() => everyColumnShown));
  if (module !== 'agile-kpi-sprint-progress') expect(tables.length).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
