import type { MetricsReport, SprintVerdict } from '@agile-kpi/core';
import { type ReadStorePort, type StoredDoc, type SyncStorePort, mapPool } from '@agile-kpi/tracker-client';
import { type BlobHead, type KvsBlobs, keyPart } from './kvs-blobs';

/**
 * One Jira board's synced data in the Forge Key-Value Store, behind the ports the Jira sync and reader use
 * (`SyncStorePort`, `ReadStorePort`), plus what the app keeps beside it: goal verdicts, cached reports, a
 * little metadata and a sync lease. Everything lives under `board:<id>:`:
 *
 * | key | value |
 * |---|---|
 * | `doc:<kind>:<id>` | one raw document `{ v: version, b: body }` (issue, staged issue, sprint, version, context) |
 * | `index:<kind>` | the kind's ids with versions and storage heads: listing and `docVersions` in one read |
 * | `state:<name>` | sync state (watermark) |
 * | `snapshots:<kind>` | date snapshots of sprints and versions, appended only when a value changed |
 * | `verdicts` | sprint goal verdicts with a revision counter |
 * | `report:<hash>` | the MetricsReport for one set of gadget options, with what it was computed from |
 * | `meta` | when the app last synced the board, and the last sync error |
 * | `lock` | the lease of the sync running now |
 *
 * Each value goes through {@link KvsBlobs}, so any of them may exceed the store's 240 KiB limit. Forge storage
 * has no transactions: writes are ordered so that an interrupted sync leaves a readable store (documents
 * before their index entry, the index before deleting documents), and the sync's staging makes it resumable.
 */
export interface BoardMeta {
  /** When the app last finished syncing the board (the app's clock: freshness is judged by it). */
  readonly syncedAt?: string;
  readonly lastAttemptAt?: string;
  readonly lastError?: { readonly kind: string; readonly message: string; readonly at: string };
}

export interface CachedReport {
  readonly optionsKey: string;
  /** The sync state's `lastSyncAt` (Jira's clock) the report was computed from. */
  readonly lastSyncAt: string;
  /** The app's `meta.syncedAt` it was computed from. */
  readonly syncedAt: string | null;
  readonly verdictsRev: number;
  readonly report: MetricsReport;
}

interface VerdictsRecord {
  readonly rev: number;
  readonly items: Readonly<Record<string, SprintVerdict>>;
}

type Index = Map<string, { version: string | null; head: BlobHead }>;
type SnapshotRow = { id: string; field: string; value: unknown; takenAt: string };

export class KvsBoardStore implements SyncStorePort, ReadStorePort {
  readonly prefix: string;
  private readonly indexes = new Map<string, Index>();

  constructor(
    readonly blobs: KvsBlobs,
    readonly boardId: number,
  ) {
    this.prefix = `board:${boardId}:`;
  }

  async putDocs(kind: string, docs: readonly StoredDoc[]): Promise<void> {
    if (!docs.length) return;
    const index = await this.index(kind);
    const heads = await mapPool(docs, this.blobs.concurrency, (doc) => this.blobs.put(this.docKey(kind, doc.id), { v: doc.version, b: doc.body }, index.get(doc.id)?.head ?? null));
    docs.forEach((doc, i) => index.set(doc.id, { version: doc.version, head: heads[i]! }));
    await this.writeIndex(kind, index);
  }

  async getDoc(kind: string, id: string): Promise<StoredDoc | undefined> {
    const value = await this.blobs.get<{ v: string | null; b: unknown }>(this.docKey(kind, id));
    return value === undefined ? undefined : { id, version: value.v, body: value.b };
  }

  async listDocs(kind: string): Promise<StoredDoc[]> {
    const ids = [...(await this.index(kind)).keys()].sort();
    const docs = await mapPool(ids, this.blobs.concurrency, (id) => this.getDoc(kind, id));
    return docs.filter((d): d is StoredDoc => d !== undefined);
  }

  async docVersions(kind: string): Promise<Map<string, string | null>> {
    return new Map([...(await this.index(kind))].map(([id, e]) => [id, e.version]));
  }

  async deleteDocs(kind: string, ids: readonly string[]): Promise<void> {
    const index = await this.index(kind);
    const gone = ids.filter((id) => index.has(id)).map((id) => ({ id, head: index.get(id)!.head }));
    if (!gone.length) return;
    for (const { id } of gone) index.delete(id);
    await this.writeIndex(kind, index);
    await mapPool(gone, this.blobs.concurrency, ({ id, head }) => this.blobs.delete(this.docKey(kind, id), head));
  }

  async replaceDocs(kind: string, docs: readonly StoredDoc[]): Promise<void> {
    const keep = new Set(docs.map((d) => d.id));
    const index = await this.index(kind);
    const gone = [...index.keys()].filter((id) => !keep.has(id));
    await this.putDocs(kind, docs);
    await this.deleteDocs(kind, gone);
  }

  async getState<T = unknown>(name: string): Promise<T | undefined> {
    return this.blobs.get<T>(`${this.prefix}state:${keyPart(name)}`);
  }

  async setState(name: string, value: unknown): Promise<void> {
    const key = `${this.prefix}state:${keyPart(name)}`;
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
    if (appended) await this.blobs.put(`${this.prefix}snapshots:${keyPart(kind)}`, rows);
    return appended;
  }

  async snapshots(kind: string): Promise<SnapshotRow[]> {
    const rows = (await this.blobs.get<SnapshotRow[]>(`${this.prefix}snapshots:${keyPart(kind)}`)) ?? [];
    // Stable: rows of one instant keep the order they were recorded in.
    return rows.map((r, i) => ({ r, i })).sort((a, b) => (a.r.takenAt < b.r.takenAt ? -1 : a.r.takenAt > b.r.takenAt ? 1 : a.i - b.i)).map(({ r }) => r);
  }

  async verdicts(): Promise<Map<string, SprintVerdict>> {
    return new Map(Object.entries((await this.verdictsRecord()).items));
  }

  /** The verdicts' revision: bumped by every change, so a cached report knows it is out of date. */
  async verdictsRev(): Promise<number> {
    return (await this.verdictsRecord()).rev;
  }

  async setVerdict(sprintId: string, verdict: SprintVerdict | undefined): Promise<number> {
    const current = await this.verdictsRecord();
    const items: Record<string, SprintVerdict> = { ...current.items };
    if (verdict === undefined) delete items[sprintId];
    else items[sprintId] = verdict;
    const rev = current.rev + 1;
    await this.blobs.put(`${this.prefix}verdicts`, { rev, items } satisfies VerdictsRecord);
    return rev;
  }

  async report(optionsKey: string): Promise<CachedReport | undefined> {
    const cached = await this.blobs.get<CachedReport>(this.reportKey(optionsKey));
    return cached?.optionsKey === optionsKey ? cached : undefined;
  }

  async putReport(entry: CachedReport): Promise<void> {
    await this.blobs.put(this.reportKey(entry.optionsKey), entry);
  }

  /** Deletes the cached reports no configured gadget asks for any more. */
  async pruneReports(keep: ReadonlySet<string>): Promise<number> {
    const wanted = new Set([...keep].map((k) => this.reportKey(k)));
    const keys = (await this.blobs.keys(`${this.prefix}report:`)).filter((k) => !k.includes('::') && !wanted.has(k));
    await mapPool(keys, this.blobs.concurrency, (k) => this.blobs.delete(k));
    return keys.length;
  }

  async meta(): Promise<BoardMeta> {
    return (await this.blobs.get<BoardMeta>(`${this.prefix}meta`)) ?? {};
  }

  async updateMeta(change: Partial<BoardMeta>): Promise<BoardMeta> {
    const next = { ...(await this.meta()), ...change };
    await this.blobs.put(`${this.prefix}meta`, next);
    return next;
  }

  /**
   * Takes the board's sync lease: an atomic create (`FAIL_IF_EXISTS`) with a time to live, so that the seven
   * gadgets of one dashboard, loading at once, do not sync the same board seven times, and a crashed holder
   * never blocks it for longer than the lease. Returns a release function, or undefined when another
   * invocation holds a live lease.
   */
  async lease(owner: string, nowMs: number, ttlMs: number): Promise<(() => Promise<void>) | undefined> {
    const key = `${this.prefix}lock`;
    const value = { owner, until: new Date(nowMs + ttlMs).toISOString() };
    const ttl = { value: Math.ceil(ttlMs / 1000), unit: 'SECONDS' as const };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.blobs.kvs.set(key, value, { keyPolicy: 'FAIL_IF_EXISTS', ttl });
        return async () => {
          const held = await this.blobs.kvs.get<{ owner: string }>(key);
          if (held?.owner === owner) await this.blobs.kvs.delete(key);
        };
      } catch (err) {
        if (!isKeyConflict(err)) throw err;
        const held = await this.blobs.kvs.get<{ owner: string; until: string }>(key);
        // Expired but not yet swept by the store's TTL: take it over.
        if (held && Date.parse(held.until) < nowMs) await this.blobs.kvs.delete(key);
        else if (held) return undefined;
      }
    }
    return undefined;
  }

  private async verdictsRecord(): Promise<VerdictsRecord> {
    return (await this.blobs.get<VerdictsRecord>(`${this.prefix}verdicts`)) ?? { rev: 0, items: {} };
  }

  private reportKey(optionsKey: string): string {
    return `${this.prefix}report:${fnv1a(optionsKey)}`;
  }

  private docKey(kind: string, id: string): string {
    return `${this.prefix}doc:${keyPart(kind)}:${keyPart(id)}`;
  }

  private async index(kind: string): Promise<Index> {
    let index = this.indexes.get(kind);
    if (!index) {
      const stored = (await this.blobs.get<Record<string, [string | null, BlobHead]>>(`${this.prefix}index:${keyPart(kind)}`)) ?? {};
      index = new Map(Object.entries(stored).map(([id, [version, head]]) => [id, { version, head }]));
      this.indexes.set(kind, index);
    }
    return index;
  }

  private async writeIndex(kind: string, index: Index): Promise<void> {
    const key = `${this.prefix}index:${keyPart(kind)}`;
    if (index.size === 0) await this.blobs.delete(key);
    else await this.blobs.put(key, Object.fromEntries([...index].map(([id, e]) => [id, [e.version, e.head]])));
  }
}

/** The store's answer to a FAIL_IF_EXISTS write on an existing key: HTTP 409 with code KEY_CONFLICT. */
export function isKeyConflict(err: unknown): boolean {
  const e = err as { code?: unknown; responseDetails?: { status?: unknown } } | null;
  return !!e && (e.code === 'KEY_CONFLICT' || e.responseDetails?.status === 409);
}

/** Sorted keys make "the same JSON" a string comparison, whatever order a tracker sends fields in. */
function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, item: unknown) =>
      item !== null && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : item,
    ) ?? 'null'
  );
}

/** FNV-1a, 32 bits, hex: a short key for a report's options (the entry keeps the options to check). */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
