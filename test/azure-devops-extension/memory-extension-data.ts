import type { ExtensionDataPort } from '../../packages/azure-devops-extension/src/extension-data';

type Doc = { id: string; __etag: number; [field: string]: unknown };

/**
 * The extension data service in memory, as the extension's store sees it through the host: documents with
 * etags (a write carrying a stale etag is refused with 409, `-1` overwrites), `createDocument` refused when the
 * id exists, 404 for a missing document, a size limit per document, and failures on demand.
 */
export class MemoryExtensionData implements ExtensionDataPort {
  readonly collections = new Map<string, Map<string, Doc>>();
  calls = 0;
  largest = 0;
  /** Answers the next calls with this error (status), while set. */
  failWith: { status: number; message: string } | undefined;

  constructor(readonly limitBytes = 64 * 1024) {}

  docs(collection = 'agile-kpi'): Map<string, Doc> {
    let c = this.collections.get(collection);
    if (!c) this.collections.set(collection, (c = new Map()));
    return c;
  }

  async getDocument(collection: string, id: string): Promise<unknown> {
    this.begin();
    const doc = this.docs(collection).get(id);
    if (!doc) throw { status: 404, typeKey: 'DocumentDoesNotExistException', message: `The document ${id} does not exist.` };
    return structuredClone(doc);
  }

  async setDocument(collection: string, doc: object): Promise<unknown> {
    return this.write(collection, doc as Record<string, unknown>, false);
  }

  async createDocument(collection: string, doc: object): Promise<unknown> {
    return this.write(collection, doc as Record<string, unknown>, true);
  }

  async deleteDocument(collection: string, id: string): Promise<void> {
    this.begin();
    if (!this.docs(collection).delete(id)) throw { status: 404, typeKey: 'DocumentDoesNotExistException', message: `The document ${id} does not exist.` };
  }

  private write(collection: string, doc: Record<string, unknown>, create: boolean): Doc {
    this.begin();
    const id = String(doc['id']);
    const docs = this.docs(collection);
    const existing = docs.get(id);
    if (create && existing) throw { status: 409, typeKey: 'DocumentExistsException', message: `The document ${id} already exists.` };
    const etag = doc['__etag'];
    if (existing && typeof etag === 'number' && etag !== -1 && etag !== existing.__etag) throw { status: 409, typeKey: 'InvalidDocumentVersionException', message: 'stale etag' };
    const stored: Doc = { ...structuredClone(doc), id, __etag: (existing?.__etag ?? 0) + 1 };
    const size = Buffer.byteLength(JSON.stringify(stored));
    if (size > this.limitBytes) throw { status: 413, typeKey: 'DocumentTooLargeException', message: `${size} bytes` };
    this.largest = Math.max(this.largest, size);
    docs.set(id, stored);
    return structuredClone(stored);
  }

  private begin(): void {
    this.calls++;
    if (this.failWith) throw { ...this.failWith };
  }
}
