import type { HostError } from '@agile-kpi/presentation';
import { type Log, isAccessError } from './host-error';

/** When a scope was last synced by the host (its own clock) and how its last attempt failed. */
export interface Freshness {
  readonly syncedAt?: string;
}

/** Whether a scope's data was synced less than `intervalMs` ago: older data is synced before it is served. */
export function isFresh(meta: Freshness, nowMs: number, intervalMs: number): boolean {
  return meta.syncedAt !== undefined && nowMs - Date.parse(meta.syncedAt) < intervalMs;
}

/**
 * The report to answer with, after a sync that may have failed: lost access is not hidden behind old numbers (the
 * failure is thrown before anything is read); a tracker blip or rate limit is (the cached report is answered, and
 * the caller marks it stale). Without a report, the failure is the answer, else "the first sync is still running".
 */
export async function reportDespite<E>(
  failure: unknown,
  classify: (err: unknown) => HostError,
  report: () => Promise<E | undefined>,
  stillSyncing: () => Error | Promise<Error>,
): Promise<E> {
  if (failure !== undefined && isAccessError(classify(failure))) throw failure;
  const entry = await report();
  if (entry !== undefined) return entry;
  if (failure !== undefined) throw failure;
  throw await stillSyncing();
}

/** A sync lease's owner tag: the instant and a random part, so two calls at one instant hold different leases. */
export function leaseOwner(clock: { now(): number }): string {
  return `${clock.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** What a scope's store keeps of a failed sync. */
export interface FailureMeta {
  updateMeta(change: { readonly lastError: HostError & { readonly at: string } }): Promise<unknown>;
}

/**
 * A sync that failed: logged (in full when it is not understood) and kept in the scope's meta with its answer, so
 * that the next page can say what went wrong. Returns the answer.
 */
export async function recordSyncFailure(store: FailureMeta, log: Log, scope: string, err: unknown, classify: (err: unknown) => HostError, nowMs: number): Promise<HostError> {
  const error = classify(err);
  if (error.kind === 'internal') log.error(`agile-kpi: syncing ${scope} failed`, err);
  else log.warn(`agile-kpi: syncing ${scope} failed: ${error.kind}: ${error.message}`);
  await store.updateMeta({ lastError: { ...error, at: new Date(nowMs).toISOString() } });
  return error;
}
