/**
 * JSON values of any size in a key-value backend that refuses large values (Forge's Key-Value Store, Azure
 * DevOps' extension data documents). A value is kept as JSON text: inline under its key when it fits, else in
 * numbered parts with a small head `{ parts, rev }` under the key. The head is written after its parts and old
 * parts are deleted after the new head, so a reader always finds a complete value: the old one or the new one.
 * Text (rather than the object itself) makes the size exact and steers clear of a store's object-depth limit
 * and reserved field names.
 *
 * How a record sits in the backend (a bare string, a `{ id, t }` document...), how parts are named and which
 * keys are valid belong to each surface: its {@link BlobBackend} and {@link BlobLayout}.
 */

/** Where a value's parts are, as a caller may remember it: 0 for inline, else the parts and their revision. */
export type BlobHead = 0 | readonly [parts: number, rev: string];

/** What a chunked value's own key holds. */
export interface ChunkHead {
  readonly parts: number;
  readonly rev: string;
}

/** One record per key: text (a whole value, or one part of it) or the head of a chunked value. */
export interface BlobBackend {
  /**
   * The record under a key: its text, the {@link ChunkHead} it holds, or undefined (or null) when there is none.
   * Anything else is a value agile-kpi did not write.
   */
  get(key: string): Promise<unknown>;
  set(key: string, record: string | ChunkHead): Promise<void>;
  /** Deletes a key; a key that is not there is not an error. */
  delete(key: string): Promise<void>;
  /**
   * For {@link ChunkedBlobs.update}: the record with the version the store gives it (an etag), `version`
   * undefined when there is no record. A backend without versions leaves both out, and updates are plain writes.
   */
  getVersioned?(key: string): Promise<{ readonly record: unknown; readonly version: unknown }>;
  /** Writes only while the key still has `version` (undefined: only while absent); else throws {@link VersionConflict}. */
  setIfVersion?(key: string, record: string | ChunkHead, version: unknown): Promise<void>;
}

/** Someone else wrote the key since it was read: {@link ChunkedBlobs.update} reads again and retries. */
export class VersionConflict extends Error {
  constructor(readonly key: string) {
    super(`${key} was written by someone else in the meantime`);
    this.name = 'VersionConflict';
  }
}

/** How many times an update reads again after a conflict before it gives up. */
const UPDATE_ATTEMPTS = 8;

/** A surface's naming and limits. */
export interface BlobLayout {
  /** Largest part, in bytes of its stored form (a JSON string: quotes, escapes, UTF-8). */
  readonly chunkBytes: number;
  /** Backend calls in flight at once. */
  readonly concurrency: number;
  /** The key of part `index` of a value written as revision `rev`. */
  partKey(key: string, rev: string, index: number): string;
  /** Whether the backend takes this key, with room for its parts' keys. */
  validKey(key: string): boolean;
  /** A fresh revision tag for a chunked write (default: random). */
  readonly rev?: () => string;
  /**
   * How a value's JSON text is stored (default: as it is): a surface whose store counts bytes may compress it.
   * `decode` must read every text `encode` ever wrote, and plain JSON text too (values written before).
   */
  readonly codec?: TextCodec;
}

/** A reversible transformation of stored text (compression). */
export interface TextCodec {
  encode(json: string): string;
  decode(stored: string): string;
}

export class ChunkedBlobs {
  readonly concurrency: number;
  private readonly rev: () => string;

  constructor(
    private readonly backend: BlobBackend,
    private readonly layout: BlobLayout,
  ) {
    this.concurrency = Math.max(1, layout.concurrency);
    this.rev = layout.rev ?? (() => Math.random().toString(36).slice(2, 10));
  }

  async get<T>(key: string): Promise<T | undefined> {
    return this.decode<T>(key, await this.backend.get(this.checkKey(key)));
  }

  /** A key's value from the record under it (reading its parts when it is chunked). */
  private async decode<T>(key: string, record: unknown): Promise<T | undefined> {
    if (record === undefined || record === null) return undefined;
    if (typeof record === 'string') return this.parse<T>(record);
    const head = chunkHead(record);
    if (!head) throw new Error(`the stored value ${key} is not one agile-kpi wrote`);
    const texts = await mapPool(range(head.parts), this.concurrency, (i) => this.backend.get(this.layout.partKey(key, head.rev, i)));
    if (texts.some((t) => typeof t !== 'string')) throw new MissingPart(key, head.parts);
    return this.parse<T>(texts.join(''));
  }

  /**
   * Writes a value and returns its head. `previous` is the head the key had, when the caller knows it (a doc
   * index does): its parts are deleted. Unknown (`undefined`) makes this read the key first; `null` says the
   * key is new.
   */
  async put(key: string, value: unknown, previous?: BlobHead | null): Promise<BlobHead> {
    this.checkKey(key);
    const text = this.text(value);
    const old = previous === undefined ? await this.headOf(key) : previous;
    const chunks = splitJsonText(text, this.layout.chunkBytes);
    let head: BlobHead;
    if (chunks.length === 1) {
      await this.backend.set(key, text);
      head = 0;
    } else {
      const rev = this.rev();
      await mapPool(chunks, this.concurrency, (chunk, i) => this.backend.set(this.layout.partKey(key, rev, i), chunk));
      await this.backend.set(key, { parts: chunks.length, rev });
      head = [chunks.length, rev];
    }
    if (old && (head === 0 || head[1] !== old[1])) await this.deleteParts(key, old);
    return head;
  }

  /**
   * Read-modify-write without lost updates: reads the value with its version, applies `change`, and writes only if
   * nobody wrote in between; on a conflict it reads again and applies `change` to what is there now (so two
   * Scrum Masters recording verdicts at once keep both). A chunked value's new parts go under a fresh revision
   * before its head is swapped conditionally; a writer that lost deletes its parts. Returns the value written.
   * On a backend without versions this is a read and a write.
   */
  async update<T>(key: string, change: (current: T | undefined) => T, pause: (attempt: number) => Promise<void> = jitter): Promise<T> {
    this.checkKey(key);
    const { getVersioned, setIfVersion } = this.backend;
    if (!getVersioned || !setIfVersion) {
      const next = change(await this.get<T>(key));
      await this.put(key, next);
      return next;
    }
    for (let attempt = 1; ; attempt++) {
      const { record, version } = await getVersioned.call(this.backend, key);
      const old = record === undefined || record === null ? null : (chunkHead(record) ?? null);
      const next = change(await this.decode<T>(key, record));
      const text = this.text(next);
      const chunks = splitJsonText(text, this.layout.chunkBytes);
      const rev = chunks.length > 1 ? this.rev() : undefined;
      if (rev !== undefined) await mapPool(chunks, this.concurrency, (chunk, i) => this.backend.set(this.layout.partKey(key, rev, i), chunk));
      try {
        await setIfVersion.call(this.backend, key, rev === undefined ? text : { parts: chunks.length, rev }, version);
      } catch (err) {
        if (rev !== undefined) await this.deleteParts(key, [chunks.length, rev]);
        if (!(err instanceof VersionConflict) || attempt >= UPDATE_ATTEMPTS) throw err;
        await pause(attempt);
        continue;
      }
      if (old && old.rev !== rev) await this.deleteParts(key, [old.parts, old.rev]);
      return next;
    }
  }

  /** Deletes a value and its parts; `previous` as for {@link put}. */
  async delete(key: string, previous?: BlobHead | null): Promise<void> {
    this.checkKey(key);
    const old = previous === undefined ? await this.headOf(key) : previous;
    await this.backend.delete(key);
    if (old) await this.deleteParts(key, old);
  }

  /** A value's stored text: its JSON, through the surface's codec. */
  private text(value: unknown): string {
    const json = JSON.stringify(value) ?? 'null';
    return this.layout.codec ? this.layout.codec.encode(json) : json;
  }

  private parse<T>(stored: string): T {
    return JSON.parse(this.layout.codec ? this.layout.codec.decode(stored) : stored) as T;
  }

  private async headOf(key: string): Promise<BlobHead | null> {
    const record = await this.backend.get(key);
    if (record === undefined || record === null) return null;
    const head = chunkHead(record);
    return head ? [head.parts, head.rev] : 0;
  }

  private async deleteParts(key: string, [parts, rev]: readonly [number, string]): Promise<void> {
    await mapPool(range(parts), this.concurrency, (i) => this.backend.delete(this.layout.partKey(key, rev, i)));
  }

  private checkKey(key: string): string {
    if (!this.layout.validKey(key)) throw new Error(`invalid storage key ${JSON.stringify(key)}`);
    return key;
  }
}

/** A chunked value whose parts are not all there: another writer rewrote it while this one read. */
export class MissingPart extends Error {
  constructor(
    readonly key: string,
    readonly parts: number,
  ) {
    super(`the stored value ${key} is missing a part (${parts} expected); it was being rewritten`);
    this.name = 'MissingPart';
  }
}

function chunkHead(record: unknown): ChunkHead | undefined {
  const r = record as Partial<Record<keyof ChunkHead, unknown>>;
  return typeof r === 'object' && r !== null && typeof r.parts === 'number' && typeof r.rev === 'string' ? { parts: r.parts, rev: r.rev } : undefined;
}

/**
 * A key segment from any string: the characters `keep` accepts stay, any other becomes `<mark><hex code
 * point><mark>`, so that distinct strings stay distinct. `mark` must be a character `keep` refuses.
 */
export function keySegment(s: string, keep: RegExp, mark: string): string {
  let out = '';
  for (const ch of s) out += keep.test(ch) ? ch : `${mark}${ch.codePointAt(0)!.toString(16)}${mark}`;
  return out;
}

/**
 * Splits text into non-empty pieces whose stored form (a JSON string: quotes, escapes, UTF-8) stays within
 * `maxBytes`, never inside a surrogate pair. A single character larger than that is a piece of its own.
 */
export function splitJsonText(text: string, maxBytes: number): string[] {
  if (text.length * 6 + 2 <= maxBytes) return [text];
  const out: string[] = [];
  let start = 0;
  let size = 2;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    let width = 1;
    let bytes: number;
    if (c === 0x22 || c === 0x5c) bytes = 2;
    else if (c < 0x20) bytes = 6;
    else if (c < 0x80) bytes = 1;
    else if (c < 0x800) bytes = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes = 4;
      width = 2;
    } else if (c >= 0xd800 && c <= 0xdfff) bytes = 6;
    else bytes = 3;
    if (size + bytes > maxBytes && i > start) {
      out.push(text.slice(start, i));
      start = i;
      size = 2;
    }
    size += bytes;
    i += width;
  }
  out.push(text.slice(start));
  return out;
}

/** Runs `fn` over the items with at most `limit` calls in flight; results in input order. */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}

/** A short random wait before retrying a conflicting update: writers that collided do not collide again. */
function jitter(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
