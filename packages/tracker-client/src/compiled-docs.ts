import { type Snapshot, SnapshotError, WORK_ITEM_CHECK_VERSION, type WorkItem, checkWorkItem } from '@agile-kpi/core';
import { type EncodedItem, ITEM_CODEC_VERSION, ItemDecoder, UnknownValue, ValueTable, encodeItem, textHash } from './item-codec';
import { type MaybePromise, type SnapshotRow, type Steps, type StoredDoc, type StoredVerdict, answer, inTransaction, stepThrough } from './sync-store-port';

/** A raw document's compiled form: what an adapter mapped it to, as a store keeps it next to the raw document. */
export interface CompiledDoc {
  /** The raw document's id. */
  readonly id: string;
  readonly body: unknown;
}

/**
 * A store that keeps each raw document's compiled form (the SQLite and PostgreSQL stores: see `ScopeStore` and
 * `AsyncScopeStore` in @agile-kpi/store), so that reading a synced board never maps its raw payloads again. Its
 * calls answer at once (SQLite) or later (PostgreSQL); either way the reads and writes below are made per chunk
 * of documents, never per document, and run synchronously on a synchronous store (see `stepThrough`).
 */
export interface CompiledStorePort {
  listDocs(kind: string): MaybePromise<StoredDoc[]>;
  getState<T = unknown>(name: string): MaybePromise<T | undefined>;
  setState(name: string, value: unknown): MaybePromise<void>;
  snapshots(kind: string): MaybePromise<SnapshotRow[]>;
  verdicts(): MaybePromise<Map<string, StoredVerdict>>;
  /** Raw documents by id, ordered by id. */
  getDocs(kind: string, ids: readonly string[]): MaybePromise<StoredDoc[]>;
  /** Ids of raw documents without a compiled form under `fingerprint` (new, changed, or compiled under other settings). */
  staleCompiled(kind: string, fingerprint: string): MaybePromise<string[]>;
  putCompiled(kind: string, fingerprint: string, docs: readonly CompiledDoc[]): MaybePromise<void>;
  /**
   * Compiled forms under `fingerprint`, each body handed to `read` as soon as it is parsed; `corrupt`: ids whose
   * body no longer matches its checksum.
   */
  listCompiled<R>(kind: string, fingerprint: string, read: (body: unknown, id: string) => R): MaybePromise<{ readonly docs: { readonly id: string; readonly body: R }[]; readonly corrupt: string[] }>;
  /** As `SyncStorePort.transaction`: `fn` gets the store bound to the transaction, or nothing when calls join it by themselves. */
  transaction<T>(fn: (tx?: CompiledStorePort) => MaybePromise<T>): MaybePromise<T>;
}

/** Raw documents compiled per transaction: a sync cut short keeps what it compiled, and a chunk's memory is bounded. */
const CHUNK = 1000;

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

/** How an adapter maps its raw documents of one kind to compiled work items, under settings `fingerprint` names. */
export interface ItemMapping<T extends { readonly item: WorkItem }> {
  /** The raw documents' kind: 'issue', 'workitem'. */
  readonly kind: string;
  /** Every setting `compile` depends on (equal fingerprints, equal compiled forms of the same raw document). */
  readonly fingerprint: string;
  /** One raw document's body (an issue, a work item) to the adapter's compiled form, whose item is then checked. */
  compile(raw: unknown): T;
}

/**
 * A compiled form as stored: the checked item encoded against the value table and the adapter's other fields (its
 * warnings...) as a value in it (most items have the same: none), or only
 * `checked: false` for an item that did not pass the check (it is mapped again from its raw document when read,
 * and the whole snapshot is then checked, failing as it always did).
 */
type StoredBody = { readonly checked: false } | { readonly checked: true; readonly item: EncodedItem; readonly rest: number };

/** A fingerprint's value table as the store keeps it (a state): `generation` changes whenever the table starts afresh. */
interface StoredTable {
  readonly fingerprint: string;
  readonly generation: string;
  readonly texts: string[];
  /** `textHash` of the texts' JSON: a table that fails it is started afresh (and every item compiled again). */
  readonly check: string;
}

/**
 * The value table of `mapping`'s items and the fingerprint their compiled forms are kept under: the adapter's
 * settings, the versions of the work item check and of the compact form, and the table's generation (a table lost or broken starts a new
 * generation, under which every item is stale, so no item is ever decoded with a table it was not encoded with).
 */
class Table {
  readonly values: ValueTable;
  readonly rowFingerprint: string;
  private readonly saved: number;

  private constructor(
    private readonly name: string,
    private readonly fingerprint: string,
    private readonly generation: string,
    texts: string[],
  ) {
    this.values = new ValueTable(texts);
    this.saved = texts.length;
    this.rowFingerprint = JSON.stringify({ check: WORK_ITEM_CHECK_VERSION, codec: ITEM_CODEC_VERSION, mapping: fingerprint, table: generation });
  }

  /** The table the store has for the mapping, or (when it has none, or a broken one) a new, empty generation. */
  static *load(store: CompiledStorePort, mapping: ItemMapping<{ readonly item: WorkItem }>): Steps<Table> {
    const name = `compiled-values:${mapping.kind}:${textHash(mapping.fingerprint)}`;
    const stored = yield* answer(store.getState<StoredTable>(name));
    if (stored && stored.fingerprint === mapping.fingerprint && Array.isArray(stored.texts) && textHash(JSON.stringify(stored.texts)) === stored.check) {
      return new Table(name, mapping.fingerprint, stored.generation, [...stored.texts]);
    }
    return new Table(name, mapping.fingerprint, `${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`, []);
  }

  /** Writes the table back when values were added (in the transaction that wrote the items using them). */
  save(store: CompiledStorePort): MaybePromise<void> {
    const texts = this.values.texts;
    if (texts.length === this.saved && this.saved > 0) return;
    return store.setState(this.name, { fingerprint: this.fingerprint, generation: this.generation, texts, check: textHash(JSON.stringify(texts)) } satisfies StoredTable);
  }

  /** The table's values, each parsed once and shared by every entry that names it. */
  parsed(): unknown[] {
    return this.values.texts.map((text) => JSON.parse(text) as unknown);
  }
}

/** Compiles and checks one raw document, encoding a checked item against the table. */
function compileOne<T extends { readonly item: WorkItem }>(mapping: ItemMapping<T>, raw: unknown, table: ValueTable): StoredBody {
  const { item, ...rest } = mapping.compile(raw);
  let checkedItem: WorkItem;
  try {
    checkedItem = checkWorkItem(item);
  } catch (err) {
    if (err instanceof SnapshotError) return { checked: false };
    throw err;
  }
  return { rest: table.ref(rest), item: encodeItem(checkedItem, table), checked: true };
}

/**
 * Compiles these raw documents in chunks, each read and written in one transaction with the value table (the
 * table is loaded in each, so that another process compiling meanwhile is never overwritten).
 */
function* compileIds<T extends { readonly item: WorkItem }>(store: CompiledStorePort, mapping: ItemMapping<T>, ids: readonly string[]): Steps<number> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    yield* answer(
      inTransaction(store, function* (tx) {
        const table = yield* Table.load(tx, mapping);
        const docs = (yield* answer(tx.getDocs(mapping.kind, chunk))).map((doc) => ({ id: doc.id, body: compileOne(mapping, doc.body, table.values) }));
        yield* answer(table.save(tx));
        yield* answer(tx.putCompiled(mapping.kind, table.rowFingerprint, docs));
      }),
    );
  }
  return ids.length;
}

/** Ids of the raw documents whose compiled form is missing or stale under the table's generation. */
function* staleIds(store: CompiledStorePort, mapping: ItemMapping<{ readonly item: WorkItem }>): Steps<string[]> {
  const table = yield* Table.load(store, mapping);
  return yield* answer(store.staleCompiled(mapping.kind, table.rowFingerprint));
}

/**
 * Compiles the raw documents of `mapping.kind` that have no compiled form under its fingerprint (new or changed
 * since they were compiled, or compiled under other mapping settings), a chunk per transaction. A sync calls it
 * after its commit, so that reading the board finds everything compiled. Returns how many it compiled.
 */
export async function refreshCompiledItems<T extends { readonly item: WorkItem }>(store: CompiledStorePort, mapping: ItemMapping<T>): Promise<number> {
  return stepThrough(
    (function* () {
      return yield* compileIds(store, mapping, yield* staleIds(store, mapping));
    })(),
  );
}

/**
 * The compiled form of every raw document of `mapping.kind`: what is stale is compiled first (as
 * {@link refreshCompiledItems} does), and a compiled form whose checksum fails is compiled again from its raw
 * document. The last check and the read happen in one transaction, so a sync committing meanwhile cannot leave a
 * document out or pair it with an older compiled form.
 */
export async function readCompiledItems<T extends { readonly item: WorkItem }>(store: CompiledStorePort, mapping: ItemMapping<T>): Promise<CompiledItems<T>> {
  // Stale documents found at the first read are compiled chunk by chunk outside it (as a sync's refresh does),
  // then read again; what a sync adds meanwhile is compiled within the read.
  let refreshed = false;
  for (let attempt = 0; ; ) {
    const read = await inTransaction(store, (tx) => readOnce(tx, mapping, refreshed));
    if (read === STALE) {
      await refreshCompiledItems(store, mapping);
      refreshed = true;
      continue;
    }
    if (read !== undefined) {
      const compiled = read.sort((a, b) => a.n - b.n).map((x) => x.body);
      return { compiled, itemsChecked: compiled.every((c) => c.checked) };
    }
    if (attempt++ > 0) throw new Error(`the compiled ${mapping.kind}s could not be read back after compiling them again`);
  }
}

/** What {@link readOnce} answers, reading nothing, when documents are stale and it is not to compile them itself. */
const STALE = Symbol('stale');

/**
 * One read of every compiled item, in the caller's transaction; undefined when some compiled form failed its
 * checksum or named a value its table lacks: those are compiled again from their raw documents, to be read again.
 * Stale documents are compiled first when `compileStale`, else the answer is {@link STALE}.
 */
function* readOnce<T extends { readonly item: WorkItem }>(store: CompiledStorePort, mapping: ItemMapping<T>, compileStale: boolean): Steps<{ n: number; body: CheckedCompiled<T> }[] | undefined | typeof STALE> {
  const stale = yield* staleIds(store, mapping);
  if (stale.length && !compileStale) return STALE;
  yield* compileIds(store, mapping, stale);
  const table = yield* Table.load(store, mapping);
  const values = table.parsed();
  const decoder = new ItemDecoder(values);
  const unchecked = new Set<string>();
  const decode = (body: unknown, id: string): CheckedCompiled<T> | undefined => {
    const stored = body as StoredBody;
    if (!stored.checked) {
      unchecked.add(id);
      return undefined;
    }
    try {
      const rest = values[stored.rest];
      if (typeof rest !== 'object' || rest === null) throw new UnknownValue(`value ${stored.rest} is not an item's fields`);
      return { ...rest, item: decoder.decode(stored.item), checked: true } as unknown as CheckedCompiled<T>;
    } catch (err) {
      if (err instanceof UnknownValue) return undefined;
      throw err;
    }
  };
  const { docs, corrupt } = yield* answer(store.listCompiled(mapping.kind, table.rowFingerprint, decode));
  const broken = [...corrupt, ...docs.filter((d) => d.body === undefined && !unchecked.has(d.id)).map((d) => d.id)];
  if (broken.length) {
    yield* compileIds(store, mapping, broken.sort());
    return undefined;
  }
  // Items that did not pass the check are mapped again, as a fresh mapping maps them.
  const again = new Map((yield* answer(store.getDocs(mapping.kind, [...unchecked]))).map((doc) => [doc.id, { ...mapping.compile(doc.body), checked: false } as CheckedCompiled<T>]));
  return docs.map((d) => ({ n: Number(d.id), body: d.body ?? again.get(d.id)! }));
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
  const { compiled, itemsChecked } = await readCompiledItems(store, mappingOf(source, parts, options));
  return { snapshot: source.snapshot(parts, compiled, options), itemsChecked };
}
