import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncSqliteStore, openStore } from '@agile-kpi/store';
import { storeContract } from './store-contract';

describe('the store contract on SQLite (through asyncSqliteStore)', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'agile-kpi-contract-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  storeContract({
    // A file, not ':memory:', so that corruptCompiled can open it beside the store.
    open: async () => {
      n += 1;
      return asyncSqliteStore(openStore(join(dir, `store-${n}.sqlite`)));
    },
    corruptCompiled: async (store, kind, id) => {
      const db = new Database(store.file);
      try {
        db.prepare("UPDATE compiled SET body = '{\"item\":666}' WHERE kind = ? AND id = ?").run(kind, id);
      } finally {
        db.close();
      }
    },
  });
});
