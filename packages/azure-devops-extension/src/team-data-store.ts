import type { MetricsReport } from '@agile-kpi/core';
import type { DashboardConfig } from '@agile-kpi/presentation';
import { type CachedReport as StoredReport, ScopeStore, type SyncMeta, scopeKeys } from '@agile-kpi/hosted-service';
import { type StoredDoc, mapPool } from '@agile-kpi/tracker-client';
import { type DocumentBlobs, keyPart } from './document-blobs';
import { ExtensionDataError, isConflict, isNotFound } from './extension-data';

/** One Azure DevOps team, by the ids that key its data and the names the REST routes and the report use. */
export interface TeamRef {
  readonly projectId: string;
  readonly projectName: string;
  readonly teamId: string;
  /** The team's name, as routes take it; for the project's default team reached without a team in context, its id. */
  readonly teamName: string;
  /** The project's default team, found because the page had no team in its context (its name is not known). */
  readonly isDefault?: boolean;
}

/** How a team is named to people: its name, or "default team" when only its id is known. */
export function teamLabel(team: TeamRef): string {
  return team.isDefault ? 'default team' : team.teamName;
}

export type TeamMeta = SyncMeta;

/** A team's report for one set of options; its `syncedAt` is the browser's clock, `lastSyncAt` Azure DevOps'. */
export type CachedReport = StoredReport<MetricsReport>;

/** A kind's documents: id -> [version, segment]; the bodies live in the segments. */
interface KindIndex {
  readonly ids: Record<string, [version: string | null, segment: string]>;
}

/** More segments than this in one kind and the next write folds them into one. */
const MAX_SEGMENTS = 12;

/**
 * One Azure DevOps team's synced data in the extension data service, behind the ports the Azure DevOps sync
 * and reader use (`SyncStorePort`, `ReadStorePort`), plus what the extension keeps beside it: sprint goal
 * verdicts, cached reports, the team's settings, a little metadata and a sync lease. Every document id starts
 * with `p.<project id>.t.<team id>.`, so teams of the same name in two projects never share data:
 *
 * | key | value |
 * |---|---|
 * | `idx.<kind>` | the kind's document ids with versions and the segment that holds each body |
 * | `seg.<kind>.<rev>` | bodies of the documents one write stored (a sync stages 200 work items per write) |
 * | `state.<name>` | sync state (the reporting revisions' continuation token) |
 * | `snap.<kind>` | date snapshots of iterations, appended only when a value changed |
 * | `verdicts` | sprint goal verdicts with a revision counter |
 * | `report.<hash>` | the MetricsReport for one set of options, with what it was computed from |
 * | `settings` | the team's settings from the hub (windows, thresholds, time zone); `config` before 0.2, read once |
 * | `meta` | when the extension last synced the team, and the last sync error |
 * | `outcomes` | the customer outcome settings, and a digest of each kind's records (the cached reports' key to them) |
 * | `outcomes.<kind>` | the customer outcome records of one kind (csat, nps, usage, benefit) the hub's uploads kept, by id |
 * | `lease` | the sync running now (its etag makes taking it atomic) |
 *
 * Values go through {@link DocumentBlobs}, so any of them may be large. Everything but the documents, the
 * settings and the lease is kept as {@link ScopeStore} keeps it for both surfaces. Writes are ordered so
 * that an interrupted sync leaves a readable store: segments before the index that names them, the index before
 * deleting segments. A store object caches what it read: make one per operation, since other pages write too.
 */
export class TeamDataStore extends ScopeStore<DocumentBlobs, MetricsReport> {
  readonly prefix: string;
  private readonly indexes = new Map<string, KindIndex>();
  private readonly segments = new Map<string, Promise<Record<string, unknown>>>();

  constructor(
    blobs: DocumentBlobs,
    readonly team: TeamRef,
    private readonly newRev: () => string = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
  ) {
    const prefix = `p.${keyPart(team.projectId)}.t.${keyPart(team.teamId)}.`;
    super(blobs, scopeKeys(prefix, '.', keyPart, 'snap'));
    this.prefix = prefix;
  }

  async putDocs(kind: string, docs: readonly StoredDoc[]): Promise<void> {
    if (!docs.length) return;
    const index = await this.index(kind);
    const segment = await this.writeSegment(kind, docs);
    const ids = { ...index.ids };
    for (const d of docs) ids[d.id] = [d.version, segment];
    await this.commitIndex(kind, index, { ids });
  }

  async getDoc(kind: string, id: string): Promise<StoredDoc | undefined> {
    const entry = (await this.index(kind)).ids[id];
    if (!entry) return undefined;
    const bodies = await this.segment(kind, entry[1]);
    return { id, version: entry[0], body: bodies[id] };
  }

  async listDocs(kind: string): Promise<StoredDoc[]> {
    const index = await this.index(kind);
    const ids = Object.keys(index.ids).sort();
    const segs = [...new Set(ids.map((id) => index.ids[id]![1]))];
    const loaded = new Map(await mapPool(segs, this.blobs.concurrency, async (s) => [s, await this.segment(kind, s)] as const));
    return ids.map((id) => {
      const [version, seg] = index.ids[id]!;
      return { id, version, body: loaded.get(seg)![id] };
    });
  }

  async docVersions(kind: string): Promise<Map<string, string | null>> {
    return new Map(Object.entries((await this.index(kind)).ids).map(([id, [version]]) => [id, version]));
  }

  async deleteDocs(kind: string, ids: readonly string[]): Promise<void> {
    const index = await this.index(kind);
    if (!ids.some((id) => id in index.ids)) return;
    const next = { ...index.ids };
    for (const id of ids) delete next[id];
    await this.commitIndex(kind, index, { ids: next });
  }

  async replaceDocs(kind: string, docs: readonly StoredDoc[]): Promise<void> {
    const index = await this.index(kind);
    if (!docs.length && !Object.keys(index.ids).length) return;
    const ids: KindIndex['ids'] = {};
    if (docs.length) {
      const segment = await this.writeSegment(kind, docs);
      for (const d of docs) ids[d.id] = [d.version, segment];
    }
    await this.commitIndex(kind, index, { ids });
  }

  /**
   * The team's settings. Kept under `settings`: the first versions used `config`, an id that IIS-hosted services
   * refuse as a file extension, so that is only read (with `read` of the document, not the URL-checked path) when
   * `settings` has never been written.
   */
  async config(): Promise<DashboardConfig | undefined> {
    const settings = await this.blobs.get<DashboardConfig>(this.key('settings'));
    if (settings !== undefined) return settings;
    const legacy = await this.blobs.read(this.key('config'));
    return typeof legacy?.['t'] === 'string' ? (JSON.parse(legacy['t']) as DashboardConfig) : undefined;
  }

  /** Saves the team's settings, over any saved meanwhile (the etag is carried, so the write never tears). */
  async setConfig(config: DashboardConfig): Promise<void> {
    await this.blobs.update<DashboardConfig>(this.key('settings'), () => config);
  }

  /**
   * Takes the team's sync lease, so that the widgets of one dashboard, loading at once, do not sync the same
   * team side by side. Taking it is atomic: a create that fails when the document exists, or, over an expired
   * lease, a write carrying the etag that was read (it fails when another page took it in between). Returns a
   * release function, or undefined when another page holds a live lease.
   */
  async lease(owner: string, nowMs: number, ttlMs: number): Promise<(() => Promise<void>) | undefined> {
    const id = this.key('lease');
    const collection = this.blobs.collection;
    const data = this.blobs.data;
    const until = new Date(nowMs + ttlMs).toISOString();
    for (let attempt = 0; attempt < 3; attempt++) {
      const held = await this.blobs.read(id);
      try {
        if (!held) await data.createDocument(collection, { id, owner, until });
        else if (typeof held['until'] === 'string' && Date.parse(held['until']) < nowMs) await data.setDocument(collection, { id, owner, until, __etag: held.__etag });
        else return undefined;
      } catch (err) {
        if (isConflict(err)) continue;
        throw ExtensionDataError.from(err, 'take the sync lease');
      }
      return async () => {
        const now = await this.blobs.read(id);
        if (now?.['owner'] !== owner) return;
        try {
          await data.deleteDocument(collection, id);
        } catch (err) {
          if (!isNotFound(err)) throw ExtensionDataError.from(err, 'release the sync lease');
        }
      };
    }
    return undefined;
  }

  /** Whether another page holds a live lease now. */
  async leased(nowMs: number): Promise<boolean> {
    const held = await this.blobs.read(this.key('lease'));
    return !!held && typeof held['until'] === 'string' && Date.parse(held['until']) >= nowMs;
  }

  private key(name: string): string {
    return `${this.prefix}${name}`;
  }

  private indexKey(kind: string): string {
    return this.key(`idx.${keyPart(kind)}`);
  }

  private segmentKey(kind: string, seg: string): string {
    return this.key(`seg.${keyPart(kind)}.${seg}`);
  }

  private async index(kind: string): Promise<KindIndex> {
    let index = this.indexes.get(kind);
    if (!index) {
      index = (await this.blobs.get<KindIndex>(this.indexKey(kind))) ?? { ids: {} };
      this.indexes.set(kind, index);
    }
    return index;
  }

  private segment(kind: string, seg: string): Promise<Record<string, unknown>> {
    const key = this.segmentKey(kind, seg);
    let loaded = this.segments.get(key);
    if (!loaded) {
      loaded = this.blobs.get<Record<string, unknown>>(key).then((v) => {
        if (!v) throw new ExtensionDataError(undefined, `the stored segment ${key} is missing; it was being rewritten`);
        return v;
      });
      loaded.catch(() => this.segments.delete(key));
      this.segments.set(key, loaded);
    }
    return loaded;
  }

  private async writeSegment(kind: string, docs: readonly StoredDoc[]): Promise<string> {
    const seg = this.newRev();
    const bodies: Record<string, unknown> = {};
    for (const d of docs) bodies[d.id] = d.body;
    const key = this.segmentKey(kind, seg);
    await this.blobs.put(key, bodies, null);
    this.segments.set(key, Promise.resolve(bodies));
    return seg;
  }

  /**
   * Writes a kind's new index, folding its segments into one when there are too many, then deletes the
   * segments nothing names any more.
   */
  private async commitIndex(kind: string, before: KindIndex, next: KindIndex): Promise<void> {
    let index = next;
    const live = new Set(Object.values(index.ids).map(([, s]) => s));
    if (live.size > MAX_SEGMENTS) {
      const docs = await Promise.all(Object.entries(index.ids).map(async ([id, [version, seg]]) => ({ id, version, body: (await this.segment(kind, seg))[id] })));
      const seg = await this.writeSegment(kind, docs);
      index = { ids: Object.fromEntries(docs.map((d) => [d.id, [d.version, seg]])) };
    }
    if (Object.keys(index.ids).length) await this.blobs.put(this.indexKey(kind), index);
    else await this.blobs.delete(this.indexKey(kind));
    this.indexes.set(kind, index);
    const kept = new Set(Object.values(index.ids).map(([, s]) => s));
    const gone = [...new Set([...Object.values(before.ids), ...Object.values(next.ids)].map(([, s]) => s))].filter((s) => !kept.has(s));
    await mapPool(gone, this.blobs.concurrency, async (s) => {
      this.segments.delete(this.segmentKey(kind, s));
      await this.blobs.delete(this.segmentKey(kind, s));
    });
  }
}
