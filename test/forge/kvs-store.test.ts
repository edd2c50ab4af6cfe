import { openStore } from '@agile-kpi/store';
import { BudgetExceeded, budgetedSleep } from '@agile-kpi/hosted-service';
import { KvsBlobs, keyPart } from '../../src/kvs-blobs';
import { KvsBoardStore } from '../../src/kvs-board-store';
import { MemoryKvs } from './memory-kvs';

/**
 * The Key-Value Store behind the sync: values of any size within the store's 240 KiB limit, documents per
 * kind with an index, snapshots and verdicts as the SQLite store keeps them, and the sync lease.
 */
const big = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, text: `“quoted” \\ é ${'x'.repeat(i % 50)} 😀`, nested: { a: [1, 2, { b: 'c' }] } }));
/** Text gzip cannot shrink much (a seeded stream of hex), so that a value stays large when stored. */
const noise = (n: number) => {
  let x = 12345;
  return Array.from({ length: n }, (_, i) => ({ id: i, text: Array.from({ length: 12 }, () => ((x = (x * 1103515245 + 12345) % 2147483648) >>> 8).toString(16)).join('') }));
};

describe('KvsBlobs', () => {
  it('round-trips values far over 240 KiB in parts, and deletes the old parts when rewritten or removed', async () => {
    const kvs = new MemoryKvs();
    const blobs = new KvsBlobs(kvs);
    const value = noise(24_000);
    expect(Buffer.byteLength(JSON.stringify(value))).toBeGreaterThan(1_000_000);
    await blobs.put('board:1:doc:issue:1', value);
    expect(kvs.keys('board:1:doc:issue:1::').length).toBeGreaterThan(4);
    expect(kvs.largestValueBytes).toBeLessThanOrEqual(240 * 1024);
    expect(await blobs.get('board:1:doc:issue:1')).toEqual(value);

    await blobs.put('board:1:doc:issue:1', { small: true });
    expect(kvs.keys('board:1:doc:issue:1')).toEqual(['board:1:doc:issue:1']);
    expect(await blobs.get('board:1:doc:issue:1')).toEqual({ small: true });

    await blobs.put('board:1:doc:issue:1', value);
    await blobs.delete('board:1:doc:issue:1');
    expect(kvs.keys('board:1:')).toEqual([]);
    expect(await blobs.get('board:1:doc:issue:1')).toBeUndefined();
  });

  it('keeps the stored format existing apps wrote: inline JSON text, or string parts <key>::<rev>:<n> under a head { parts, rev }', async () => {
    const kvs = new MemoryKvs();
    const blobs = new KvsBlobs(kvs, { rev: () => 'r1', chunkBytes: 2_000 });
    await blobs.put('board:1:meta', { a: 'é' });
    expect(await kvs.get('board:1:meta')).toBe('{"a":"é"}');
    const value = big(40);
    await blobs.put('board:1:verdicts', value);
    const head = await kvs.get<{ parts: number; rev: string }>('board:1:verdicts');
    expect(head).toEqual({ parts: expect.any(Number), rev: 'r1' });
    const parts = Array.from({ length: head!.parts }, (_, i) => `board:1:verdicts::r1:${i}`);
    expect(kvs.keys('board:1:verdicts')).toEqual(['board:1:verdicts', ...parts].sort());
    const texts = await Promise.all(parts.map((k) => kvs.get<string>(k)));
    expect(texts.every((t) => typeof t === 'string' && Buffer.byteLength(JSON.stringify(t)) <= 2_000)).toBe(true);
    expect(JSON.parse(texts.join(''))).toEqual(value);
    // What an older app wrote by hand reads back.
    await kvs.set('board:2:meta', JSON.stringify({ syncedAt: 'x' }));
    await kvs.set('board:2:state:s', { parts: 2, rev: 'old' });
    await kvs.set('board:2:state:s::old:0', '{"wa');
    await kvs.set('board:2:state:s::old:1', 'tch":1}');
    expect(await blobs.get('board:2:meta')).toEqual({ syncedAt: 'x' });
    expect(await blobs.get('board:2:state:s')).toEqual({ watch: 1 });
  });

  it("refuses keys Forge's store would refuse, with room for a part's suffix", async () => {
    const blobs = new KvsBlobs(new MemoryKvs());
    await expect(blobs.put('board:1:a/b', 1)).rejects.toThrow('invalid storage key');
    await expect(blobs.get('x'.repeat(477))).rejects.toThrow('invalid storage key');
    await expect(blobs.put('x'.repeat(476), 1)).resolves.toBe(0);
  });

  it('makes any id a valid, distinct key segment', () => {
    expect(keyPart('10042')).toBe('10042');
    expect(keyPart('issue-staged')).toBe('issue-staged');
    expect(keyPart('a/b c:d#')).toBe('a#2f#b#20#c#3a#d#23#');
    expect(keyPart('a:b')).not.toBe(keyPart('a#3a#b'));
  });

  it('pages through keys 20 at a time', async () => {
    const kvs = new MemoryKvs();
    const blobs = new KvsBlobs(kvs);
    for (let i = 0; i < 45; i++) await blobs.put(`gadget:${String(i).padStart(2, '0')}`, { i });
    await blobs.put('other:1', 1);
    kvs.resetCalls();
    expect(await blobs.keys('gadget:')).toHaveLength(45);
    expect(kvs.calls.query).toBe(3);
  });
});

describe('KvsBoardStore behaves as the SQLite store does', () => {
  const docs = (n: number, version: string) => Array.from({ length: n }, (_, i) => ({ id: String(10000 + i), version, body: { id: String(10000 + i), summary: `issue ${i}`, pad: 'p'.repeat(3000) } }));

  it('documents: put, list in id order, versions, delete, replace', async () => {
    const kvsStore = new KvsBoardStore(new KvsBlobs(new MemoryKvs(), { chunkBytes: 2_000 }), 7);
    const sqlite = openStore(':memory:');
    const scope = sqlite.scope({ source: 'jira', site: 'https://x.atlassian.net', scope: '7' });
    try {
      for (const s of [kvsStore, scope]) {
        await s.putDocs('issue', docs(30, 'v1'));
        await s.putDocs('issue', docs(5, 'v2'));
        await s.deleteDocs('issue', ['10003', '10029', 'nope']);
        await s.replaceDocs('sprint', [{ id: '2', version: null, body: { n: 2 } }, { id: '1', version: null, body: { n: 1 } }]);
        await s.replaceDocs('sprint', [{ id: '3', version: null, body: { n: 3 } }, { id: '1', version: null, body: { n: 1.5 } }]);
      }
      expect(await kvsStore.listDocs('issue')).toEqual(scope.listDocs('issue'));
      expect(await kvsStore.docVersions('issue')).toEqual(scope.docVersions('issue'));
      expect(await kvsStore.listDocs('sprint')).toEqual(scope.listDocs('sprint'));
      expect(await kvsStore.getDoc('issue', '10004')).toEqual(scope.getDoc('issue', '10004'));
      expect(await kvsStore.getDoc('issue', '10003')).toBeUndefined();
      // A fresh instance (the next invocation) reads the same from the store alone.
      const again = new KvsBoardStore(kvsStore.blobs, 7);
      expect(await again.listDocs('issue')).toEqual(scope.listDocs('issue'));
    } finally {
      sqlite.close();
    }
  });

  it('state, snapshots (appended only on change) and verdicts', async () => {
    const kvsStore = new KvsBoardStore(new KvsBlobs(new MemoryKvs()), 7);
    const sqlite = openStore(':memory:');
    const scope = sqlite.scope({ source: 'jira', site: 'https://x.atlassian.net', scope: '7' });
    try {
      for (const s of [kvsStore, scope]) {
        await s.setState('jira-sync', { watermark: '2025-01-01T00:00:00.000Z', boardId: 7 });
        const rows = [
          { id: 'v1', field: 'releaseDate', value: '2025-03-01' },
          { id: 'v1', field: 'released', value: false },
        ];
        expect(await s.recordSnapshots('version', rows, '2025-01-01T10:00:00+01:00')).toBe(2);
        expect(await s.recordSnapshots('version', rows, '2025-01-02T10:00:00Z')).toBe(0);
        expect(await s.recordSnapshots('version', [{ id: 'v1', field: 'releaseDate', value: '2025-03-15' }, { id: 'v1', field: 'x', value: { b: 1, a: 2 } }], '2025-01-03T10:00:00Z')).toBe(2);
      }
      expect(await kvsStore.getState('jira-sync')).toEqual(scope.getState('jira-sync'));
      expect(await kvsStore.snapshots('version')).toEqual(scope.snapshots('version'));
      await kvsStore.setState('jira-sync', undefined);
      expect(await kvsStore.getState('jira-sync')).toBeUndefined();

      expect(await kvsStore.verdictsRev()).toBe(0);
      const v = { outcome: 'met' as const, by: 'u', at: '2025-01-01T00:00:00.000Z', note: 'n' };
      expect(await kvsStore.setVerdict('jira:sprint:1', v)).toBe(1);
      expect(await kvsStore.verdicts()).toEqual(new Map([['jira:sprint:1', v]]));
      expect(await kvsStore.setVerdict('jira:sprint:1', undefined)).toBe(2);
      expect(await kvsStore.verdicts()).toEqual(new Map());
    } finally {
      sqlite.close();
    }
  });

  it('one sync at a time: the lease is exclusive, released, and taken over once expired', async () => {
    let now = 1_000_000;
    const kvs = new MemoryKvs(() => now);
    const store = new KvsBoardStore(new KvsBlobs(kvs), 7);
    const release = await store.lease('a', now, 30_000);
    expect(release).toBeDefined();
    expect(await store.lease('b', now, 30_000)).toBeUndefined();
    await release!();
    const again = await store.lease('b', now, 30_000);
    expect(again).toBeDefined();
    now += 31_000; // b died; its lease ran out
    expect(await store.lease('c', now, 30_000)).toBeDefined();
    await again!(); // b's late release does not free c's lease
    expect(await store.lease('d', now, 30_000)).toBeUndefined();
  });
});

describe('KvsBlobs within the store’s quotas', () => {
  it('keeps large values gzip-compressed (fewer 10 KB units), and still reads values written before', async () => {
    const kvs = new MemoryKvs();
    const blobs = new KvsBlobs(kvs);
    const value = big(3_000); // JSON like a report's: repetitive, so it compresses well
    const json = JSON.stringify(value);
    await blobs.put('board:1:report:a', value);
    const stored = await kvs.get<string>('board:1:report:a');
    expect(typeof stored === 'string' && stored.startsWith('gz:')).toBe(true);
    expect(kvs.usage.writeUnits).toBeLessThan(Math.ceil(Buffer.byteLength(json) / 10_240) / 5);
    expect(await blobs.get('board:1:report:a')).toEqual(value);
    // Small values stay plain JSON text; plain text written by an older app reads as before.
    await blobs.put('board:1:meta', { syncedAt: 'x' });
    expect(await kvs.get('board:1:meta')).toBe('{"syncedAt":"x"}');
    await kvs.set('board:1:report:old', JSON.stringify(big(500)));
    expect(await blobs.get('board:1:report:old')).toEqual(big(500));
  });

  it('retries a call the store refuses with 429 after growing pauses, and waits no longer than the budget allows', async () => {
    let now = 0;
    const kvs = new MemoryKvs(() => now, { requestsPerSecond: 1000, readUnitsPerMinute: 3, writeUnitsPerMinute: 1000, unitBytes: 10_240 });
    const pauses: number[] = [];
    const blobs = new KvsBlobs(kvs, { sleep: async (ms) => void (pauses.push(ms), (now += ms)), random: () => 0.5 });
    await blobs.put('board:1:meta', { a: 1 });
    for (let i = 0; i < 3; i++) await blobs.get('board:1:meta');
    // A read over the minute's three units is refused, then retried after 1, 2, 4... s until the minute has passed.
    expect(await blobs.get('board:1:meta')).toEqual({ a: 1 });
    expect(kvs.usage.refused).toBeGreaterThan(0);
    expect(pauses.slice(0, 3)).toEqual([1000, 2000, 4000]);
    expect(now).toBeGreaterThanOrEqual(60_000);

    // Over the budget: the pause that would end past the deadline is not taken.
    now += 61_000;
    const budgeted = new KvsBlobs(kvs, { sleep: budgetedSleep({ now: () => now, sleep: async (ms) => void (now += ms) }, now + 1_000), random: () => 0.5 });
    for (let i = 0; i < 3; i++) await budgeted.get('board:1:meta');
    await expect(budgeted.get('board:1:meta')).rejects.toBeInstanceOf(BudgetExceeded);
  });

  it('starts no store call past its deadline', async () => {
    const kvs = new MemoryKvs();
    let now = 1_000;
    const blobs = new KvsBlobs(kvs, { deadline: { atMs: 2_000, now: () => now } });
    await blobs.put('board:1:meta', { a: 1 });
    kvs.resetCalls();
    now = 2_000;
    await expect(blobs.get('board:1:meta')).rejects.toBeInstanceOf(BudgetExceeded);
    expect(kvs.calls.get).toBe(0);
  });
});
