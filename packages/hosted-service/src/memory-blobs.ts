import { type BlobBackend, ChunkedBlobs, type ChunkHead, VersionConflict } from '@agile-kpi/tracker-client';

/**
 * The key-value port in memory, with versions (so that updates that race are refused and redone, as in the extension
 * data service): a host's scope store under test without its platform. `records` is what is stored, key by key.
 */
export function memoryBlobs(options: { readonly chunkBytes?: number } = {}): { readonly blobs: ChunkedBlobs; readonly records: Map<string, unknown> } {
  const records = new Map<string, unknown>();
  const versions = new Map<string, number>();
  const copy = (record: unknown): unknown => (record === undefined ? undefined : JSON.parse(JSON.stringify(record)));
  const write = (key: string, record: string | ChunkHead): void => {
    records.set(key, copy(record));
    versions.set(key, (versions.get(key) ?? 0) + 1);
  };
  const backend: BlobBackend = {
    get: async (key) => copy(records.get(key)),
    set: async (key, record) => write(key, record),
    delete: async (key) => {
      records.delete(key);
      versions.delete(key);
    },
    getVersioned: async (key) => ({ record: copy(records.get(key)), version: versions.get(key) }),
    setIfVersion: async (key, record, version) => {
      if (versions.get(key) !== version) throw new VersionConflict(key);
      write(key, record);
    },
  };
  const blobs = new ChunkedBlobs(backend, { chunkBytes: options.chunkBytes ?? 1_000, concurrency: 2, partKey: (key, rev, i) => `${key}~${rev}~${i}`, validKey: (key) => key.length < 100 });
  return { blobs, records };
}
