import { type BlobHead, ChunkedBlobs, keySegment } from '@agile-kpi/tracker-client';
import { ExtensionDataError, type ExtensionDataPort, type StoredDocument, isNotFound } from './extension-data';

/**
 * JSON values of any size in extension data documents: the shared {@link ChunkedBlobs} over one collection. The
 * service keeps a document per call and does not promise large ones, so a small value is one document
 * `{ id, t }` (its JSON text), a large one numbered parts `<key>.part.<rev>.<n>` `{ id, t }` with a head
 * `{ id: key, parts, rev }`. Text keeps our field names clear of the service's reserved ones (`id`, `__etag`);
 * a missing document (404) is no value.
 */
export type { BlobHead };

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

export class DocumentBlobs extends ChunkedBlobs {
  constructor(
    readonly data: ExtensionDataPort,
    readonly collection: string,
    options: DocumentBlobsOptions = {},
  ) {
    super(
      {
        get: async (key) => {
          const doc = await readDocument(data, collection, key);
          return doc && typeof doc['t'] === 'string' ? doc['t'] : doc;
        },
        set: (key, record) => writeDocument(data, collection, typeof record === 'string' ? { id: key, t: record } : { id: key, parts: record.parts, rev: record.rev }),
        delete: (key) => removeDocument(data, collection, key),
      },
      {
        chunkBytes: Math.max(1_000, options.chunkBytes ?? CHUNK_BYTES),
        concurrency: options.concurrency ?? 4,
        partKey: (key, rev, i) => `${key}.part.${rev}.${i}`,
        validKey: (key) => KEY.test(key),
        rev: options.rev,
      },
    );
  }

  /** One document as stored, or undefined. */
  read(id: string): Promise<StoredDocument | undefined> {
    return readDocument(this.data, this.collection, id);
  }
}

async function readDocument(data: ExtensionDataPort, collection: string, id: string): Promise<StoredDocument | undefined> {
  try {
    const doc = await data.getDocument(collection, id);
    return doc && typeof doc === 'object' ? (doc as StoredDocument) : undefined;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw ExtensionDataError.from(err, `read ${id}`);
  }
}

async function writeDocument(data: ExtensionDataPort, collection: string, doc: { id: string; [field: string]: unknown }): Promise<void> {
  try {
    await data.setDocument(collection, { ...doc, __etag: -1 });
  } catch (err) {
    throw ExtensionDataError.from(err, `write ${doc.id}`);
  }
}

async function removeDocument(data: ExtensionDataPort, collection: string, id: string): Promise<void> {
  try {
    await data.deleteDocument(collection, id);
  } catch (err) {
    if (!isNotFound(err)) throw ExtensionDataError.from(err, `delete ${id}`);
  }
}

/**
 * A document id segment from any string: letters, digits, `.` and `-` stay, anything else becomes `_<hex>_`, so
 * distinct strings stay distinct and ids stay within the characters every store accepts.
 */
export function keyPart(s: string): string {
  return keySegment(s, /[A-Za-z0-9.-]/, '_');
}
