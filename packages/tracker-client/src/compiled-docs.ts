import { type Snapshot, SnapshotError, WORK_ITEM_CHECK_VERSION, type WorkItem, checkWorkItem } from '@agile-kpi/core';
import type { SnapshotRow, StoredDoc, StoredVerdict } from './sync-store-port';

/** A raw document's compiled form: what an adapter mapped it to, as a store keeps it next to the raw document. */
export interface CompiledDoc {
  /** The raw document's id. */
  readonly id: string;
  readonly body: unknown;
}

/**
 * A store that keeps each raw document's compiled form (the SQLite store: see `ScopeStore` in @agile-kpi/store),
 * so that reading a synced board never maps its raw payloads again. Synchronous, as its transactions are.
 */
export interface CompiledStorePort {
  listDocs(kind: string): StoredDoc[];
  getState<T = unknown>(name: string): T | undefined;
  snapshots(kind: string): SnapshotRow[];
  verdicts(): Map<string, StoredVerdict>;
  /** Raw documents by id, ordered by id. */
  getDocs(kind: string, ids: readonly string[]): StoredDoc[];
  /** Ids of raw documents without a compiled form under `fingerprint` (new, changed, or compiled under other settings). */
  staleCompiled(kind: string, fingerprint: string): string[];
  putCompiled(kind: string, fingerprint: string, docs: readonly CompiledDoc[]): void;
  /** Compiled forms under `fingerprint`; `corrupt`: ids whose body no longer matches its checksum. */
  listCompiled(kind: string, fingerprint: string): { readonly docs: CompiledDoc[]; readonly corrupt: string[] };
  transaction<T>(fn: () => T): T;
}

/** Raw documents compiled per transaction: a sync cut short keeps what it compiled, and a chunk's memory is bounded. */
const CHUNK = 1000;

/** Compiles these raw documents in chunks, each read and written in one transaction; returns the compiled forms. */
function compileIds(store: CompiledStorePort, kind: string, fingerprint: string, ids: readonly string[], compile: (doc: StoredDoc) => unknown): CompiledDoc[] {
  const out: CompiledDoc[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    store.transaction(() => {
      const docs = store.getDocs(kind, ids.slice(i, i + CHUNK)).map((doc) => ({ id: doc.id, body: compile(doc) }));
      store.putCompiled(kind, fingerprint, docs);
      out.push(...docs);
    });
  }
  return out;
}

/**
 * Compiles the raw documents of `kind` that have no compiled form under `fingerprint` (new or changed since they
 * were compiled, or compiled under other mapping settings), a chunk per transaction. A sync calls it after its
 * commit, so that reading the board finds everything compiled. Returns how many it compiled.
 */
export function refreshCompiled(store: CompiledStorePort, kind: string, fingerprint: string, compile: (doc: StoredDoc) => unknown): number {
  return compileIds(store, kind, fingerprint, store.staleCompiled(kind, fingerprint), compile).length;
}

/**
 * The compiled form of every raw document of `kind`, ordered by id: what is stale is compiled first (as
 * {@link refreshCompiled} does), and a compiled form whose checksum fails is compiled again from its raw document.
 * The last check and the read happen in one transaction, so a sync committing meanwhile cannot leave a document
 * out or pair it with an older compiled form.
 */
export function readCompiled(store: CompiledStorePort, kind: string, fingerprint: string, compile: (doc: StoredDoc) => unknown): CompiledDoc[] {
  refreshCompiled(store, kind, fingerprint, compile);
  return store.transaction(() => {
    compileIds(store, kind, fingerprint, store.staleCompiled(kind, fingerprint), compile);
    const { docs, corrupt } = store.listCompiled(kind, fingerprint);
    const healed = compileIds(store, kind, fingerprint, corrupt, compile);
    if (!healed.length) return docs;
    const byId = new Map([...docs, ...healed].map((d) => [d.id, d]));
    return [...byId.keys()].sort().map((id) => byId.get(id)!);
  });
}

/** An item's compiled form as the store keeps it: `checked` when `item` passed `checkWorkItem` (and is its output). */
export type CheckedCompiled<T extends { readonly item: WorkItem }> = T & { readonly checked: boolean };

/** The compiled work items of a board or team, and whether every one of them passed `checkWorkItem`. */
export interface CompiledItems<T extends { readonly item: WorkItem }> {
  /** Ordered by numeric raw id (Jira issue ids, Azure DevOps work item ids). */
  readonly compiled: readonly CheckedCompiled<T>[];
  /**
   * Every item passed `checkWorkItem` under the current check version and is its output, unchanged since (the
   * store checks each against its checksum): `assembleSnapshot` may take them without checking them again.
   */
  readonly itemsChecked: boolean;
}

/** An adapter's compiled item, with its item checked as `parseSnapshot` checks one; kept unchecked when it fails. */
function checked<T extends { readonly item: WorkItem }>(compiled: T): CheckedCompiled<T> {
  try {
    return { ...compiled, item: checkWorkItem(compiled.item), checked: true };
  } catch (err) {
    // Reading it then checks the whole snapshot, which fails as it always did.
    if (err instanceof SnapshotError) return { ...compiled, checked: false };
    throw err;
  }
}

/** The store's fingerprint: the adapter's mapping settings and the version of the work item check. */
const withCheck = (mapping: string) => JSON.stringify({ check: WORK_ITEM_CHECK_VERSION, mapping });

/** How an adapter maps its raw documents of one kind to compiled work items, under settings `fingerprint` names. */
export interface ItemMapping<T extends { readonly item: WorkItem }> {
  /** The raw documents' kind: 'issue', 'workitem'. */
  readonly kind: string;
  /** Every setting `compile` depends on (equal fingerprints, equal compiled forms of the same raw document). */
  readonly fingerprint: string;
  /** One raw document's body (an issue, a work item) to the adapter's compiled form, whose item is then checked. */
  compile(raw: unknown): T;
}

function checkedMapping<T extends { readonly item: WorkItem }>(mapping: ItemMapping<T>): [string, (doc: StoredDoc) => CheckedCompiled<T>] {
  return [withCheck(mapping.fingerprint), (doc) => checked(mapping.compile(doc.body))];
}

/** {@link refreshCompiled} for work items. */
export function refreshCompiledItems<T extends { readonly item: WorkItem }>(store: CompiledStorePort, mapping: ItemMapping<T>): number {
  return refreshCompiled(store, mapping.kind, ...checkedMapping(mapping));
}

/** {@link readCompiled} for work items. */
export function readCompiledItems<T extends { readonly item: WorkItem }>(store: CompiledStorePort, mapping: ItemMapping<T>): CompiledItems<T> {
  const compiled = readCompiled(store, mapping.kind, ...checkedMapping(mapping))
    .map((doc) => ({ n: Number(doc.id), body: doc.body as CheckedCompiled<T> }))
    .sort((a, b) => a.n - b.n)
    .map((x) => x.body);
  return { compiled, itemsChecked: compiled.every((c) => c.checked) };
}

/**
 * A synced board or team whose work items a store keeps compiled, as an adapter defines it: how it reads the rest
 * of it (`parts`: sync state, context, sprints...), how it maps one raw document of `kind` under a mapping context
 * made from the parts and the options, what names that context (`fingerprint`: equal fingerprints, equal compiled
 * forms of the same raw document), and how it makes the snapshot.
 */
export interface CompiledSource<Parts, Context, T extends { readonly item: WorkItem }, Options> {
  /** The raw documents' kind: 'issue', 'workitem'. */
  readonly kind: string;
  loadParts(store: CompiledStorePort, site: string): Promise<Parts | undefined>;
  context(parts: Parts, options: Options): Context;
  fingerprint(context: Context): string;
  /** One raw document's body (an issue, a work item) to the adapter's compiled form, whose item is then checked. */
  compile(raw: never, context: Context): T;
  /** What the adapter's mapping of the whole board returns, from the parts and the compiled items in id order. */
  snapshot(parts: Parts, compiled: readonly T[], options: Options): Snapshot;
}

/** A snapshot from compiled items, and whether `assembleSnapshot` may take its items as they are (see {@link CompiledItems}). */
export interface CompiledSnapshot {
  readonly snapshot: Snapshot;
  readonly itemsChecked: boolean;
}

function mappingOf<P, C, T extends { readonly item: WorkItem }, O>(source: CompiledSource<P, C, T, O>, parts: P, options: O): ItemMapping<T> {
  const context = source.context(parts, options);
  const compile = source.compile as (raw: unknown, context: C) => T;
  return { kind: source.kind, fingerprint: source.fingerprint(context), compile: (raw) => compile(raw, context) };
}

/** Compiles what is stale of a synced board or team (a sync calls it after committing); 0 when never synced. */
export async function compileSource<P, C, T extends { readonly item: WorkItem }, O>(store: CompiledStorePort, site: string, source: CompiledSource<P, C, T, O>, options: O): Promise<number> {
  const parts = await source.loadParts(store, site);
  return parts ? refreshCompiledItems(store, mappingOf(source, parts, options)) : 0;
}

/** The snapshot of a synced board or team from its compiled items (compiling what is stale first); undefined when never synced. */
export async function compiledSnapshot<P, C, T extends { readonly item: WorkItem }, O>(store: CompiledStorePort, site: string, source: CompiledSource<P, C, T, O>, options: O): Promise<CompiledSnapshot | undefined> {
  const parts = await source.loadParts(store, site);
  if (!parts) return undefined;
  const { compiled, itemsChecked } = readCompiledItems(store, mappingOf(source, parts, options));
  return { snapshot: source.snapshot(parts, compiled, options), itemsChecked };
}
