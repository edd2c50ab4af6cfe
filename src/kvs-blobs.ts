import { type BlobHead, ChunkedBlobs, keySegment } from '@agile-kpi/tracker-client';
import { KEY_PATTERN, KVS_LIMITS, type KvsPort } from './kvs-port';

/**
 * JSON values of any size in the Forge Key-Value Store, which refuses a value over 240 KiB: the shared
 * {@link ChunkedBlobs} over `kvs`. A small value is its JSON text under its key; a large one is numbered parts
 * `<key>::<rev>:<n>` (strings) with a head `{ parts, rev }` under the key.
 */
export type { BlobHead };

/** Largest stored part: the limit less a margin for the store's own framing. */
export const CHUNK_BYTES = 200_000;

export interface BlobOptions {
  /** Store calls in flight at once (default 16). */
  readonly concurrency?: number;
  /** A fresh revision tag for a chunked write (default: random). */
  readonly rev?: () => string;
  readonly chunkBytes?: number;
}

export class KvsBlobs extends ChunkedBlobs {
  constructor(
    readonly kvs: KvsPort,
    options: BlobOptions = {},
  ) {
    super(
      { get: (key) => kvs.get<unknown>(key), set: (key, record) => kvs.set(key, record), delete: (key) => kvs.delete(key) },
      {
        chunkBytes: Math.min(options.chunkBytes ?? CHUNK_BYTES, KVS_LIMITS.valueBytes - 1024),
        concurrency: options.concurrency ?? 16,
        partKey: (key, rev, i) => `${key}::${rev}:${i}`,
        // 24 characters spare for a part's suffix.
        validKey: (key) => key.length + 24 <= KVS_LIMITS.keyLength && KEY_PATTERN.test(key),
        rev: options.rev,
      },
    );
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
}

/**
 * A key segment from any string: letters, digits, `.`, `_` and `-` stay, anything else becomes `#<hex>#`, so
 * that segments never contain the `:` that separates them and distinct strings stay distinct.
 */
export function keyPart(s: string): string {
  return keySegment(s, /[A-Za-z0-9._-]/, '#');
}
