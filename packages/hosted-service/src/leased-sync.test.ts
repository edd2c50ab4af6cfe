import type { HostError } from '@agile-kpi/presentation';
import { type LeaseWatch, type SyncDone, type SyncLeaseStore, leasedSync } from './leased-sync';
import type { SyncMeta } from './scope-store';

/**
 * The sync flow both hosted surfaces run under a scope's lease, on a store in memory and a clock that moves only when
 * the test or a wait moves it: what the meta says after each outcome, and that the lease is always given back.
 */

const T0 = Date.parse('2026-03-02T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A scope's lease and meta in memory; each operation can be made to fail. */
class MemoryLeaseStore implements SyncLeaseStore, LeaseWatch {
  meta: SyncMeta = {};
  holder: { readonly owner: string; readonly untilMs: number } | undefined;
  leaseLooks = 0;
  failLease: Error | undefined;
  failRelease: Error | undefined;
  failMetaWith: ((change: Partial<SyncMeta>) => Error | undefined) | undefined;

  async lease(owner: string, nowMs: number, ttlMs: number) {
    if (this.failLease) throw this.failLease;
    if (this.holder && this.holder.untilMs > nowMs) return undefined;
    this.holder = { owner, untilMs: nowMs + ttlMs };
    return async () => {
      if (this.failRelease) throw this.failRelease;
      if (this.holder?.owner === owner) this.holder = undefined;
    };
  }

  async leased(nowMs: number) {
    this.leaseLooks++;
    return this.holder !== undefined && this.holder.untilMs > nowMs;
  }

  async updateMeta(change: Partial<SyncMeta>) {
    const failure = this.failMetaWith?.(change);
    if (failure) throw failure;
    const next: Record<string, unknown> = { ...this.meta, ...change };
    for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
    this.meta = next as SyncMeta;
    return this.meta;
  }
}

/** A clock that stands still unless moved; a sleep moves it and then runs what was due by then. */
function testClock() {
  let now = T0;
  const due: { atMs: number; run: () => void }[] = [];
  return {
    now: () => now,
    async sleep(ms: number) {
      now += ms;
      for (const d of due.filter((d) => d.atMs <= now)) {
        due.splice(due.indexOf(d), 1);
        d.run();
      }
    },
    advance(ms: number) {
      now += ms;
    },
    at(atMs: number, run: () => void) {
      due.push({ atMs, run });
    },
  };
}

function testLog() {
  const lines: { level: 'info' | 'warn' | 'error'; message: string }[] = [];
  const at = (level: 'info' | 'warn' | 'error') => (message: string) => void lines.push({ level, message });
  return { log: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

class TrackerDown extends Error {}
class OutOfTime extends Error {}

const classify = (err: unknown): HostError =>
  err instanceof TrackerDown ? { kind: 'server', message: `the tracker failed: ${err.message}` } : { kind: 'internal', message: 'something went wrong; the details are in the logs' };

function setup() {
  const store = new MemoryLeaseStore();
  const clock = testClock();
  const { log, lines } = testLog();
  const options = { store, clock, log, owner: 'me', leaseMs: 60_000, scope: 'board 7', classify };
  return { store, clock, log, lines, options };
}

describe('leasedSync', () => {
  it('synced: writes lastAttemptAt before the work, then syncedAt with the extra meta and no lastError, logs the note, releases the lease', async () => {
    const { store, clock, lines, options } = setup();
    store.meta = { syncedAt: iso(T0 - 3_600_000), lastError: { kind: 'server', message: 'earlier', at: iso(T0 - 3_600_000) } };
    let seenDuringWork: SyncMeta | undefined;
    const outcome = await leasedSync(options, async (): Promise<SyncDone<{ issues: number }>> => {
      seenDuringWork = { ...store.meta };
      expect(store.holder?.owner).toBe('me');
      clock.advance(5_000); // the tracker's sync takes 5 s
      return { result: { issues: 12 }, meta: { dataVersion: 'abc123' }, note: 'agile-kpi: synced board 7: 12 issues' };
    });
    expect(outcome).toEqual({ status: 'synced', result: { issues: 12 } });
    expect(seenDuringWork).toMatchObject({ lastAttemptAt: '2026-03-02T09:00:00.000Z', syncedAt: iso(T0 - 3_600_000) });
    expect(store.meta).toEqual({ lastAttemptAt: '2026-03-02T09:00:00.000Z', syncedAt: '2026-03-02T09:00:05.000Z', dataVersion: 'abc123' });
    expect(lines).toEqual([{ level: 'info', message: 'agile-kpi: synced board 7: 12 issues' }]);
    expect(store.holder).toBeUndefined();
  });

  it('busy: another holds the lease, answered at once without the work or a meta write', async () => {
    const { store, clock, options } = setup();
    await store.lease('other', T0 - 1_000, 60_000);
    let ran = false;
    const outcome = await leasedSync(options, async () => {
      ran = true;
      return { result: 1 };
    });
    expect(outcome).toEqual({ status: 'busy' });
    expect([ran, store.meta, store.leaseLooks, clock.now()]).toEqual([false, {}, 0, T0]);
    expect(store.holder?.owner).toBe('other');
  });

  it('busy with a busy-wait: looks every pollMs until the other lease is released, then answers busy', async () => {
    const { store, clock, options } = setup();
    const release = await store.lease('other', T0, 60_000);
    clock.at(T0 + 3_500, () => void release!()); // the other page's sync ends 3.5 s later
    const outcome = await leasedSync({ ...options, busyWait: { untilMs: T0 + 10_000, pollMs: 1_000 } }, async () => ({ result: 1 }));
    expect(outcome).toEqual({ status: 'busy' });
    // Looked at 0, 1, 2, 3 s (held) and 4 s (released): the wait ended at 4 s, not at its 10 s.
    expect([store.leaseLooks, clock.now() - T0]).toEqual([5, 4_000]);
    expect(store.meta).toEqual({});
  });

  it('busy with a busy-wait that ends first: answers busy at untilMs while the other still holds the lease', async () => {
    const { store, clock, options } = setup();
    await store.lease('other', T0, 60_000);
    const outcome = await leasedSync({ ...options, busyWait: { untilMs: T0 + 2_500, pollMs: 1_000 } }, async () => ({ result: 1 }));
    expect(outcome).toEqual({ status: 'busy' });
    expect(clock.now() - T0).toBe(3_000);
    expect(store.holder?.owner).toBe('other');
  });

  it('budget: the deadline is answered as such, logged with its note, not recorded as a failure; the lease is released', async () => {
    const { store, lines, options } = setup();
    const deadline = { is: (err: unknown) => err instanceof OutOfTime, note: () => 'agile-kpi: board 7: the time budget ran out after 40 requests' };
    const outcome = await leasedSync({ ...options, deadline }, async () => {
      throw new OutOfTime('out of time');
    });
    expect(outcome).toEqual({ status: 'budget' });
    expect(store.meta).toEqual({ lastAttemptAt: iso(T0) });
    expect(lines).toEqual([{ level: 'info', message: 'agile-kpi: board 7: the time budget ran out after 40 requests' }]);
    expect(store.holder).toBeUndefined();
  });

  it('failure: recorded in the meta with the kind the host classifies it as, answered failed with the error, the lease released', async () => {
    const { store, clock, lines, options } = setup();
    const err = new TrackerDown('HTTP 503');
    const deadline = { is: (e: unknown) => e instanceof OutOfTime, note: () => 'never' };
    const outcome = await leasedSync({ ...options, deadline }, async () => {
      clock.advance(2_000);
      throw err;
    });
    expect(outcome).toEqual({ status: 'failed', error: err });
    expect((outcome as { error: unknown }).error).toBe(err);
    expect(store.meta).toEqual({ lastAttemptAt: iso(T0), lastError: { kind: 'server', message: 'the tracker failed: HTTP 503', at: '2026-03-02T09:00:02.000Z' } });
    expect(lines).toEqual([{ level: 'warn', message: 'agile-kpi: syncing board 7 failed: server: the tracker failed: HTTP 503' }]);
    expect(store.holder).toBeUndefined();
  });

  it('without a deadline predicate, the deadline is a failure like any other (the extension resumes from a recorded one)', async () => {
    const { store, options } = setup();
    const outcome = await leasedSync(options, async () => {
      throw new OutOfTime('out of time');
    });
    expect(outcome).toMatchObject({ status: 'failed' });
    expect(store.meta.lastError).toMatchObject({ kind: 'internal' });
  });

  it('a later step that failed: the sync is kept (syncedAt, extra meta), then the failure recorded under its own label and answered', async () => {
    const { store, lines, options } = setup();
    const ratings = new TrackerDown('HTTP 502 on the service desk');
    const outcome = await leasedSync(options, async () => ({ result: 'board', meta: { dataVersion: 'v2' }, note: 'synced', later: { scope: 'the service projects of board 7', error: ratings } }));
    expect(outcome).toEqual({ status: 'failed', error: ratings });
    expect(store.meta).toEqual({
      lastAttemptAt: iso(T0),
      syncedAt: iso(T0),
      dataVersion: 'v2',
      lastError: { kind: 'server', message: 'the tracker failed: HTTP 502 on the service desk', at: iso(T0) },
    });
    expect(lines.map((l) => l.message)).toEqual(['synced', 'agile-kpi: syncing the service projects of board 7 failed: server: the tracker failed: HTTP 502 on the service desk']);
    expect(store.holder).toBeUndefined();
  });

  it('a release that fails is logged, not thrown: the outcome stands', async () => {
    const { store, lines, options } = setup();
    store.failRelease = new Error('storage down');
    await expect(leasedSync(options, async () => ({ result: 3 }))).resolves.toEqual({ status: 'synced', result: 3 });
    expect(lines).toEqual([{ level: 'warn', message: 'agile-kpi: the sync lease of board 7 could not be released; it expires by itself' }]);
    expect(store.meta.syncedAt).toBe(iso(T0));
  });

  it('a lease that cannot be taken is answered failed, logged, and the work does not run', async () => {
    const { store, lines, options } = setup();
    const err = new Error('storage refused');
    store.failLease = err;
    let ran = false;
    const outcome = await leasedSync(options, async () => {
      ran = true;
      return { result: 1 };
    });
    expect(outcome).toEqual({ status: 'failed', error: err });
    expect([ran, store.meta]).toEqual([false, {}]);
    expect(lines.map((l) => l.level)).toEqual(['warn']);
  });

  it('a failure whose meta cannot be written is still answered (and both are logged); the lease is released', async () => {
    const { store, lines, options } = setup();
    store.failMetaWith = (change) => ('lastError' in change ? new Error('meta write refused') : undefined);
    const err = new TrackerDown('HTTP 500');
    const outcome = await leasedSync(options, async () => {
      throw err;
    });
    expect(outcome).toEqual({ status: 'failed', error: err });
    expect(store.meta).toEqual({ lastAttemptAt: iso(T0) });
    expect(lines.map((l) => l.message)).toEqual(['agile-kpi: syncing board 7 failed: server: the tracker failed: HTTP 500', 'agile-kpi: the failure of syncing board 7 could not be kept with its data']);
    expect(store.holder).toBeUndefined();
  });
});
