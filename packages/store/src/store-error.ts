/**
 * The one error the store throws on purpose. Its message is a single line that names the store file and
 * what the user can do about it, because the CLI prints it as is; the underlying SQLite or file-system
 * error stays reachable as `cause` for `AGILE_KPI_DEBUG=1`.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    message: string,
    /** The store file the error is about (as resolved), so callers can report it without parsing the message. */
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * better-sqlite3 throws `SqliteError` with an extended result code (`SQLITE_BUSY_SNAPSHOT`); we classify by
 * its primary code. Recognised by name, not `instanceof`: the native addon keeps the error class of the first
 * realm that loaded it, so under Jest (one realm per test file) the class can belong to another realm.
 */
function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, code } = error as { name?: unknown; code?: unknown };
  if (name !== 'SqliteError' || typeof code !== 'string') return undefined;
  const match = /^SQLITE_[A-Z]+/.exec(code);
  return match?.[0];
}

/**
 * Classifies SQLite failures at the edge into `StoreError`s with a fix. Anything else (a caller's own
 * exception thrown inside `transaction`, a programming error) is returned unchanged so it is never
 * disguised as a storage problem.
 */
export function storeErrorFrom(error: unknown, file: string): unknown {
  if (error instanceof StoreError) return error;
  const fix = fixFor(sqliteCode(error), file);
  return fix === undefined ? error : new StoreError(fix, file, { cause: error });
}

function fixFor(code: string | undefined, file: string): string | undefined {
  switch (code) {
    case 'SQLITE_NOTADB':
      return `${file} is not an agile-kpi store (not a SQLite database); pass another --store file or move that file away`;
    case 'SQLITE_CORRUPT':
      return `the store at ${file} is damaged; delete it (and its -wal and -shm files) and sync again`;
    case 'SQLITE_CANTOPEN':
      return `cannot open the store at ${file}; check that its directory exists and is writable, or pass another --store file`;
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return `the store at ${file} is busy (another agile-kpi is writing to it); wait for it to finish and retry`;
    case 'SQLITE_READONLY':
      return `the store at ${file} is read-only; check the file's permissions or pass another --store file`;
    case 'SQLITE_FULL':
      return `the disk holding the store at ${file} is full; free some space and retry`;
    case 'SQLITE_IOERR':
      return `reading or writing the store at ${file} failed (I/O error); check the disk and retry`;
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
      return `agile-kpi is not allowed to access the store at ${file}; check the file's permissions or pass another --store file`;
    default:
      return undefined;
  }
}
