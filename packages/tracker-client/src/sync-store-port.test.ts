import { type MaybePromise, type Steps, type SyncStorePort, answer, commitAll, stepThrough } from './sync-store-port';

function* sum(read: (n: number) => MaybePromise<number>): Steps<number> {
  let total = 0;
  for (const n of [1, 2, 3]) total += yield* answer(read(n));
  return total;
}

describe('stepThrough', () => {
  it('answers at once when every step does (no Promise: a SQLite transaction may run it)', () => {
    expect(stepThrough(sum((n) => n * 10))).toBe(60);
  });

  it('waits for the steps that answer later, and answers a Promise', async () => {
    const answered = stepThrough(sum((n) => (n === 2 ? Promise.resolve(20) : n * 10)));
    expect(answered).toBeInstanceOf(Promise);
    await expect(answered).resolves.toBe(60);
  });

  it('throws a failed step into the steps, where they can catch it', async () => {
    function* guarded(): Steps<string> {
      try {
        yield* answer(Promise.reject(new Error('lost the connection')));
        return 'not reached';
      } catch (error) {
        return `caught: ${(error as Error).message}`;
      }
    }
    await expect(stepThrough(guarded())).resolves.toBe('caught: lost the connection');
    await expect(stepThrough(sum(() => Promise.reject(new Error('refused'))))).rejects.toThrow('refused');
  });
});

/** A store that records its writes, with a synchronous transaction that refuses a Promise (as better-sqlite3's does) or an asynchronous one. */
function recordingStore(kind: 'sync' | 'async' | 'none'): { store: SyncStorePort; log: string[] } {
  const log: string[] = [];
  const answerWith = <T>(value: T): MaybePromise<T> => (kind === 'async' ? Promise.resolve(value) : value);
  const base = (where: string): SyncStorePort => ({
    putDocs: (k, docs) => answerWith(void log.push(`${where} put ${k} ${docs.length}`)),
    getDoc: () => answerWith(undefined),
    listDocs: () => answerWith([]),
    docVersions: () => answerWith(new Map()),
    deleteDocs: () => answerWith(undefined),
    replaceDocs: () => answerWith(undefined),
    getState: () => answerWith(undefined),
    setState: (name) => answerWith(void log.push(`${where} state ${name}`)),
    recordSnapshots: () => answerWith(0),
  });
  const store = base('store');
  if (kind === 'sync') {
    store.transaction = <T>(fn: (tx?: SyncStorePort) => MaybePromise<T>): MaybePromise<T> => {
      log.push('begin');
      const result = fn();
      if (result instanceof Promise) throw new TypeError('Transaction function cannot return a promise');
      log.push('commit');
      return result;
    };
  }
  if (kind === 'async') {
    store.transaction = async <T>(fn: (tx?: SyncStorePort) => MaybePromise<T>): Promise<T> => {
      log.push('begin');
      const result = await fn(base('tx'));
      log.push('commit');
      return result;
    };
  }
  return { store, log };
}

describe('commitAll', () => {
  const ops = [(s: SyncStorePort) => s.putDocs('issue-staged', [{ id: '1', version: null, body: {} }]), (s: SyncStorePort) => s.setState('jira-sync-cursor', {})];

  it('runs the writes synchronously inside a synchronous transaction', async () => {
    const { store, log } = recordingStore('sync');
    await commitAll(store, ops);
    expect(log).toEqual(['begin', 'store put issue-staged 1', 'store state jira-sync-cursor', 'commit']);
  });

  it('runs them on the store bound to an asynchronous transaction', async () => {
    const { store, log } = recordingStore('async');
    await commitAll(store, ops);
    expect(log).toEqual(['begin', 'tx put issue-staged 1', 'tx state jira-sync-cursor', 'commit']);
  });

  it('runs them one after the other on a store without transactions', async () => {
    const { store, log } = recordingStore('none');
    await commitAll(store, ops);
    expect(log).toEqual(['store put issue-staged 1', 'store state jira-sync-cursor']);
  });
});
