import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ts from 'typescript';
import { openStore } from './open-store';

/**
 * The child process runs the store's real source, compiled here with TypeScript's transpiler into a temp
 * directory: it does not depend on packages/store/dist being built or fresh.
 */
function compileStore(into: string, from = __dirname): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== '__fixtures__') {
      mkdirSync(join(into, entry.name));
      compileStore(join(into, entry.name), join(from, entry.name));
    }
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    const output = ts.transpileModule(readFileSync(join(from, entry.name), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    writeFileSync(join(into, entry.name.replace(/\.ts$/, '.js')), output.outputText);
  }
}

describe('crash safety', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'agile-kpi-store-crash-'));
    mkdirSync(join(dir, 'store'));
    compileStore(join(dir, 'store'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps only committed documents when the process is killed in the middle of a transaction', () => {
    const file = join(dir, 'crash.sqlite');
    const child = spawnSync(process.execPath, [join(__dirname, '__fixtures__', 'crash-mid-transaction.js'), join(dir, 'store'), file], {
      encoding: 'utf8',
      // The compiled store lives outside the repository, so it finds better-sqlite3 through NODE_PATH.
      env: { ...process.env, NODE_PATH: join(__dirname, '..', '..', '..', 'node_modules') },
    });
    expect(child.stderr).toBe('');
    expect(child.signal).toBe('SIGKILL');
    const progress = JSON.parse(child.stdout) as { walBytes: number; uncommittedDocs: number };
    // Uncommitted pages really reached the disk before the kill; otherwise this test would prove nothing.
    expect(progress.walBytes).toBeGreaterThan(8 * 1024 * 1024);
    expect(progress.uncommittedDocs).toBeGreaterThan(1000);

    const store = openStore(file);
    const scope = store.scope({ source: 'jira', site: 'https://crash.example', scope: '7' });
    expect(scope.listDocs('issue')).toEqual([
      { id: 'A-1', version: '1', body: { summary: 'first' } },
      { id: 'A-2', version: '1', body: { summary: 'second' } },
      { id: 'A-3', version: '1', body: { summary: 'third' } },
    ]);
    expect(scope.countDocs('issue')).toBe(3);
    expect(scope.getState('watermark')).toBe('2025-03-01T00:00:00.000Z');
    expect(scope.snapshots('sprint')).toEqual([]);
    // Still writable after recovery.
    scope.putDocs('issue', [{ id: 'A-4', version: '1', body: { summary: 'after the crash' } }]);
    expect(scope.countDocs('issue')).toBe(4);
    store.close();

    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(raw.pragma('foreign_key_check')).toEqual([]);
    } finally {
      raw.close();
    }
  });
});
