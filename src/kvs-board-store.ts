import { createHash } from 'node:crypto';
import type { MetricsReport } from '@agile-kpi/core';
import {
  EVIDENCE_PAGE_SIZE,
  type EvidenceEntry,
  type EvidencePage,
  EvidencePageError,
  type EvidencePages,
  type KpiKey,
  type PageToken,
  type PagedList,
  RESULT_KEYS,
  type ResultKey,
  type RoleOf,
  cutEvidence,
  joinEvidence,
  kpiHeadlines,
  pageAnswer,
  reportSummary,
  reportWith,
  stalePage,
} from '@agile-kpi/presentation';
import { type CachedReport as StoredReport, ScopeStore, type SyncMeta, scopeKeys } from '@agile-kpi/hosted-service';
import { type StoredDoc, mapPool } from '@agile-kpi/tracker-client';
import { type BlobHead, type KvsBlobs, keyPart } from './kvs-blobs';

export type BoardMeta = SyncMeta;

/** A board's report for one set of gadget options; its `syncedAt` is the app's clock, `lastSyncAt` Jira's. */
export type CachedReport = StoredReport<MetricsReport>;

type Index = Map<string, { version: string | null; head: BlobHead }>;

/** A cached report as an answer carries it: with `evidencePages` when its results are cut to first pages. */
export type PagedReport = CachedReport & { readonly evidencePages?: EvidencePages; readonly headlines?: Partial<Record<KpiKey, string>> };

/**
 * Entries of a list after its first page, stored together: five pages, so that one page read reads one value of
 * about 30 KB compressed (3 of the store's 10 KB units) and a long list is not hundreds of keys.
 */
export const EVIDENCE_CHUNK_ENTRIES = 5 * EVIDENCE_PAGE_SIZE;

/** A result's part as stored: the result with its long lists cut to their first page, and what the rest are. */
interface StoredPart<R = unknown> {
  readonly paged: 1;
  /** The computation the part and its chunks belong to (page tokens carry it). */
  readonly stamp: string;
  readonly result: R;
  readonly lists: readonly PagedList[];
  /** The KPI's headline sentence, from the whole report (its "why" reads the evidence the part keeps a page of). */
  readonly sentence?: string;
}

/** One chunk of a list's entries after its first page. */
interface StoredChunk {
  /** The computation's stamp. */
  readonly s: string;
  /** The list's path and its entries in all. */
  readonly p: string;
  readonly t: number;
  readonly e: readonly EvidenceEntry<RoleOf<ResultKey>>[];
}

/** A name for one computation of one set of options: equal inputs computed at the same instant, the same stamp. */
export function reportStamp(entry: CachedReport): string {
  return createHash('sha256')
    .update(JSON.stringify([entry.optionsKey, entry.report.asOf, entry.dataVersion ?? null, entry.verdictsRev, entry.lastSyncAt, entry.syncedAt, entry.outcomesVersion ?? null]))
    .digest('hex')
    .slice(0, 16);
}

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
 * | `outcomes` | the customer outcome settings, and a digest of each kind's records (the cached reports' key to them) |
 * | `outcomes:<kind>` | the customer outcome records of one kind (csat, nps, usage, benefit) the settings' uploads kept, by id |
 * | `lock` | the lease of the sync running now |
 *
 * Each value goes through {@link KvsBlobs}, so any of them may exceed the store's 240 KiB limit. Everything but
 * the documents and the lease is kept as {@link ScopeStore} keeps it for both surfaces. Forge storage has
 * no transactions: writes are ordered so that an interrupted sync leaves a readable store (documents before
 * their index entry, the index before deleting documents), and the sync's staging makes it resumable.
 */
export class KvsBoardStore extends ScopeStore<KvsBlobs, MetricsReport> {
  readonly prefix: string;
  private readonly indexes = new Map<string, Index>();

  constructor(
    blobs: KvsBlobs,
    readonly boardId: number,
  ) {
    const prefix = `board:${boardId}:`;
    super(blobs, scopeKeys(prefix, ':', keyPart));
    this.prefix = prefix;
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

  /**
   * A cached report, whole or with only some results whole: it is kept in parts (`report:<hash>` the entry with the
   * report's summary, `report:<hash>:k:<kpi>` each result with its long evidence lists cut to their first page, and
   * `report:<hash>:k:<kpi>:e:<list>:<chunk>` the rest of those lists, 1 000 entries a chunk), so that a gadget reads
   * the bytes of its own view's first pages and not the evidence of all of them (Forge counts every 10 KB read).
   * With `firstPages`, the results come cut, with the `evidencePages` that say what is left out; else whole (every
   * chunk read back: the emailed report and the Rovo agent use all of it). A part stored by an earlier version,
   * uncut, reads as no report (it is computed again).
   */
  override async report(optionsKey: string, kpis: readonly ResultKey[] = RESULT_KEYS, options: { readonly firstPages?: boolean } = {}): Promise<PagedReport | undefined> {
    const head = await super.report(optionsKey);
    if (!head) return undefined;
    const parts = await mapPool(kpis, this.blobs.concurrency, (k) => this.blobs.get<StoredPart<MetricsReport[ResultKey]>>(this.kpiKey(optionsKey, k)));
    if (parts.some((p) => p === undefined || p.paged !== 1)) return undefined;
    const stored = parts as StoredPart<MetricsReport[ResultKey]>[];
    if (options.firstPages) {
      const evidencePages: EvidencePages = Object.fromEntries(kpis.flatMap((k, i) => (stored[i]!.lists.length ? [[k, stored[i]!.lists]] : [])));
      const headlines = Object.fromEntries(kpis.flatMap((k, i) => (stored[i]!.sentence !== undefined ? [[k, stored[i]!.sentence]] : [])));
      return { ...head, report: reportWith(head.report, Object.fromEntries(kpis.map((k, i) => [k, stored[i]!.result]))), evidencePages, headlines };
    }
    const whole = await mapPool(kpis, 2, (k, i) => this.wholeResult(optionsKey, k, stored[i]!));
    if (whole.some((w) => w === undefined)) return undefined;
    return { ...head, report: reportWith(head.report, Object.fromEntries(kpis.map((k, i) => [k, whole[i]]))) };
  }

  /**
   * Writes each result's chunks and its cut part, then the entry with the summary that names them (a reader never
   * sees half of it), then deletes the chunks of the computation before that this one did not overwrite.
   * The page tokens carry the computation's stamp ({@link reportStamp}).
   */
  override async putReport(entry: CachedReport): Promise<void> {
    const stamp = reportStamp(entry);
    const sentences: Partial<Record<ResultKey, string>> = kpiHeadlines(entry.report);
    const written = new Set<string>();
    for (const k of RESULT_KEYS) {
      const cut = cutEvidence(entry.report[k], k, stamp);
      const chunks = cut.rest.flatMap((rest, n) => {
        const list = cut.lists[n]!;
        const out: { key: string; value: StoredChunk }[] = [];
        for (let j = 0; j * EVIDENCE_CHUNK_ENTRIES < rest.length; j++) {
          out.push({ key: this.chunkKey(entry.optionsKey, k, n, j), value: { s: stamp, p: list.path, t: list.total, e: rest.slice(j * EVIDENCE_CHUNK_ENTRIES, (j + 1) * EVIDENCE_CHUNK_ENTRIES) } });
        }
        return out;
      });
      await mapPool(chunks, this.blobs.concurrency, (c) => this.blobs.put(c.key, c.value));
      for (const c of chunks) written.add(c.key);
      const sentence = cut.lists.length ? sentences[k] : undefined;
      const part: StoredPart = { paged: 1, stamp, result: cut.first, lists: cut.lists, ...(sentence !== undefined ? { sentence } : {}) };
      await this.blobs.put(this.kpiKey(entry.optionsKey, k), part);
    }
    await super.putReport({ ...entry, report: reportSummary(entry.report) });
    const old = (await this.blobs.keys(`${this.reportKey(entry.optionsKey)}:k:`)).filter((key) => key.includes(':e:') && !key.includes('::') && !written.has(key));
    await mapPool(old, this.blobs.concurrency, (key) => this.blobs.delete(key));
  }

  /**
   * One page of a cached result's evidence list: read from the one chunk that holds it. A token of another
   * computation (the metrics were computed again since) or of no list is refused with a message.
   */
  async evidencePage(optionsKey: string, token: PageToken): Promise<EvidencePage> {
    const from = token.offset - EVIDENCE_PAGE_SIZE;
    const j = Math.floor(from / EVIDENCE_CHUNK_ENTRIES);
    const chunk = await this.blobs.get<StoredChunk>(this.chunkKey(optionsKey, token.kpi, token.list, j));
    if (!chunk) {
      const head = await super.report(optionsKey);
      if (!head) throw new EvidencePageError('not-found', 'these metrics are not cached any more; reload the gadget');
      throw stalePage(token.kpi);
    }
    if (chunk.s !== token.stamp) throw stalePage(token.kpi);
    if (token.offset >= chunk.t) throw new EvidencePageError('invalid', `the list has ${chunk.t} entries; there is no page from entry ${token.offset}`);
    const at = from - j * EVIDENCE_CHUNK_ENTRIES;
    return pageAnswer(token, chunk.p, chunk.t, chunk.e.slice(at, at + EVIDENCE_PAGE_SIZE));
  }

  /** Deletes the cached reports no configured gadget asks for any more (with their KPI parts and chunks). */
  async pruneReports(keep: ReadonlySet<string>): Promise<number> {
    const wanted = [...keep].map((k) => this.reportKey(k));
    const kept = (k: string) => wanted.some((w) => k === w || k.startsWith(`${w}:k:`));
    const keys = (await this.blobs.keys(`${this.prefix}report:`)).filter((k) => !k.includes('::') && !kept(k));
    await mapPool(keys, this.blobs.concurrency, (k) => this.blobs.delete(k));
    return keys.length;
  }

  /** A result whole again from its part and every chunk of its lists; undefined when a chunk is missing or of another computation. */
  private async wholeResult(optionsKey: string, kpi: ResultKey, part: StoredPart<MetricsReport[ResultKey]>): Promise<MetricsReport[ResultKey] | undefined> {
    if (!part.lists.length) return part.result;
    const rest = await mapPool(part.lists, 1, async (list, n) => {
      const count = Math.ceil(Math.max(0, list.total - EVIDENCE_PAGE_SIZE) / EVIDENCE_CHUNK_ENTRIES);
      const chunks = await mapPool(Array.from({ length: count }, (_, j) => j), this.blobs.concurrency, (j) => this.blobs.get<StoredChunk>(this.chunkKey(optionsKey, kpi, n, j)));
      if (chunks.some((c) => c === undefined || c.s !== part.stamp)) return undefined;
      return chunks.flatMap((c) => c!.e);
    });
    if (rest.some((r) => r === undefined)) return undefined;
    return joinEvidence(part.result, part.lists, rest as EvidenceEntry[][]);
  }

  private chunkKey(optionsKey: string, kpi: ResultKey, list: number, chunk: number): string {
    return `${this.kpiKey(optionsKey, kpi)}:e:${list}:${chunk}`;
  }

  private kpiKey(optionsKey: string, kpi: ResultKey): string {
    return `${this.reportKey(optionsKey)}:k:${kpi}`;
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
