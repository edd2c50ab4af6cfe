import { type AsyncAgileStore, type AsyncScopeStore, StoreError } from '@agile-kpi/store';

/** How a contract run opens a store of its backend, and reaches behind it where the contract needs to. */
export interface ContractBackend {
  /** A new, empty store. */
  open(): Promise<AsyncAgileStore>;
  /** Changes a compiled body behind the store's back, keeping its checksum (what a disk error or a hand edit does). */
  corruptCompiled(store: AsyncAgileStore, kind: string, id: string): Promise<void>;
}

const board = { source: 'jira', site: 'https://contract.example', scope: '7' };

/**
 * The store port's behaviour, the same for every backend: the SQLite store (through `asyncSqliteStore`) and
 * PostgreSQL each run it, so that a caller written against one gets the same answers from the other.
 */
export function storeContract(backend: ContractBackend): void {
  let store: AsyncAgileStore;
  let scope: AsyncScopeStore;
  beforeEach(async () => {
    store = await backend.open();
    scope = await store.scope(board);
  });
  afterEach(async () => {
    await store.close();
  });

  describe('documents', () => {
    it('lists documents by id in byte order, with their versions and bodies as JSON reads them back', async () => {
      await scope.putDocs('issue', [
        { id: '9999', version: 'v1', body: { a: 1, when: new Date('2025-03-01T09:00:00Z') } },
        { id: '10001', version: null, body: [1, 'two', null] },
        { id: 'a', version: 'v1', body: 'text' },
        { id: 'Z', version: 'v1', body: 3 },
      ]);
      // Byte order: '1' (0x31) < '9' (0x39) < 'Z' (0x5a) < 'a' (0x61), whatever the database's collation.
      expect((await scope.listDocs('issue')).map((doc) => doc.id)).toEqual(['10001', '9999', 'Z', 'a']);
      expect(await scope.getDoc('issue', '9999')).toEqual({ id: '9999', version: 'v1', body: { a: 1, when: '2025-03-01T09:00:00.000Z' } });
      expect(await scope.getDoc('issue', '10001')).toEqual({ id: '10001', version: null, body: [1, 'two', null] });
      expect(await scope.getDoc('issue', 'missing')).toBeUndefined();
      expect(await scope.getDoc('sprint', '9999')).toBeUndefined();
      expect(await scope.countDocs('issue')).toBe(4);
      expect([...(await scope.docVersions('issue'))]).toEqual([
        ['10001', null],
        ['9999', 'v1'],
        ['Z', 'v1'],
        ['a', 'v1'],
      ]);
    });

    it('keeps the last of a repeated id, and replaces a stored one', async () => {
      await scope.putDocs('issue', [
        { id: '1', version: 'v1', body: 'first' },
        { id: '1', version: 'v2', body: 'second' },
      ]);
      expect(await scope.listDocs('issue')).toEqual([{ id: '1', version: 'v2', body: 'second' }]);
      await scope.putDocs('issue', [{ id: '1', version: 'v3', body: 'third' }]);
      expect(await scope.listDocs('issue')).toEqual([{ id: '1', version: 'v3', body: 'third' }]);
    });

    it('deletes, replaces and fetches by id', async () => {
      await scope.putDocs('issue', ['1', '2', '3', '4'].map((id) => ({ id, version: 'v1', body: id })));
      await scope.deleteDocs('issue', ['2', 'not stored']);
      expect((await scope.getDocs('issue', ['4', '1', 'x', '1'])).map((doc) => doc.id)).toEqual(['1', '4']);
      await scope.replaceDocs('issue', [
        { id: '3', version: 'v2', body: 'three' },
        { id: '5', version: 'v1', body: 'five' },
      ]);
      expect(await scope.listDocs('issue')).toEqual([
        { id: '3', version: 'v2', body: 'three' },
        { id: '5', version: 'v1', body: 'five' },
      ]);
      await scope.replaceDocs('issue', []);
      expect(await scope.countDocs('issue')).toBe(0);
    });

    it('moves documents between kinds, replacing what the target holds and ignoring ids it does not find', async () => {
      await scope.putDocs('staged', [
        { id: '1', version: 'v2', body: 'new one' },
        { id: '2', version: 'v1', body: 'two' },
        { id: '3', version: 'v1', body: 'stays staged' },
      ]);
      await scope.putDocs('issue', [{ id: '1', version: 'v1', body: 'old one' }]);
      await scope.moveDocs('staged', 'issue', ['1', '2', 'missing']);
      expect(await scope.listDocs('issue')).toEqual([
        { id: '1', version: 'v2', body: 'new one' },
        { id: '2', version: 'v1', body: 'two' },
      ]);
      expect(await scope.listDocs('staged')).toEqual([{ id: '3', version: 'v1', body: 'stays staged' }]);
    });

    it('refuses a body JSON cannot hold, writing nothing of the batch', async () => {
      const bad = scope.putDocs('issue', [
        { id: '1', version: 'v1', body: 'fine' },
        { id: '2', version: 'v1', body: undefined },
      ]);
      await expect(bad).rejects.toThrow(StoreError);
      await expect(bad).rejects.toThrow('issue "2" is not JSON-serialisable');
      expect(await scope.countDocs('issue')).toBe(0);
    });

    it('keeps scopes apart and lists them in order', async () => {
      const other = await store.scope({ ...board, scope: '12' });
      await other.putDocs('issue', [{ id: '1', version: 'v1', body: 'other board' }]);
      await scope.putDocs('issue', [{ id: '1', version: 'v1', body: 'this board' }]);
      expect(await other.listDocs('issue')).toEqual([{ id: '1', version: 'v1', body: 'other board' }]);
      await store.scope({ source: 'azure-devops', site: 'https://dev.azure.com/o', scope: 'P/T' });
      expect(await store.scopes()).toEqual([
        { source: 'azure-devops', site: 'https://dev.azure.com/o', scope: 'P/T' },
        { source: 'jira', site: 'https://contract.example', scope: '12' },
        board,
      ]);
      await expect(store.scope({ ...board, scope: '' })).rejects.toThrow('a store scope needs a non-empty scope');
    });
  });

  describe('state, snapshots, verdicts, outcomes', () => {
    it('keeps JSON state, and undefined deletes it', async () => {
      expect(await scope.getState('watermark')).toBeUndefined();
      await scope.setState('watermark', { at: '2025-03-01', n: 3 });
      expect(await scope.getState('watermark')).toEqual({ at: '2025-03-01', n: 3 });
      await scope.setState('watermark', undefined);
      expect(await scope.getState('watermark')).toBeUndefined();
      await expect(scope.setState('bad', () => 1)).rejects.toThrow('state "bad" is not JSON-serialisable');
    });

    it('appends a date snapshot only when the value changes, and lists them by time then insertion', async () => {
      const sprint = (value: unknown) => [{ id: 's1', field: 'endDate', value }];
      expect(await scope.recordSnapshots('sprint', sprint({ end: '2025-03-14', zone: 'UTC' }), '2025-03-01T10:00:00+01:00')).toBe(1);
      // The same value with its keys in another order is no change.
      expect(await scope.recordSnapshots('sprint', sprint({ zone: 'UTC', end: '2025-03-14' }), '2025-03-02T09:00:00Z')).toBe(0);
      expect(await scope.recordSnapshots('sprint', sprint(undefined), '2025-03-03T09:00:00Z')).toBe(1);
      // A repeated (id, field) in one call compares with the row that call just added.
      expect(
        await scope.recordSnapshots(
          'sprint',
          [
            { id: 's1', field: 'endDate', value: '2025-03-21' },
            { id: 's1', field: 'endDate', value: '2025-03-21' },
            { id: 's2', field: 'endDate', value: '2025-03-21' },
          ],
          '2025-03-03T09:00:00Z',
        ),
      ).toBe(2);
      expect(await scope.snapshots('sprint')).toEqual([
        { id: 's1', field: 'endDate', value: { end: '2025-03-14', zone: 'UTC' }, takenAt: '2025-03-01T09:00:00.000Z' },
        { id: 's1', field: 'endDate', value: null, takenAt: '2025-03-03T09:00:00.000Z' },
        { id: 's1', field: 'endDate', value: '2025-03-21', takenAt: '2025-03-03T09:00:00.000Z' },
        { id: 's2', field: 'endDate', value: '2025-03-21', takenAt: '2025-03-03T09:00:00.000Z' },
      ]);
      await expect(scope.recordSnapshots('sprint', sprint(1), '2025-02-30T09:00:00Z')).rejects.toThrow('recordSnapshots needs takenAt as an ISO instant');
    });

    it('records, replaces and removes sprint goal verdicts', async () => {
      await scope.setVerdict('20', { outcome: 'met', by: 'ana', at: '2025-03-14T17:00:00Z' });
      await scope.setVerdict('3', { outcome: 'partly', by: 'bo', at: '2025-03-01T17:00:00Z', note: 'one story slipped' });
      await scope.setVerdict('20', { outcome: 'missed', by: 'ana', at: '2025-03-15T09:00:00Z' });
      expect([...(await scope.verdicts())]).toEqual([
        ['20', { outcome: 'missed', by: 'ana', at: '2025-03-15T09:00:00Z' }],
        ['3', { outcome: 'partly', by: 'bo', at: '2025-03-01T17:00:00Z', note: 'one story slipped' }],
      ]);
      await scope.setVerdict('20', undefined);
      expect([...(await scope.verdicts()).keys()]).toEqual(['3']);
      await expect(scope.setVerdict('4', { outcome: 'great' as 'met', by: 'x', at: '2025-03-01T00:00:00Z' })).rejects.toThrow(
        'a sprint goal verdict is met, partly or missed, got "great" for sprint 4',
      );
    });

    it('counts only the outcome records an import adds or changes, and clear keeps them', async () => {
      const rows = [
        { kind: 'csat', id: 'import:a:2', body: { score: 4 } },
        { kind: 'csat', id: 'import:a:1', body: { score: 5 } },
        { kind: 'nps', id: 'import:b:1', body: { score: 9 } },
      ];
      expect(await scope.putOutcomes(rows)).toBe(3);
      expect(await scope.putOutcomes(rows)).toBe(0);
      expect(await scope.putOutcomes([{ kind: 'csat', id: 'import:a:1', body: { score: 3 } }])).toBe(1);
      expect(await scope.listOutcomes(['csat'])).toEqual([
        { kind: 'csat', id: 'import:a:1', body: { score: 3 } },
        { kind: 'csat', id: 'import:a:2', body: { score: 4 } },
      ]);
      expect(await scope.listOutcomes([])).toEqual([]);
      // Removed by kind and id: an id of another kind, or unknown, is left alone and not counted.
      expect(await scope.deleteOutcomes('csat', ['import:a:2', 'import:b:1', 'nope', 'import:a:2'])).toBe(1);
      expect((await scope.listOutcomes()).map((row) => row.id)).toEqual(['import:a:1', 'import:b:1']);
      expect(await scope.putOutcomes([{ kind: 'csat', id: 'import:a:2', body: { score: 4 } }])).toBe(1);
      await scope.putDocs('issue', [{ id: '1', version: 'v1', body: 1 }]);
      await scope.setState('watermark', 'w');
      await scope.recordSnapshots('sprint', [{ id: 's', field: 'f', value: 1 }], '2025-03-01T00:00:00Z');
      await scope.setVerdict('s', { outcome: 'met', by: 'a', at: '2025-03-01T00:00:00Z' });
      await scope.clear();
      expect(await scope.countDocs('issue')).toBe(0);
      expect(await scope.getState('watermark')).toBeUndefined();
      expect(await scope.snapshots('sprint')).toEqual([]);
      expect((await scope.verdicts()).size).toBe(0);
      expect((await scope.listOutcomes()).map((row) => row.id)).toEqual(['import:a:1', 'import:a:2', 'import:b:1']);
    });
  });

  describe('compiled documents', () => {
    const raw = (id: string, version: string) => ({ id, version, body: { key: `A-${id}`, version } });

    it('keeps a compiled form until its raw document changes or goes, under its fingerprint', async () => {
      await scope.putDocs('issue', [raw('1', 'v1'), raw('2', 'v1'), raw('3', 'v1')]);
      expect(await scope.staleCompiled('issue', 'settings A')).toEqual(['1', '2', '3']);
      await scope.putCompiled('issue', 'settings A', [
        { id: '1', body: { item: 1 } },
        { id: '2', body: { item: 2 } },
        { id: '3', body: { item: 3 } },
        { id: 'no raw document', body: { item: 0 } },
      ]);
      expect(await scope.staleCompiled('issue', 'settings A')).toEqual([]);
      expect(await scope.staleCompiled('issue', 'settings B')).toEqual(['1', '2', '3']);
      // The same raw document again keeps its compiled form; a changed one and a deleted one lose theirs.
      await scope.putDocs('issue', [raw('1', 'v1'), raw('2', 'v2')]);
      await scope.deleteDocs('issue', ['3']);
      expect(await scope.staleCompiled('issue', 'settings A')).toEqual(['2']);
      const seen: string[] = [];
      const listed = await scope.listCompiled('issue', 'settings A', (body, id) => {
        seen.push(id);
        return (body as { item: number }).item * 10;
      });
      expect(listed).toEqual({ docs: [{ id: '1', body: 10 }], corrupt: [] });
      expect(seen).toEqual(['1']);
      expect(await scope.listCompiled('issue', 'settings B')).toEqual({ docs: [], corrupt: [] });
    });

    it('moving or clearing raw documents takes their compiled forms with them', async () => {
      await scope.putDocs('staged', [raw('1', 'v1')]);
      await scope.putDocs('issue', [raw('1', 'v0'), raw('2', 'v0')]);
      await scope.putCompiled('issue', 'f', [
        { id: '1', body: 'old' },
        { id: '2', body: 'two' },
      ]);
      await scope.moveDocs('staged', 'issue', ['1']);
      expect(await scope.staleCompiled('issue', 'f')).toEqual(['1']);
      await scope.clear();
      await scope.putDocs('issue', [raw('2', 'v0')]);
      expect(await scope.staleCompiled('issue', 'f')).toEqual(['2']);
    });

    it('reports a compiled body changed behind its back as corrupt', async () => {
      await scope.putDocs('issue', [raw('1', 'v1'), raw('2', 'v1')]);
      await scope.putCompiled('issue', 'f', [
        { id: '1', body: { item: 1 } },
        { id: '2', body: { item: 2 } },
      ]);
      await backend.corruptCompiled(store, 'issue', '2');
      expect(await scope.listCompiled('issue', 'f')).toEqual({ docs: [{ id: '1', body: { item: 1 } }], corrupt: ['2'] });
    });

    it('lists more compiled forms than one page holds, in id order', async () => {
      const ids = Array.from({ length: 2345 }, (_, n) => String(n + 1));
      await scope.putDocs('issue', ids.map((id) => raw(id, 'v1')));
      await scope.putCompiled('issue', 'f', ids.map((id) => ({ id, body: Number(id) })));
      const listed = await scope.listCompiled<number>('issue', 'f');
      expect(listed.docs.length).toBe(2345);
      expect(listed.docs.map((doc) => doc.id)).toEqual([...ids].sort());
      expect(listed.docs.every((doc) => doc.body === Number(doc.id))).toBe(true);
    });
  });

  describe('transactions', () => {
    it('commits everything written through the transaction at once, or nothing when it throws', async () => {
      await scope.transaction(async (tx) => {
        await tx.putDocs('issue', [{ id: '1', version: 'v1', body: 1 }]);
        await tx.setState('watermark', 'w1');
        expect(await tx.countDocs('issue')).toBe(1);
      });
      await expect(
        scope.transaction(async (tx) => {
          await tx.putDocs('issue', [{ id: '2', version: 'v1', body: 2 }]);
          await tx.setState('watermark', 'w2');
          throw new Error('the page failed');
        }),
      ).rejects.toThrow('the page failed');
      expect((await scope.listDocs('issue')).map((doc) => doc.id)).toEqual(['1']);
      expect(await scope.getState('watermark')).toBe('w1');
    });

    it('undoes only a nested transaction that fails and is caught, and a failed call inside one', async () => {
      const result = await scope.transaction(async (tx) => {
        await tx.putDocs('issue', [{ id: '1', version: 'v1', body: 1 }]);
        await tx
          .transaction(async (inner) => {
            await inner.putDocs('issue', [{ id: '2', version: 'v1', body: 2 }]);
            throw new Error('inner');
          })
          .catch(() => undefined);
        await tx.setVerdict('s', { outcome: 'nope' as 'met', by: 'a', at: 'x' }).catch(() => undefined);
        await tx.putDocs('issue', [{ id: '3', version: 'v1', body: undefined }]).catch(() => undefined);
        await tx.putDocs('issue', [{ id: '4', version: 'v1', body: 4 }]);
        return 'done';
      });
      expect(result).toBe('done');
      expect((await scope.listDocs('issue')).map((doc) => doc.id)).toEqual(['1', '4']);
    });

    it('keeps what a transaction has not committed from other readers', async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let written!: () => void;
      const wasWritten = new Promise<void>((resolve) => (written = resolve));
      const running = scope.transaction(async (tx) => {
        await tx.putDocs('issue', [{ id: '1', version: 'v1', body: 1 }]);
        written();
        await released;
      });
      await wasWritten;
      const reading = scope.countDocs('issue');
      release();
      await running;
      // A backend with one connection answers after the commit, one with many before it: never a half-written page.
      expect([0, 1]).toContain(await reading);
      expect(await scope.countDocs('issue')).toBe(1);
    });
  });

  describe('syncs of one scope', () => {
    it('never interleave: the second waits for the first', async () => {
      const events: string[] = [];
      const sync = (name: string) =>
        scope.exclusive(async () => {
          events.push(`${name} starts`);
          for (let page = 1; page <= 3; page += 1) {
            await scope.putDocs('issue', [{ id: `${name}-${page}`, version: 'v1', body: page }]);
            events.push(`${name} page ${page}`);
          }
          events.push(`${name} ends`);
        });
      await Promise.all([sync('a'), sync('b')]);
      const first = events[0]?.split(' ')[0];
      const second = first === 'a' ? 'b' : 'a';
      expect(events).toEqual([
        ...[`${first} starts`, `${first} page 1`, `${first} page 2`, `${first} page 3`, `${first} ends`],
        ...[`${second} starts`, `${second} page 1`, `${second} page 2`, `${second} page 3`, `${second} ends`],
      ]);
    });

    it('of different scopes run at once', async () => {
      const other = await store.scope({ ...board, scope: '12' });
      let otherRan = false;
      await scope.exclusive(async () => {
        await other.exclusive(async () => {
          otherRan = true;
        });
      });
      expect(otherRan).toBe(true);
    });
  });

  it('refuses calls once closed', async () => {
    await store.close();
    await expect(scope.countDocs('issue')).rejects.toThrow(StoreError);
    await expect(store.scopes()).rejects.toThrow('is closed');
  });
}
