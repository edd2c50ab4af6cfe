import { SnapshotError } from '@agile-kpi/core';
import { EvidencePageError, type HostError, type HostResult } from '@agile-kpi/presentation';

/** A configuration the user must fix, with a message that names the field and the fix. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'not-configured' = 'invalid',
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** An answer a host gives on purpose (not a bug): a first sync still under way, a viewer without access. */
export class AppError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Where a host logs (the console: Forge keeps the function's logs, a browser shows them in its console). */
export interface Log {
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** What a host says about errors only it knows (its tracker's, its storage's), and where its logs are. */
export interface HostWords {
  /** What the service serves, as the messages name it: `board`, `team`. */
  readonly scope: string;
  /** The answer to an error that is not understood: where the details were logged. */
  readonly internal: string;
  /** The host's own errors (its tracker, its storage, its sign-in); undefined for any other. */
  readonly classify: (err: unknown) => HostError | undefined;
}

/**
 * Turns an error into what the dashboard shows: the service's own answers as they are, the host's errors as the
 * host words them, anything else `internal` (without internals: they go to the log).
 */
export function hostErrorOf(err: unknown, words: HostWords): HostError {
  if (err instanceof ConfigError || err instanceof AppError || err instanceof EvidencePageError) return { kind: err.kind, message: err.message };
  const own = words.classify(err);
  if (own) return own;
  if (err instanceof SnapshotError) return { kind: 'unexpected-shape', message: `the ${words.scope}'s data could not be read as a team history: ${err.message}` };
  return { kind: 'internal', message: words.internal };
}

/** The kinds a tracker error is answered with a host's own words for (the adapter's talk is for the CLI). */
export type TrackerWords = Partial<Record<'auth' | 'forbidden' | 'not-found' | 'rate-limited', string>>;

/**
 * A tracker error's answer: its kind kept (a bad request is the caller's `invalid`), its message the host's wording
 * for that kind when it has one, else the adapter's own.
 */
export function trackerAnswer(err: { readonly kind: string; readonly message: string }, words: TrackerWords): HostError {
  if (err.kind === 'bad-request') return { kind: 'invalid', message: err.message };
  return { kind: err.kind, message: words[err.kind as keyof TrackerWords] ?? err.message };
}

/** Errors a cached report must not hide: the viewer (or the host) lost access to the scope. */
export function isAccessError(error: HostError): boolean {
  return error.kind === 'auth' || error.kind === 'forbidden' || error.kind === 'not-found';
}

/**
 * Runs a host call and answers `{ ok, data }` or `{ ok: false, error }`: nothing of ours is ever thrown across the
 * bridge. An error that is not understood is logged in full and answered as `internal`; `passThrough` names the
 * platform's own signals (Forge's consent prompt), which must reach the platform.
 */
export async function answer<T>(
  log: Log,
  what: string,
  work: () => Promise<T>,
  classify: (err: unknown) => HostError,
  passThrough?: (err: unknown) => boolean,
): Promise<HostResult<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (err) {
    if (passThrough?.(err)) throw err;
    const error = classify(err);
    logFailure(log, what, error, err);
    return { ok: false, error };
  }
}

/** Logs a failure once: in full when it is not understood, else its kind and message. */
export function logFailure(log: Log, what: string, error: HostError, err: unknown): void {
  if (error.kind === 'internal') log.error(`agile-kpi: ${what} failed`, err);
  else log.warn(`agile-kpi: ${what}: ${error.kind}: ${error.message}`);
}
