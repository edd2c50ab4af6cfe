import { KEY_PATTERN, KVS_LIMITS, type KvsPort } from './kvs-port';

/**
 * JSON values of any size in the Forge Key-Value Store, which refuses a value over 240 KiB. A value is kept as
 * JSON text: inline under its key when it fits, else in numbered parts (`<key>::<rev>:<n>`) with a small head
 * `{ parts, rev }` under the key. The head is written after its parts and old parts are deleted after the new
 * head, so a reader always finds a complete value: the old one or the new one. Text (rather than the object
 * itself) makes the size exact and steers clear of the store's object-depth limit.
 */
export type BlobHead = 0 | readonly [parts: number, rev: string];

interface ChunkedHead {
  readonly parts: number;
  readonly rev: string;
}

/** Largest stored part: the limit less a margin for the store's own framing. */
export const CHUNK_BYTES = 200_000;

export interface BlobOptions {
  /** Store calls in flight at once (default 16). */
  readonly concurrency?: number;
  /** A fresh revision tag for a chunked write (default: random). */
  readonly rev?: () => string;
  readonly chunkBytes?: number;
}

export class KvsBlobs {
  readonly concurrency: number;
  private readonly rev: () => string;
  private readonly chunkBytes: number;

  constructor(
    readonly kvs: KvsPort,
    options: BlobOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 16;
    this.rev = options.rev ?? (() => Math.random().toString(36).slice(2, 10));
    this.chunkBytes = Math.min(options.chunkBytes ?? CHUNK_BYTES, KVS_LIMITS.valueBytes - 1024);
  }

  async get<T>(key: string): Promise<T | undefined> {
    const head = await this.kvs.get<string | ChunkedHead>(checkKey(key));
    if (head === undefined || head === null) return undefined;
    if (typeof head === 'string') return JSON.parse(head) as T;
    const parts = await mapPool(range(head.parts), this.concurrency, (i) => this.kvs.get<string>(partKey(key, head.rev, i)));
    if (parts.some((p) => typeof p !== 'string')) throw new Error(`the stored value ${key} is missing a part (${head.parts} expected); it is rewritten by the next sync`);
    return JSON.parse(parts.join('')) as T;
  }

  /**
   * Writes a value and returns its head. `previous` is the head the key had, when the caller knows it (a doc
   * index does): its parts are deleted. Unknown (`undefined`) makes this read the key first; `null` says the
   * key is new.
   */
  async put(key: string, value: unknown, previous?: BlobHead | null): Promise<BlobHead> {
    checkKey(key);
    const text = JSON.stringify(value) ?? 'null';
    const old = previous === undefined ? await this.headOf(key) : previous;
    const chunks = splitText(text, this.chunkBytes);
    let head: BlobHead;
    if (chunks.length === 1) {
      await this.kvs.set(key, text);
      head = 0;
    } else {
      const rev = this.rev();
      await mapPool(chunks, this.concurrency, (chunk, i) => this.kvs.set(partKey(key, rev, i), chunk));
      await this.kvs.set<ChunkedHead>(key, { parts: chunks.length, rev });
      head = [chunks.length, rev];
    }
    if (old && (head === 0 || head[1] !== old[1])) await this.deleteParts(key, old);
    return head;
  }

  /** Deletes a value and its parts; `previous` as for {@link put}. */
  async delete(key: string, previous?: BlobHead | null): Promise<void> {
    const old = previous === undefined ? await this.headOf(key) : previous;
    await this.kvs.delete(checkKey(key));
    if (old) await this.deleteParts(key, old);
  }

  /** Every key under a prefix (the store pages queries 20 at a time). */
  async keys(prefix: string): Promise<string[]> {
    const out: string[] = [];
    let cursor: string | undefined;
    do {
      let q = this.kvs.query().where('key', { condition: 'BEGINS_WITH', values: [prefix] }).limit(KVS_LIMITS.queryPage);
      if (cursor) q = q.cursor(cursor);
      const page = await q.getMany<unknown>();
      for (const r of page.results) out.push(r.key);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  private async headOf(key: string): Promise<BlobHead | null> {
    const head = await this.kvs.get<string | ChunkedHead>(key);
    if (head === undefined || head === null) return null;
    return typeof head === 'string' ? 0 : [head.parts, head.rev];
  }

  private async deleteParts(key: string, [parts, rev]: readonly [number, string]): Promise<void> {
    await mapPool(range(parts), this.concurrency, (i) => this.kvs.delete(partKey(key, rev, i)));
  }
}

/**
 * A key segment from any string: letters, digits, `.`, `_` and `-` stay, anything else becomes `#<hex>#`, so
 * that segments never contain the `:` that separates them and distinct strings stay distinct.
 */
export function keyPart(s: string): string {
  let out = '';
  for (const ch of s) out += /[A-Za-z0-9._-]/.test(ch) ? ch : `#${ch.codePointAt(0)!.toString(16)}#`;
  return out;
}

function partKey(key: string, rev: string, i: number): string {
  return `${key}::${rev}:${i}`;
}

function checkKey(key: string): string {
  if (key.length + 24 > KVS_LIMITS.keyLength || !KEY_PATTERN.test(key)) throw new Error(`invalid storage key ${JSON.stringify(key)}`);
  return key;
}

/**
 * Splits text into pieces whose stored form (a JSON string: quotes, escapes, UTF-8) stays within `maxBytes`,
 * never inside a surrogate pair.
 */
export function splitText(text: string, maxBytes: number): string[] {
  if (text.length * 6 + 2 <= maxBytes) return [text];
  const out: string[] = [];
  let start = 0;
  let size = 2;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    let width = 1;
    let bytes: number;
    if (c === 0x22 || c === 0x5c) bytes = 2;
    else if (c < 0x20) bytes = 6;
    else if (c < 0x80) bytes = 1;
    else if (c < 0x800) bytes = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes = 4;
      width = 2;
    } else if (c >= 0xd800 && c <= 0xdfff) bytes = 6;
    else bytes = 3;
    if (size + bytes > maxBytes) {
      out.push(text.slice(start, i));
      start = i;
      size = 2;
    }
    size += bytes;
    i += width;
  }
  out.push(text.slice(start));
  return out;
}

/** Runs `fn` over the items with at most `limit` calls in flight; results in input order. */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
