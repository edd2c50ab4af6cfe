/**
 * The part of `@forge/kvs` the app uses, as a port: `kvs` itself fills it in Forge (the shell checks that it
 * fits), an in-memory twin fills it in tests. Same names, same shapes, same query builder.
 */
export interface KvsTtl {
  readonly value: number;
  readonly unit: 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS';
}

export interface KvsSetOptions {
  readonly ttl?: KvsTtl;
  /** FAIL_IF_EXISTS makes the write atomic: it fails (HTTP 409, code KEY_CONFLICT) when the key exists. */
  readonly keyPolicy?: 'OVERRIDE' | 'FAIL_IF_EXISTS';
}

export interface KvsBeginsWith {
  readonly condition: 'BEGINS_WITH';
  readonly values: [string | number];
}

export interface KvsQuery {
  where(property: 'key', condition: KvsBeginsWith): KvsQuery;
  limit(limit: number): KvsQuery;
  cursor(cursor: string): KvsQuery;
  getMany<T>(): Promise<{ results: { key: string; value: T }[]; nextCursor?: string }>;
}

export interface KvsPort {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, options?: KvsSetOptions): Promise<void>;
  delete(key: string): Promise<void>;
  query(): KvsQuery;
}

/** Forge's limits on the Key-Value Store (developer.atlassian.com/platform/forge/limits-kvs-ce). */
export const KVS_LIMITS = {
  /** Maximum persisted size of one value: 240 KiB. */
  valueBytes: 240 * 1024,
  keyLength: 500,
  /** Results per query page. */
  queryPage: 20,
} as const;

/** Keys must match Forge's pattern: letters, digits and `:._ -#`. */
export const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;

/**
 * The HTTP status a `@forge/kvs` error carries: `ForgeKvsAPIError` keeps it in `responseDetails.status`, beside
 * the store's `code` (node_modules/@forge/kvs/out/errors.js).
 */
export function kvsStatusOf(err: unknown): number | undefined {
  const status = (err as { responseDetails?: { status?: unknown } } | null)?.responseDetails?.status;
  return typeof status === 'number' ? status : undefined;
}

/** The store refused a call for its quotas: 429 with code RATE_LIMIT_EXCEEDED. */
export function isKvsRateLimited(err: unknown): boolean {
  return kvsStatusOf(err) === 429 || (err as { code?: unknown } | null)?.code === 'RATE_LIMIT_EXCEEDED';
}
