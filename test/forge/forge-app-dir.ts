import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LintResult } from '@forge/lint';
import { type ManifestSchema, validate } from '@forge/manifest';

/**
 * The Forge app as `forge deploy` sees it, copied into a temporary folder (manifest.yml, src/, the gadget's
 * build), so that `@forge/manifest` and `@forge/lint` can check it offline, hermetically, with or without
 * changes. The gadget's build is the real one when it exists, else a one-line stand-in (the validators only
 * look for the folder and its index.html; building the UI is `npm run build -w @agile-kpi/forge-gadget`).
 */
export const ROOT = join(__dirname, '..', '..');
export const SPECS = join(ROOT, 'test', 'fixtures', 'specs', 'jira-cloud');
export const REAL_BUILD = join(ROOT, 'static', 'gadget', 'build');

export interface AppDir {
  readonly dir: string;
  readonly usesRealBuild: boolean;
  write(path: string, text: string): void;
  validate(): ReturnType<typeof validate>;
  /** `forge lint` in its client-side mode (no login, no network): Jira's specs from test/fixtures. */
  lint(files?: readonly string[]): Promise<LintResult[]>;
  remove(): void;
}

export function appDir(changes: { manifest?: (text: string) => string; stubBuild?: boolean } = {}): AppDir {
  const dir = mkdtempSync(join(tmpdir(), 'agile-kpi-forge-'));
  const manifest = readFileSync(join(ROOT, 'manifest.yml'), 'utf8');
  writeFileSync(join(dir, 'manifest.yml'), changes.manifest ? changes.manifest(manifest) : manifest);
  cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
  const build = join(dir, 'static', 'gadget', 'build');
  const usesRealBuild = !changes.stubBuild && existsSync(join(REAL_BUILD, 'index.html'));
  if (usesRealBuild) cpSync(REAL_BUILD, build, { recursive: true });
  else {
    mkdirSync(build, { recursive: true });
    writeFileSync(join(build, 'index.html'), '<!doctype html><html><body><div id="root"></div></body></html>\n');
  }
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  return {
    dir,
    usesRealBuild,
    write,
    validate: () => validate(false, join(dir, 'manifest.yml')),
    async lint(files) {
      const v = await validate(false, join(dir, 'manifest.yml'));
      if (!v.manifestObject?.typedContent) throw new Error(`manifest.yml does not parse: ${JSON.stringify(v.errors)}`);
      const empty = join(dir, '.empty-swagger.json');
      writeFileSync(empty, '{"paths":{}}');
      const env = {
        USE_LOCAL_SWAGGER: 'true',
        LOCAL_JIRA_SWAGGER: join(SPECS, 'platform-swagger.v3.json'),
        LOCAL_JSW_SWAGGER: join(SPECS, 'software-swagger.v3.json'),
        // Products the app does not call: no operations to match.
        LOCAL_JSM_SWAGGER: empty,
        LOCAL_CONF_SWAGGER: empty,
        LOCAL_CONF_V2_SWAGGER: empty,
        LOCAL_BB_SWAGGER: empty,
        // The linter keeps a small cache under the home folder: keep it out of the real one.
        HOME: join(dir, '.home'),
        XDG_CONFIG_HOME: join(dir, '.home', '.config'),
      };
      const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
      const cwd = process.cwd();
      Object.assign(process.env, env);
      process.chdir(dir);
      try {
        // Loaded here, after HOME moved: the linter reads it when it starts.
        const { lint } = await import('@forge/lint');
        const { StatsigReader } = await import('@forge/cli-shared');
        /** Feature gates answered offline: every gate at its default, as when Atlassian's service is unreachable. */
        class OfflineGates extends StatsigReader {
          async checkGate(): Promise<null> {
            return null;
          }
          async getDynamicConfig(): Promise<null> {
            return null;
          }
        }
        const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, trace: () => {} };
        const list = files ?? readdirSync(join(dir, 'src')).filter((f) => /\.tsx?$/.test(f)).map((f) => `src/${f}`);
        return await lint([...list], v.manifestObject.typedContent as ManifestSchema, 'development', quiet as never, new OfflineGates() as never, { linter: { mode: 'client-side' } });
      } finally {
        process.chdir(cwd);
        for (const [k, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[k];
          else process.env[k] = value;
        }
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Lint results as lines a failing test prints. */
export function problems(results: readonly LintResult[]): string[] {
  return results.flatMap((r) => [...r.errors, ...r.warnings, ...r.approvals].map((p) => `${r.file}:${p.line}:${p.column} ${p.message}`));
}
