import { gunzipSync, gzipSync } from 'node:zlib';
import { BudgetExceeded } from '@agile-kpi/hosted-service';
import { type BlobHead, ChunkedBlobs, type TextCodec, keySegment } from '@agile-kpi/tracker-client';
import { KEY_PATTERN, KVS_LIMITS, type KvsPort, isKvsRateLimited } from './kvs-port';

/**
 * JSON values of any size in the Forge Key-Value Store, which refuses a value over 240 KiB: the shared
 * {@link ChunkedBlobs} over `kvs`. A small value is its JSON text under its key; a large one is numbered parts
 * `<key>::<rev>:<n>` (strings) with a head `{ parts, rev }` under the key.
 *
 * The store's quotas count bytes (4 000 reads and 4 000 writes of 10 KB units a minute per installation,
 * developer.atlassian.com/platform/forge/limits-kvs-ce), so a value of {@link GZIP_FROM_BYTES} or more is kept
 * gzip-compressed (agile-kpi's JSON shrinks about tenfold): text `gz:<base64>`, which no JSON text can start
 * with, so values written before compression still read. A call the store refuses with 429 (RATE_LIMIT_EXCEEDED)
 * is retried after a growing, jittered pause; no call starts, and no pause ends, past the caller's deadline.
 */
export type { BlobHead };

/** Values this large (JSON bytes) or larger are stored compressed. */
export const GZIP_FROM_BYTES = 8 * 1024;
const GZIP_MARK = 'gz:';

/** gzip for large values; plain JSON text as it is. */
export const KVS_CODEC: TextCodec = {
  encode: (json) => (json.length < GZIP_FROM_BYTES ? json : `${GZIP_MARK}${gzipSync(json).toString('base64')}`),
  decode: (stored) => (stored.startsWith(GZIP_MARK) ? gunzipSync(Buffer.from(stored.slice(GZIP_MARK.length), 'base64')).toString('utf8') : stored),
};

/**
 * Pauses before retrying a call the store rate-limited (ms, before jitter): together a little over the minute the
 * quotas are counted over. A resolver's budgeted sleep stops far sooner.
 */
const RATE_LIMIT_PAUSES = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000];

/** Largest stored part: the limit less a margin for the store's own framing. */
export const CHUNK_BYTES = 200_000;

export interface BlobOptions {
  /** Store calls in flight at once (default 16). */
  readonly concurrency?: number;
  /** A fresh revision tag for a chunked write (default: random). */
  readonly rev?: () => string;
  readonly chunkBytes?: number;
  /** How a retry waits (default: a timer); a budgeted sleep throws when the wait would end past the deadline. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** No store call starts at or after this instant (epoch ms, on `now`). */
  readonly deadline?: { readonly atMs: number; readonly now: () => number };
  /** Jitter source, 0..1 (default Math.random). */
  readonly random?: () => number;
}

export class KvsBlobs extends ChunkedBlobs {
  constructor(
    readonly kvs: KvsPort,
    options: BlobOptions = {},
  ) {
    const call = storeCall(options);
    super(
      { get: (key) => call(() => kvs.get<unknown>(key)), set: (key, record) => call(() => kvs.set(key, record)), delete: (key) => call(() => kvs.delete(key)) },
      {
        chunkBytes: Math.min(options.chunkBytes ?? CHUNK_BYTES, KVS_LIMITS.valueBytes - 1024),
        concurrency: options.concurrency ?? 16,
        partKey: (key, rev, i) => `${key}::${rev}:${i}`,
        // 24 characters spare for a part's suffix.
        validKey: (key) => key.length + 24 <= KVS_LIMITS.keyLength && KEY_PATTERN.test(key),
        rev: options.rev,
        codec: KVS_CODEC,
      },
    );
    this.call = call;
  }

  private readonly call: <T>(op: () => Promise<T>) => Promise<T>;

  /** Every key under a prefix (the store pages queries 20 at a time). */
  async keys(prefix: string): Promise<string[]> {
    const out: string[] = [];
    let cursor: string | undefined;
    do {
      let q = this.kvs.query().where('key', { condition: 'BEGINS_WITH', values: [prefix] }).limit(KVS_LIMITS.queryPage);
      if (cursor) q = q.cursor(cursor);
      const page = await this.call(() => q.getMany<unknown>());
      for (const r of page.results) out.push(r.key);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }
}

/** Runs a store call within the deadline, retrying it while the store answers 429. */
function storeCall(options: BlobOptions): <T>(op: () => Promise<T>) => Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  return async (op) => {
    for (let attempt = 0; ; attempt++) {
      if (options.deadline && options.deadline.now() >= options.deadline.atMs) throw new BudgetExceeded(options.deadline.atMs);
      try {
        return await op();
      } catch (err) {
        const pause = RATE_LIMIT_PAUSES[attempt];
        if (pause === undefined || !isKvsRateLimited(err)) throw err;
        await sleep(Math.round(pause * (0.7 + 0.6 * random())));
      }
    }
  };
}

/**
 * A key segment from any string: letters, digits, `.`, `_` and `-` stay, anything else becomes `#<hex>#`, so
 * that segments never contain the `:` that separates them and distinct strings stay distinct.
 */
export function keyPart(s: string): string {
  return keySegment(s, /[A-Za-z0-9._-]/, '#');
}
