import fc from 'fast-check';
import { type BlobBackend, type BlobLayout, ChunkedBlobs, MissingPart, keySegment, mapPool, splitJsonText } from './chunked-blobs';

/**
 * The chunked storage both surfaces share, over an in-memory backend that refuses values over a size limit
 * and keeps every record as JSON, as the real stores do. Each surface's own backend (Forge's Key-Value Store,
 * Azure DevOps' documents) has its test next to the surface.
 */
class MemoryBackend implements BlobBackend {
  readonly records = new Map<string, string>();
  readonly calls = { get: 0, set: 0, delete: 0 };
  /** Every state the store went through, one after each write or delete. */
  readonly history: Map<string, string>[] = [];

  constructor(readonly limitBytes = 4_096) {}

  async get(key: string): Promise<unknown> {
    this.calls.get++;
    const json = this.records.get(key);
    return json === undefined ? undefined : JSON.parse(json);
  }

  async set(key: string, record: unknown): Promise<void> {
    this.calls.set++;
    const json = JSON.stringify(record);
    const bytes = new TextEncoder().encode(json).length;
    if (bytes > this.limitBytes) throw new Error(`${key}: ${bytes} bytes is over the limit`);
    this.records.set(key, json);
    this.history.push(new Map(this.records));
  }

  async delete(key: string): Promise<void> {
    this.calls.delete++;
    this.records.delete(key);
    this.history.push(new Map(this.records));
  }

  /** A backend that reads one past state. */
  static at(records: Map<string, string>): MemoryBackend {
    const b = new MemoryBackend();
    for (const [k, v] of records) b.records.set(k, v);
    return b;
  }
}

let revs = 0;
const layout = (over: Partial<BlobLayout> = {}): BlobLayout => ({
  chunkBytes: 4_000,
  concurrency: 3,
  partKey: (key, rev, i) => `${key}/${rev}/${i}`,
  validKey: (key) => /^[a-z0-9:]{1,40}$/.test(key),
  rev: () => `r${++revs}`,
  ...over,
});
const big = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, text: `“quoted” \\ é ${'x'.repeat(i % 50)} 😀\n`, nested: { a: [1, 2, { b: 'c' }] } }));
const stored = (text: string) => new TextEncoder().encode(JSON.stringify(text)).length;

describe('ChunkedBlobs', () => {
  it('keeps a small value inline and a large one in parts within the limit, and reads both back', async () => {
    const backend = new MemoryBackend();
    const blobs = new ChunkedBlobs(backend, layout());
    expect(await blobs.put('small', { a: 1 })).toBe(0);
    expect(backend.records.get('small')).toBe(JSON.stringify('{"a":1}'));
    const value = big(400);
    const head = await blobs.put('large', value);
    expect(head).toEqual([expect.any(Number), expect.stringMatching(/^r\d+$/)]);
    const [parts, rev] = head as readonly [number, string];
    expect(parts).toBeGreaterThan(10);
    expect(JSON.parse(backend.records.get('large')!)).toEqual({ parts, rev });
    expect([...backend.records.keys()].filter((k) => k.startsWith('large/')).sort()).toEqual(Array.from({ length: parts }, (_, i) => `large/${rev}/${i}`).sort());
    expect(await blobs.get('small')).toEqual({ a: 1 });
    expect(await blobs.get('large')).toEqual(value);
    expect(await blobs.get('absent')).toBeUndefined();
  });

  it('leaves a readable value at every step of a rewrite: the old one or the new one', async () => {
    const backend = new MemoryBackend();
    const blobs = new ChunkedBlobs(backend, layout());
    const values = [big(300), big(200), { small: true }, big(250)];
    await blobs.put('v', values[0]);
    for (let n = 1; n < values.length; n++) {
      const from = backend.history.length;
      await blobs.put('v', values[n]);
      for (const state of backend.history.slice(from)) {
        const seen = await new ChunkedBlobs(MemoryBackend.at(state), layout()).get('v');
        expect([values[n - 1], values[n]]).toContainEqual(seen);
      }
    }
    // Nothing of the earlier revisions is left.
    expect([...backend.records.keys()].filter((k) => k.startsWith('v/')).every((k) => k.startsWith(`v/r${revs}/`))).toBe(true);
  });

  it('deletes the old parts when a value is rewritten or removed, reading the head only when not told it', async () => {
    const backend = new MemoryBackend();
    const blobs = new ChunkedBlobs(backend, layout());
    const head = await blobs.put('k', big(300), null);
    await blobs.put('k', { small: true });
    expect([...backend.records.keys()]).toEqual(['k']);
    const again = await blobs.put('k', big(300));
    backend.calls.get = 0;
    await blobs.delete('k', again);
    expect(backend.calls.get).toBe(0);
    expect(backend.records.size).toBe(0);
    // A known head (a doc index keeps them) spares the read; null says the key is new.
    backend.calls.get = 0;
    const next = await blobs.put('k', big(300), null);
    await blobs.put('k', big(310), next);
    expect(backend.calls.get).toBe(0);
    expect(head).not.toEqual(next);
    await blobs.delete('k');
    expect(backend.records.size).toBe(0);
  });

  it('says so when a part is missing (another writer rewrote the value meanwhile) or the value is not one it wrote', async () => {
    const backend = new MemoryBackend();
    const blobs = new ChunkedBlobs(backend, layout());
    const [, rev] = (await blobs.put('k', big(300))) as readonly [number, string];
    backend.records.delete(`k/${rev}/1`);
    await expect(blobs.get('k')).rejects.toThrow(MissingPart);
    await expect(blobs.get('k')).rejects.toThrow(/missing a part .*being rewritten/);

    backend.records.set('foreign', JSON.stringify({ parts: '3', rev: 1 }));
    await expect(blobs.get('foreign')).rejects.toThrow('the stored value foreign is not one agile-kpi wrote');
    // Overwriting it is fine: it has no parts of ours.
    await blobs.put('foreign', [1]);
    expect(await blobs.get('foreign')).toEqual([1]);
  });

  it('refuses keys the backend does not take, before any call', async () => {
    const backend = new MemoryBackend();
    const blobs = new ChunkedBlobs(backend, layout());
    await expect(blobs.get('Bad Key')).rejects.toThrow('invalid storage key "Bad Key"');
    await expect(blobs.put('Bad Key', 1)).rejects.toThrow('invalid storage key');
    await expect(blobs.delete('Bad Key', null)).rejects.toThrow('invalid storage key');
    expect(backend.calls).toEqual({ get: 0, set: 0, delete: 0 });
  });
});

describe('splitJsonText', () => {
  it('splits by stored size (escapes, multi-byte characters, surrogate pairs kept whole)', () => {
    const text = JSON.stringify(big(3_000));
    const parts = splitJsonText(text, 10_000);
    expect(parts.length).toBeGreaterThan(10);
    expect(parts.join('')).toBe(text);
    for (const p of parts) expect(stored(p)).toBeLessThanOrEqual(10_000);
    for (const p of parts) expect(/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(p)).toBe(false);
    expect(splitJsonText('short', 10_000)).toEqual(['short']);
    const small = `${'a'.repeat(10)}"é€😀\n`.repeat(50);
    const pieces = splitJsonText(small, 64);
    expect(pieces.join('')).toBe(small);
    for (const p of pieces) expect(stored(p)).toBeLessThanOrEqual(64);
    expect(pieces.every((p) => !/^[\udc00-\udfff]/.test(p))).toBe(true);
  });

  // The Forge copy of this function once lacked `i > start` and began with an empty part here.
  it('never makes an empty part, even when one character is larger than the limit', () => {
    expect(splitJsonText('"ab', 3)).toEqual(['"', 'a', 'b']);
    expect(splitJsonText('\u0001\u0002', 5)).toEqual(['\u0001', '\u0002']);
  });

  it('holds for any text and limit: pieces rejoin, are never empty, fit unless one character alone does not, and never split a pair', () => {
    const unit = fc.oneof(
      fc.constantFrom('a', '"', '\\', '\n', '\u0001', 'é', '€', '😀', '\ud800', '\udc00'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 60 }), fc.integer({ min: 1, max: 40 }), (units, maxBytes) => {
        const text = units.join('');
        const parts = splitJsonText(text, maxBytes);
        expect(parts.join('')).toBe(text);
        if (text === '') return;
        for (const p of parts) {
          expect(p.length).toBeGreaterThan(0);
          if ([...p].length > 1) expect(stored(p)).toBeLessThanOrEqual(maxBytes);
        }
        for (let i = 1; i < parts.length; i++) {
          const before = parts[i - 1]!.charCodeAt(parts[i - 1]!.length - 1);
          const after = parts[i]!.charCodeAt(0);
          expect((before & 0xfc00) === 0xd800 && (after & 0xfc00) === 0xdc00).toBe(false);
        }
      }),
    );
  });
});

describe('mapPool', () => {
  it('answers in input order with at most `limit` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapPool([5, 1, 4, 2, 3], 2, async (n, i) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return `${i}:${n}`;
    });
    expect(out).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3']);
    expect(most).toBe(2);
    expect(await mapPool([], 4, async () => 1)).toEqual([]);
  });
});

describe('keySegment', () => {
  it('keeps distinct strings distinct and uses only the kept characters and the mark', () => {
    for (const [keep, mark, allowed] of [
      [/[A-Za-z0-9._-]/, '#', /^[A-Za-z0-9._\-#]*$/],
      [/[A-Za-z0-9.-]/, '_', /^[A-Za-z0-9.\-_]*$/],
    ] as const) {
      fc.assert(
        fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
          const [x, y] = [keySegment(a, keep, mark), keySegment(b, keep, mark)];
          expect(allowed.test(x)).toBe(true);
          if (a !== b) expect(x).not.toBe(y);
        }),
      );
    }
    expect(keySegment('a:b#', /[A-Za-z0-9._-]/, '#')).toBe('a#3a#b#23#');
  });
});
