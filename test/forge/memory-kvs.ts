import { KEY_PATTERN, KVS_LIMITS, type KvsBeginsWith, type KvsPort, type KvsQuery, type KvsSetOptions } from '../../src/kvs-port';

/** Forge's operation limits per installation (developer.atlassian.com/platform/forge/limits-kvs-ce). */
export const FORGE_KVS_QUOTAS = { requestsPerSecond: 1000, readUnitsPerMinute: 4000, writeUnitsPerMinute: 4000, unitBytes: 10 * 1024 } as const;

/** What the store was asked to do, in Forge's own units: reads and writes counted in 10 KB steps (rounded up). */
export interface KvsUsage {
  readUnits: number;
  writeUnits: number;
  readBytes: number;
  writeBytes: number;
  requests: number;
  /** Calls refused with 429 RATE_LIMIT_EXCEEDED. */
  refused: number;
}

/**
 * `@forge/kvs` in memory, with the limits that shape the app's storage: keys (500 characters, Forge's
 * pattern), values up to 240 KiB as persisted (JSON, UTF-8), query pages of at most 20 in key order with a
 * cursor, `keyPolicy: 'FAIL_IF_EXISTS'` (409 KEY_CONFLICT) and TTLs on the given clock. Values are copied in
 * and out, as through the real store's wire. Counts every call, and with `quotas` enforces Forge's operation
 * limits on its clock: requests per second, and reads and writes per rolling minute in 10 KB units (a request
 * of up to 10 KB is one unit, 65 KB is seven); a call over a limit is refused as Forge refuses it (429,
 * RATE_LIMIT_EXCEEDED) and uses nothing.
 */
export class MemoryKvs implements KvsPort {
  private readonly data = new Map<string, { json: string; expiresAt?: number }>();
  readonly calls = { get: 0, set: 0, delete: 0, query: 0 };
  largestValueBytes = 0;
  usage: KvsUsage = emptyUsage();
  /** Keys written (set) since the last reset, in order. */
  written: string[] = [];
  private readonly recent: { at: number; read: number; write: number }[] = [];

  constructor(
    private readonly now: () => number = Date.now,
    private quotas?: { readonly requestsPerSecond: number; readonly readUnitsPerMinute: number; readonly writeUnitsPerMinute: number; readonly unitBytes: number },
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    this.calls.get++;
    checkKey(key);
    const entry = this.live(key);
    this.charge(Buffer.byteLength(entry?.json ?? ''), 0);
    return entry === undefined ? undefined : (JSON.parse(entry.json) as T);
  }

  async set<T>(key: string, value: T, options: KvsSetOptions = {}): Promise<void> {
    this.calls.set++;
    checkKey(key);
    const json = JSON.stringify(value);
    if (json !== undefined) this.charge(0, Buffer.byteLength(json));
    this.written.push(key);
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
    this.charge(0, 1);
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
        this.charge(page.reduce((n, key) => n + Buffer.byteLength(this.data.get(key)!.json), 0), 0);
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
    this.usage = emptyUsage();
    this.written = [];
  }

  /** From now on, refuse what goes over these limits (Forge's: {@link FORGE_KVS_QUOTAS}). */
  enforce(quotas: NonNullable<MemoryKvs['quotas']>): void {
    this.quotas = quotas;
  }

  /** Counts a call's units, or refuses it (429) when it would go over a quota. */
  private charge(readBytes: number, writeBytes: number): void {
    const unit = this.quotas?.unitBytes ?? FORGE_KVS_QUOTAS.unitBytes;
    const read = readBytes > 0 || writeBytes === 0 ? Math.max(1, Math.ceil(readBytes / unit)) : 0;
    const write = writeBytes > 0 ? Math.max(1, Math.ceil(writeBytes / unit)) : 0;
    const now = this.now();
    while (this.recent.length > 0 && this.recent[0]!.at <= now - 60_000) this.recent.shift();
    if (this.quotas) {
      const lastSecond = this.recent.filter((r) => r.at > now - 1_000).length;
      const minute = this.recent.reduce((a, r) => ({ read: a.read + r.read, write: a.write + r.write }), { read: 0, write: 0 });
      if (lastSecond + 1 > this.quotas.requestsPerSecond || minute.read + read > this.quotas.readUnitsPerMinute || minute.write + write > this.quotas.writeUnitsPerMinute) {
        this.usage.refused++;
        throw kvsError(429, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded for this installation');
      }
    }
    this.recent.push({ at: now, read, write });
    this.usage.requests++;
    this.usage.readUnits += read;
    this.usage.writeUnits += write;
    this.usage.readBytes += readBytes;
    this.usage.writeBytes += writeBytes;
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

function emptyUsage(): KvsUsage {
  return { readUnits: 0, writeUnits: 0, readBytes: 0, writeBytes: 0, requests: 0, refused: 0 };
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
