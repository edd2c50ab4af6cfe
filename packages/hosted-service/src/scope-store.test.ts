import type { ChunkedBlobs, StoredDoc, StoredVerdict } from '@agile-kpi/tracker-client';
import { readOutcomeFile } from './outcome-file';
import { memoryBlobs } from './memory-blobs';
import { ScopeStore, scopeKeys } from './scope-store';

/**
 * What both hosted surfaces keep beside their documents, the same way: state, snapshots, verdicts, cached
 * reports, metadata, each under the key the surface names. The surfaces' own tests check the same calls against
 * the SQLite store through a real sync.
 */
/** The documents are each surface's own; a map stands in for them. */
class TestStore extends ScopeStore<ChunkedBlobs, { figure: number }> {
  private readonly docs = new Map<string, StoredDoc>();
  constructor(blobs: ChunkedBlobs) {
    super(blobs, { state: (n) => `t/state/${n}`, snapshots: (k) => `t/snap/${k}`, verdicts: 't/verdicts', report: (h) => `t/report/${h}`, meta: 't/meta', outcomes: (k) => `t/outcomes/${k}`, outcomesHead: 't/outcomes' });
  }
  async putDocs(kind: string, docs: readonly StoredDoc[]) {
    for (const d of docs) this.docs.set(`${kind}/${d.id}`, d);
  }
  async getDoc(kind: string, id: string) {
    return this.docs.get(`${kind}/${id}`);
  }
  async listDocs(kind: string) {
    return [...this.docs].filter(([k]) => k.startsWith(`${kind}/`)).map(([, d]) => d);
  }
  async docVersions(kind: string) {
    return new Map((await this.listDocs(kind)).map((d) => [d.id, d.version]));
  }
  async deleteDocs(kind: string, ids: readonly string[]) {
    for (const id of ids) this.docs.delete(`${kind}/${id}`);
  }
  async replaceDocs(kind: string, docs: readonly StoredDoc[]) {
    await this.deleteDocs(kind, [...(await this.docVersions(kind)).keys()]);
    await this.putDocs(kind, docs);
  }
}

describe('ScopeStore', () => {
  it('keeps sync state under the key the surface names; undefined deletes it', async () => {
    const { blobs, records } = memoryBlobs();
    const store = new TestStore(blobs);
    await store.setState('sync', { watermark: 'w', big: 'x'.repeat(3_000) });
    expect([...records.keys()].filter((k) => !k.includes('~'))).toEqual(['t/state/sync']);
    expect(await store.getState('sync')).toEqual({ watermark: 'w', big: 'x'.repeat(3_000) });
    await store.setState('sync', undefined);
    expect(records.size).toBe(0);
    expect(await store.getState('sync')).toBeUndefined();
  });

  it('appends a snapshot only when a value changed (field order aside), at the instant in UTC, in time order', async () => {
    const store = new TestStore(memoryBlobs().blobs);
    expect(await store.recordSnapshots('v', [{ id: '1', field: 'f', value: { b: 1, a: 2 } }], '2025-01-02T10:00:00+01:00')).toBe(1);
    expect(await store.recordSnapshots('v', [{ id: '1', field: 'f', value: { a: 2, b: 1 } }], '2025-01-03T00:00:00Z')).toBe(0);
    expect(
      await store.recordSnapshots(
        'v',
        [
          { id: '1', field: 'f', value: { a: 3 } },
          { id: '1', field: 'g', value: null },
        ],
        '2025-01-01T00:00:00Z',
      ),
    ).toBe(2);
    expect(await store.snapshots('v')).toEqual([
      { id: '1', field: 'f', value: { a: 3 }, takenAt: '2025-01-01T00:00:00.000Z' },
      { id: '1', field: 'g', value: null, takenAt: '2025-01-01T00:00:00.000Z' },
      { id: '1', field: 'f', value: { a: 2, b: 1 }, takenAt: '2025-01-02T09:00:00.000Z' },
    ]);
    expect(await store.snapshots('other')).toEqual([]);
    await expect(store.recordSnapshots('v', [], 'yesterday')).rejects.toThrow('recordSnapshots needs takenAt as an ISO instant, got "yesterday"');
  });

  it('counts a revision for every verdict change', async () => {
    const store = new TestStore(memoryBlobs().blobs);
    expect(await store.verdictsRev()).toBe(0);
    const v: StoredVerdict = { outcome: 'partly', by: 'u', at: '2025-01-01T00:00:00.000Z' };
    expect(await store.setVerdict('s1', v)).toBe(1);
    const met: StoredVerdict = { ...v, outcome: 'met', note: 'n' };
    expect(await store.setVerdict('s2', met)).toBe(2);
    expect(await store.verdicts()).toEqual(
      new Map([
        ['s1', v],
        ['s2', met],
      ]),
    );
    expect(await store.setVerdict('s1', undefined)).toBe(3);
    expect([...(await store.verdicts()).keys()]).toEqual(['s2']);
  });

  it('caches a report under a hash of its options, and answers only for the same options', async () => {
    const { blobs, records } = memoryBlobs();
    const store = new TestStore(blobs);
    const entry = { optionsKey: 'velocity=3', lastSyncAt: 'a', syncedAt: null, verdictsRev: 0, report: { figure: 1 } };
    await store.putReport(entry);
    expect([...records.keys()]).toEqual([expect.stringMatching(/^t\/report\/[0-9a-f]{8}$/)]);
    expect(await store.report('velocity=3')).toEqual(entry);
    expect(await store.report('velocity=4')).toBeUndefined();
    // Another options key stored under the same hash is not taken for this one.
    records.set([...records.keys()][0]!, JSON.stringify({ ...entry, optionsKey: 'collides' }));
    expect(await store.report('velocity=3')).toBeUndefined();
  });

  it('merges metadata changes', async () => {
    const store = new TestStore(memoryBlobs().blobs);
    expect(await store.meta()).toEqual({});
    await store.updateMeta({ syncedAt: 's', lastError: { kind: 'k', message: 'm', at: 'a' } });
    expect(await store.updateMeta({ lastAttemptAt: 't' })).toEqual({ syncedAt: 's', lastAttemptAt: 't', lastError: { kind: 'k', message: 'm', at: 'a' } });
    expect(await new TestStore(store.blobs).meta()).toEqual({ syncedAt: 's', lastAttemptAt: 't', lastError: { kind: 'k', message: 'm', at: 'a' } });
  });
});

describe('scopeKeys', () => {
  it("lays out the hosts' keys: Forge's board:<id>: with colons, the extension's p.<project>.t.<team>. with dots", () => {
    const forge = scopeKeys('board:7:', ':', (s) => s.replace(/:/g, '#3a#'));
    expect([forge.state('jira-sync'), forge.snapshots('version'), forge.verdicts, forge.report('0badf00d'), forge.meta]).toEqual([
      'board:7:state:jira-sync',
      'board:7:snapshots:version',
      'board:7:verdicts',
      'board:7:report:0badf00d',
      'board:7:meta',
    ]);
    const ado = scopeKeys('p.1.t.2.', '.', (s) => s, 'snap');
    expect([ado.state('ado-sync'), ado.snapshots('iteration'), ado.report('0badf00d')]).toEqual(['p.1.t.2.state.ado-sync', 'p.1.t.2.snap.iteration', 'p.1.t.2.report.0badf00d']);
  });
});

describe('ScopeStore: customer outcome records and settings', () => {
  const file = (text: string, kind: 'csat' | 'usage' = 'csat') => {
    const read = readOutcomeFile(text, kind, `${kind}.csv`);
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    return read.records;
  };
  const SURVEY = 'date,score\n2026-03-02,5\n2026-03-03,4\n2026-03-04,2\n';

  it('keeps a file’s records by id, in parts when large: the same file again writes nothing; another file adds to them', async () => {
    const { blobs, records } = memoryBlobs({ chunkBytes: 300 });
    const store = new TestStore(blobs);
    expect(await store.outcomesVersion()).toBe('');
    expect(await store.putOutcomes('csat', file(SURVEY))).toEqual({ added: 3, replaced: 0 });
    expect([...records.keys()].filter((k) => k.startsWith('t/outcomes/csat~')).length).toBeGreaterThan(1);
    const version = await store.outcomesVersion();
    expect(version).not.toBe('');
    const stored = new Map(records);
    expect(await store.putOutcomes('csat', file(SURVEY))).toEqual({ added: 0, replaced: 0 });
    expect(records).toEqual(stored);
    expect(await store.outcomesVersion()).toBe(version);
    expect(await store.putOutcomes('usage', file('date,feature,users,active users\n2026-03-02,export,5,50\n', 'usage'))).toEqual({ added: 1, replaced: 0 });
    const all = await store.outcomes();
    expect(all.records.map((r) => r.kind)).toEqual(['csat', 'csat', 'csat', 'usage']);
    expect(all.records[0]).toMatchObject({ kind: 'csat', date: '2026-03-02', score: 5, source: 'csat.csv row 2' });
    expect(await store.outcomesVersion()).not.toBe(version);
  });

  it('counts a record whose id is kept but whose content changed as replaced', async () => {
    const store = new TestStore(memoryBlobs().blobs);
    const [first] = file(SURVEY);
    await store.putOutcomes('csat', [first!]);
    expect(await store.putOutcomes('csat', [{ ...first!, score: 1 } as typeof first & {}])).toEqual({ added: 0, replaced: 1 });
    expect((await store.outcomes()).records).toEqual([{ ...first, score: 1 }]);
  });

  it('heals an upload cut short between the records and their digest: the next upload of the same file writes the digest', async () => {
    const { blobs, records } = memoryBlobs();
    const store = new TestStore(blobs);
    await store.putOutcomes('csat', file(SURVEY));
    const version = await store.outcomesVersion();
    records.delete('t/outcomes');
    expect(await store.outcomesVersion()).toBe('');
    expect(await store.putOutcomes('csat', file(SURVEY))).toEqual({ added: 0, replaced: 0 });
    expect(await store.outcomesVersion()).toBe(version);
  });

  it('keeps the settings beside the records; new settings change the version; a bad cost is refused and changes nothing', async () => {
    const store = new TestStore(memoryBlobs().blobs);
    await store.putOutcomes('csat', file(SURVEY));
    const version = await store.outcomesVersion();
    await store.setOutcomeSettings({ cost: { perSprint: 10_000, currency: 'EUR' }, features: [{ feature: 'export', shippedBy: 'PROJ-12' }] });
    expect((await store.outcomes()).settings).toEqual({ cost: { perSprint: 10_000, currency: 'EUR' }, features: [{ feature: 'export', shippedBy: 'PROJ-12' }] });
    expect(await store.outcomesVersion()).not.toBe(version);
    await expect(store.setOutcomeSettings({ cost: { perSprint: 0, currency: 'EUR' } })).rejects.toThrow("cost per sprint must be an amount above 0 and a currency code, e.g. 10000 EUR, got '0 EUR'");
    await expect(store.setOutcomeSettings({ features: [{ feature: ' ', shippedBy: 'PROJ-1' }] })).rejects.toThrow(/^a feature mapping needs a feature key and the epic key or release name/);
    expect((await store.outcomes()).settings.cost).toEqual({ perSprint: 10_000, currency: 'EUR' });
    await store.setOutcomeSettings({});
    expect(await store.outcomes()).toMatchObject({ settings: {} });
    expect(await store.outcomesVersion()).toBe(version);
  });

  it('removes records of a kind by id: the version changes, a kind left empty leaves it, ids not there remove nothing', async () => {
    const { blobs, records } = memoryBlobs();
    const store = new TestStore(blobs);
    const csat = file(SURVEY);
    await store.putOutcomes('csat', csat);
    const before = await store.outcomesVersion();
    const stored = new Map(records);
    expect(await store.deleteOutcomes('csat', ['import:nothing:2'])).toBe(0);
    expect(records).toEqual(stored);
    expect(await store.deleteOutcomes('nps', [csat[0]!.id])).toBe(0);
    expect(await store.deleteOutcomes('csat', [csat[0]!.id, 'import:nothing:2'])).toBe(1);
    expect((await store.outcomes()).records).toEqual(csat.slice(1));
    const after = await store.outcomesVersion();
    expect(after).not.toBe(before);
    expect(await store.deleteOutcomes('csat', csat.slice(1).map((r) => r.id))).toBe(csat.length - 1);
    expect(await store.outcomes()).toEqual({ records: [], settings: {} });
    expect(await store.outcomesVersion()).toBe('');
    // The file again brings them back, with the version they had.
    await store.putOutcomes('csat', csat);
    expect(await store.outcomesVersion()).toBe(before);
  });
});
