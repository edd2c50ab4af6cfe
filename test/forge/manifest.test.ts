import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GADGET_VIEWS } from '@agile-kpi/presentation';
import { ROOT, appDir, problems } from './forge-app-dir';

/**
 * manifest.yml, checked offline the way `forge deploy` and `forge lint` check it: `@forge/manifest`'s full
 * validation (YAML, schema, modules, resources, permissions...) and `@forge/lint` in its client-side mode
 * (handlers exist, every Jira call in src/ has its scopes, storage has storage:app), plus what the app itself
 * relies on: one gadget per KPI view, one bundle, the functions' handlers and limits.
 */
interface Manifest {
  app: { id: string; runtime: { name: string } };
  modules: {
    'jira:dashboardGadget': { key: string; resource: string; resolver: { function: string }; edit: { resource: string }; title: string; thumbnail: string; render?: string }[];
    function: { key: string; handler: string; timeoutSeconds?: number }[];
    scheduledTrigger: { key: string; function: string; interval: string }[];
  };
  resources: { key: string; path: string }[];
  permissions: { scopes: string[] };
}

const app = appDir();
afterAll(() => app.remove());

let manifest: Manifest;

it('passes @forge/manifest’s full validation', async () => {
  const result = await app.validate();
  expect(result.errors ?? []).toEqual([]);
  expect(result.success).toBe(true);
  manifest = result.manifestObject!.typedContent as unknown as Manifest;
});

it('is checked for real: a broken manifest fails the same validation', async () => {
  const broken = appDir({
    manifest: (text) => text.replace('path: static/gadget/build', 'path: static/nowhere/build').replace('function: resolver', 'function: no-such-function'),
  });
  try {
    const result = await broken.validate();
    expect(result.success).toBe(false);
    const messages = (result.errors ?? []).map((e) => e.message).join('\n');
    expect(messages).toMatch(/static\/nowhere\/build/);
    expect(messages).toMatch(/no-such-function/);
  } finally {
    broken.remove();
  }
});

it('one gadget per view (the seven KPIs and the customer outcomes), all on one Custom UI bundle and one resolver', () => {
  const gadgets = manifest.modules['jira:dashboardGadget'];
  expect(gadgets.map((g) => g.key).sort()).toEqual(Object.keys(GADGET_VIEWS).sort());
  expect(new Set(Object.values(GADGET_VIEWS)).size).toBe(8);
  for (const g of gadgets) {
    expect(g).toMatchObject({ resource: 'gadget', edit: { resource: 'gadget' }, resolver: { function: 'resolver' } });
    expect(g.render).toBeUndefined(); // Custom UI: no `render: native`
    expect(g.thumbnail).toMatch(/^https:\/\//);
  }
  expect(manifest.resources).toEqual([{ key: 'gadget', path: 'static/gadget/build' }]);
  // Vite builds there, with relative asset paths (Forge serves the folder under its own URL).
  const vite = readFileSync(join(ROOT, 'static', 'gadget', 'vite.config.mts'), 'utf8');
  expect(vite).toMatch(/outDir: 'build'/);
  expect(vite).toMatch(/base: '\.\/'/);
});

it('the functions, the hourly refresh, the daily reports and the runtime', () => {
  expect(manifest.app.id).toMatch(/^ari:cloud:ecosystem::app\/0{8}-0{4}-0{4}-0{4}-0{12}$/);
  expect(manifest.app.runtime.name).toBe('nodejs22.x');
  expect(manifest.modules.function).toEqual([
    { key: 'rovo-why', handler: 'index.rovoWhy' },
    { key: 'resolver', handler: 'index.handler' },
    { key: 'refresh', handler: 'index.refresh', timeoutSeconds: 900 },
    { key: 'reports', handler: 'index.sendReports', timeoutSeconds: 900 },
  ]);
  expect(manifest.modules.scheduledTrigger).toEqual([
    { key: 'refresh-boards', function: 'refresh', interval: 'hour' },
    { key: 'send-reports', function: 'reports', interval: 'day' },
  ]);
  const index = readFileSync(join(ROOT, 'src', 'index.ts'), 'utf8');
  expect(index).toMatch(/export const handler = /);
  expect(index).toMatch(/export async function refresh\(/);
  expect(index).toMatch(/export async function sendReports\(/);
});

it('@forge/lint (client-side) finds no problem in src/', async () => {
  const results = await app.lint();
  expect(problems(results)).toEqual([]);
});

it('@forge/lint is checking for real: a missing scope and a missing handler are reported', async () => {
  const broken = appDir({ manifest: (text) => text.replace(/^ {4}- read:issue-details:jira\n/m, '').replace('handler: index.refresh', 'handler: index.refreshNow') });
  try {
    const found = problems(await broken.lint()).join('\n');
    expect(found).toMatch(/GET \/rest\/agile\/1\.0\/board\/\{boardId\} requires "read:issue-details:jira"/);
    expect(found).toMatch(/refreshNow/);
  } finally {
    broken.remove();
  }
});
