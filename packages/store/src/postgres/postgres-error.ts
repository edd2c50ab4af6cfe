import { StoreError } from '../store-error';

/** The url as messages show it: the password replaced, so that it never reaches a log or an answer. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the PostgreSQL url given (not a valid url)';
  }
}

/**
 * Classifies PostgreSQL and connection failures at the edge into `StoreError`s with a fix, by SQLSTATE (pg's
 * `code`) or Node's socket error code. Anything else (a caller's own exception inside `transaction`, a
 * programming error) is returned unchanged.
 */
export function postgresErrorFrom(error: unknown, where: string): unknown {
  if (error instanceof StoreError) return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const fix = typeof code === 'string' ? fixFor(code, where) : undefined;
  return fix === undefined ? error : new StoreError(fix, where, { cause: error });
}

function fixFor(code: string, where: string): string | undefined {
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
    case 'EAI_AGAIN':
      return `cannot reach the PostgreSQL server of the store at ${where}; check that it runs and the host and port in --store or AGILE_KPI_STORE`;
    case '28P01':
    case '28000':
      return `PostgreSQL refused the user or password of the store at ${where}; fix them in --store or AGILE_KPI_STORE`;
    case '3D000':
      return `the database of the store at ${where} does not exist; create it (createdb) or fix the url`;
    case '42501':
      return `the PostgreSQL user of the store at ${where} may not create or change its tables; grant it the rights on the database, or migrate once as its owner`;
    case '53300':
      return `the PostgreSQL server of the store at ${where} has no connection left; retry later or raise max_connections`;
    case '53100':
      return `the disk of the PostgreSQL server of the store at ${where} is full; free some space and retry`;
    case '40001':
    case '40P01':
      return `a write to the store at ${where} collided with another agile-kpi's; retry`;
    case '57P01':
    case '57P02':
    case '57P03':
    case '08000':
    case '08003':
    case '08006':
    case 'ECONNRESET':
      return `the connection to the store at ${where} was lost (the server stopped or restarted); retry`;
    default:
      return undefined;
  }
}
