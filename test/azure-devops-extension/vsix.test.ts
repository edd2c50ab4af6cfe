import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readZip } from './zip';

/**
 * Packaging, offline: tfx-cli builds the .vsix from vss-extension.json and the built pages (dist/), and the
 * package holds what Azure DevOps needs: the manifests naming the hub, the widget and its configuration with
 * the vso.work scope only, the three pages with their scripts and styles, the icon and the overview.
 */
const PACKAGE = join(__dirname, '..', '..', 'packages', 'azure-devops-extension');
const TFX = require.resolve('tfx-cli/_build/tfx-cli.js', { paths: [PACKAGE] });
let out: string;
let vsix: Buffer;

beforeAll(async () => {
  if (!existsSync(join(PACKAGE, 'dist', 'hub.html'))) throw new Error('the extension is not built: run npm run build -w @agile-kpi/azure-devops-extension');
  out = mkdtempSync(join(tmpdir(), 'agile-kpi-vsix-'));
  await promisify(execFile)(process.execPath, [TFX, 'extension', 'create', '--root', PACKAGE, '--manifest-globs', 'vss-extension.json', '--output-path', out, '--rev-version', 'false', '--no-prompt', '--no-color'], {
    cwd: PACKAGE,
    timeout: 120_000,
  });
  const files = readdirSync(out).filter((f) => f.endsWith('.vsix'));
  expect(files).toEqual(['your-publisher-id.agile-kpi-0.1.0.vsix']);
  vsix = readFileSync(join(out, files[0]!));
}, 150_000);
afterAll(() => out && rmSync(out, { recursive: true, force: true }));

it('contains the manifests, the three pages with their scripts and styles, the icon and the overview', () => {
  const entries = readZip(vsix);
  const names = entries.map((e) => e.name);
  for (const name of ['extension.vsixmanifest', 'extension.vsomanifest', '[Content_Types].xml', 'dist/hub.html', 'dist/widget.html', 'dist/widget-config.html', 'dist/img/logo.png', 'overview.md']) {
    expect(names).toContain(name);
  }
  const read = (name: string) => entries.find((e) => e.name === name)!.read();
  for (const page of ['hub', 'widget', 'widget-config']) {
    const html = read(`dist/${page}.html`).toString('utf8');
    const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => `dist/${m[1]}`);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const asset of assets) expect([page, names.includes(asset)]).toEqual([page, true]);
    // Relative URLs: Azure DevOps serves the files under the extension's own base URL.
    expect(html).not.toMatch(/(?:src|href)="\//);
  }
  const png = read('dist/img/logo.png');
  expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([128, 128]);
});

it('names the hub under Boards, the widget with its configuration, and no scope beyond vso.work', () => {
  const entries = readZip(vsix);
  const manifest = JSON.parse(entries.find((e) => e.name === 'extension.vsomanifest')!.read().toString('utf8')) as {
    scopes: string[];
    contributions: { id: string; type: string; targets: string[]; properties: Record<string, unknown> }[];
  };
  expect(manifest.scopes).toEqual(['vso.work']);
  const byId = Object.fromEntries(manifest.contributions.map((c) => [c.id, c]));
  expect(byId['agile-kpi-hub']).toMatchObject({ type: 'ms.vss-web.hub', targets: ['ms.vss-work-web.work-hub-group'], properties: { name: 'Agile KPIs', uri: 'dist/hub.html' } });
  expect(byId['agile-kpi-widget']).toMatchObject({
    type: 'ms.vss-dashboards-web.widget',
    targets: ['ms.vss-dashboards-web.widget-catalog', '.agile-kpi-widget-config'],
    properties: { uri: 'dist/widget.html', isNameConfigurable: true, supportedScopes: ['project_team'], catalogIconUrl: 'dist/img/logo.png' },
  });
  expect((byId['agile-kpi-widget']!.properties['supportedSizes'] as unknown[]).length).toBeGreaterThan(0);
  // The extension data needs no scope; each page's contribution includes the service it asks the host for.
  for (const c of manifest.contributions) expect([c.id, (c as { includes?: string[] }).includes]).toEqual([c.id, ['ms.vss-features.extension-data-service']]);
  expect(byId['agile-kpi-widget-config']).toMatchObject({ type: 'ms.vss-dashboards-web.widget-configuration', targets: ['ms.vss-dashboards-web.widget-configuration'], properties: { uri: 'dist/widget-config.html' } });
  const vsixManifest = entries.find((e) => e.name === 'extension.vsixmanifest')!.read().toString('utf8');
  expect(vsixManifest).toMatch(/Microsoft\.VisualStudio\.Services/);
  expect(vsixManifest).toMatch(/Publisher="your-publisher-id"/);
  // The pages register under the ids the manifest gives the widget and its configuration.
  const source = (file: string) => readFileSync(join(PACKAGE, 'src', 'pages', file), 'utf8');
  expect(source('widget.tsx')).toContain(`WIDGET_ID = 'agile-kpi-widget'`);
  expect(source('widget-config.tsx')).toContain(`WIDGET_CONFIG_ID = 'agile-kpi-widget-config'`);
});
