import type { HostError } from '@agile-kpi/presentation';
import type { Clock } from './budget';
import type { Log } from './host-error';
import type { SyncMeta } from './scope-store';
import { recordSyncFailure } from './serving';

/** What a sync under the scope's lease answers. Never thrown: a failure is an outcome. */
export type SyncOutcome<R> =
  | { readonly status: 'synced'; readonly result: R }
  /** Another invocation holds the scope's sync lease (with a busy-wait: it was released, or the wait ended). */
  | { readonly status: 'busy' }
  /** The deadline came first; what was fetched is staged and the next sync resumes from it. */
  | { readonly status: 'budget' }
  | { readonly status: 'failed'; readonly error: unknown };

/** The scope's store as a sync under its lease uses it (each host takes the lease as its storage can, atomically). */
export interface SyncLeaseStore {
  /** Takes the lease for `ttlMs` (the lease of a sync that died runs out): its release, or undefined while another holds a live one. */
  lease(owner: string, nowMs: number, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
  updateMeta(change: Partial<SyncMeta>): Promise<unknown>;
}

/** A store that can tell whether another holds a live lease, for a caller that waits for the other sync to end. */
export interface LeaseWatch {
  leased(nowMs: number): Promise<boolean>;
}

/** Waiting for another's sync: whether its lease is still held is looked at every `pollMs`, until `untilMs`. */
export interface BusyWait {
  readonly untilMs: number;
  readonly pollMs: number;
}

/** What a host's sync gives back when its tracker's sync ended. */
export interface SyncDone<R> {
  readonly result: R;
  /** More meta, written with `syncedAt` (Forge's `dataVersion`). */
  readonly meta?: Omit<SyncMeta, 'syncedAt' | 'lastAttemptAt' | 'lastError'>;
  /** The host's log line, once the sync is kept. */
  readonly note?: string;
  /**
   * A later step's failure (Forge's satisfaction ratings): the sync is kept, then the failure is recorded under the
   * step's own `scope` label and answered `failed`.
   */
  readonly later?: { readonly scope: string; readonly error: unknown };
}

export interface LeasedSyncOptions {
  readonly clock: Clock;
  readonly log: Log;
  /** The lease's owner tag ({@link leaseOwner}). */
  readonly owner: string;
  /** How long the lease holds if the sync dies without releasing it. */
  readonly leaseMs: number;
  /** The scope as the logs name it: `board 42`, `SIM/SIM Team`. */
  readonly scope: string;
  /** The host's error answers (its `hostError`): a failure is kept in the meta as its kind and message. */
  readonly classify: (err: unknown) => HostError;
  /**
   * The deadline's own error (Forge's `BudgetExceeded`): answered `budget`, logged with `note`, not recorded,
   * as the next sync resumes from what was staged. Without it, a deadline is a failure like any other.
   */
  readonly deadline?: { readonly is: (err: unknown) => boolean; readonly note: () => string };
}

/** Without a busy-wait, `busy` is answered at once; with one, the store must tell whether the lease is still held. */
export type LeasedSync = LeasedSyncOptions &
  ({ readonly store: SyncLeaseStore; readonly busyWait?: undefined } | { readonly store: SyncLeaseStore & LeaseWatch; readonly busyWait: BusyWait });

/**
 * A host's sync of one scope, under the scope's lease so that two invocations (Forge's resolvers and its hourly
 * refresh, the widgets of one Azure DevOps dashboard) never sync it beside each other: takes the lease (else
 * answers `busy`, after the busy-wait if there is one), writes `lastAttemptAt`, runs the `work` (the host's tracker
 * sync), then writes `syncedAt` with the work's meta and clears `lastError`. A failure is logged and kept in the meta
 * with its answer ({@link recordSyncFailure}) and answered `failed`, as is a lease that could not be taken; the
 * deadline (see {@link LeasedSyncOptions.deadline}) is answered `budget`. The lease is released at the end; a
 * release that fails is logged (the lease then runs out by itself), never thrown.
 */
export async function leasedSync<R>(options: LeasedSync, work: () => Promise<SyncDone<R>>): Promise<SyncOutcome<R>> {
  const { store, clock, log } = options;
  const started = clock.now();
  let release: (() => Promise<void>) | undefined;
  try {
    release = await store.lease(options.owner, started, options.leaseMs);
    if (!release) {
      if (options.busyWait) await waitForRelease(options.store, clock, options.busyWait);
      return { status: 'busy' };
    }
  } catch (err) {
    log.warn(`agile-kpi: the sync lease of ${options.scope} could not be taken`, err);
    return { status: 'failed', error: err };
  }
  try {
    return await underLease(options, started, work);
  } finally {
    await release().catch((err: unknown) => log.warn(`agile-kpi: the sync lease of ${options.scope} could not be released; it expires by itself`, err));
  }
}

async function underLease<R>(options: LeasedSync, started: number, work: () => Promise<SyncDone<R>>): Promise<SyncOutcome<R>> {
  const { store, clock, log } = options;
  try {
    await store.updateMeta({ lastAttemptAt: new Date(started).toISOString() });
    const done = await work();
    await store.updateMeta({ ...done.meta, syncedAt: new Date(clock.now()).toISOString(), lastError: undefined });
    if (done.note !== undefined) log.info(done.note);
    if (done.later) return await failed(options, done.later.scope, done.later.error);
    return { status: 'synced', result: done.result };
  } catch (err) {
    if (options.deadline?.is(err)) {
      log.info(options.deadline.note());
      return { status: 'budget' };
    }
    return failed(options, options.scope, err);
  }
}

/** A failure, logged and kept in the meta; a meta that cannot be written then does not hide it. */
async function failed(options: LeasedSync, scope: string, error: unknown): Promise<SyncOutcome<never>> {
  await recordSyncFailure(options.store, options.log, scope, error, options.classify, options.clock.now()).catch((err: unknown) =>
    options.log.warn(`agile-kpi: the failure of syncing ${scope} could not be kept with its data`, err),
  );
  return { status: 'failed', error };
}

async function waitForRelease(store: LeaseWatch, clock: Clock, wait: BusyWait): Promise<void> {
  while (clock.now() < wait.untilMs && (await store.leased(clock.now()))) await clock.sleep(wait.pollMs);
}
