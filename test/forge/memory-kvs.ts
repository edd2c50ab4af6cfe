import { KEY_PATTERN, KVS_LIMITS, type KvsBeginsWith, type KvsPort, type KvsQuery, type KvsSetOptions } from '../../src/kvs-port';

/**
 * `@forge/kvs` in memory, with the limits that shape the app's storage: keys (500 characters, Forge's
 * pattern), values up to 240 KiB as persisted (JSON, UTF-8), query pages of at most 20 in key order with a
 * cursor, `keyPolicy: 'FAIL_IF_EXISTS'` (409 KEY_CONFLICT) and TTLs on the given clock. Values are copied in
 * and out, as through the real store's wire. Counts every call.
 */
export class MemoryKvs implements KvsPort {
  private readonly data = new Map<string, { json: string; expiresAt?: number }>();
  readonly calls = { get: 0, set: 0, delete: 0, query: 0 };
  largestValueBytes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async get<T>(key: string): Promise<T | undefined> {
    this.calls.get++;
    checkKey(key);
    const entry = this.live(key);
    return entry === undefined ? undefined : (JSON.parse(entry.json) as T);
  }

  async set<T>(key: string, value: T, options: KvsSetOptions = {}): Promise<void> {
    this.calls.set++;
    checkKey(key);
    const json = JSON.stringify(value);
    if (json === undefined) throw kvsError(400, 'INVALID_VALUE', 'the value is not JSON');
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > KVS_LIMITS.valueBytes) throw kvsError(400, 'MAX_SIZE', `The provided value has exceeded the maximum size limit (${bytes} bytes)`);
    if (depth(value) > 31) throw kvsError(400, 'MAX_DEPTH', 'The provided value has exceeded the maximum object depth');
    if (options.keyPolicy === 'FAIL_IF_EXISTS' && this.live(key)) throw kvsError(409, 'KEY_CONFLICT', `The key ${key} already exists`);
    this.largestValueBytes = Math.max(this.largestValueBytes, bytes);
    const ttl = options.ttl ? options.ttl.value * { SECONDS: 1e3, MINUTES: 6e4, HOURS: 36e5, DAYS: 864e5 }[options.ttl.unit] : undefined;
    this.data.set(key, { json, ...(ttl !== undefined ? { expiresAt: this.now() + ttl } : {}) });
  }

  async delete(key: string): Promise<void> {
    this.calls.delete++;
    checkKey(key);
    this.data.delete(key);
  }

  query(): KvsQuery {
    const options: { prefix?: string; limit?: number; cursor?: string } = {};
    const builder: KvsQuery = {
      where: (property: 'key', condition: KvsBeginsWith) => {
        if (property !== 'key' || condition.condition !== 'BEGINS_WITH') throw kvsError(400, 'INVALID_QUERY', 'only key BEGINS_WITH is supported');
        options.prefix = String(condition.values[0]);
        return builder;
      },
      limit: (limit: number) => {
        if (!Number.isInteger(limit) || limit < 1 || limit > KVS_LIMITS.queryPage) throw kvsError(400, 'INVALID_LIMIT', `limit must be 1..${KVS_LIMITS.queryPage}`);
        options.limit = limit;
        return builder;
      },
      cursor: (cursor: string) => {
        options.cursor = cursor;
        return builder;
      },
      getMany: async <T>() => {
        this.calls.query++;
        const keys = [...this.data.keys()]
          .filter((k) => this.live(k) && (options.prefix === undefined || k.startsWith(options.prefix)))
          .sort()
          .filter((k) => options.cursor === undefined || k > Buffer.from(options.cursor, 'base64url').toString('utf8'));
        const page = keys.slice(0, options.limit ?? 10);
        const results = page.map((key) => ({ key, value: JSON.parse(this.data.get(key)!.json) as T }));
        return page.length < keys.length ? { results, nextCursor: Buffer.from(page[page.length - 1]!, 'utf8').toString('base64url') } : { results };
      },
    };
    return builder;
  }

  /** Keys now stored (live), for assertions. */
  keys(prefix = ''): string[] {
    return [...this.data.keys()].filter((k) => k.startsWith(prefix) && this.live(k)).sort();
  }

  resetCalls(): void {
    this.calls.get = this.calls.set = this.calls.delete = this.calls.query = 0;
  }

  private live(key: string): { json: string } | undefined {
    const entry = this.data.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.data.delete(key);
      return undefined;
    }
    return entry;
  }
}

function checkKey(key: string): void {
  if (key.length < 2) throw kvsError(400, 'KEY_TOO_SHORT', 'The provided key needs to be more than one character.');
  if (key.length > KVS_LIMITS.keyLength) throw kvsError(400, 'KEY_TOO_LONG', 'The provided key has exceeded the maximum 500 characters.');
  if (!KEY_PATTERN.test(key)) throw kvsError(400, 'INVALID_KEY', `The provided key does not match the regex: ${String(KEY_PATTERN)} (${key})`);
}

function kvsError(status: number, code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'ForgeKvsAPIError', code, responseDetails: { status } });
}

function depth(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  let max = 0;
  for (const x of Object.values(v)) max = Math.max(max, depth(x));
  return max + 1;
}
