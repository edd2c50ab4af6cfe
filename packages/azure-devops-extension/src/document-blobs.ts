import { type BlobHead, ChunkedBlobs, type ChunkHead, VersionConflict, keySegment } from '@agile-kpi/tracker-client';
import { ExtensionDataError, type ExtensionDataPort, type StoredDocument, isConflict, isNotFound } from './extension-data';

/**
 * JSON values of any size in extension data documents: the shared {@link ChunkedBlobs} over one collection. The
 * service keeps a document per call and does not promise large ones, so a small value is one document
 * `{ id, t }` (its JSON text), a large one numbered parts `<key>.part.<rev>.<n>` `{ id, t }` with a head
 * `{ id: key, parts, rev }`. Text keeps our field names clear of the service's reserved ones (`id`, `__etag`);
 * a missing document (404) is no value. Updates (verdicts, settings, meta) carry the `__etag` they read, so a
 * write that raced another is refused (409) and redone on what is there now; other writes overwrite (`-1`).
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

/**
 * File name extensions IIS's request filtering refuses by default (it answers 404.7, which would read as "no
 * document"): a document id goes into the URL path, so none may end like one of these. The list is IIS's default
 * `<fileExtensions>` deny list (iis.net, "File Name Extensions <fileExtensions>").
 */
const IIS_DENIED = new Set(
  'asax ascx master skin browser sitemap config cs csproj vb vbproj webinfo licx resx resources mdb vjsproj java jsl ldb dsdgm ssdgm lsad ssmap cd dsprototype lsaprototype sdm sdmdocument mdf ldf ad dd ldd sd adprototype lddprototype exclude refresh compiled msgx vsdisco rules'.split(' '),
);

/** Whether a document id is safe in the service's URL: our characters, and no extension a web server refuses. */
export function isDocumentId(key: string): boolean {
  const dot = key.lastIndexOf('.');
  return KEY.test(key) && !(dot >= 0 && IIS_DENIED.has(key.slice(dot + 1).toLowerCase()));
}

export class DocumentBlobs extends ChunkedBlobs {
  constructor(
    readonly data: ExtensionDataPort,
    readonly collection: string,
    options: DocumentBlobsOptions = {},
  ) {
    super(
      {
        get: async (key) => recordOf(await readDocument(data, collection, key)),
        set: (key, record) => writeDocument(data, collection, documentOf(key, record), -1),
        delete: (key) => removeDocument(data, collection, key),
        getVersioned: async (key) => {
          const doc = await readDocument(data, collection, key);
          return { record: recordOf(doc), version: doc?.__etag };
        },
        setIfVersion: (key, record, version) => writeDocument(data, collection, documentOf(key, record), typeof version === 'number' ? version : undefined),
      },
      {
        chunkBytes: Math.max(1_000, options.chunkBytes ?? CHUNK_BYTES),
        concurrency: options.concurrency ?? 4,
        partKey: (key, rev, i) => `${key}.part.${rev}.${i}`,
        validKey: (key) => isDocumentId(key),
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

function recordOf(doc: StoredDocument | undefined): unknown {
  return doc && typeof doc['t'] === 'string' ? doc['t'] : doc;
}

function documentOf(key: string, record: string | ChunkHead): { id: string; [field: string]: unknown } {
  return typeof record === 'string' ? { id: key, t: record } : { id: key, parts: record.parts, rev: record.rev };
}

/**
 * Writes a document: over whatever is there (`etag` -1), only while it has the etag read (a number), or only
 * while there is none (`undefined`: created). The last two throw {@link VersionConflict} when someone was first.
 */
async function writeDocument(data: ExtensionDataPort, collection: string, doc: { id: string; [field: string]: unknown }, etag: number | undefined): Promise<void> {
  try {
    if (etag === undefined) await data.createDocument(collection, doc);
    else await data.setDocument(collection, { ...doc, __etag: etag });
  } catch (err) {
    if (etag !== -1 && isConflict(err)) throw new VersionConflict(doc.id);
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
