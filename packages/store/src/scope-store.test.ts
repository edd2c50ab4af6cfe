import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AgileStore, ScopeStore, StoredDoc } from './agile-store';
import { openStore } from './open-store';
import { checksumMatches, checksumOf } from './scope-store';
import { StoreError } from './store-error';

const board = { source: 'jira', site: 'https://acme.atlassian.net', scope: '42' } as const;

describe('ScopeStore', () => {
  let store: AgileStore;
  let scope: ScopeStore;
  beforeEach(() => {
    store = openStore(':memory:');
    scope = store.scope(board);
  });
  afterEach(() => store.close());

  describe('documents', () => {
    it('upserts, reads one, and lists in string order of id', () => {
      scope.putDocs('issue', [
        { id: '9999', version: '2025-03-01T10:00:00.000+0000', body: { key: 'A-9999' } },
        { id: '10001', version: '2025-03-02T10:00:00.000+0000', body: { key: 'A-10001' } },
        { id: 'b', version: null, body: null },
      ]);
      scope.putDocs('issue', [{ id: '9999', version: '2025-03-05T10:00:00.000+0000', body: { key: 'A-9999', rank: 2 } }]);

      expect(scope.getDoc('issue', '9999')).toEqual({
        id: '9999',
        version: '2025-03-05T10:00:00.000+0000',
        body: { key: 'A-9999', rank: 2 },
      });
      expect(scope.getDoc('issue', 'missing')).toBeUndefined();
      expect(scope.getDoc('sprint', '9999')).toBeUndefined();
      expect(scope.listDocs('issue').map((doc) => doc.id)).toEqual(['10001', '9999', 'b']);
      expect(scope.docVersions('issue')).toEqual(
        new Map([
          ['10001', '2025-03-02T10:00:00.000+0000'],
          ['9999', '2025-03-05T10:00:00.000+0000'],
          ['b', null],
        ]),
      );
      expect(scope.countDocs('issue')).toBe(3);
      expect(scope.countDocs('sprint')).toBe(0);
      expect(scope.listDocs('sprint')).toEqual([]);
    });

    it('keeps the last of a repeated id within one putDocs', () => {
      scope.putDocs('issue', [
        { id: '1', version: 'a', body: 'first' },
        { id: '1', version: 'b', body: 'second' },
      ]);
      expect(scope.listDocs('issue')).toEqual([{ id: '1', version: 'b', body: 'second' }]);
    });

    it('round-trips JSON bodies exactly: nesting, unicode, numbers', () => {
      const body = {
        fields: {
          summary: 'Zoë fixes the “naïve” café 😀 — 日本語 עברית',
          combining: 'e\u0301',
          escapes: 'line\nbreak\ttab "quote" \\ back \u0000 nul \u2028',
          numbers: [0, -1, 1.5, 0.1 + 0.2, 1e21, 5e-324, Number.MAX_SAFE_INTEGER, -Number.MAX_VALUE],
          nested: { a: [{ b: [[], {}, [null, true, false]] }], 'key with spaces': '', 'ключ': 'значение' },
        },
        changelog: { histories: [{ items: [{ field: 'status', fromString: 'To Do', toString: 'Done' }] }] },
      };
      const text = '{"plain":"string"}';
      scope.putDocs('issue', [
        { id: 'A-1', version: '1', body },
        { id: 'A-2', version: '1', body: text },
        { id: 'A-3', version: '1', body: 42.125 },
        { id: 'A-4', version: '1', body: ['x', 1, null] },
      ]);
      const read = scope.getDoc('issue', 'A-1')?.body;
      expect(read).toEqual(body);
      expect(JSON.stringify(read)).toBe(JSON.stringify(body));
      expect(scope.getDoc('issue', 'A-2')?.body).toBe(text);
      expect(scope.getDoc('issue', 'A-3')?.body).toBe(42.125);
      expect(scope.getDoc('issue', 'A-4')?.body).toEqual(['x', 1, null]);
      expect(scope.listDocs('issue')[0]?.body).toEqual(body);
    });

    it('refuses a body that is not JSON and writes nothing of that batch', () => {
      const call = (): void =>
        scope.putDocs('issue', [
          { id: '1', version: '1', body: { ok: true } },
          { id: '2', version: '1', body: undefined },
        ]);
      expect(call).toThrow(StoreError);
      expect(call).toThrow('issue "2" is not JSON-serialisable (undefined or a function); store null instead');
      expect(scope.countDocs('issue')).toBe(0);
    });

    it('deletes some documents, ignoring ids that are not stored', () => {
      scope.putDocs('issue', ['1', '2', '3'].map((id) => ({ id, version: '1', body: { id } })));
      scope.putDocs('changelog', [{ id: '2', version: '1', body: [] }]);
      scope.deleteDocs('issue', ['2', 'nope']);
      expect(scope.listDocs('issue').map((doc) => doc.id)).toEqual(['1', '3']);
      expect(scope.countDocs('changelog')).toBe(1);
    });

    it('replaces a kind with exactly the given documents', () => {
      scope.putDocs('status', ['1', '2', '3'].map((id) => ({ id, version: null, body: { name: `old ${id}` } })));
      scope.putDocs('field', [{ id: 'summary', version: null, body: {} }]);
      scope.replaceDocs('status', [
        { id: '3', version: null, body: { name: 'new 3' } },
        { id: '4', version: null, body: { name: 'new 4' } },
      ]);
      expect(scope.listDocs('status')).toEqual([
        { id: '3', version: null, body: { name: 'new 3' } },
        { id: '4', version: null, body: { name: 'new 4' } },
      ]);
      expect(scope.countDocs('field')).toBe(1);
      scope.replaceDocs('status', []);
      expect(scope.countDocs('status')).toBe(0);
    });
  });

  describe('scopes', () => {
    it('keeps the same id in two scopes as two documents, and lists the scopes', () => {
      const other = store.scope({ source: 'azure-devops', site: 'https://dev.azure.com/acme', scope: 'Shop/Team A' });
      scope.putDocs('issue', [{ id: '1', version: '1', body: 'jira' }]);
      other.putDocs('issue', [{ id: '1', version: '7', body: 'ado' }]);
      scope.setState('watermark', 'j');
      other.setState('watermark', 'a');

      expect(scope.getDoc('issue', '1')).toEqual({ id: '1', version: '1', body: 'jira' });
      expect(other.getDoc('issue', '1')).toEqual({ id: '1', version: '7', body: 'ado' });
      other.clear();
      expect(scope.getDoc('issue', '1')?.body).toBe('jira');
      expect(scope.getState('watermark')).toBe('j');
      expect(other.countDocs('issue')).toBe(0);

      expect(store.scope({ ...board })).toBe(scope);
      expect(store.scopes()).toEqual([
        { source: 'azure-devops', site: 'https://dev.azure.com/acme', scope: 'Shop/Team A' },
        board,
      ]);
    });

    it('refuses an incomplete scope key', () => {
      expect(() => store.scope({ source: 'jira', site: '', scope: '1' })).toThrow(
        'a store scope needs a non-empty site, got ""',
      );
    });
  });

  describe('state', () => {
    it('stores small JSON values and deletes on undefined', () => {
      expect(scope.getState('checkpoint')).toBeUndefined();
      scope.setState('checkpoint', { phase: 'changelogs', startAt: 150, keys: ['A-1', 'A-2'] });
      expect(scope.getState<{ startAt: number }>('checkpoint')).toEqual({
        phase: 'changelogs',
        startAt: 150,
        keys: ['A-1', 'A-2'],
      });
      scope.setState('checkpoint', null);
      expect(scope.getState('checkpoint')).toBeNull();
      scope.setState('checkpoint', undefined);
      expect(scope.getState('checkpoint')).toBeUndefined();
      expect(() => scope.setState('bad', () => 1)).toThrow(StoreError);
    });
  });

  describe('date snapshots', () => {
    it('appends a row only when a value changes, per entity and field', () => {
      expect(
        scope.recordSnapshots(
          'sprint',
          [
            { id: '1', field: 'startDate', value: '2025-03-03' },
            { id: '1', field: 'endDate', value: '2025-03-14' },
            { id: '2', field: 'endDate', value: null },
          ],
          '2025-03-01T08:00:00Z',
        ),
      ).toBe(3);
      expect(
        scope.recordSnapshots(
          'sprint',
          [
            { id: '1', field: 'startDate', value: '2025-03-03' },
            { id: '1', field: 'endDate', value: '2025-03-17' },
            { id: '2', field: 'endDate', value: undefined },
          ],
          '2025-03-02T08:00:00Z',
        ),
      ).toBe(1);
      // Back to an earlier value is a change too; the same version's dates are another kind.
      expect(scope.recordSnapshots('sprint', [{ id: '1', field: 'endDate', value: '2025-03-14' }], '2025-03-03T08:00:00Z')).toBe(1);
      expect(scope.recordSnapshots('version', [{ id: '1', field: 'endDate', value: '2025-03-14' }], '2025-03-03T08:00:00Z')).toBe(1);

      expect(scope.snapshots('sprint')).toEqual([
        { id: '1', field: 'startDate', value: '2025-03-03', takenAt: '2025-03-01T08:00:00.000Z' },
        { id: '1', field: 'endDate', value: '2025-03-14', takenAt: '2025-03-01T08:00:00.000Z' },
        { id: '2', field: 'endDate', value: null, takenAt: '2025-03-01T08:00:00.000Z' },
        { id: '1', field: 'endDate', value: '2025-03-17', takenAt: '2025-03-02T08:00:00.000Z' },
        { id: '1', field: 'endDate', value: '2025-03-14', takenAt: '2025-03-03T08:00:00.000Z' },
      ]);
      expect(scope.snapshots('version')).toHaveLength(1);
    });

    it('compares values as JSON, ignoring key order, and counts a repeat within one call once', () => {
      const first = { start: '2025-03-03', end: '2025-03-14', nested: { b: 1, a: [1, 2] } };
      const reordered = { nested: { a: [1, 2], b: 1 }, end: '2025-03-14', start: '2025-03-03' };
      expect(scope.recordSnapshots('version', [{ id: 'v1', field: 'dates', value: first }], '2025-03-01T00:00:00Z')).toBe(1);
      expect(
        scope.recordSnapshots(
          'version',
          [
            { id: 'v1', field: 'dates', value: reordered },
            { id: 'v1', field: 'dates', value: { ...first, end: '2025-03-21' } },
            { id: 'v1', field: 'dates', value: { ...first, end: '2025-03-21' } },
          ],
          '2025-03-02T00:00:00Z',
        ),
      ).toBe(1);
      expect(scope.recordSnapshots('version', [{ id: 'v1', field: 'dates', value: [1, 2] }], '2025-03-03T00:00:00Z')).toBe(1);
      expect(scope.recordSnapshots('version', [{ id: 'v1', field: 'dates', value: [2, 1] }], '2025-03-04T00:00:00Z')).toBe(1);
      expect(scope.snapshots('version').map((row) => row.value)).toEqual([first, { ...first, end: '2025-03-21' }, [1, 2], [2, 1]]);
    });

    it('orders by instant then insertion, whatever offset the instant was written with', () => {
      scope.recordSnapshots('sprint', [{ id: 'late', field: 'endDate', value: 'x' }], '2025-03-02T09:00:00+01:00');
      scope.recordSnapshots('sprint', [{ id: 'early', field: 'endDate', value: 'x' }], '2025-03-02T07:30:00.000Z');
      scope.recordSnapshots('sprint', [{ id: 'same', field: 'endDate', value: 'x' }], '2025-03-02T08:00:00.000Z');
      expect(scope.snapshots('sprint').map((row) => [row.id, row.takenAt])).toEqual([
        ['early', '2025-03-02T07:30:00.000Z'],
        ['late', '2025-03-02T08:00:00.000Z'],
        ['same', '2025-03-02T08:00:00.000Z'],
      ]);
    });

    it('refuses a takenAt that is not an ISO instant', () => {
      for (const takenAt of ['March 1 2025', '2025-03-01', '2025-02-30T00:00:00Z', '2025-03-01T24:00:00Z']) {
        expect(() => scope.recordSnapshots('sprint', [{ id: '1', field: 'endDate', value: 'x' }], takenAt)).toThrow(
          `recordSnapshots needs takenAt as an ISO instant such as 2025-03-01T09:00:00Z, got ${JSON.stringify(takenAt)}`,
        );
      }
      expect(scope.snapshots('sprint')).toEqual([]);
    });
  });

  describe('verdicts', () => {
    it('records, replaces and removes sprint goal verdicts', () => {
      scope.setVerdict('12', { outcome: 'met', by: 'alice', at: '2025-03-14T16:00:00Z' });
      scope.setVerdict('11', { outcome: 'missed', by: 'bob', at: '2025-02-28T16:00:00Z', note: 'blocked by the API team' });
      scope.setVerdict('13', { outcome: 'missed', by: 'bob', at: '2025-03-28T16:00:00Z' });
      scope.setVerdict('12', { outcome: 'partly', by: 'carol', at: '2025-03-15T09:00:00Z', note: 'login done' });
      scope.setVerdict('13', undefined);
      expect(scope.verdicts()).toEqual(
        new Map([
          ['11', { outcome: 'missed', by: 'bob', at: '2025-02-28T16:00:00Z', note: 'blocked by the API team' }],
          ['12', { outcome: 'partly', by: 'carol', at: '2025-03-15T09:00:00Z', note: 'login done' }],
        ]),
      );
      scope.setVerdict('12', { outcome: 'met', by: 'carol', at: '2025-03-16T09:00:00Z' });
      expect(Object.keys(scope.verdicts().get('12') ?? {})).toEqual(['outcome', 'by', 'at']);
    });

    it('refuses an unknown outcome', () => {
      const verdict = { outcome: 'done', by: 'x', at: '2025-03-14T16:00:00Z' } as unknown as Parameters<ScopeStore['setVerdict']>[1];
      expect(() => scope.setVerdict('1', verdict)).toThrow('a sprint goal verdict is met, partly or missed, got "done" for sprint 1');
    });
  });

  describe('transactions', () => {
    it('commits on return and gives back the result', () => {
      const result = scope.transaction(() => {
        scope.putDocs('issue', [{ id: '1', version: '1', body: 1 }]);
        scope.setState('watermark', 'w1');
        return 'done';
      });
      expect(result).toBe('done');
      expect(scope.countDocs('issue')).toBe(1);
      expect(scope.getState('watermark')).toBe('w1');
    });

    it('rolls back every kind of write on an exception, and rethrows it unchanged', () => {
      scope.putDocs('issue', [{ id: '1', version: '1', body: 'kept' }]);
      const failure = new Error('network down');
      expect(() =>
        scope.transaction(() => {
          scope.putDocs('issue', [{ id: '1', version: '2', body: 'changed' }, { id: '2', version: '1', body: 'new' }]);
          scope.setState('watermark', 'w2');
          scope.recordSnapshots('sprint', [{ id: '1', field: 'endDate', value: 'x' }], '2025-03-01T00:00:00Z');
          scope.setVerdict('1', { outcome: 'met', by: 'a', at: '2025-03-01T00:00:00Z' });
          scope.clear();
          throw failure;
        }),
      ).toThrow(failure);
      expect(scope.listDocs('issue')).toEqual([{ id: '1', version: '1', body: 'kept' }]);
      expect(scope.getState('watermark')).toBeUndefined();
      expect(scope.snapshots('sprint')).toEqual([]);
      expect(scope.verdicts().size).toBe(0);
    });

    it('nests: an inner failure the outer call catches undoes only the inner writes; an uncaught one undoes all', () => {
      scope.transaction(() => {
        scope.putDocs('issue', [{ id: 'outer', version: '1', body: 1 }]);
        try {
          scope.transaction(() => {
            scope.putDocs('issue', [{ id: 'inner', version: '1', body: 2 }]);
            throw new Error('inner');
          });
        } catch {
          // the outer transaction carries on
        }
        scope.transaction(() => scope.putDocs('issue', [{ id: 'inner-ok', version: '1', body: 3 }]));
      });
      expect(scope.listDocs('issue').map((doc) => doc.id)).toEqual(['inner-ok', 'outer']);

      expect(() =>
        scope.transaction(() => {
          scope.transaction(() => scope.putDocs('issue', [{ id: 'lost', version: '1', body: 4 }]));
          throw new Error('outer');
        }),
      ).toThrow('outer');
      expect(scope.getDoc('issue', 'lost')).toBeUndefined();
    });
  });

  it('moves documents to another kind without changing what is already there and the same', () => {
    scope.putDocs('issue-staged', [
      { id: '1', version: 'v2', body: { key: 'A-1', edited: true } },
      { id: '2', version: 'v1', body: { key: 'A-2' } },
      { id: '3', version: 'v1', body: { key: 'A-3' } },
    ]);
    scope.putDocs('issue', [{ id: '2', version: 'v1', body: { key: 'A-2' } }]);
    scope.putCompiled('issue', 'fp', [{ id: '2', body: 'compiled A-2' }]);
    scope.moveDocs('issue-staged', 'issue', ['1', '2', 'missing']);
    expect(scope.listDocs('issue')).toEqual([
      { id: '1', version: 'v2', body: { key: 'A-1', edited: true } },
      { id: '2', version: 'v1', body: { key: 'A-2' } },
    ]);
    expect(scope.listDocs('issue-staged').map((d) => d.id)).toEqual(['3']);
    // The unchanged document kept its compiled form.
    expect(scope.staleCompiled('issue', 'fp')).toEqual(['1']);
  });

  describe('compiled documents', () => {
    const raw = (id: string, title: string): StoredDoc => ({ id, version: 'v1', body: { key: `ACME-${id}`, title } });
    const compiled = (id: string, title: string) => ({ id, body: { item: { id: `jira:issue:${id}`, title } } });

    it('are stale until compiled, and stay compiled while their raw document does not change', () => {
      scope.putDocs('issue', [raw('2', 'b'), raw('1', 'a')]);
      expect(scope.staleCompiled('issue', 'fp')).toEqual(['1', '2']);
      scope.putCompiled('issue', 'fp', [compiled('1', 'a'), compiled('2', 'b')]);
      expect(scope.staleCompiled('issue', 'fp')).toEqual([]);
      expect(scope.listCompiled('issue', 'fp')).toEqual({ docs: [compiled('1', 'a'), compiled('2', 'b')], corrupt: [] });
      // Synced again unchanged: still compiled.
      scope.putDocs('issue', [raw('1', 'a'), raw('2', 'b')]);
      expect(scope.staleCompiled('issue', 'fp')).toEqual([]);
    });

    it('go with their raw document when it changes or is deleted, whoever writes it', () => {
      scope.putDocs('issue', [raw('1', 'a'), raw('2', 'b'), raw('3', 'c')]);
      scope.putCompiled('issue', 'fp', [compiled('1', 'a'), compiled('2', 'b'), compiled('3', 'c')]);
      scope.putDocs('issue', [{ ...raw('1', 'a'), body: { key: 'ACME-1', title: 'a, edited' } }]);
      scope.replaceDocs('issue', [raw('1', 'a, edited'), raw('3', 'c')]);
      expect(scope.staleCompiled('issue', 'fp')).toEqual(['1']);
      expect(scope.listCompiled('issue', 'fp').docs).toEqual([compiled('3', 'c')]);
      scope.clear();
      scope.putDocs('issue', [raw('3', 'c')]);
      expect(scope.staleCompiled('issue', 'fp')).toEqual(['3']);
    });

    it('are kept per fingerprint: other mapping settings find everything stale', () => {
      scope.putDocs('issue', [raw('1', 'a')]);
      scope.putCompiled('issue', 'fp', [compiled('1', 'a')]);
      expect(scope.staleCompiled('issue', 'other settings')).toEqual(['1']);
      expect(scope.listCompiled('issue', 'other settings').docs).toEqual([]);
      scope.putCompiled('issue', 'other settings', [compiled('1', 'A')]);
      expect(scope.staleCompiled('issue', 'fp')).toEqual(['1']);
      expect(scope.listCompiled('issue', 'other settings').docs).toEqual([compiled('1', 'A')]);
    });

    it('are only kept for raw documents the scope has', () => {
      scope.putDocs('issue', [raw('1', 'a')]);
      scope.putCompiled('issue', 'fp', [compiled('1', 'a'), compiled('2', 'never synced')]);
      scope.putCompiled('workitem', 'fp', [compiled('1', 'another kind')]);
      store.scope({ ...board, scope: '43' }).putCompiled('issue', 'fp', [compiled('1', 'another board')]);
      expect(scope.listCompiled('issue', 'fp').docs).toEqual([compiled('1', 'a')]);
      expect(scope.listCompiled('workitem', 'fp').docs).toEqual([]);
    });

    it('reads raw documents back by id', () => {
      scope.putDocs('issue', [raw('1', 'a'), raw('2', 'b'), raw('3', 'c')]);
      expect(scope.getDocs('issue', ['3', 'missing', '1', '3'])).toEqual([raw('1', 'a'), raw('3', 'c')]);
    });
  });

  it('clear deletes documents, state, snapshots and verdicts of the scope but keeps the scope', () => {
    scope.putDocs('issue', [{ id: '1', version: '1', body: 1 }]);
    scope.setState('watermark', 'w');
    scope.recordSnapshots('sprint', [{ id: '1', field: 'endDate', value: 'x' }], '2025-03-01T00:00:00Z');
    scope.setVerdict('1', { outcome: 'met', by: 'a', at: '2025-03-01T00:00:00Z' });
    scope.clear();
    expect([scope.countDocs('issue'), scope.getState('watermark'), scope.snapshots('sprint'), scope.verdicts().size]).toEqual([
      0,
      undefined,
      [],
      0,
    ]);
    expect(store.scopes()).toEqual([board]);
    // After a clear the same value is new again.
    expect(scope.recordSnapshots('sprint', [{ id: '1', field: 'endDate', value: 'x' }], '2025-03-02T00:00:00Z')).toBe(1);
  });
});

describe('ScopeStore on a file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'agile-kpi-store-bulk-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tells a compiled document changed behind its back (its checksum fails) from the others', () => {
    const file = join(dir, 'compiled.sqlite');
    const fileStore = openStore(file);
    try {
      const scope = fileStore.scope(board);
      scope.putDocs('issue', [1, 2].map((n) => ({ id: String(n), version: 'v', body: { n } })));
      scope.putCompiled('issue', 'fp', [1, 2].map((n) => ({ id: String(n), body: { estimate: n } })));
      const other = new Database(file);
      other.prepare(`UPDATE compiled SET body = '{"estimate":-7}' WHERE id = '2'`).run();
      other.close();
      expect(scope.listCompiled('issue', 'fp')).toEqual({ docs: [{ id: '1', body: { estimate: 1 } }], corrupt: ['2'] });
    } finally {
      fileStore.close();
    }
  });

  it('writes 10 000 documents in one putDocs and lists them back quickly', () => {
    const fileStore = openStore(join(dir, 'bulk.sqlite'));
    const scope = fileStore.scope(board);
    const docs: StoredDoc[] = Array.from({ length: 10_000 }, (_, index) => ({
      id: `ACME-${index}`,
      version: `2025-03-01T10:${String(index % 60).padStart(2, '0')}:00.000+0000`,
      body: {
        id: String(10_000 + index),
        key: `ACME-${index}`,
        fields: {
          summary: `Story ${index}: as a shopper I want to pay with a saved card`,
          description: 'x'.repeat(1000),
          status: { id: '3', name: 'In Progress', statusCategory: { key: 'indeterminate' } },
          customfield_10016: index % 13,
          labels: ['checkout', 'payments'],
          sprint: [{ id: 7, state: 'active', name: 'Sprint 7' }],
        },
      },
    }));
    const putStart = performance.now();
    scope.putDocs('issue', docs);
    const putMs = performance.now() - putStart;
    const listStart = performance.now();
    const listed = scope.listDocs('issue');
    const listMs = performance.now() - listStart;
    const versionsStart = performance.now();
    const versions = scope.docVersions('issue');
    const versionsMs = performance.now() - versionsStart;
    const resyncStart = performance.now();
    scope.putDocs('issue', docs);
    const resyncMs = performance.now() - resyncStart;
    console.log(
      `putDocs 10 000: ${putMs.toFixed(0)} ms; listDocs: ${listMs.toFixed(0)} ms; ` +
        `docVersions: ${versionsMs.toFixed(0)} ms; putDocs of the same 10 000 again: ${resyncMs.toFixed(0)} ms`,
    );
    expect(listed).toHaveLength(10_000);
    expect(versions.size).toBe(10_000);
    expect(listed.find((doc) => doc.id === 'ACME-4321')).toEqual(docs[4321]);
    // Generous bounds for a slow CI machine; the line logged above gives the measured times.
    expect(putMs).toBeLessThan(5000);
    expect(listMs).toBeLessThan(5000);
    fileStore.close();
  });
});

describe('the checksum of a compiled body', () => {
  it('is CRC-32 of the text as UTF-8, four bytes big-endian (the standard check value of "123456789")', () => {
    expect(checksumOf('123456789').toString('hex')).toBe('cbf43926');
    expect(checksumMatches('123456789', Buffer.from('cbf43926', 'hex'))).toBe(true);
    expect(checksumMatches('123456780', Buffer.from('cbf43926', 'hex'))).toBe(false);
    expect(checksumMatches('é€', checksumOf('é€'))).toBe(true);
    expect(checksumOf('é')).not.toEqual(checksumOf('\u00e9'.normalize('NFD')));
  });

  it('never matches a SHA-1 kept by an earlier version (that item is compiled again)', () => {
    expect(checksumMatches('123456789', createHash('sha1').update('123456789').digest())).toBe(false);
  });
});
