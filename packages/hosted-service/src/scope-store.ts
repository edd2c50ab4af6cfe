import { canonicalJson, fnv1a } from '@agile-kpi/core';
import type { ChunkedBlobs, ReadStorePort, SnapshotRow, StoredDoc, StoredVerdict, SyncStorePort } from '@agile-kpi/tracker-client';

/** When a hosted surface last synced a board or team, and how its last attempt failed. */
export interface SyncMeta {
  /** When the surface last finished a sync (its own clock: freshness is judged by it). */
  readonly syncedAt?: string;
  readonly lastAttemptAt?: string;
  readonly lastError?: { readonly kind: string; readonly message: string; readonly at: string };
  /** A digest of what the last sync stored: it changes only when the synced data did (reports are cached on it). */
  readonly dataVersion?: string;
}

/** A computed report, cached with what it was computed from. */
export interface CachedReport<Report> {
  readonly optionsKey: string;
  /** The sync state's `lastSyncAt` (the tracker's clock) the report was computed from. */
  readonly lastSyncAt: string;
  /** The surface's `meta.syncedAt` it was computed from. */
  readonly syncedAt: string | null;
  readonly verdictsRev: number;
  /** The meta's `dataVersion` it was computed from, when the surface keys its cache on content. */
  readonly dataVersion?: string;
  readonly report: Report;
}

/** Where a surface keeps each value (full keys, its prefix and separators included). */
export interface ScopeKeys {
  state(name: string): string;
  snapshots(kind: string): string;
  readonly verdicts: string;
  /** `hash` is a short hash of the report's options key. */
  report(hash: string): string;
  readonly meta: string;
}

/**
 * The layout both hosts use: `<prefix>state<sep><name>`, `<prefix><snapshots><sep><kind>`, `<prefix>verdicts`,
 * `<prefix>report<sep><hash>`, `<prefix>meta`, names made safe for the store by `part`.
 */
export function scopeKeys(prefix: string, sep: string, part: (name: string) => string, snapshots = 'snapshots'): ScopeKeys {
  return {
    state: (name) => `${prefix}state${sep}${part(name)}`,
    snapshots: (kind) => `${prefix}${snapshots}${sep}${part(kind)}`,
    verdicts: `${prefix}verdicts`,
    report: (hash) => `${prefix}report${sep}${hash}`,
    meta: `${prefix}meta`,
  };
}

interface VerdictsRecord {
  readonly rev: number;
  readonly items: Readonly<Record<string, StoredVerdict>>;
}

/**
 * A synced scope (a Jira board, an Azure DevOps team) over a small key-value store, through {@link ChunkedBlobs}
 * (values of any size as parts): sync state, date snapshots (appended only when a value changed), sprint goal
 * verdicts with a revision counter, cached reports and a little metadata, each one value under a key the host
 * names. The key-value store is the host's: Forge's Key-Value Store (src/kvs-blobs.ts), the Azure DevOps extension
 * data service (its document-blobs.ts), or memory in tests ({@link memoryBlobs}). How documents are laid out, and
 * the sync lease, are each host's own, in its subclass: they follow what the store can do atomically.
 */
export abstract class ScopeStore<Blobs extends ChunkedBlobs, Report> implements SyncStorePort, ReadStorePort {
  constructor(
    readonly blobs: Blobs,
    protected readonly keys: ScopeKeys,
  ) {}

  abstract putDocs(kind: string, docs: readonly StoredDoc[]): Promise<void>;
  abstract getDoc(kind: string, id: string): Promise<StoredDoc | undefined>;
  abstract listDocs(kind: string): Promise<StoredDoc[]>;
  abstract docVersions(kind: string): Promise<Map<string, string | null>>;
  abstract deleteDocs(kind: string, ids: readonly string[]): Promise<void>;
  abstract replaceDocs(kind: string, docs: readonly StoredDoc[]): Promise<void>;

  async getState<T = unknown>(name: string): Promise<T | undefined> {
    return this.blobs.get<T>(this.keys.state(name));
  }

  async setState(name: string, value: unknown): Promise<void> {
    const key = this.keys.state(name);
    if (value === undefined) await this.blobs.delete(key);
    else await this.blobs.put(key, value);
  }

  async recordSnapshots(kind: string, values: readonly { readonly id: string; readonly field: string; readonly value: unknown }[], takenAt: string): Promise<number> {
    const instant = Date.parse(takenAt);
    if (Number.isNaN(instant)) throw new Error(`recordSnapshots needs takenAt as an ISO instant, got ${JSON.stringify(takenAt)}`);
    const taken = new Date(instant).toISOString();
    const rows = await this.snapshots(kind);
    const latest = new Map<string, string>();
    for (const r of rows) latest.set(`${r.id}\u0000${r.field}`, canonicalJson(r.value));
    let appended = 0;
    for (const { id, field, value } of values) {
      const json = canonicalJson(value);
      const k = `${id}\u0000${field}`;
      if (latest.get(k) === json) continue;
      latest.set(k, json);
      rows.push({ id, field, value: JSON.parse(json) as unknown, takenAt: taken });
      appended++;
    }
    if (appended) await this.blobs.put(this.keys.snapshots(kind), rows);
    return appended;
  }

  async snapshots(kind: string): Promise<SnapshotRow[]> {
    const rows = (await this.blobs.get<SnapshotRow[]>(this.keys.snapshots(kind))) ?? [];
    // Stable: rows of one instant keep the order they were recorded in.
    return rows.map((r, i) => ({ r, i })).sort((a, b) => (a.r.takenAt < b.r.takenAt ? -1 : a.r.takenAt > b.r.takenAt ? 1 : a.i - b.i)).map(({ r }) => r);
  }

  async verdicts(): Promise<Map<string, StoredVerdict>> {
    return new Map(Object.entries((await this.verdictsRecord()).items));
  }

  /** The verdicts' revision: bumped by every change, so a cached report knows it is out of date. */
  async verdictsRev(): Promise<number> {
    return (await this.verdictsRecord()).rev;
  }

  /** Records (or, with `undefined`, clears) a verdict; a verdict written at the same time by someone else is kept. */
  async setVerdict(sprintId: string, verdict: StoredVerdict | undefined): Promise<number> {
    const written = await this.blobs.update<VerdictsRecord>(this.keys.verdicts, (current = { rev: 0, items: {} }) => {
      const items: Record<string, StoredVerdict> = { ...current.items };
      if (verdict === undefined) delete items[sprintId];
      else items[sprintId] = verdict;
      return { rev: current.rev + 1, items };
    });
    return written.rev;
  }

  async report(optionsKey: string): Promise<CachedReport<Report> | undefined> {
    const cached = await this.blobs.get<CachedReport<Report>>(this.reportKey(optionsKey));
    return cached?.optionsKey === optionsKey ? cached : undefined;
  }

  async putReport(entry: CachedReport<Report>): Promise<void> {
    await this.blobs.put(this.reportKey(entry.optionsKey), entry);
  }

  async meta(): Promise<SyncMeta> {
    return (await this.blobs.get<SyncMeta>(this.keys.meta)) ?? {};
  }

  async updateMeta(change: Partial<SyncMeta>): Promise<SyncMeta> {
    return this.blobs.update<SyncMeta>(this.keys.meta, (current = {}) => ({ ...current, ...change }));
  }

  /** A report's key: a hash of its options (the entry keeps the options, to tell a collision). */
  protected reportKey(optionsKey: string): string {
    return this.keys.report(fnv1a(optionsKey));
  }

  private async verdictsRecord(): Promise<VerdictsRecord> {
    return (await this.blobs.get<VerdictsRecord>(this.keys.verdicts)) ?? { rev: 0, items: {} };
  }
}
