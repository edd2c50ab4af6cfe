import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { type ForgePackage, UI_LIBRARIES, packageForge, packageOf, problems } from '../../scripts/package-forge';

/**
 * `npm run package:forge` (scripts/package-forge.ts): Forge's own bundler (@forge/bundler 7.1.0, the version
 * @forge/cli 13.3.0 runs) over this repository's manifest.yml, as `forge deploy` would run it, and over small
 * apps that show each check can fail. Needs the workspace packages built (`npm test` builds first): the bundle
 * packs their dist/.
 */
const ROOT = path.resolve(__dirname, '../..');
const BUDGET_BYTES = 6_000_000;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'agile-kpi-forge-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the app', () => {
  let pkg: ForgePackage;
  beforeAll(async () => {
    pkg = await packageForge(ROOT, path.join(scratch, 'app'));
  }, 300_000);

  test('bundles, loads in Node and exports every function the manifest names', () => {
    const manifest = parse(readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8')) as { modules: { function: { handler: string }[] } };
    const named = manifest.modules.function.map((f) => f.handler);
    expect(named.length).toBeGreaterThan(0);
    expect(pkg.handlers.map((h) => `${h.module}.${h.func}`).sort()).toEqual([...new Set(named)].sort());
    for (const handler of named) {
      const [module, func] = handler.split('.');
      expect(pkg.bundles.find((b) => b.module === module)?.functions).toContain(func);
    }
    expect(problems(pkg)).toEqual([]);
  });

  test('holds the Forge runtime APIs and none of the UI libraries (React, ECharts, MJML, TypeScript, resvg)', () => {
    expect(pkg.packages).toEqual(expect.arrayContaining(['@forge/api', '@forge/kvs', '@forge/resolver', 'zod']));
    for (const lib of UI_LIBRARIES) expect(pkg.packages.filter((p) => p === lib || p.startsWith(`${lib}-`))).toEqual([]);
    const text = readFileSync(pkg.bundles[0]!.file, 'utf8');
    expect(text).not.toMatch(/mjml-core|echarts\/lib|react-dom|createElement\("mj-|\.node"\)/);
  });

  test(`stays within its size budget (${BUDGET_BYTES / 1e6} MB; 22.6 MB with the UI libraries)`, () => {
    expect(pkg.bundles[0]!.bytes).toBeGreaterThan(100_000);
    expect(pkg.bundles[0]!.bytes).toBeLessThan(BUDGET_BYTES);
  });
});

describe('each check can fail', () => {
  const STRICT = { compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'commonjs', strict: true, types: [] } };

  /**
   * Bundles a Forge app of one source file whose manifest names `handlers` (node_modules is the repository's,
   * for React and the bundler's loaders).
   */
  function bundle(name: string, handlers: string[], source: string, tsconfig: object = STRICT): Promise<ForgePackage> {
    const dir = path.join(scratch, name);
    const manifest = `modules:\n  function:\n${handlers.map((h, i) => `    - key: f${i}\n      handler: ${h}\n`).join('')}app:\n  id: ari:cloud:ecosystem::app/00000000-0000-0000-0000-000000000000\n  runtime:\n    name: nodejs22.x\n`;
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'manifest.yml'), manifest);
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    writeFileSync(path.join(dir, 'src', 'index.ts'), source);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    return packageForge(dir, path.join(dir, 'out'));
  }

  test('a function the manifest names that the bundle does not export', async () => {
    const pkg = await bundle('missing', ['index.handler', 'index.refresh'], 'export const handler = async () => 1;\n');
    expect(problems(pkg)).toEqual(['index.cjs exports no function refresh (manifest handler index.refresh; it exports handler)']);
  }, 120_000);

  test('a UI library in the backend', async () => {
    const source = "declare const require: (id: string) => { version: string };\nconst { version } = require('react');\nexport const handler = async () => version;\n";
    expect(problems(await bundle('react', ['index.handler'], source))).toEqual(['the backend bundle holds UI libraries: react']);
  }, 120_000);

  test('a tsconfig.json without compilerOptions: the ES5 defaults stop the bundler (issue #19)', async () => {
    const source = 'export const handler = async () => { let n = 0; for (const [k] of new Map([[1, 2]])) n += k; return n; };\n';
    await expect(bundle('es5', ['index.handler'], source, {})).rejects.toThrow(/TS2802/);
  }, 120_000);
});

test('packageOf names the innermost package of a source path', () => {
  expect(packageOf('webpack://agile-kpi/./node_modules/@forge/api/out/index.js')).toBe('@forge/api');
  expect(packageOf('webpack://agile-kpi/./packages/dashboard/node_modules/echarts/lib/echarts.js')).toBe('echarts');
  expect(packageOf('webpack://agile-kpi/./packages/report/dist/notify.js')).toBeUndefined();
});
