import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The layers of docs/architecture.md, checked on the source: which package may import which, core pure (no
 * tracker, HTTP, email, UI or Node module), and no relative import that leaves its package (nothing under
 * static/ reaches into src/). A new import that crosses a layer fails here with the file and the line.
 */
const ROOT = join(__dirname, '..');

/** Who may import whom: a package's own layer and those below it, never a sibling surface. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  'packages/core/src': [],
  'packages/tracker-client/src': ['core'],
  'packages/store/src': ['core'],
  'packages/testkit/src': ['core'],
  'packages/jira/src': ['core', 'tracker-client'],
  'packages/azure-devops/src': ['core', 'tracker-client'],
  'packages/presentation/src': ['core'],
  'packages/dashboard/src': ['core', 'presentation'],
  'packages/report/src': ['core', 'presentation', 'dashboard'],
  'packages/hosted-service/src': ['core', 'presentation', 'tracker-client'],
  src: ['core', 'tracker-client', 'jira', 'presentation', 'report', 'hosted-service'],
  'packages/azure-devops-extension/src': ['core', 'tracker-client', 'azure-devops', 'presentation', 'dashboard', 'hosted-service'],
  'static/gadget/src': ['presentation', 'dashboard'],
  'packages/cli/src': ['core', 'tracker-client', 'store', 'testkit', 'jira', 'azure-devops', 'presentation', 'dashboard', 'report', 'hosted-service'],
};

/** What core may import besides itself: its maths, time and schema libraries. */
const CORE_LIBRARIES = ['luxon', 'pure-rand', 'simple-statistics', 'zod'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' || name === '__fixtures__' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function imports(file: string): { line: number; spec: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((text, i) => [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => ({ line: i + 1, spec: m[1]! })));
}

describe.each(Object.entries(MAY_IMPORT))('%s', (dir, allowed) => {
  const root = join(ROOT, dir);
  const files = sources(root);

  it('imports only the packages of the layers below it', () => {
    expect(files.length).toBeGreaterThan(0);
    const crossing = files.flatMap((f) =>
      imports(f)
        .filter(({ spec }) => spec.startsWith('@agile-kpi/') && !allowed.includes(spec.split('/')[1]!))
        .map(({ line, spec }) => `${relative(ROOT, f)}:${line} imports ${spec}`),
    );
    expect(crossing).toEqual([]);
  });

  it('never reaches out of its package with a relative path', () => {
    const pkg = dir === 'src' ? root : resolve(root, '..');
    const leaving = files.flatMap((f) =>
      imports(f)
        .filter(({ spec }) => spec.startsWith('.') && !resolve(dirname(f), spec).startsWith(pkg + sep))
        .map(({ line, spec }) => `${relative(ROOT, f)}:${line} imports ${spec}`),
    );
    expect(leaving).toEqual([]);
  });
});

it('core knows nothing of trackers, HTTP, files, email or UI: only its own modules and its maths, time and schema libraries', () => {
  const foreign = sources(join(ROOT, 'packages/core/src')).flatMap((f) =>
    imports(f)
      .filter(({ spec }) => !spec.startsWith('.') && !CORE_LIBRARIES.includes(spec.split('/')[0]!))
      .map(({ line, spec }) => `${relative(ROOT, f)}:${line} imports ${spec}`),
  );
  expect(foreign).toEqual([]);
});

it('presentation draws nothing: only core, no React, ECharts or any other library, so a server loads it without the UI', () => {
  const foreign = sources(join(ROOT, 'packages/presentation/src')).flatMap((f) =>
    imports(f)
      .filter(({ spec }) => !spec.startsWith('.') && spec !== '@agile-kpi/core')
      .map(({ line, spec }) => `${relative(ROOT, f)}:${line} imports ${spec}`),
  );
  expect(foreign).toEqual([]);
});
