import { ExtensionDataError, type ExtensionDataPort, type StoredDocument, isNotFound } from './extension-data';

/**
 * JSON values of any size in extension data documents. The service keeps a document per call and does not
 * promise large ones, so a value is kept as JSON text: inline in one document `{ id, t }` when it fits, else in
 * numbered parts `<key>.part.<rev>.<n>` `{ id, t }` with a small head `{ id: key, parts, rev }`. The head is written
 * after its parts and old parts are deleted after the new head, so a reader finds a complete value (the old one
 * or the new one). Text rather than the object itself makes the size exact and keeps our field names clear of
 * the service's reserved ones (`id`, `__etag`).
 */
export type BlobHead = 0 | readonly [parts: number, rev: string];

/**
 * Largest stored part, in UTF-8 bytes of the text as it sits in the document's JSON. Azure DevOps does not
 * document a document size limit; 100 kB stays well inside what it is known to accept.
 */
export const CHUNK_BYTES = 100_000;

export interface DocumentBlobsOptions {
  readonly chunkBytes?: number;
  /** Calls in flight at once (default 4: each is a REST call of the host page). */
  readonly concurrency?: number;
  /** A fresh revision tag for a chunked write (default: random). */
  readonly rev?: () => string;
}

const KEY = /^[A-Za-z0-9._-]{1,200}$/;

export class DocumentBlobs {
  readonly concurrency: number;
  private readonly chunkBytes: number;
  private readonly rev: () => string;

  constructor(
    readonly data: ExtensionDataPort,
    readonly collection: string,
    options: DocumentBlobsOptions = {},
  ) {
    this.chunkBytes = Math.max(1_000, options.chunkBytes ?? CHUNK_BYTES);
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.rev = options.rev ?? (() => Math.random().toString(36).slice(2, 10));
  }

  async get<T>(key: string): Promise<T | undefined> {
    const doc = await this.read(checkKey(key));
    if (!doc) return undefined;
    if (typeof doc['t'] === 'string') return JSON.parse(doc['t']) as T;
    const parts = doc['parts'];
    const rev = doc['rev'];
    if (typeof parts !== 'number' || typeof rev !== 'string') throw new ExtensionDataError(undefined, `the stored value ${key} is not one agile-kpi wrote`);
    const texts = await mapPool(range(parts), this.concurrency, async (i) => (await this.read(partKey(key, rev, i)))?.['t']);
    if (texts.some((t) => typeof t !== 'string')) throw new MissingPart(key, parts);
    return JSON.parse(texts.join('')) as T;
  }

  /**
   * Writes a value and returns its head. `previous` is the key's head when the caller knows it: its parts are
   * deleted. Unknown (`undefined`) makes this read the key first; `null` says the key is new.
   */
  async put(key: string, value: unknown, previous?: BlobHead | null): Promise<BlobHead> {
    checkKey(key);
    const text = JSON.stringify(value) ?? 'null';
    const old = previous === undefined ? await this.headOf(key) : previous;
    const chunks = splitJsonText(text, this.chunkBytes);
    let head: BlobHead;
    if (chunks.length === 1) {
      await this.write({ id: key, t: text });
      head = 0;
    } else {
      const rev = this.rev();
      await mapPool(chunks, this.concurrency, (chunk, i) => this.write({ id: partKey(key, rev, i), t: chunk }));
      await this.write({ id: key, parts: chunks.length, rev });
      head = [chunks.length, rev];
    }
    if (old && (head === 0 || head[1] !== old[1])) await this.deleteParts(key, old);
    return head;
  }

  /** Deletes a value and its parts; `previous` as for {@link put}. */
  async delete(key: string, previous?: BlobHead | null): Promise<void> {
    const old = previous === undefined ? await this.headOf(checkKey(key)) : previous;
    await this.remove(key);
    if (old) await this.deleteParts(key, old);
  }

  /** One document as stored, or undefined. */
  async read(id: string): Promise<StoredDocument | undefined> {
    try {
      const doc = await this.data.getDocument(this.collection, id);
      return doc && typeof doc === 'object' ? (doc as StoredDocument) : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw ExtensionDataError.from(err, `read ${id}`);
    }
  }

  private async write(doc: { id: string; [field: string]: unknown }): Promise<void> {
    try {
      await this.data.setDocument(this.collection, { ...doc, __etag: -1 });
    } catch (err) {
      throw ExtensionDataError.from(err, `write ${doc.id}`);
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await this.data.deleteDocument(this.collection, id);
    } catch (err) {
      if (!isNotFound(err)) throw ExtensionDataError.from(err, `delete ${id}`);
    }
  }

  private async headOf(key: string): Promise<BlobHead | null> {
    const doc = await this.read(key);
    if (!doc) return null;
    return typeof doc['parts'] === 'number' && typeof doc['rev'] === 'string' ? [doc['parts'], doc['rev']] : 0;
  }

  private async deleteParts(key: string, [parts, rev]: readonly [number, string]): Promise<void> {
    await mapPool(range(parts), this.concurrency, (i) => this.remove(partKey(key, rev, i)));
  }
}

/** A chunked value whose parts are not all there: another page rewrote it while this one read. */
export class MissingPart extends Error {
  constructor(
    readonly key: string,
    readonly parts: number,
  ) {
    super(`the stored value ${key} is missing a part (${parts} expected); it was being rewritten`);
    this.name = 'MissingPart';
  }
}

/**
 * A document id segment from any string: letters, digits, `.`, `_` and `-` stay, anything else becomes
 * `_<hex>_`, so distinct strings stay distinct and ids stay within the characters every store accepts.
 */
export function keyPart(s: string): string {
  let out = '';
  for (const ch of s) out += /[A-Za-z0-9.-]/.test(ch) ? ch : `_${ch.codePointAt(0)!.toString(16)}_`;
  return out;
}

function partKey(key: string, rev: string, i: number): string {
  return `${key}.part.${rev}.${i}`;
}

function checkKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`invalid extension data key ${JSON.stringify(key)}`);
  return key;
}

/**
 * Splits text into pieces whose stored form (a JSON string: quotes, escapes, UTF-8) stays within `maxBytes`,
 * never inside a surrogate pair.
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

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
