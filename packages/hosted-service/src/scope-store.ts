import { type OutcomeKind, type OutcomeRecord, type OutcomeSettings, OUTCOME_KINDS, canonicalJson, checkOutcomeSettings, fnv1a } from '@agile-kpi/core';
import type { ChunkedBlobs, ReadStorePort, SnapshotRow, StoredDoc, StoredVerdict, SyncStorePort } from '@agile-kpi/tracker-client';
import { ConfigError } from './host-error';
import type { OutcomeStore } from './outcome-data';
import { mergeOutcomes } from './outcome-upload';

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
  /** The {@link ScopeStore.outcomesVersion} it was computed from: an upload or new settings compute it again. */
  readonly outcomesVersion?: string;
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
  /** The outcome records of one kind (an array, by id). */
  outcomes(kind: string): string;
  /** What the outcome records are ({@link OutcomesHead}) and the outcome settings. */
  readonly outcomesHead: string;
}

/**
 * The layout both hosts use: `<prefix>state<sep><name>`, `<prefix><snapshots><sep><kind>`, `<prefix>verdicts`,
 * `<prefix>report<sep><hash>`, `<prefix>meta`, `<prefix>outcomes` and `<prefix>outcomes<sep><kind>`, names made
 * safe for the store by `part`.
 */
export function scopeKeys(prefix: string, sep: string, part: (name: string) => string, snapshots = 'snapshots'): ScopeKeys {
  return {
    state: (name) => `${prefix}state${sep}${part(name)}`,
    snapshots: (kind) => `${prefix}${snapshots}${sep}${part(kind)}`,
    verdicts: `${prefix}verdicts`,
    report: (hash) => `${prefix}report${sep}${hash}`,
    meta: `${prefix}meta`,
    outcomes: (kind) => `${prefix}outcomes${sep}${part(kind)}`,
    outcomesHead: `${prefix}outcomes`,
  };
}

/** A scope's customer outcome data: the records its uploads stored, and its settings (cost per sprint, feature links). */
export interface TeamOutcomes {
  readonly records: readonly OutcomeRecord[];
  readonly settings: OutcomeSettings;
}

/** The small value that says what a scope's outcome records are (a digest per kind) and holds its settings. */
interface OutcomesHead {
  readonly kinds: Partial<Record<OutcomeKind, string>>;
  readonly settings?: OutcomeSettings;
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

  /**
   * Keeps an uploaded file's records of one kind with the scope's others, by id (all of them in one write of the
   * kind's value): how many were new and how many replaced a record with the same id. Records that are all there
   * already write nothing. The head's digest of the kind is written after the records, so a report is never cached
   * as computed from records that are not stored; an upload cut short between the two writes is healed by the next.
   */
  async putOutcomes(kind: OutcomeKind, records: readonly OutcomeRecord[]): Promise<{ added: number; replaced: number }> {
    const key = this.keys.outcomes(kind);
    const kept = new Map((await this.kindOutcomes(kind)).map((r) => [r.id, r]));
    let counts = mergeOutcomes(kept, records);
    let stored = [...kept.values()];
    if (counts.added || counts.replaced) {
      stored = await this.blobs.update<OutcomeRecord[]>(key, (current = []) => {
        // Merged again into what is there now: an upload of another file at the same moment is kept.
        const now = new Map(current.map((r) => [r.id, r]));
        counts = mergeOutcomes(now, records);
        return [...now.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      });
    }
    const digest = outcomesDigest(stored);
    if ((await this.outcomesHead()).kinds[kind] !== digest) await this.blobs.update<OutcomesHead>(this.keys.outcomesHead, (head = { kinds: {} }) => ({ ...head, kinds: { ...head.kinds, [kind]: digest } }));
    return counts;
  }

  /** The scope's outcome records (every kind) and settings. */
  async outcomes(): Promise<TeamOutcomes> {
    const head = await this.outcomesHead();
    const kinds = OUTCOME_KINDS.filter((k) => head.kinds[k] !== undefined);
    const records = (await Promise.all(kinds.map((k) => this.kindOutcomes(k)))).flat();
    return { records, settings: head.settings ?? {} };
  }

  /**
   * Removes records of one kind by id (one write of the kind's value, then its digest in the head, as
   * {@link putOutcomes} orders them): how many were there. A kind left empty leaves the head.
   */
  async deleteOutcomes(kind: OutcomeKind, ids: readonly string[]): Promise<number> {
    const gone = new Set(ids);
    if (!(await this.kindOutcomes(kind)).some((r) => gone.has(r.id))) return 0;
    let removed = 0;
    const stored = await this.blobs.update<OutcomeRecord[]>(this.keys.outcomes(kind), (current = []) => {
      const kept = current.filter((r) => !gone.has(r.id));
      removed = current.length - kept.length;
      return kept;
    });
    await this.blobs.update<OutcomesHead>(this.keys.outcomesHead, (head = { kinds: {} }) => {
      const { [kind]: _old, ...others } = head.kinds;
      return { ...head, kinds: stored.length ? { ...others, [kind]: outcomesDigest(stored) } : others };
    });
    return removed;
  }

  /** The scope's outcome settings ({} until set). */
  async outcomeSettings(): Promise<OutcomeSettings> {
    return (await this.outcomesHead()).settings ?? {};
  }

  /**
   * Sets the scope's outcome settings (its cost per sprint, which epic or release ships which feature), checked by
   * the rule every surface shares (core's `checkOutcomeSettings`); the report cache follows through
   * {@link outcomesVersion}.
   */
  async setOutcomeSettings(settings: OutcomeSettings): Promise<void> {
    const checked = checkOutcomeSettings(settings);
    if (!checked.ok) throw new ConfigError(checked.message);
    const { cost, features } = checked.value;
    await this.blobs.update<OutcomesHead>(this.keys.outcomesHead, (head = { kinds: {} }) => ({ kinds: head.kinds, ...(cost || features?.length ? { settings: checked.value } : {}) }));
  }

  /** The scope's outcome data as the settings page's calls want it (hosted-service's outcome-data.ts). */
  outcomeStore(): OutcomeStore {
    return {
      put: (kind, records) => this.putOutcomes(kind, records),
      list: async () => (await this.outcomes()).records,
      remove: (kind, ids) => this.deleteOutcomes(kind, ids),
      settings: () => this.outcomeSettings(),
      setSettings: (settings) => this.setOutcomeSettings(settings),
    };
  }

  /**
   * A digest of the outcome records and settings (one small read): a cached report keeps the one it was computed
   * from, so that an upload or new settings show at the next load. Empty when the scope has none.
   */
  async outcomesVersion(): Promise<string> {
    const head = await this.outcomesHead();
    return head.settings || Object.keys(head.kinds).length ? fnv1a(canonicalJson(head)) : '';
  }

  /** A report's key: a hash of its options (the entry keeps the options, to tell a collision). */
  protected reportKey(optionsKey: string): string {
    return this.keys.report(fnv1a(optionsKey));
  }

  private async outcomesHead(): Promise<OutcomesHead> {
    return (await this.blobs.get<OutcomesHead>(this.keys.outcomesHead)) ?? { kinds: {} };
  }

  private async kindOutcomes(kind: OutcomeKind): Promise<OutcomeRecord[]> {
    return (await this.blobs.get<OutcomeRecord[]>(this.keys.outcomes(kind))) ?? [];
  }

  private async verdictsRecord(): Promise<VerdictsRecord> {
    return (await this.blobs.get<VerdictsRecord>(this.keys.verdicts)) ?? { rev: 0, items: {} };
  }
}

/** What a kind's stored records are, in a few characters: their count and a hash of their JSON. */
function outcomesDigest(records: readonly OutcomeRecord[]): string {
  return `${records.length}.${fnv1a(JSON.stringify(records))}`;
}
