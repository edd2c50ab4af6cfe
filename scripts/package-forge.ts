/**
 * `npm run package:forge`: the Forge app's backend bundled by Forge's own bundler, offline, and checked.
 *
 * `forge deploy` bundles the functions with `@forge/bundler` (webpack + ts-loader, type-checked against the
 * app root's tsconfig.json) before it uploads anything; this runs that bundler the way the Forge CLI does
 * (`@forge/cli` 13.3.0: `RuntimeBundler.packageAll`), without an Atlassian login or network:
 *
 * 1. the handlers, from manifest.yml's `function` modules (`handler: index.sendReports` is module `index`,
 *    function `sendReports`), read by the CLI's own `ConfigFile.getAppHandlers` (@forge/cli-shared);
 * 2. their entry points with `getEntryPoints` (`src/<module>`, resolved in the app directory);
 * 3. `getNodeBundler(…).bundle({ appDirectory, entryPoints })`: webpack's `<module>.cjs` and its source map.
 *    The one thing given instead of downloaded is the Forge runtime's wrapper (`__forge__.cjs`, which the CLI
 *    fetches from Atlassian's CDN and adds beside the bundle): it is Atlassian's, not part of the bundle.
 *
 * Then it loads each bundle in a fresh Node process, checks that it exports every function the manifest names,
 * that it holds none of the UI libraries (React, ECharts, MJML, the TypeScript compiler, resvg: the packages
 * webpack packed, from its source map and its module list), and prints its size. Any failure is one line on
 * stderr and exit code 1. The bundle is left in dist/forge-bundle/ to look at.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { getEntryPoints, getNodeBundler } from '@forge/bundler';

/** A manifest function's handler: `index.handler` is module `index`, function `handler`. */
export interface ForgeHandler {
  readonly module: string;
  readonly func: string;
}

export interface ForgeBundle {
  readonly module: string;
  /** The bundle file (`<module>.cjs`) in the output folder. */
  readonly file: string;
  readonly bytes: number;
  /** The names it exports whose values are functions, as Node loads it. */
  readonly functions: readonly string[];
}

export interface ForgePackage {
  readonly outDir: string;
  readonly handlers: readonly ForgeHandler[];
  readonly bundles: readonly ForgeBundle[];
  /** The npm packages webpack packed (from the source maps' sources and the bundler's module list). */
  readonly packages: readonly string[];
  readonly warnings: readonly string[];
}

/** What a backend bundle must not hold: UI libraries and compilers (prefix `mjml` covers mjml-* too). */
export const UI_LIBRARIES: readonly string[] = ['react', 'react-dom', 'scheduler', 'echarts', 'zrender', 'mjml', 'typescript', '@resvg/resvg-js'];

const forgeRequire = createRequire(require.resolve('@forge/bundler'));

/** The Forge CLI's manifest reader, from the @forge/cli-shared the bundler itself uses. */
interface ForgeConfigFile {
  getAppHandlers(): Promise<ForgeHandler[]>;
  readConfig(): Promise<unknown>;
}

/**
 * Bundles the app in `appDir` as `forge deploy` does, copies the output to `outDir` and reads what it holds.
 * Throws what the bundler throws (type errors, modules webpack cannot pack).
 */
export async function packageForge(appDir: string, outDir: string): Promise<ForgePackage> {
  const warnings: string[] = [];
  const logger = {
    traceEnabled: false,
    debugEnabled: false,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (message: string) => void warnings.push(message),
    error: (error: Error) => void warnings.push(error.message),
  };
  // The CLI works in the app directory: it reads manifest.yml and resolves src/<module> from there.
  const cwd = process.cwd();
  process.chdir(appDir);
  let built: { outputDir: string; metadata?: { modules?: string[] } };
  let handlers: ForgeHandler[];
  try {
    const shared = forgeRequire('@forge/cli-shared') as { ConfigFile: new (reader: unknown, writer: unknown) => ForgeConfigFile; FileSystemReader: new () => unknown; FileSystemWriter: new () => unknown };
    const config = new shared.ConfigFile(new shared.FileSystemReader(), new shared.FileSystemWriter());
    handlers = await config.getAppHandlers();
    const offlineWrapper = {
      getNodeRuntimeWrapper: async () => ({ script: '/* the Forge runtime wrapper: downloaded by the Forge CLI at deploy */', source: 'offline', version: 'offline' }),
      getNodeRuntimeLoader: async () => undefined,
    };
    const statsig = { isTypescriptBundlerEnabled: async () => false };
    const bundler = getNodeBundler(logger, offlineWrapper, config as Parameters<typeof getNodeBundler>[2], statsig as unknown as Parameters<typeof getNodeBundler>[3]);
    built = await bundler.bundle({ appDirectory: appDir, entryPoints: getEntryPoints(handlers) });
  } finally {
    process.chdir(cwd);
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.dirname(outDir), { recursive: true });
  cpSync(built.outputDir, outDir, { recursive: true });
  rmSync(built.outputDir, { recursive: true, force: true });

  const modules = [...new Set(handlers.map((h) => h.module))];
  const bundles = modules.map((module) => {
    const file = path.join(outDir, `${module}.cjs`);
    return { module, file, bytes: existsSync(file) ? statSync(file).size : 0, functions: existsSync(file) ? exportedFunctions(file) : [] };
  });
  const sources = modules.flatMap((module) => {
    const map = path.join(outDir, `${module}.cjs.map`);
    return existsSync(map) ? (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources : [];
  });
  const packages = new Set([...sources, ...(built.metadata?.modules ?? []).map((m) => `node_modules/${m}/`)].map(packageOf).filter((p): p is string => !!p));
  return { outDir, handlers, bundles, packages: [...packages].sort(), warnings };
}

/** `webpack://app/./packages/x/node_modules/@scope/name/lib/a.js` -> `@scope/name` (the innermost package). */
export function packageOf(source: string): string | undefined {
  const parts = source.split('node_modules/');
  if (parts.length < 2) return undefined;
  const [first, second] = parts.at(-1)!.split('/');
  return first?.startsWith('@') ? `${first}/${second}` : first;
}

/** Loads a bundle in a fresh Node process (not this one's module cache) and lists its function exports. */
function exportedFunctions(file: string): string[] {
  const script = 'const m = require(process.argv[1]); process.stdout.write(JSON.stringify(Object.keys(m).filter((k) => typeof m[k] === "function")));';
  return JSON.parse(execFileSync(process.execPath, ['-e', script, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as string[];
}

/** What is wrong with a package: functions the manifest names that a bundle does not export, UI libraries in it. */
export function problems(pkg: Pick<ForgePackage, 'handlers' | 'bundles' | 'packages'>): string[] {
  const out: string[] = [];
  for (const h of pkg.handlers) {
    const bundle = pkg.bundles.find((b) => b.module === h.module);
    if (!bundle?.bytes) out.push(`no bundle ${h.module}.cjs for handler ${h.module}.${h.func}`);
    else if (!bundle.functions.includes(h.func)) out.push(`${h.module}.cjs exports no function ${h.func} (manifest handler ${h.module}.${h.func}; it exports ${bundle.functions.join(', ') || 'none'})`);
  }
  const ui = pkg.packages.filter((p) => UI_LIBRARIES.some((lib) => p === lib || (lib === 'mjml' && p.startsWith('mjml-'))));
  if (ui.length) out.push(`the backend bundle holds UI libraries: ${ui.join(', ')}`);
  return out;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const outDir = path.join(root, 'dist', 'forge-bundle');
  let pkg: ForgePackage;
  try {
    pkg = await packageForge(root, outDir);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`package:forge: Forge's bundler failed: ${message.split('\n')[0]}`);
    console.error(message);
    process.exit(1);
  }
  const wrong = problems(pkg);
  if (wrong.length) {
    console.error(`package:forge: ${wrong.join('; ')}`);
    process.exit(1);
  }
  for (const b of pkg.bundles) {
    const names = pkg.handlers.filter((h) => h.module === b.module).map((h) => h.func);
    console.log(`package:forge: ${path.relative(root, b.file)} ${megabytes(b.bytes)} (${b.bytes} bytes), exports ${names.join(', ')}; ${pkg.packages.length} npm packages, no UI library`);
  }
  for (const w of pkg.warnings) console.warn(`package:forge: webpack warning: ${w.split('\n')[0]}`);
}

if (require.main === module) void main();
