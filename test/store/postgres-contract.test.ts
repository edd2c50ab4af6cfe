import { openPostgresStore } from '@agile-kpi/store';
import { storeContract } from './store-contract';
import { startTestPostgres, type TestPostgres } from './test-postgres';

describe('the store contract on PostgreSQL', () => {
  let pg: TestPostgres;
  const schemaOf = new WeakMap<object, string>();
  beforeAll(async () => {
    pg = await startTestPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  storeContract({
    open: async () => {
      const schema = pg.freshSchema();
      const store = await openPostgresStore(pg.url, { schema });
      schemaOf.set(store, schema);
      return store;
    },
    corruptCompiled: async (store, kind, id) => {
      await pg.sql(`UPDATE "${schemaOf.get(store)}".compiled SET body = '{"item":666}' WHERE kind = $1 AND id = $2`, [kind, id]);
    },
  });
});
