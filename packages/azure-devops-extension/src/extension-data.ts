import { TokenError } from './rest-client-transport';

/**
 * The part of Azure DevOps' extension data service the extension uses: documents in a collection, in the
 * default scope (the project collection, shared by every user of the organisation). In the page this is the
 * `IExtensionDataManager` that `ExtensionDataService.getExtensionDataManager(extensionId, token)` returns;
 * tests pass an in-memory one.
 *
 * A document is a JSON object with an `id` and the service's `__etag`: a write that carries the etag it read
 * fails with a conflict when someone else wrote in between; `__etag: -1` overwrites whatever is there.
 */
export interface ExtensionDataPort {
  getDocument(collectionName: string, id: string): Promise<unknown>;
  setDocument(collectionName: string, doc: object): Promise<unknown>;
  createDocument(collectionName: string, doc: object): Promise<unknown>;
  deleteDocument(collectionName: string, id: string): Promise<void>;
}

/** A document as the service returns it. */
export interface StoredDocument {
  readonly id: string;
  readonly __etag?: number;
  readonly [field: string]: unknown;
}

/** The HTTP status an extension data failure carries, when it carries one (the host passes the REST error on). */
export function statusOf(err: unknown): number | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const e = err as { status?: unknown; statusCode?: unknown; serverError?: { status?: unknown } };
  for (const s of [e.status, e.statusCode, e.serverError?.status]) if (typeof s === 'number') return s;
  return undefined;
}

function words(err: unknown): string {
  if (err === null || typeof err !== 'object') return String(err);
  const e = err as { message?: unknown; typeKey?: unknown; name?: unknown; serverError?: { typeKey?: unknown; message?: unknown } };
  return [e.typeKey, e.name, e.message, e.serverError?.typeKey, e.serverError?.message].filter((x) => typeof x === 'string').join(' ');
}

/** "No such document": 404, or the service's DocumentDoesNotExistException. */
export function isNotFound(err: unknown): boolean {
  return statusOf(err) === 404 || /DocumentDoesNotExist|does not exist|not found/i.test(words(err));
}

/** Someone else wrote the document first (an etag mismatch, or it already exists). */
export function isConflict(err: unknown): boolean {
  return statusOf(err) === 409 || /DocumentExists|InvalidDocumentVersion|Conflict|already exists/i.test(words(err));
}

/** The extension data service refused or failed: classified at the edge like the REST errors. */
export class ExtensionDataError extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ExtensionDataError';
  }

  static from(err: unknown, what: string): ExtensionDataError {
    if (err instanceof ExtensionDataError) return err;
    if (err instanceof TokenError) return new ExtensionDataError(401, `the page could not get an access token to ${what} (${err.message})`, { cause: err });
    const said = words(err);
    return new ExtensionDataError(statusOf(err), `the extension's storage in Azure DevOps failed to ${what}${said ? ` (${said})` : ''}`, { cause: err });
  }
}
